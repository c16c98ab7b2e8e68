"""Figures over time: a cited trend for a question that asks for a quantity.

For "agency social worker rate" or "children in care", each meeting's best answering
sentence is taken (the engine's highlight of its best passage at that meeting), and the
figure it states is read from it: a percentage, a count or an amount of money, with its
offsets in the passage. Everything stays extractive: values, units and dates come from the
text and the paper's metadata, never computed.

- A meeting whose best passage does not answer with confidence (the calibrated threshold
  of ``/api/ask``), or whose sentence names fewer than half of the question's key words,
  gives no point: its sentence measures something else.
- In a sentence, the figure is the first one in the trend's unit that is not a compared
  value ("fallen from 41% to 29%": 29%; "57%, compared with 49% in 2022": 57%); a number of
  days or weeks is a period, not a count.
- In a sentence stating several figures, the one read is in the question's own kind of
  quantity ("how many", "rate", "cost") when it says, and nearest to the question's key
  words ("… 21% of the workforce, and the average caseload was 18 children": 18 for
  caseload, 21% for agency staff). The trend's unit is the one most points state; a point
  in another unit or on another base ("per 10,000 children" against "%") is kept but
  flagged, and not plotted.
- Without a council, each council is its own series, for comparison.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace

from cqa_core.errors import InvalidQueryError
from cqa_core.text import split_sentences
from index.store import Filters
from qa_service.retriever import Engine, Hit

# Passages read per question: enough to reach most meetings that discuss it.
CANDIDATES = 30
MIN_AGREEING = 3  # points in one unit before a trend is worth drawing

_FIGURE = re.compile(
    r"(?P<money>£\s?(?P<mval>\d[\d,]*(?:\.\d+)?)\s?(?P<mult>million|billion|bn|m|k)?\b)"
    r"|(?P<pct>(?P<pval>\d+(?:\.\d+)?)\s?(?:%|per\s?cent\b))"
    r"|(?P<rate>(?P<rval>\d+(?:\.\d+)?)\s+per\s+(?P<base>1,000|10,000|100,000)\b)"
    r"|(?P<count>(?<![\d.,/£-])(?P<cval>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?![\d,/%]|\.\d|\s?per\b|\s?(?:am|pm)\b))"  # "17.4 children" is a count; "10.00 am" not
)
_MULT = {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "k": 1e3}
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE_NUMBER = re.compile(rf"^\s+(?:{_MONTHS})\b")
# A number of days or weeks is a period, not a count ("within 20 weeks").
_PERIOD = re.compile(r"^[\s-]*(?:working\s+)?(?:days?|weeks?|months?|years?|hours?)\b", re.I)
# An earlier or other value the sentence compares with: "from 41% to 29%", "compared with 38%".
_COMPARED = re.compile(
    r"(?:\bfrom|compared\s+with|against|than|target\s+of|up\s+from|down\s+from)\s+$", re.I
)
_WORD = re.compile(r"[A-Za-z]{3,}")
_NOT_KEY = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "how",
        "many",
        "what",
        "was",
        "were",
        "are",
        "is",
        "has",
        "had",
        "have",
        "been",
        "per",
        "cent",
        "number",
        "numbers",
        "rate",
        "rates",
        "percentage",
        "proportion",
        "share",
        "cost",
        "costs",
        "which",
        "who",
        "when",
        "where",
        "does",
        "did",
    ]
)
_ASKS_COUNT = re.compile(r"\b(?:how many|number of|numbers)\b", re.IGNORECASE)
_ASKS_MONEY = re.compile(r"£|\b(?:cost|costs|spend|spent|budget|overspend|fee|fees|price)\b", re.I)
_ASKS_SHARE = re.compile(
    r"%|\b(?:rate|percentage|proportion|per ?cent|share)\b"
    r"|\bwithin\s+\d+\s+(?:working\s+)?(?:days|weeks|months)\b",  # timeliness is a share
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Figure:
    """A number stated in a sentence: its value, unit and offsets in the passage text."""

    value: float
    unit: str  # "%", "£", "count" or "per 10,000" (etc.)
    start: int
    end: int


@dataclass
class TrendPoint:
    """One meeting's figure, with the hit (passage and sentence) it was read from."""

    date: str
    figure: Figure
    hit: Hit
    sentence: tuple[int, int]  # offsets of the answering sentence in the passage text
    flagged: bool = False  # in another unit or base than the trend's: not plotted


def figures(text: str, start: int = 0, end: int | None = None) -> list[Figure]:
    """The figures stated in ``text[start:end]`` (years and dates are not counts)."""
    out = []
    for m in _FIGURE.finditer(text, start, len(text) if end is None else end):
        if m.group("money"):
            value = float(m.group("mval").replace(",", ""))
            value *= _MULT.get((m.group("mult") or "").lower(), 1.0)
            out.append(Figure(value, "£", m.start(), m.end()))
        elif m.group("pct"):
            out.append(Figure(float(m.group("pval")), "%", m.start(), m.end()))
        elif m.group("rate"):
            unit = f"per {m.group('base')}"
            out.append(Figure(float(m.group("rval")), unit, m.start(), m.end()))
        else:
            raw = m.group("cval")
            after = text[m.end() : m.end() + 16]
            line_start = text.rfind("\n", 0, m.start()) + 1
            numbering = "." in raw and not text[line_start : m.start()].strip()  # "8.2 The ..."
            if numbering or _YEAR.match(raw) or _DATE_NUMBER.match(after) or _PERIOD.match(after):
                continue
            out.append(Figure(float(raw.replace(",", "")), "count", m.start(), m.end()))
    return out


def _compared(text: str, f: Figure) -> bool:
    return bool(_COMPARED.search(text[max(0, f.start - 20) : f.start]))


def _stems(text: str) -> set[str]:
    return {w.lower()[:5] for w in _WORD.findall(text)} - {w[:5] for w in _NOT_KEY}


def about(question: str, sentence: str) -> bool:
    """Whether a sentence names at least half of the question's key words (by their stems)."""
    keys = _stems(question)
    return not keys or 2 * len(keys & _stems(sentence)) >= len(keys)


def asked_unit(question: str) -> str | None:
    """The kind of quantity a question asks for, when its words say so."""
    if _ASKS_MONEY.search(question):
        return "£"
    if _ASKS_SHARE.search(question):
        return "%"
    if _ASKS_COUNT.search(question):
        return "count"
    return None


Weights = dict[str, float]


def question_weights(engine: Engine, question: str) -> Weights:
    """Each key word stem of the question, weighted by how rare it is in the index (idf):
    in "average social worker caseload", "caseload" says more than "social"."""
    vocabulary = engine.store.vocabulary()
    total = max(vocabulary.values(), default=1)
    out = {}
    for stem in _stems(question):
        df = max((n for w, n in vocabulary.items() if w.startswith(stem)), default=0)
        out[stem] = math.log((total + 1) / (df + 1)) + 1.0
    return out


def _named(weights: Weights, text: str) -> float:
    return sum(weights.get(stem, 0.0) for stem in _stems(text))


def _sentence(hit: Hit, question: str, weights: Weights | None = None) -> tuple[int, int]:
    """The passage's sentence that states a figure and names most of the question's key
    words, rarest first (the engine's highlight on a tie, or when no sentence states one)."""
    weights = weights or dict.fromkeys(_stems(question), 1.0)
    text = hit.passage.text
    first = (hit.highlights[0].start, hit.highlights[0].end) if hit.highlights else (0, len(text))
    best = first
    score = _named(weights, text[first[0] : first[1]]) if figures(text, *first) else -1.0
    for span in split_sentences(text):
        if not figures(text, span.start, span.end):
            continue
        named = _named(weights, text[span.start : span.end])
        if named > score:
            best, score = (span.start, span.end), named
    return best


def _nearest(text: str, found: list[Figure], weights: Weights, start: int, end: int) -> Figure:
    """The figure closest to the rarest of the question's key words in the sentence."""
    places = [
        (weights[m.group().lower()[:5]], m.start())
        for m in _WORD.finditer(text, start, end)
        if m.group().lower()[:5] in weights
    ]
    if not places:
        return found[0]
    top = max(w for w, _ in places)
    anchors = [p for w, p in places if w == top]
    return min(found, key=lambda f: min(abs(f.start - p) for p in anchors))


def _point(
    hit: Hit, question: str, wanted: str | None, weights: Weights | None = None
) -> TrendPoint | None:
    """The meeting's point: in its sentence, the figure in the wanted unit (if the question
    says), not a compared one, nearest to the question's rarest key word."""
    weights = weights or dict.fromkeys(_stems(question), 1.0)
    date = hit.passage.document.meta.meeting_date
    start, end = _sentence(hit, question, weights)
    text = hit.passage.text
    found = figures(text, start, end)
    if not date or not found:
        return None
    same = [f for f in found if wanted is None or f.unit == wanted] or found
    current = [f for f in same if not _compared(text, f)] or same
    return TrendPoint(date, _nearest(text, current, weights, start, end), hit, (start, end))


def point_of(hit: Hit, question: str, weights: Weights | None = None) -> TrendPoint | None:
    """The figure a hit's answering sentence states about ``question`` (None: no figure)."""
    start, end = _sentence(hit, question, weights)
    if not about(question, hit.passage.text[start:end]):
        return None
    return _point(hit, question, asked_unit(question), weights)


def trend(engine: Engine, question: str, filters: Filters | None = None) -> list[TrendPoint]:
    """One point per meeting that answers ``question`` with a figure, oldest first."""
    question = question.strip()
    if not question:
        raise InvalidQueryError("the question is empty")
    answer = engine.ask(question, CANDIDATES, filters or Filters())
    threshold = engine.settings.answer_threshold
    weights = question_weights(engine, question)
    best: dict[tuple[str | None, str | None], Hit] = {}
    for hit in answer.hits:  # best first: the first hit of a meeting is its best
        meta = hit.passage.document.meta
        start, end = _sentence(hit, question, weights)
        if hit.confidence < threshold or not about(question, hit.passage.text[start:end]):
            continue  # it does not answer: it measures something else
        best.setdefault((meta.council, meta.meeting_date), hit)
    wanted = asked_unit(question)
    found = (_point(h, question, wanted, weights) for h in best.values())
    points = [p for p in found if p is not None]
    return flag_outliers(
        sorted(points, key=lambda p: (p.date, p.hit.passage.document.meta.council or "")), wanted
    )


def flag_outliers(points: list[TrendPoint], wanted: str | None) -> list[TrendPoint]:
    """Flag the points whose unit is not the trend's (the most common; the asked one on a tie)."""
    if not points:
        return points
    counts = Counter(p.figure.unit for p in points)
    top = max(counts.values())
    leaders = [u for u, n in counts.items() if n == top]
    unit = wanted if wanted in leaders else leaders[0]
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
