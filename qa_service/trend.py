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
- The unit read is the question's own kind of quantity ("how many", "rate", "cost"), else
  the one most answering sentences state; the trend's unit is the one most points state;
  a point in another unit or on another base ("per
  10,000 children" against "%") is kept but flagged, and not plotted.
- Without a council, each council is its own series, for comparison.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from index.store import Filters
from ingest.errors import InvalidQueryError
from ingest.sentences import split_sentences
from qa_service.retriever import Engine, Hit

# Passages read per question: enough to reach most meetings that discuss it.
CANDIDATES = 30
MIN_AGREEING = 3  # points in one unit before a trend is worth drawing

_FIGURE = re.compile(
    r"(?P<money>£\s?(?P<mval>\d[\d,]*(?:\.\d+)?)\s?(?P<mult>million|billion|bn|m|k)?\b)"
    r"|(?P<pct>(?P<pval>\d+(?:\.\d+)?)\s?(?:%|per\s?cent\b))"
    r"|(?P<rate>(?P<rval>\d+(?:\.\d+)?)\s+per\s+(?P<base>1,000|10,000|100,000)\b)"
    r"|(?P<count>(?<![\d.,/£-])(?P<cval>\d{1,3}(?:,\d{3})+|\d+)(?![\d.,/%]|\s?per\b|\s?(?:am|pm)\b))"
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
            if _YEAR.match(raw) or _DATE_NUMBER.match(after) or _PERIOD.match(after):
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


def _sentence(hit: Hit, question: str) -> tuple[int, int]:
    """The passage's answering sentence that states a figure: the highlight if it does,
    else the first sentence about the question that does (else the highlight)."""
    text = hit.passage.text
    first = (hit.highlights[0].start, hit.highlights[0].end) if hit.highlights else (0, len(text))
    if figures(text, *first):
        return first
    for span in split_sentences(text):
        if figures(text, span.start, span.end) and about(question, text[span.start : span.end]):
            return span.start, span.end
    return first


def _point(hit: Hit, question: str, wanted: str | None) -> TrendPoint | None:
    """The meeting's point: the sentence's figure in the wanted unit, not a compared one."""
    date = hit.passage.document.meta.meeting_date
    start, end = _sentence(hit, question)
    text = hit.passage.text
    found = figures(text, start, end)
    if not date or not found:
        return None
    same = [f for f in found if wanted is None or f.unit == wanted] or found
    current = [f for f in same if not _compared(text, f)] or same
    return TrendPoint(date, current[0], hit, (start, end))


def _common_unit(hits: list[Hit], question: str) -> str | None:
    """The unit most of the answering sentences state a figure in."""
    counts: Counter[str] = Counter()
    for hit in hits:
        start, end = _sentence(hit, question)
        counts.update({f.unit for f in figures(hit.passage.text, start, end)})
    return counts.most_common(1)[0][0] if counts else None


def point_of(hit: Hit, question: str) -> TrendPoint | None:
    """The figure a hit's answering sentence states about ``question`` (None: no figure)."""
    start, end = _sentence(hit, question)
    if not about(question, hit.passage.text[start:end]):
        return None
    return _point(hit, question, asked_unit(question))


def trend(engine: Engine, question: str, filters: Filters | None = None) -> list[TrendPoint]:
    """One point per meeting that answers ``question`` with a figure, oldest first."""
    question = question.strip()
    if not question:
        raise InvalidQueryError("the question is empty")
    answer = engine.ask(question, CANDIDATES, filters or Filters())
    threshold = engine.settings.answer_threshold
    best: dict[tuple[str | None, str | None], Hit] = {}
    for hit in answer.hits:  # best first: the first hit of a meeting is its best
        meta = hit.passage.document.meta
        start, end = _sentence(hit, question)
        if hit.confidence < threshold or not about(question, hit.passage.text[start:end]):
            continue  # it does not answer: it measures something else
        best.setdefault((meta.council, meta.meeting_date), hit)
    wanted = asked_unit(question) or _common_unit(list(best.values()), question)
    points = [p for p in (_point(h, question, wanted) for h in best.values()) if p is not None]
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
