"""Figures over time: a cited trend for a question that asks for a quantity.

For "agency social worker rate" or "children in care", each meeting's best answering
sentence is taken, and the figure it states is read from it (``qa_service.trend_read``):
a percentage, a count or an amount of money, with its offsets in the passage. Everything
stays extractive: values, units and dates come from the text and the paper's metadata,
never computed.

- The passages read are the engine's best for the question, then each of those meetings'
  own best (its answering sentence may rank below other meetings' passages); those that
  do not answer with confidence (the calibrated threshold of ``/api/ask``) give no point.
- A meeting's sentence is, among all its passages read, the one that names most of the
  question's key words, weighted by their rarity in the index (idf: in "average social
  worker caseload", "caseload" says more than "social"), and states a figure in the unit
  the question asks for ("how many", "rate", "cost"); then the one whose figure's own
  words (its item, below, then ``WINDOW`` either side) name most; then the engine's
  ranking. A sentence naming less than half of the key words' weight, or of a timeliness
  question only its period ("within five working days"), or only its common phrases
  ("agency social workers made up 46% of the children's social care workforce" for contacts
  received by children's social care; ``qa_service.trend_phrase``), measures something
  else. A table row is a sentence too, read at its header's current column
  (``qa_service.trend_table``), with its table's caption or, without one in the passage,
  the passage's heading. The engine's highlight is a candidate only when it is one
  sentence: the sentences it joins are read each on its own.
  A sentence that refers back ("… 748 reviews. Of these, 94% were held within timescale")
  is read with the one before; so is one whose sentence before states no figure, for
  whether it is about the question (that one sets its subject, on the same line: "A Member
  asked why initial health assessments were delayed. Officers explained that only 44% …");
  but a part in the unit of the figure before ("… received 1,046 contacts. Of these, 318
  met the threshold") weighs its own words, when the one before names more of the question.
- A figure whose own noun names another thing is another measure, however much of the
  question its sentence names ("a staffing budget of £612,000" for the children's services
  overspend, "6,842 incidents of fly-tipping" for prosecutions; ``trend_noun``).
- In the sentence, the figure is a current one (not compared, the latest of dated ones),
  not an amount or count "of the" quantity asked (a part: "£8.3 million of the children's
  services overspend related to placements"), nor, unless a rate is asked, one for each of
  what is counted beside the total ("£2,300 for each eligible child …, a total of
  £718,000"; ``trend_parts.totals``), in the asked unit, whose own item of a list
  names the question's rarest key word ("… 46% of the … workforce, and that 17% of posts
  were vacant": 17% for the vacancy rate), then most of the question ("Amount spent to
  date on capital £6,436, revenue £4,630 making a total of £11,066": 4,630 for revenue
  spent, 11,066 for the total spent; ``trend_items.labelled``), then whose ``WINDOW`` words
  either side name most, then nearest to the question's rarest key word ("… 21% of the
  workforce, and the average caseload was 18 children": 18 for caseload, 21% for agency
  staff).
- The trend's unit is the one most points state (on a tie, the asked one, else the one
  whose sentences name most of the question; a question asking no unit, that of the
  sentence naming most of it, as weak sentences of other meetings would outvote it); a
  point in another unit or on another base ("per 10,000 children" against "%") is kept but
  flagged, and not plotted; a meeting that also states a figure in the trend's unit (its
  agenda's minute number read as a count, its minutes' payment in £) gives that one instead.
- A figure in a unit the question's own words name ("five-year housing land supply": "a
  supply of 3.8 years") comes first: of a passage's sentences, of a sentence's figures, of a
  meeting's points and between the trend's units ("Year 6" names a school year, no unit).
- A point whose sentence names under ``SERIES_SHARE`` of what its series' best-naming
  sentence names is another quantity worded like the question, and is not plotted
  (``below_series``).
- With ``MAGNITUDE`` set (off by default), a point many times over or under its series'
  others is another quantity, and its meeting gives one of their size instead, when a sentence
  of its passages read that names as much states one (``agreeing``).
- Without a council, each council is its own series, for comparison.

A hit's sentence and its figure are chosen in ``qa_service.trend_sentence``; this module
gathers the hits and keeps one point per meeting.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import replace
from itertools import pairwise

from cqa_core.errors import InvalidQueryError
from cqa_core.text import Span, split_sentences
from index.passages import PassageRecord
from index.store import Filters
from qa_service.answers import Hit
from qa_service.retriever import Engine
from qa_service.trend_context import context as _context
from qa_service.trend_current import aimed
from qa_service.trend_head import _HEAD_ENDS, _noun_phrase, measure_head
from qa_service.trend_phrase import free_words
from qa_service.trend_read import Figure, asked_unit
from qa_service.trend_read import figures as figures
from qa_service.trend_sentence import (
    WINDOW,
    Asked,
    TrendPoint,
    Weights,
    _heading,
    _read,
    _sentence,
    _stated,
    _weight,
)
from qa_service.trend_table import ends_with_header, header_before, rows, rows_after
from qa_service.trend_words import about as _about
from qa_service.trend_words import counted_as, named, stem, stems

__all__ = ["Figure", "asked_unit", "figures", "flag_outliers", "trend"]

# Passages read per question: enough to reach most meetings that discuss it.
CANDIDATES = 30
# Then each of those meetings' own best passages (a policy, not fitted: a meeting's pack
# rarely holds more than a few passages on one measure).
PER_MEETING = 5
MIN_AGREEING = 3  # points in one unit before a trend is worth drawing
# A question nothing is read for (``chosen``), read again: in any unit when the unit its
# words guess gives nothing ("rise in the prices of residential placements" guesses money; the
# papers state "12%"), a sentence naming its measure's head; then at this share of its key
# words' weight instead of half (fitted leaving one council out: 0.45 in 15 of 15 folds,
# docs/quality.md "Issue 16, trend reader, stop 30"). Off: ``EMPTY_ANY_UNIT = False``,
# ``EMPTY_SHARE = 0.5`` (stop 29's reading).
EMPTY_ANY_UNIT = True
EMPTY_SHARE = 0.45
# A table's rows cut from their header: ingest keeps a table's rows apart from prose, and the
# caption and header line above them often end the passage before ("… Table 1: Placement
# mix of looked after children / Placement type Number of children Percentage" | "Placed
# for adoption 10 2%"). Such a table passage is read with that header (``with_header``).
# Off: its rows have no header, and are read as prose.
HEADER_BEFORE = True
# The other way round: a passage retrieved for a table's caption and header (their words name
# the question) whose rows ingest cut into the next passage is read with those rows.
ROWS_AFTER = True


def about(question: str, sentence: str) -> bool:
    """Whether a sentence names at least half of the question's key words (by their stems)."""
    return _about(question, sentence)


def question_weights(engine: Engine, question: str) -> Weights:
    """Each key word stem of the question, weighted by how rare it is in the index (idf):
    in "average social worker caseload", "caseload" says more than "social".

    Only the question's words are read from the vocabulary (a range of its key per stem);
    the largest count, the idf's base, is the one the engine's reader keeps for the index
    generation it has loaded.
    """
    engine.refresh()
    keys = counted_as(question)  # "owns" (stem "own") is counted as written
    total = max(engine.reader.largest, 1)
    counts = engine.store.prefix_frequencies(sorted(set(keys.values())))
    return {
        stem: math.log((total + 1) / (counts.get(five, 0) + 1)) + 1.0 for stem, five in keys.items()
    }


def _point(
    hit: Hit, question: str, wanted: str | None, weights: Weights | None = None
) -> TrendPoint | None:
    """The meeting's point from one hit: its best sentence's figure."""
    asked = Asked.of(question, weights)
    asked.wanted = wanted
    read = _read(hit, asked, _sentence(hit, asked)[0])
    return read[0] if read else None


def point_of(hit: Hit, question: str, weights: Weights | None = None) -> TrendPoint | None:
    """The figure a hit's answering sentence states about ``question`` (None: no figure), in
    any unit when the question asks none (a timeline's figures of a topic)."""
    asked = replace(Asked.of(question, weights), any_unit=True)
    span, _ = _sentence(hit, asked)
    if not asked.about(_context(hit.passage.text, span, heading=_heading(hit))):
        return None
    read = _read(hit, asked, span)
    return read[0] if read else None


def trend(engine: Engine, question: str, filters: Filters | None = None) -> list[TrendPoint]:
    """One point per meeting that answers ``question`` with a figure, oldest first."""
    hits, asked = candidates(engine, question, filters or Filters())
    return chosen(hits, asked)


def candidates(engine: Engine, question: str, filters: Filters) -> tuple[list[Hit], Asked]:
    """The passages that answer ``question`` with confidence, best first: the engine's best,
    then, for each meeting among them whose sentences do not yet name every key word, that
    meeting's own best (its answering sentence may rank below other meetings' passages)."""
    question = question.strip()
    if not question:
        raise InvalidQueryError("the question is empty")
    answer = engine.ask(question, CANDIDATES, filters)
    threshold = engine.settings.answer_threshold
    asked = Asked.of(question, question_weights(engine, question))
    # the council or years it names are filters, not words a sentence must say ("… in
    # Eastwold")
    read = engine.reader.read(question)
    filtering = stems(" ".join((*read.council_phrases, *read.date_phrases)))
    asked.free = free_words(
        question,
        set(asked.weights) - filtering,
        engine.lexical.phrase_frequency,
        engine.lexical.count(),
    )
    hits = [with_header(engine, h) for h in answer.hits if h.confidence >= threshold]
    seen = {h.passage.rowid for h in hits}
    # the same paper at another meeting, folded into this hit (``dedup``), is that meeting's
    # point too: a report taken at scrutiny, then Cabinet
    for h in list(hits):
        for copy in h.also_at:
            if copy.rowid not in seen:
                seen.add(copy.rowid)
                hits.append(replace(h, passage=copy, also_at=[]))
    named: dict[tuple[str | None, str | None], float] = {}
    for h in hits:
        key = (h.passage.document.meta.council, h.passage.document.meta.meeting_date)
        span, weight = _sentence(h, asked)
        if _read(h, asked, span) is None:
            weight = -1.0  # its sentence states no current figure ("forecast to rise from …")
        named[key] = max(named.get(key, -1.0), weight)
    whole = sum(asked.weights.values())
    searched = None
    for (council, date), weight in named.items():
        if not date or weight >= whole:
            continue  # undated, or a sentence already names the whole question
        if searched is None:
            searched = engine.understand(question)
        one = replace(
            answer.filters,
            council=(council,) if council else answer.filters.council,
            date_from=date,
            date_to=date,
        )
        understood, query = searched
        more = engine.ask(question, PER_MEETING, one, query=query, understood=understood)
        for hit in more.hits:
            if hit.confidence >= threshold and hit.passage.rowid not in seen:
                seen.add(hit.passage.rowid)
                hits.append(with_header(engine, hit))
    return hits, asked


def with_header(engine: Engine, hit: Hit) -> Hit:
    """``hit``, its passage joined to its table's header or rows when ingest cut them apart:
    a table's rows with none above them, widened back to the header the passage before in
    its paper ends with (``trend_table.header_before``; ``HEADER_BEFORE``); a passage ending
    with a table's header, widened on to the rows the passage after holds
    (``trend_table.rows_after``; ``ROWS_AFTER``). The rows are then read at their columns
    (``trend_table.rows``). Also-at copies are widened alike."""
    passage = hit.passage
    if HEADER_BEFORE and getattr(passage, "is_table", False):
        passage = _widened(engine, passage, -1)
    elif (
        ROWS_AFTER
        and getattr(passage, "is_table", None) is False
        and ends_with_header(passage.text)
    ):
        passage = _widened(engine, passage, +1)
    if passage is hit.passage:
        return hit
    # the highlight's offsets move with a start moved back
    by = passage.text.index(hit.passage.text) if passage.char_start < hit.passage.char_start else 0

    def moved(spans: list[Span]) -> list[Span]:
        return [Span(s.start + by, s.end + by) for s in spans]

    step = -1 if by else +1
    return replace(
        hit,
        passage=passage,
        highlights=moved(hit.highlights),
        core=moved(hit.core),
        sentence_spans=moved(hit.sentence_spans),
        also_at=[_widened(engine, p, step) for p in hit.also_at],
    )


def _widened(engine: Engine, passage: PassageRecord, step: int) -> PassageRecord:
    """``passage`` widened to the passage ``step`` from it in its paper (-1 the one before,
    +1 the one after) when they are a table cut from its header (itself otherwise)."""
    if rows(passage.text) or passage.ordinal + step < 0:
        return passage
    other = engine.store.passage_at(passage.document.document_id, passage.ordinal + step)
    if other is None:
        return passage
    return header_before(other, passage) if step < 0 else rows_after(passage, other)


def select(
    hits: list[Hit],
    asked: Asked,
    window: int = WINDOW,
    pool: dict[tuple[str | None, str | None], list[Hit]] | None = None,
) -> list[TrendPoint]:
    """Each meeting's point among ``hits`` (best first, those that answer): the sentence
    naming most of the question, then the figure whose own words name most, then rank; a
    meeting whose best is in another unit than the trend's (an agenda's minute number read
    as a count) gives its best in the trend's unit, when one of its sentences states one.
    ``pool``, when given, is filled with each meeting's hits, for ``agreeing``."""
    Key = tuple[str | None, str | None, str]  # council, meeting date, unit
    best: dict[Key, tuple[tuple[bool, float, float, int], TrendPoint]] = {}
    for rank, hit in enumerate(hits):
        if pool is not None:
            meta = hit.passage.document.meta
            pool.setdefault((meta.council, meta.meeting_date), []).append(hit)
        span, weight = _sentence(hit, asked)
        if weight < 0 or not _is_about(hit, asked, span):
            continue  # no figure of the asked kind, or it measures something else
        read = _read(hit, asked, span, window)
        if read is None:
            continue
        point, local = read
        point.weight = weight
        key = (*_meeting(point), point.figure.unit)
        # of a question asking a target, a figure aimed at first ("Approve 30 new fostering
        # households" under "Our targets" over "6 households recruited so far")
        aim = asked.aims and aimed(hit.passage.text, point.figure)
        score = (aim, weight, local, -rank)
        if key not in best or score > best[key][0]:
            best[key] = (score, point)
    # a meeting's point: in a unit the question's own words name, if it gives one ("five-year
    # housing land supply": "… from 5.3 years to 4.6 years" over "30% affordable housing")
    Ranked = tuple[bool, tuple[bool, float, float, int]]
    meetings: dict[tuple[str | None, str | None], tuple[Ranked, TrendPoint]] = {}
    for score, point in best.values():
        ranked = (
            asked.names_unit(point.figure.unit)
            or asked.names_base(point.hit.passage.text, point.figure),
            score,
        )
        if _meeting(point) not in meetings or ranked > meetings[_meeting(point)][0]:
            meetings[_meeting(point)] = (ranked, point)
    points = flag_outliers(
        sorted((p for _, p in meetings.values()), key=lambda p: (p.date, _meeting(p)[0] or "")),
        asked.wanted,
        asked.unit_words(),
    )
    unit = trend_unit(points) or ""
    return [
        replace(best[(*_meeting(p), unit)][1], flagged=False)
        if p.flagged and (*_meeting(p), unit) in best
        else p
        for p in points
    ]


def chosen(hits: list[Hit], asked: Asked) -> list[TrendPoint]:
    """``select``'s points; of a question asking no unit whose hits give none, their amounts
    of money whose own sentence names the measure's head (``select`` in any unit); of one
    asking a unit whose hits give none, their figures in any unit whose sentence names the
    measure's head (``EMPTY_ANY_UNIT``); and still none, ``select``'s at a lower share of the
    key words' weight (``EMPTY_SHARE``). Then less those naming far less of the question than
    their series' best (``below_series``)."""
    pool: dict[tuple[str | None, str | None], list[Hit]] = {}
    points = select(hits, asked, pool=pool)
    if not points and (asked.wanted is None or EMPTY_ANY_UNIT):
        # a question asking no unit reads no money ("households subscribing to the garden
        # waste service" counts households), unless nothing else is stated about it at any
        # meeting: then what it asks is an amount ("quote for tarmacking the cart roads":
        # "the quote of £60k +vat"; "bank reconciliation discrepancy": "the £381k …");
        # one asking a unit may be stated in another ("rise in the prices": "12%").  Either
        # way its head is named by the figure's own sentence ("length of the road network"
        # is no "£4.7 million" of a roads budget)
        head = stems(measure_head(asked.question))
        points = [
            p
            for p in select(hits, replace(asked, wanted=None, any_unit=True))
            if head and head <= named(p.hit.passage.text[p.sentence[0] : p.sentence[1]], asked.alts)
        ]
    if not points and asked.share > EMPTY_SHARE:
        points = select(hits, replace(asked, share=EMPTY_SHARE))
    return below_series(agreeing(points, pool, asked))


# A series agrees on what it measures, and so on its size: a meeting's point more than
# ``MAGNITUDE`` times over or under the median of its council's other plotted points (two at
# least) is another quantity ("142 missing episodes involving 57 looked after children"
# beside 486, 470 and 512 children in care): the meeting gives instead its point in the
# same unit, from any sentence of its passages read that is about the question and names at
# least ``MAGNITUDE_SHARE`` of what the chosen sentence names, that is within that ratio (the
# nearest), or, with ``MAGNITUDE_DROP``, none (dropping loses right points: 817 right of 933
# plotted against 839 of 970). 0 is off (stop 31's reading). Fitted leaving one council out:
# 2, 3 and 5 alike in 15 of 15 folds; leaving one file out, on in 24 of 25 (off, by a tie, in
# the fold of the one file it gains on), so off: docs/quality.md "Issue 16, a series agrees
# on its size, stop 32". To switch on: 5, the widest of the tied ratios (fewest judged).
MAGNITUDE = 0.0
MAGNITUDE_SHARE = 1.0
MAGNITUDE_DROP = False


def agreeing(
    points: list[TrendPoint],
    pool: dict[tuple[str | None, str | None], list[Hit]],
    asked: Asked,
    ratio: float | None = None,
) -> list[TrendPoint]:
    """``points``, each plotted one far from the size of its series' others (``MAGNITUDE``)
    replaced by its meeting's point nearest to them, read from any sentence of the meeting's
    hits in ``pool`` that is about the question, or dropped (``MAGNITUDE_DROP``)."""
    ratio = MAGNITUDE if ratio is None else ratio
    if ratio <= 1:
        return points
    span = math.log(ratio)
    out = []
    for p in points:
        middle = _series_middle(p, points)
        if middle is None or abs(math.log(p.figure.value) - middle) <= span:
            out.append(p)
            continue
        near = [
            q
            for q in _meeting_points(pool.get(_meeting(p), []), asked, p.figure.unit)
            if q.weight >= MAGNITUDE_SHARE * p.weight
            and abs(math.log(q.figure.value) - middle) <= span
        ]
        if near:
            out.append(min(near, key=lambda q: abs(math.log(q.figure.value) - middle)))
        elif not MAGNITUDE_DROP:
            out.append(p)
    return out


def _series_middle(p: TrendPoint, points: list[TrendPoint]) -> float | None:
    """The median log value of the plotted points of ``p``'s council at other meetings, in
    its unit (None: ``p`` not plotted or not positive, or fewer than two others)."""
    if p.flagged or p.figure.value <= 0:
        return None
    council, date = _meeting(p)
    others = sorted(
        math.log(o.figure.value)
        for o in points
        if not o.flagged
        and _meeting(o)[0] == council
        and _meeting(o)[1] != date
        and o.figure.unit == p.figure.unit
        and o.figure.value > 0
    )
    if len(others) < 2:
        return None
    half = len(others) // 2
    return others[half] if len(others) % 2 else (others[half - 1] + others[half]) / 2


def _meeting_points(hits: list[Hit], asked: Asked, unit: str) -> list[TrendPoint]:
    """The points in ``unit`` every sentence (and table row) of ``hits`` gives that is about
    the question, each with its sentence's weight."""
    out = []
    for hit in hits:
        text = hit.passage.text
        heading = _heading(hit)
        spans = [(s.start, s.end) for s in split_sentences(text)]
        for start, end in spans + [(r.start, r.end) for r in rows(text)]:
            stated = _stated(text, start, end, asked)
            if not stated or not _is_about(hit, asked, (start, end)):
                continue
            read = _read(hit, asked, (start, end))
            if read is None or read[0].figure.unit != unit or read[0].figure.value <= 0:
                continue
            point = read[0]
            point.weight = _weight(text, (start, end), stated, asked, heading)
            out.append(point)
    return out


# A plotted point whose sentence names less than this share of what its series' best sentence
# names (the idf weight of the question's key words, ``TrendPoint.weight``) measures another
# quantity worded like the question: "the social worker vacancy rate" beside sentences naming
# "the agency social worker rate" (over the half bar of ``Asked.about``, so a point, but far
# under the sentences that name the measure). Fitted leaving one council out: 0.6 in 15 of
# 15 folds, docs/quality.md "Issue 16, trend precision, stop 32". 0 is off (stop 31's reading).
SERIES_SHARE = 0.6


def below_series(points: list[TrendPoint], share: float | None = None) -> list[TrendPoint]:
    """``points`` less the plotted ones whose sentence names under ``share`` (default
    ``SERIES_SHARE``) of the weight the best-naming plotted point of their council's series
    names; flagged points (not plotted) are kept as they are."""
    share = SERIES_SHARE if share is None else share
    if share <= 0:
        return points
    best: dict[str | None, float] = {}
    for p in points:
        if not p.flagged:
            council = _meeting(p)[0]
            best[council] = max(best.get(council, 0.0), p.weight)
    return [p for p in points if p.flagged or p.weight >= share * best[_meeting(p)[0]]]


def _is_about(hit: Hit, asked: Asked, span: tuple[int, int]) -> bool:
    """Whether the sentence at ``span`` is about the question: read with the words it is
    read with (``trend_context``), or, when it names the measure itself (the key words of
    the question's opening noun phrase, two at least: "yearly saving", "climate fund") and
    its heading and passage up to it name every other key word but a clause's verbs: what
    qualifies the measure ("from buying homes for temporary accommodation") is its item's
    subject, said once before ("80. TEMPORARY ACCOMMODATION: ACQUISITION PROGRAMME" … "The
    report proposed buying 40 homes" … "the net saving was estimated at £620,000 a
    year")."""
    text = hit.passage.text
    if NAMES_WHOLE and _names_partly(asked, text[span[0] : span[1]]):
        return False  # another of its kind: "the post-inspection improvement plan"
    if OTHER_MODIFIER and _modified_otherwise(asked, text[span[0] : span[1]]):
        return False  # another of its kind: "the average IRO caseload" for social workers'
    if asked.about(_context(text, span, True, _heading(hit))):
        return True
    measure = _measure(asked)
    if len(measure) < 2 or not measure <= named(text[span[0] : span[1]], asked.alts):
        return False
    # every other key word is the item's subject, said before it (a clause's verbs aside:
    # "set up to pay for climate action" is said by "… the action plan …")
    rest = set(asked.weights) - measure - _verbs(asked.question)
    return rest <= named(f"{_heading(hit)} {text[: span[1]]}", asked.alts)


# A name the question gives in capitals, of three words or more ("Highway Asset Management
# Improvement Plan", "Public Sector Decarbonisation Scheme"): a sentence naming only some of
# its key words, the last among them, names another of its kind ("the post-inspection
# improvement plan"). Stop 25; off gives stop 24's reading.
NAMES_WHOLE = True
_CAPITALISED_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:for\s+|of\s+|and\s+)?[A-Z][\w'’-]*){2,}")


def _names_partly(asked: Asked, sentence: str) -> bool:
    """Whether ``sentence`` names a long name of the question only in part (its last word
    among what it names: the kind of thing, not the thing)."""
    got = named(sentence, asked.alts)
    for m in _CAPITALISED_NAME.finditer(asked.question):
        keys = [k for w in m.group().split() for k in stems(w) if k in asked.weights]
        if len(keys) >= 3 and keys[-1] in got and not set(keys) <= got:
            return True
    return False


# A noun the question names with a word before it ("Care Act assessment", "social worker
# caseload", "EHC plans"), which a sentence names only with another word before it, a word of
# its own ("EHC needs assessment", "the average IRO caseload", "child protection plans"),
# and without the question's word anywhere: another of its kind. Stop 26; off gives stop
# 25's reading.
OTHER_MODIFIER = True
_TOKEN = re.compile(r"[A-Za-z][\w'’-]*|\S")


def _pairs(question: str) -> set[tuple[str, str]]:
    """(modifier, noun) stems of the question's noun compounds: the last two words of each run
    of words between the words that end a noun phrase ("act", "assessment" of "people
    waiting for a Care Act assessment")."""
    out: set[tuple[str, str]] = set()
    run: list[str] = []
    for tok in [*_TOKEN.findall(question), "."]:
        low = tok.lower()
        if re.fullmatch(r"[a-z][\w'’-]*", low) and not _HEAD_ENDS.fullmatch(low):
            run.append(low)
            continue
        while run and re.search(r"(?:ed|ing)$", run[-1]):
            run.pop()  # a participle after its noun: "people waiting", "EHC plans issued"
        if len(run) >= 2 and not re.search(r"['’]s?$", run[-2]):  # "children's services"
            mod, noun = stems(run[-2]), stems(run[-1])
            if len(mod) == 1 and len(noun) == 1:
                out.add((next(iter(mod)), next(iter(noun))))
        run = []
    return out


def _modified_otherwise(asked: Asked, sentence: str) -> bool:
    """Whether ``sentence`` names a noun of one of the question's compounds only after a noun
    of its own (``_own_modifier``), and the question's word before it nowhere."""
    got = named(sentence, asked.alts)
    tokens = _TOKEN.findall(sentence)
    for mod, noun in _pairs(asked.question):
        if mod in got or mod not in asked.weights or noun not in asked.weights:
            continue
        places = [i for i, t in enumerate(tokens) if noun in stems(t)]
        if places and all(
            i > 0 and _own_modifier(tokens[i - 1], asked, opening=i == 1) for i in places
        ):
            return True
    return False


def _own_modifier(word: str, asked: Asked, opening: bool = False) -> bool:
    """Whether ``word``, before a noun, names a kind of its own: a noun by its form (an
    initialism, "IRO caseload"; a noun's suffix, "child protection plans", "education
    budget"; a plural, "EHC needs assessment"; not an adjective or a verb: "new plans",
    "had taken place"), none of the question's key words."""
    # a name's word ("… Local Stop Smoking Services and Support Grant"), not opening a
    # sentence, nor a function word ("… Officer. The service")
    proper = (
        not opening and bool(_PROPER.fullmatch(word)) and not _HEAD_ENDS.fullmatch(word.lower())
    )
    if not (_INITIALISM.fullmatch(word) or _NOUN_FORM.fullmatch(word) or proper):
        return False
    return not stems(word.lower()) & set(asked.weights)


# An initialism ("IRO", "EHC", "SEND"), and a lower-case word with a noun's suffix.
_INITIALISM = re.compile(r"[A-Z]{2,}s?")
_PROPER = re.compile(r"[A-Z][a-z]{2,}")
# (or a plural before the noun: "EHC needs assessment", "highways budget"; not "-ss",
# "-ous", "-us")
_NOUN_FORM = re.compile(r"[a-z]{2,}(?:ion|ment|ity|ness|ship|ance|ence)s?|[a-z]{3,}[^suo]s")


# A verb's particle: the word before it is a verb ("set up", "carried out", "paid off"), and
# the noun phrase has ended before that.
_PARTICLES = frozenset(["up", "out", "off", "down", "back", "away"])


def _measure(asked: Asked) -> set[str]:
    """The key word stems of the measure a question asks for: its opening noun phrase
    ("yearly saving" of "yearly saving from buying homes for temporary accommodation",
    "climate fund" of "climate fund set up to pay for climate action": a phrasal verb's
    particle ends it before its verb)."""
    words = _noun_phrase(asked.question)
    cut = next((i for i, w in enumerate(words) if w in _PARTICLES), len(words) + 1)
    return {key for w in words[: cut - 1] for key in stems(w) if key in asked.weights}


def _verbs(question: str) -> set[str]:
    """The stems of a question's verbs that a phrasal verb's particle or an infinitive's "to"
    shows ("set" and "pay" of "climate fund set up to pay for climate action")."""
    words = re.findall(r"[A-Za-z][\w'’-]*", question.lower())
    found = {w for w, nxt in pairwise(words) if nxt in _PARTICLES}
    found |= {nxt for w, nxt in pairwise(words) if w == "to"}
    return {key for w in found for key in stems(w)}


def _meeting(point: TrendPoint) -> tuple[str | None, str | None]:
    meta = point.hit.passage.document.meta
    return meta.council, meta.meeting_date


def flag_outliers(
    points: list[TrendPoint], wanted: str | None, keys: Collection[str] = ()
) -> list[TrendPoint]:
    """Flag the points whose unit is not the trend's: the most common (of a question asking
    no unit, the most common of the points whose sentences name most of it); on a tie the
    asked one, else one the question's key words (``keys``, stems) name ("five-year housing
    land supply": "3.6 years" over "a 20% buffer"), else the one whose sentences name most
    of the question."""
    if not points:
        return points
    counts = Counter(p.figure.unit for p in points)
    if wanted is None:
        # a question asking no unit ("early help assessments completed") says what it counts
        # or measures by the sentence naming most of it ("2,340 early help assessments had
        # been completed"), not by how many meetings state a figure in some unit: weak
        # sentences of other meetings ("88% of assessments were completed within 45 working
        # days") would otherwise outvote it; a unit its own words name still comes first
        heaviest = max(p.weight for p in points)
        pool = [p for p in points if stem(p.figure.unit) in keys] or [
            p for p in points if p.weight == heaviest
        ]
        counts = Counter(p.figure.unit for p in pool)
    top = max(counts.values())
    leaders = [u for u, n in counts.items() if n == top]
    named = {u: sum(p.weight for p in points if p.figure.unit == u) for u in leaders}
    said = [u for u in leaders if stem(u) in keys]
    unit = (
        wanted
        if wanted in leaders
        else said[0]
        if len(said) == 1
        else max(leaders, key=lambda u: named[u])
    )
    return [replace(p, flagged=p.figure.unit != unit) for p in points]


def trend_unit(points: list[TrendPoint]) -> str | None:
    """The unit of the plotted points."""
    return next((p.figure.unit for p in points if not p.flagged), None)


def agrees(points: list[TrendPoint]) -> bool:
    """Whether enough points share the trend's unit for a results page to draw it."""
    return sum(not p.flagged for p in points) >= MIN_AGREEING


def worth_drawing(engine: Engine, question: str, filters: Filters) -> list[TrendPoint]:
    """The points a results page draws beside its answer: only for a question that asks for
    a quantity, and only when enough of them agree on a unit (else none)."""
    if asked_unit(question) is None:
        return []
    points = trend(engine, question, filters)
    return points if agrees(points) else []
