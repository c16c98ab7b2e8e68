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
  services overspend related to placements"), in the asked unit, whose own item of a list
  names the question's rarest key word ("… 46% of the … workforce, and that 17% of posts
  were vacant": 17% for the vacancy rate), then most of the question ("Amount spent to
  date on capital £6,436, revenue £4,630 making a total of £11,066": 4,630 for revenue
  spent, 11,066 for the total spent; ``trend_read.labelled``), then whose ``WINDOW`` words
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
- Without a council, each council is its own series, for comparison.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from cqa_core.errors import InvalidQueryError
from cqa_core.text import split_sentences
from index.store import Filters
from qa_service.answers import Hit
from qa_service.retriever import Engine
from qa_service.trend_context import context as _context
from qa_service.trend_context import referred
from qa_service.trend_current import asks_change, change, current
from qa_service.trend_items import around, labelled
from qa_service.trend_noun import other_thing
from qa_service.trend_parts import part, rarest, wholes
from qa_service.trend_phrase import free_words
from qa_service.trend_read import (
    Alternatives,
    Figure,
    alternatives,
    asked_unit,
    counted_periods,
    counts_period,
    in_unit,
    named,
    named_numbers,
    naming,
    other_numbered,
    other_period,
    period_stems,
    periods,
    readable,
    stem,
    stems,
)
from qa_service.trend_read import about as _about
from qa_service.trend_read import figures as figures
from qa_service.trend_table import rows

__all__ = ["Figure", "TrendPoint", "asked_unit", "figures", "flag_outliers", "trend"]

# Passages read per question: enough to reach most meetings that discuss it.
CANDIDATES = 30
# Then each of those meetings' own best passages (a policy, not fitted: a meeting's pack
# rarely holds more than a few passages on one measure).
PER_MEETING = 5
MIN_AGREEING = 3  # points in one unit before a trend is worth drawing
# Words either side of a figure read as what it counts or measures; fitted by
# bench/fit_trend.py with cross-validation across councils (docs/quality.md).
WINDOW = 8

Weights = dict[str, float]


@dataclass
class TrendPoint:
    """One meeting's figure, with the hit (passage and sentence) it was read from."""

    date: str
    figure: Figure
    hit: Hit
    sentence: tuple[int, int]  # offsets of the answering sentence in the passage text
    flagged: bool = False  # in another unit or base than the trend's: not plotted
    weight: float = 0.0  # how much of the question its sentence names (idf weight)


@dataclass
class Asked:
    """What a question asks for, as the sentences are read against it."""

    question: str
    weights: Weights  # key word stem -> idf
    wanted: str | None = None  # the unit asked for, if the question says
    alts: Alternatives = field(default_factory=list)
    period: frozenset[str] = frozenset()  # stems of its period ("within 45 working days")
    names: frozenset[tuple[str, float]] = frozenset()  # numbers it names ("Year 6")
    periods: frozenset[tuple[float, str]] = frozenset()  # its periods: (20, "day")
    counted: frozenset[str] = frozenset()  # kinds of period it counts: "hours of home care"
    # asking no unit, take money too: a timeline's figures of a topic ("temporary
    # accommodation": its costs as well as its households), not a trend of one quantity
    any_unit: bool = False
    change: bool = False  # it asks about a change ("council tax rise"), not only a level
    # its key words said outside its common phrases ("contacts received by children's social
    # care": "contacts", "received"), one of which a sentence about it names (``trend_phrase``)
    free: frozenset[str] = frozenset()

    @classmethod
    def of(cls, question: str, weights: Weights | None = None) -> Asked:
        """The question's key words (weighted, or all alike), asked unit and alternatives."""
        return cls(
            question,
            weights or dict.fromkeys(stems(question), 1.0),
            asked_unit(question),
            alternatives(question),
            period_stems(question),
            named_numbers(question),
            periods(question),
            counted_periods(question),
            change=asks_change(question),
        )

    def named(self, text: str) -> float:
        """The idf weight of the question's key words ``text`` names."""
        got = named(text, self.alts)
        return sum(w for stem, w in self.weights.items() if stem in got)

    def unit_words(self) -> frozenset[str]:
        """The key words that may name a unit ("five-year": years), less those that name
        something with a number ("Year 6": a school year, not a length)."""
        return frozenset(self.weights) - {word for word, _ in self.names}

    def names_unit(self, unit: str) -> bool:
        """Whether the question's own words name ``unit`` ("five-year … supply": years)."""
        return stem(unit) in self.unit_words()

    def about(self, text: str) -> bool:
        """Whether ``text`` names at least half of the question's key words, by weight, and
        of a timeliness question, not only its period ("within five working days"), and
        not only its common phrases ("children's social care", ``trend_phrase``)."""
        got = named(text, self.alts)
        weight = sum(w for s, w in self.weights.items() if s in got)
        beyond = not self.period or any(s in got for s in self.weights if s not in self.period)
        beyond = beyond and (not self.free or bool(got & self.free))
        return beyond and 2 * weight >= sum(self.weights.values())


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
    keys = stems(question)
    total = max(engine.reader.largest, 1)
    counts = engine.store.prefix_frequencies(sorted(keys))
    return {stem: math.log((total + 1) / (counts.get(stem, 0) + 1)) + 1.0 for stem in keys}


def _stated(text: str, start: int, end: int, asked: Asked) -> list[Figure]:
    """The figures of ``text[start:end]`` in the asked unit, less the numbers the question
    names ("Year 6")."""
    if asked.periods and other_period(text[start:end], asked.periods):
        return []  # it times another measure ("within 45 working days" for 20)
    if other_numbered(text[start:end], asked.names):
        return []  # it names another by number ("Key Stage 1" for Key Stage 2)
    found = readable(text, start, end, asked.counted, frozenset(asked.weights))
    if asked.counted:  # "hours of home care": a count of hours, not of young people
        found = [f for f in found if f.unit != "count" or counts_period(text, f, asked.counted)]
    if not found:  # a table row states its current column's cell (``trend_table``)
        found = [r.cell for r in rows(text) if (r.start, r.end) == (start, end) and r.cell]
    found = [f for f in found if not naming(text, f, asked.names)]
    # a figure whose own noun names another thing ("a staffing budget of £612,000" for the
    # children's services overspend, "6,842 incidents" for prosecutions): another measure
    found = [f for f in found if not other_thing(text, f, (start, end), asked)]
    return found if asked.any_unit and asked.wanted is None else in_unit(found, asked.wanted)


def _sentence(hit: Hit, asked: Asked) -> tuple[tuple[int, int], float]:
    """The passage's sentence that states a figure in the asked unit and names most of the
    question's key words, rarest first; of sentences naming as much, the one whose figure's
    own words name most ("The Housing Delivery Test result … was 79%" over "As the result is
    below 85%, a 20% buffer must be added …, and the Council has published a Housing
    Delivery Test Action Plan"), then the engine's highlight; with its weight. The
    highlight with -1 when no sentence states one."""
    text = hit.passage.text
    first = (hit.highlights[0].start, hit.highlights[0].end) if hit.highlights else (0, len(text))
    best = first
    sentences = [(s.start, s.end) for s in split_sentences(text)]
    # a highlight joining sentences ("… received 1,046 contacts. Of these, 318 met the
    # threshold …") is read sentence by sentence: together they would name what neither does
    joined = sum(first[0] <= a and b <= first[1] for a, b in sentences) > 1
    stated = [] if joined else _stated(text, *first, asked)
    heading = _heading(hit)
    score = _weight(text, first, stated, asked, heading) if stated else -1.0
    said = _says_unit(stated, asked)  # a sentence in a unit the question names comes first
    local: float | None = None  # the best's figure's own words, read when a tie needs it
    spans = sentences + [(r.start, r.end) for r in rows(text)]
    for start, end in spans:
        stated = _stated(text, start, end, asked)
        if not asked.change:  # a level asked: the size of a change is no figure of it ("…
            stated = [f for f in stated if not change(text, f)]  # pay for 300 more points")
        if not stated:
            continue
        weight = _weight(text, (start, end), stated, asked, heading)
        says = _says_unit(stated, asked)
        if (says, weight) > (said, score):
            best, score, said, local = (start, end), weight, says, None
        elif (says, weight) == (said, score) and (start, end) != best:
            if local is None:
                local = _local(hit, asked, best)
            mine = _local(hit, asked, (start, end))
            if mine > local:
                best, local = (start, end), mine
    return best, score


def _weight(
    text: str, span: tuple[int, int], stated: list[Figure], asked: Asked, heading: str
) -> float:
    """How much of the question a sentence stating ``stated`` names, read with the words it
    is read with (``trend_context``). A sentence referring back to one that states a figure
    in its unit states a part of that one's ("The service received 1,046 contacts. Of these,
    318 met the threshold for a LADO referral": a count of a count); when the one before's
    own words name more of the question, the whole is asked ("contacts received by the LADO
    service"), and the part weighs only its own words. A part in another unit ("Of these,
    94% were held within statutory timescales" after a count of reviews) is a measure of
    its own, read with the one before."""
    whole = referred(text, span)
    if whole and {f.unit for f in stated} & {f.unit for f in _stated(text, *whole, asked)}:
        own = asked.named(text[span[0] : span[1]])
        if asked.named(text[whole[0] : whole[1]]) > own:
            return own
    return asked.named(_context(text, span, heading=heading))


def _heading(hit: Hit) -> str:
    """The passage's own heading (a table row's subject when its caption is elsewhere)."""
    return hit.passage.heading_path[-1] if hit.passage.heading_path else ""


def _says_unit(found: list[Figure], asked: Asked) -> bool:
    """Whether a figure of ``found`` is in a unit the question's own words name ("five-year
    housing land supply": "a supply of 3.8 years")."""
    return any(asked.names_unit(f.unit) for f in found)


def _local(hit: Hit, asked: Asked, span: tuple[int, int]) -> float:
    """The weight the own words of the figure a sentence gives name (-1: it gives none)."""
    read = _read(hit, asked, span)
    return read[1] if read else -1.0


def _nearest(text: str, found: list[Figure], weights: Weights, start: int, end: int) -> Figure:
    """The figure closest to the rarest of the question's key words in the sentence."""
    places = [
        (weights[key], m.start())
        for m in re.finditer(r"[A-Za-z]{3,}", text[:end])
        if m.start() >= start and (key := stem(m.group())) in weights
    ]
    if not places:
        return found[0]
    top = max(w for w, _ in places)
    anchors = [p for w, p in places if w == top]
    return min(found, key=lambda f: min(abs(f.start - p) for p in anchors))


def _choose(
    text: str, found: list[Figure], asked: Asked, span: tuple[int, int], window: int
) -> tuple[Figure, float]:
    """The figure in a unit the question names, then whose own item names the question's
    rarest key word, then whose item and own words (``window`` either side) name most of
    it, the one nearest its rarest key word on a tie; with its window's weight."""
    counts = readable(text, *span, asked.counted, frozenset(asked.weights))
    listed = [f for f in counts if not naming(text, f, asked.names)]
    # a figure in a unit the question's own words name comes first ("five-year housing land
    # supply": "… which reduced the Council's supply from 5.3 years to 4.6 years" over "a
    # 20% buffer had to be added to the five-year housing land supply calculation")
    # then one whose own item names the question's rarest key word ("… 46% of the children's
    # social care workforce, and that 17% of posts were vacant": 17% for the social worker
    # vacancy rate, though "social workers" names more of it by weight)
    keys = rarest(asked)
    local = {}
    for f in found:
        own = labelled(text, f, listed, *span)
        local[f] = (
            asked.names_unit(f.unit),
            bool(keys & named(own, asked.alts)),
            asked.named(own),
            asked.named(around(text, f, *span, window)),
        )
    top = max(local.values())
    return _nearest(text, [f for f in found if local[f] == top], asked.weights, *span), top[3]


def _read(
    hit: Hit, asked: Asked, span: tuple[int, int], window: int = WINDOW
) -> tuple[TrendPoint, float] | None:
    """The point a sentence gives, with the weight its figure's own words name: its current
    figure in the asked unit that names most (None: no date, or no such figure)."""
    date = hit.passage.document.meta.meeting_date
    text = hit.passage.text
    found = current(text, _stated(text, *span, asked))
    # an amount "of the" question's quantity is a part of it ("£8.3 million of the children's
    # services overspend related to placements"), not the whole
    found = [f for f in found if not part(text, f, asked)]
    if not asked.change:  # a level asked for: the size of a change is not it ("Band D
        found = [f for f in found if not change(text, f)]  # council tax … an increase of £97")
    found = wholes(text, found, asked, span)
    if not date or not found:
        return None
    figure, local = _choose(text, found, asked, span, window)
    return TrendPoint(date, figure, hit, span), local


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
    return select(hits, asked)


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
    hits = [h for h in answer.hits if h.confidence >= threshold]
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
                hits.append(hit)
    return hits, asked


def select(hits: list[Hit], asked: Asked, window: int = WINDOW) -> list[TrendPoint]:
    """Each meeting's point among ``hits`` (best first, those that answer): the sentence
    naming most of the question, then the figure whose own words name most, then rank; a
    meeting whose best is in another unit than the trend's (an agenda's minute number read
    as a count) gives its best in the trend's unit, when one of its sentences states one."""
    Key = tuple[str | None, str | None, str]  # council, meeting date, unit
    best: dict[Key, tuple[tuple[float, float, int], TrendPoint]] = {}
    for rank, hit in enumerate(hits):
        span, weight = _sentence(hit, asked)
        if weight < 0 or not asked.about(_context(hit.passage.text, span, True, _heading(hit))):
            continue  # no figure of the asked kind, or it measures something else
        read = _read(hit, asked, span, window)
        if read is None:
            continue
        point, local = read
        point.weight = weight
        key = (*_meeting(point), point.figure.unit)
        score = (weight, local, -rank)
        if key not in best or score > best[key][0]:
            best[key] = (score, point)
    # a meeting's point: in a unit the question's own words name, if it gives one ("five-year
    # housing land supply": "… from 5.3 years to 4.6 years" over "30% affordable housing")
    Ranked = tuple[bool, tuple[float, float, int]]
    meetings: dict[tuple[str | None, str | None], tuple[Ranked, TrendPoint]] = {}
    for score, point in best.values():
        ranked = (asked.names_unit(point.figure.unit), score)
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
