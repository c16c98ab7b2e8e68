"""Choosing a meeting's sentence and reading its point, for a trend (``qa_service.trend``).

Of a passage's sentences (and table rows), the one that states a figure in the asked unit
and names most of the question's key words, by idf weight, read with the words it is read
with (``qa_service.trend_context``); then, in that sentence, the current figure whose own
words name most of the question. ``Asked`` holds what a question asks for as the sentences
are read against it, ``TrendPoint`` the figure read, with its hit and sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from cqa_core.text import split_sentences
from qa_service import trend_current, trend_read
from qa_service.answers import Hit
from qa_service.trend_context import context as _context
from qa_service.trend_context import referred
from qa_service.trend_current import AIM_HEADS, aimed, asks_change, change, current
from qa_service.trend_head import _noun_phrase, counted_head, measure_head, plural_head
from qa_service.trend_items import around, labelled
from qa_service.trend_noun import counts_asked, counts_head, linked_counts, other_thing
from qa_service.trend_parts import fronted, part, rarest, totals, wholes
from qa_service.trend_read import (
    TIME,
    Figure,
    asked_unit,
    counted_periods,
    counts_period,
    in_unit,
    named_numbers,
    naming,
    other_numbered,
    other_period,
    period_stems,
    periods,
    readable,
)
from qa_service.trend_table import Row, rows
from qa_service.trend_words import Alternatives, alternatives, named, stem, stems

# A measure whose head is money itself ("money for tackling damp and mould") asks an amount
# (``trend_read.asked_unit``, with its ``MONEY_BY_NAME``), and its head is then no key word a
# sentence must name; a question asking no unit keeps it. Stop 25; off gives stop 24's
# reading.
MONEY_IS_THE_UNIT = True
_MONEY_ITSELF = frozenset(["money", "monies"])

# Of a question asking no unit, whose sentence states only counts, the count of its
# measure's plural noun first (``trend_head.plural_head``). Stop 25; off gives stop 24's
# reading.
UNIT_LESS_COUNTED = True

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
    # it asks a target ("target for recruiting new fostering households"): what a sentence aims
    # at is its figure (``trend_current.TARGET_ASKED``)
    aims: bool = False
    # the share of the key words' weight a sentence about it names (``about``); lower only
    # for a question nothing was read for at the half bar (``trend.EMPTY_SHARE``)
    share: float = 0.5

    @classmethod
    def of(cls, question: str, weights: Weights | None = None) -> Asked:
        """The question's key words (weighted, or all alike), asked unit and alternatives."""
        weights = weights or dict.fromkeys(stems(question), 1.0)
        if (
            MONEY_IS_THE_UNIT
            and measure_head(question) in _MONEY_ITSELF
            and asked_unit(question) == "£"
        ):
            # "money for tackling damp and mould": an amount stated names it ("£1.1 million"),
            # a sentence need not say the word
            weights = {k: w for k, w in weights.items() if k not in stems("money monies")}
        return cls(
            question,
            weights,
            asked_unit(question),
            alternatives(question),
            period_stems(question),
            named_numbers(question),
            periods(question),
            counted_periods(question),
            change=asks_change(question),
            aims=trend_current.TARGET_ASKED and measure_head(question) in AIM_HEADS,
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

    def names_base(self, text: str, f: Figure) -> bool:
        """Whether ``f`` is stated on the base the question asks it per ("nightly charge per
        metre for visiting boats": "£2.90 per metre per night", not "£3,250 a year" for a
        10-metre boat), with ``trend_read.PER_BASE``."""
        if not trend_read.PER_BASE:
            return False
        bases = _bases(self.question)
        if not bases:
            return False
        m = _STATED_PER.match(text, f.end)
        return m is not None and bool(stems(m.group("base")) & bases)

    def about(self, text: str) -> bool:
        """Whether ``text`` names at least half of the question's key words, by weight, less
        the condition it is measured under ("before savings"), and of a timeliness question,
        not only its period ("within five working days"), and not only its common phrases
        ("children's social care", ``trend_phrase``)."""
        got = named(text, self.alts)
        # the condition a measure is taken under ("budget gap before savings") says when, not
        # what: "Of the savings of £14.5 million included in the 2023/24 budget" names half
        # the words, none of the measure's but "budget"
        # (with ``VERBS_FREE``, one opened by a verb is an event, not a condition: "costs the
        # council had to pay after losing a planning appeal": the appeal is what it is about)
        event = VERBS_FREE and bool(_EVENT.search(self.question))
        conditions = frozenset() if event else condition_stems(self.question)
        weights = {s: w for s, w in self.weights.items() if s not in conditions}
        verbs = verb_stems(self.question) if VERBS_FREE else frozenset()
        if len(set(weights) - verbs) >= 2:  # what is done is said in many words: "the maximum
            weights = {s: w for s, w in weights.items() if s not in verbs}  # capacity", "hold"
        weight = sum(w for s, w in weights.items() if s in got)
        beyond = not self.period or any(s in got for s in weights if s not in self.period)
        beyond = beyond and (not self.free or bool(got & self.free))
        return beyond and weight >= self.share * sum(weights.values())


# A figure stated on the base the question asks it per ("nightly charge per metre": "£2.90
# per metre per night") comes first, as one in a unit the question names does: of a
# passage's sentences, of a sentence's figures and of a meeting's points (with
# ``trend_read.PER_BASE``, stop 27, which also reads such a charge as an amount asked).
_ASKED_PER = re.compile(r"\bper\s+(?:(?:full|part)-time\s+)?(?P<base>[a-z][a-z-]+)", re.I)
_STATED_PER = re.compile(
    r"\s*(?:[a-z]+\s+){0,2}?(?:per|a|an|each|for\s+each)\s+(?:(?:full|part)-time\s+)?"
    r"(?P<base>[a-z][a-z-]+)\b",
    re.I,
)


@lru_cache(maxsize=256)
def _bases(question: str) -> frozenset[str]:
    """The stems of the bases a question asks its measure per ("metre" of "nightly charge per
    metre for visiting boats"), less numbers' ("per 10,000" is a rate's own unit)."""
    return frozenset(k for m in _ASKED_PER.finditer(question) for k in stems(m.group("base")))


# What a question says is done, by a verb (after a modal or "had to": "venue can hold",
# "council had to pay"; a participle after an auxiliary: "posts that have been filled"; a
# gerund with its object after "after", "before" or "without": "after losing a planning
# appeal"), a paper says in its own words ("overturned on appeal", "the maximum capacity"):
# whether a sentence is about the question is read on its other key words, two at least; and
# a "condition" such a gerund opens is an event whose words are asked (``Asked.about``). Not a
# gerund after "of" or "by" ("share of missing episodes", "number of gritting vehicles",
# "costs avoided by opening the council's own children's homes": modifiers and means). Stop
# 27; off gives stop 26's reading (every key word counted).
VERBS_FREE = True
_PARTICIPLE = r"[a-z]{3,}(?:ed|en)|paid|held|kept|lost|sold|spent|cut|set|made|put"
_VERB = re.compile(
    r"\b(?:can|could|will|would|may|might|must|should|shall|(?:had|has|have|need|needs)\s+to)"
    rf"\s+(?:not\s+)?(?:(?:be|been)\s+(?P<passive>{_PARTICIPLE})\b|(?P<modal>[a-z]{{3,}})\b"
    r"(?<!\bbe)(?<!\bbeen))"
    r"|\b(?:is|are|was|were|has|have|had)\s+(?:not\s+)?(?:been\s+)?"
    rf"(?P<aux>{_PARTICIPLE})\b"
    r"|\b(?:after|before|without)\s+(?P<gerund>[a-z]{3,}ing)"
    r"(?=\s+(?:a|an|the|its|their|his|her|our)\b)"
)


# A condition opened by a verb's "-ing": an event, not what a measure is taken before or after.
_EVENT = re.compile(r"\b(?:before|after)\s+[a-z]{3,}ing\s+(?:a|an|the|its|their)\b[^,;]*$", re.I)


@lru_cache(maxsize=256)
def verb_stems(question: str) -> frozenset[str]:
    """The stems of the verbs a question says something is done by ("hold" of "how many
    people the … venue can hold", "losing" of "costs the council had to pay after losing a
    planning appeal"); its measure's own words are never among them."""
    found = {w for m in _VERB.finditer(question) for w in m.groups() if w}
    measure = set(stems(" ".join(_noun_phrase(question))))
    return frozenset(k for w in found for k in stems(w)) - measure


# A table's rows read within a longer span (no sentence end between them) state their cells
# in the unit their header gives ("(£ million)", "£m"), as each row read alone does. Stop 27;
# off gives stop 26's reading (the cells read as bare counts).
ROW_AMOUNTS = True

# The condition a question's measure is taken under, at its end: "budget gap before savings",
# "net revenue budget after reserves", "spending excluding schools".
_CONDITION = re.compile(r"\b(?:before|after|excluding|net\s+of)\s+(?P<words>[^,;]+)$", re.I)


@lru_cache(maxsize=256)
def condition_stems(question: str) -> frozenset[str]:
    """The stems of the condition a question's measure is taken under ("savings" of "budget
    gap before savings"); none when its last words name none."""
    m = _CONDITION.search(question)
    return frozenset(stems(m.group("words"))) if m else frozenset()


def _stated(text: str, start: int, end: int, asked: Asked) -> list[Figure]:
    """The figures of ``text[start:end]`` in the asked unit, less the numbers the question
    names ("Year 6")."""
    if asked.periods and other_period(text[start:end], asked.periods):
        return []  # it times another measure ("within 45 working days" for 20)
    if other_numbered(text[start:end], asked.names):
        return []  # it names another by number ("Key Stage 1" for Key Stage 2)
    found = readable(
        text, start, end, asked.counted, frozenset(asked.weights), asked.wanted == TIME
    )
    if asked.counted:  # "hours of home care": a count of hours, not of young people
        found = [f for f in found if f.unit != "count" or counts_period(text, f, asked.counted)]
    row = next((r for r in rows(text) if (r.start, r.end) == (start, end)), None)
    if row is not None and row.labelled:  # amounts whose unit only the header gives
        if row.part and _in_total(text, row, asked):
            return []  # the table's total states it ("Source £ million" … "Total 26.9")
        found = [f for f in [_column(row, asked)] if f is not None]
    elif not found or (CELL_FIRST and row is not None and row.cell):
        # a table row states its current column's cell (``trend_table``): of "Garden waste
        # collection (per bin per year) £42.00 £45.00 7.1%" under "Service 2023/24 2024/25
        # Change", the £45.00 (``CELL_FIRST``; off, its other cells too when they read)
        found = [row.cell] if row is not None and row.cell else []
    elif row is None and ROWS_OWN_CELLS:
        # a span running through two or more rows of a table read at its columns states
        # none of their figures: each row states its own, with its name and column
        inside = [r for r in rows(text) if start <= r.start and r.end <= end]
        if len(inside) >= 2:
            found = [f for f in found if not any(r.start <= f.start < r.end for r in inside)]
    elif row is None and ROW_AMOUNTS and asked.wanted != "£":
        # a span over a table's rows (a "sentence" running through them): a cell of a row
        # its header gives in money ("Table 1: … (£ million) / Item £m / Temporary
        # accommodation 2.2") is an amount, no count or share a question asks (of money
        # asked, the amounts the span states are read as before)
        cells = {
            g.start: g
            for r in rows(text)
            if r.labelled and start <= r.start and r.end <= end
            for _, g in r.labelled
            if g is not None
        }
        found = [cells.get(f.start, f) for f in found]
    found = [f for f in found if not naming(text, f, asked.names)]
    # a figure whose own noun names another thing ("a staffing budget of £612,000" for the
    # children's services overspend, "6,842 incidents" for prosecutions): another measure
    found = [f for f in found if not other_thing(text, f, (start, end), asked)]
    return found if asked.any_unit and asked.wanted is None else in_unit(found, asked.wanted)


# A table row read at its header's current column states that cell alone.
CELL_FIRST = True
# A "sentence" running through a table's rows states none of their cells (off: it states them,
# so the whole table competes with its rows, naming every row's words at once).
ROWS_OWN_CELLS = True
# Of a table's cells in several units, the asked unit's only (off: the column whose label
# names most of the question, whatever its unit).
UNIT_COLUMNS = True


def _column(row: Row, asked: Asked) -> Figure | None:
    """A row's cell in its one column of amounts, or of several ("Budget £m Forecast £m
    Variance £m"), in the one whose label names most of the question (None: none names it).
    Of a table whose columns differ in unit ("Number of children Percentage"), the cells in
    the asked unit only are chosen among, and one alone is the row's (``UNIT_COLUMNS``)."""
    labelled = row.labelled
    if UNIT_COLUMNS and not (asked.any_unit and asked.wanted is None):
        kept = {f.start for f in in_unit([f for _, f in labelled if f], asked.wanted)}
        labelled = tuple((label, f) for label, f in labelled if f and f.start in kept)
        if not labelled:
            return None
    if len(labelled) == 1:
        return labelled[0][1]
    weight, cell = max(((asked.named(label), i) for i, (label, _) in enumerate(labelled)))
    return labelled[cell][1] if weight > 0 else None


def _in_total(text: str, row: Row, asked: Asked) -> bool:
    """Whether a row above its table's total is a part of what the question asks about: its
    name names none of the question's key words its table's caption does not ("Highways
    Maintenance Block - needs element (DfT) 14.2" under "Table 2: Highway maintenance capital
    budget 2022/23", for the highway maintenance budget); then the total is its figure."""
    if not row.title or 2 * asked.named(row.title) < sum(asked.weights.values()):
        return False
    cells = [f for _, f in row.labelled if f is not None]
    name = text[row.start : cells[0].start] if cells else text[row.start : row.end]
    left = set(asked.weights) - (named(row.title, asked.alts) & set(asked.weights))
    return not named(name, asked.alts) & left


def _sentence(hit: Hit, asked: Asked) -> tuple[tuple[int, int], float]:
    """The passage's sentence that states a figure in the asked unit and names most of the
    question's key words, rarest first; of sentences naming as much, the one whose figure's
    own words name most ("The Housing Delivery Test result … was 79%" over "As the result is
    below 85%, a 20% buffer must be added …, and the Council has published a Housing
    Delivery Test Action Plan"), then the engine's highlight (its core answer, ``Hit.core``:
    the display's wider neighbour is not read); with its weight. The highlight with -1 when
    no sentence states one."""
    text = hit.passage.text
    first = (hit.core[0].start, hit.core[0].end) if hit.core else (0, len(text))
    best = first
    sentences = [(s.start, s.end) for s in split_sentences(text)]
    # a highlight joining sentences ("… received 1,046 contacts. Of these, 318 met the
    # threshold …") is read sentence by sentence: together they would name what neither does
    joined = sum(first[0] <= a and b <= first[1] for a, b in sentences) > 1
    stated = [] if joined else _stated(text, *first, asked)
    heading = _heading(hit)
    score = _weight(text, first, stated, asked, heading) if stated else -1.0
    said = _says_unit(stated, asked, text)  # one in a unit the question names comes first
    local: float | None = None  # the best's figure's own words, read when a tie needs it
    spans = sentences + [(r.start, r.end) for r in rows(text)]
    for start, end in spans:
        stated = _stated(text, start, end, asked)
        if not asked.change:  # a level asked: the size of a change is no figure of it ("…
            stated = [f for f in stated if not change(text, f)]  # pay for 300 more points")
        if not stated:
            continue
        weight = _weight(text, (start, end), stated, asked, heading)
        says = _says_unit(stated, asked, text)
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


def _says_unit(found: list[Figure], asked: Asked, text: str = "") -> tuple[bool, bool]:
    """Whether a figure of ``found`` is aimed at, of a question asking a target
    (``trend_current.TARGET_ASKED``: "Approve 30 new fostering households" under "Our
    targets" over "6 households recruited so far"), then whether one is in a unit the
    question's own words name ("five-year housing land supply": "a supply of 3.8 years")."""
    aims = asked.aims and text != "" and any(aimed(text, f) for f in found)
    return aims, any(asked.names_unit(f.unit) or asked.names_base(text, f) for f in found)


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
    """The figure in a unit the question names, then (of a question asking "number of") the
    count whose own noun is what it counts, then whose own item names the question's
    rarest key word, then whose item and own words (``window`` either side) name most of
    it, the one nearest its rarest key word on a tie; with its window's weight."""
    counts = readable(text, *span, asked.counted, frozenset(asked.weights), asked.wanted == TIME)
    listed = [f for f in counts if not naming(text, f, asked.names)]
    # a figure in a unit the question's own words name comes first ("five-year housing land
    # supply": "… which reduced the Council's supply from 5.3 years to 4.6 years" over "a
    # 20% buffer had to be added to the five-year housing land supply calculation")
    # then one whose own item names the question's rarest key word ("… 46% of the children's
    # social care workforce, and that 17% of posts were vacant": 17% for the social worker
    # vacancy rate, though "social workers" names more of it by weight)
    keys = rarest(asked)
    # then, of two counts linked by a participle, the one whose own noun is what the
    # question counts ("1,214 missing episodes involving 388 children": 1,214 for missing
    # episodes, 388 for the children who went missing, though the words before 388 name
    # the episodes)
    linked = linked_counts(text, found)
    # then, of a question asking "number of" or "how many", the count whose own noun is
    # what it counts ("1,214 licensed vehicles" over "1,388 private hire drivers")
    head = counted_head(asked.question) if asked.wanted == "count" else ""
    if UNIT_LESS_COUNTED and asked.wanted is None and all(f.unit == "count" for f in found):
        # a question asking no unit, of counts only: the count of what its measure's plural
        # noun names ("178 participating employers and 92,640 members, of whom … 27,580 were
        # pensioners" for employers participating in the pension fund)
        head = plural_head(asked.question)
        heads = _counting(text, found, head, span[0])
    else:
        heads = {f for f in found if counts_head(text, f, head)}
    if ELIDED_COUNTS and heads:
        heads |= _elided(text, found, heads, listed)
    # a cell of a row whose columns the header labels: its own words are its table's caption
    # and header and its column's label ("Waiting over 6 months"), not the row's date
    row = next((r for r in rows(text) if (r.start, r.end) == span), None)
    column = {g.start: f"{row.title} {label}" for label, g in row.labelled if g} if row else {}
    local = {}
    for f in found:
        own = column.get(f.start) or labelled(text, f, listed, *span)
        local[f] = (
            asked.names_unit(f.unit) or asked.names_base(text, f),
            counts_asked(text, f, asked) if f in linked else 0,
            f in heads,
            bool(keys & named(own, asked.alts)),
            asked.named(own),
            not (PART_FIRST and _whole_of_part(text, f, listed, asked, span[1])),
            asked.named(column.get(f.start) or around(text, f, *span, window)),
        )
    top = max(local.values())
    return _nearest(text, [f for f in found if local[f] == top], asked.weights, *span), top[-1]


# Of a part and its whole a count states ("seven of the nine quality statements scored 3"),
# the part is what the sentence says something of: when what it says (the words after the
# whole's noun, to the clause's end) names a key word of the question, the part comes before
# the whole ("Two of the five recommendations concerned the matters in this report" says
# nothing asked: the five stays as read). Stop 31; off gives stop 30's reading (the one
# nearest the question's rarest key word).
PART_FIRST = True
_OF_A_WHOLE = re.compile(r"\s+of\s+(?:the|these|those|its|their)\s+$", re.I)
_SAID_END = re.compile(r"[,;:.](?!\d)")
_SAID = re.compile(r"\b(?:were|was|are|is|had|have|has|[a-z]{3,}ed)\b", re.I)


def _whole_of_part(text: str, f: Figure, listed: list[Figure], asked: Asked, end: int) -> bool:
    """Whether count ``f`` is the whole of a count of ``listed`` right before it ("the nine"
    of "seven of the nine quality statements scored 3") of which the sentence says something
    the question asks ("scored 3"), beyond the whole's noun."""
    if f.unit != "count" or not any(
        g.unit == "count" and g.end <= f.start and _OF_A_WHOLE.fullmatch(text, g.end, f.start)
        for g in listed
    ):
        return False
    stop = _SAID_END.search(text, f.end, end)
    clause = stop.start() if stop else end
    # what is said of it opens at its verb ("34 of the 42 children in residential care were
    # in external homes", "seven of the nine quality statements scored 3")
    verb = _SAID.search(text, f.end, clause)
    if verb is None:
        return False
    noun = named(text[f.end : verb.start()], asked.alts)
    return bool(named(text[verb.start() : clause], asked.alts) & (set(asked.weights) - noun))


# A count with no noun of its own, its verb right after it ("31 people were dismissed …, and
# 22 were referred to the Disclosure and Barring Service", "92,640 members, of whom 31,210
# were active contributors, 33,850 had deferred benefits"), counts what the count before it
# in its sentence counts: the noun is elided, not another. Stop 31; off gives stop 30's
# reading (such a count counted nothing the question asks).
ELIDED_COUNTS = True
_BARE_COUNT = re.compile(
    r"\s+(?:were|was|are|is|had|have|has|would|will|could|did|do|does)\b", re.I
)


def _elided(
    text: str, found: list[Figure], heads: set[Figure], listed: list[Figure]
) -> set[Figure]:
    """The counts of ``found`` with no noun of their own (``_BARE_COUNT`` right after them)
    whose nearest count before them in the sentence (of ``listed``, its figures) is one of
    ``heads`` (or such a count)."""
    counts = sorted((g for g in listed if g.unit == "count"), key=lambda g: g.start)
    got = {g.start for g in heads}
    for before, g in pairwise(counts):
        if before.start in got and _BARE_COUNT.match(text, g.end):
            got.add(g.start)
    return {f for f in found if f.start in got and f not in heads}


# A part of a count before it: "214 households …, of whom 61 were in bed and breakfast",
# "32 actions, of which 21 were complete"; or after a whole opening its sentence: "Of the
# Council's 312 vehicles, 64 are fully electric".
_PART_OF = re.compile(r"[^.;]*?\bof\s+(?:whom|which|these|them|those)\b", re.I)
_OF_THE_WHOLE = re.compile(r"\bof\s+the\b[^,;]*$", re.I)
_THEN = re.compile(r"[^,;\d]*,\s*$")


def _counting(text: str, found: list[Figure], head: str, start: int) -> set[Figure]:
    """The counts of ``found`` whose own noun names ``head`` (``counts_head``), and the parts
    of them the sentence states after them, which count the same noun."""
    heads = {f for f in found if counts_head(text, f, head)}
    for f in sorted(found, key=lambda g: g.start):
        if f not in heads and any(
            g.start < f.start
            and not any(g.end <= h.start < f.start for h in found)  # the nearest before
            and (
                _PART_OF.match(text, g.end, f.start)
                or (
                    _OF_THE_WHOLE.search(text, start, g.start)
                    and _THEN.fullmatch(text, g.end, f.start)
                )
            )
            for g in heads
        ):
            heads.add(f)
    return heads


def _read(
    hit: Hit, asked: Asked, span: tuple[int, int], window: int = WINDOW
) -> tuple[TrendPoint, float] | None:
    """The point a sentence gives, with the weight its figure's own words name: its current
    figure in the asked unit that names most (None: no date, or no such figure)."""
    date = hit.passage.document.meta.meeting_date
    text = hit.passage.text
    found = current(text, _stated(text, *span, asked), asked.aims)
    # an amount "of the" question's quantity is a part of it ("£8.3 million of the children's
    # services overspend related to placements"), not the whole
    found = [f for f in found if not part(text, f, asked)]
    found = fronted(text, found, asked, span)  # "Of the savings of £14.5 million …, £10.9 …"
    if not asked.change:  # a level asked for: the size of a change is not it ("Band D
        found = [f for f in found if not change(text, f)]  # council tax … an increase of £97")
    found = totals(text, wholes(text, found, asked, span), asked)
    if not date or not found:
        return None
    figure, local = _choose(text, found, asked, span, window)
    return TrendPoint(date, figure, hit, span), local
