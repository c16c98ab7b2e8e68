"""The period a question asks about against the periods the shown answer states (stop 26).

``other_period`` (``Readings.period``, a check of ``qa_service.asked_slot``): the question
asks about one period (a year, a financial year, a month of a year), and the shown sentence
states periods (not those a figure is compared with), none of which overlaps it, while the
top passage around it states none that does: the answer shown is another year's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Period", "other_period", "periods"]

_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# a month before a year ("March 2020", "31 March 2022"), a financial year or a span of
# years ("2018/19", "2018-2019", "2020-2030"), or a year alone
_PERIOD = re.compile(
    rf"\b(?:(?P<month>{_MONTH})\.?\s+)?(?P<first>(?:19|20)\d\d)"
    r"(?:\s*[/\-\u2013]\s*(?P<second>(?:19|20)?\d\d)(?!\d))?\b",
    re.IGNORECASE,
)
# a bound rather than a period: "since 2019", "by March 2016", "before 2023", "until 2024"
_BOUND = re.compile(
    r"\b(?:since|by|before|after|until|till|from|up\s+to|prior\s+to)\s+(?:the\s+)?"
    r"(?:(?:start|end|beginning)\s+of\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Period:
    """A span of months, ``start`` to ``end`` inclusive (year * 12 + month - 1)."""

    start: int
    end: int

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end


# a period a figure is compared with ("compared with 14% in 2021", "up from 258 in 2020",
# "higher than in 2019"): the baseline, not the period of the figure stated
_BASELINE = re.compile(
    r"\b(?:compared\s+(?:with|to)|than|against|(?:up|down|rising|falling|rose|fell)\s+from)"
    r"\s+(?:[^\s.;]+\s+){0,5}?$",
    re.IGNORECASE,
)


def periods(text: str, bounds: bool = True, baselines: bool = True) -> list[Period]:
    """The periods ``text`` writes: a month of a year, a financial year ("2018/19",
    "2018-2019": April to March), a span of years ("2020-2030"), a year; without ``bounds``,
    leaving out those written as a bound ("since 2019", "by March 2016"); without
    ``baselines``, those a figure is compared with ("compared with 14% in 2021")."""
    out = []
    for m in _PERIOD.finditer(text):
        if not bounds and _BOUND.search(text[: m.start()]):
            continue
        if not baselines and _BASELINE.search(text[: m.start()]):
            continue
        first = int(m.group("first"))
        second = m.group("second")
        if m.group("month"):
            month = next(
                i for i, name in enumerate(_MONTHS) if name.startswith(m.group("month").lower()[:3])
            )
            at = first * 12 + month
            out.append(Period(at, at))
            if second is None:
                continue
        if second is None:
            out.append(Period(first * 12, first * 12 + 11))
            continue
        last = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
        if last == first + 1:  # a financial year, April to March
            out.append(Period(first * 12 + 3, last * 12 + 2))
        elif last > first + 1:  # a span of years
            out.append(Period(first * 12, last * 12 + 11))
        else:  # "2019-20" read as a financial year above; anything else: the first year
            out.append(Period(first * 12, first * 12 + 11))
    return out


def other_period(question: str, shown: str, passage: str, meeting_date: str | None = None) -> float:
    """1 when the question asks about a period (not a bound) that the shown sentence does
    not state while it states others, none overlapping it, and the passage around it states
    no period overlapping it either; else 0.  A month asked that is the passage's meeting's
    month names the meeting ("in March 2018"), not the period of a figure: 0."""
    asked = periods(question, bounds=False)
    if not asked or len(asked) != len(periods(question)):
        return 0.0
    met = int(meeting_date[:4]) * 12 + int(meeting_date[5:7]) - 1 if meeting_date else None
    if (
        met is not None
        and all(a.start == a.end for a in asked)
        and any(a.start == met for a in asked)
    ):
        return 0.0
    stated = periods(shown, baselines=False)
    if not stated or any(p.overlaps(a) for p in stated for a in asked):
        return 0.0
    # a figure as at a day or month at most a quarter before a meeting held in the period
    # asked is that period's latest figure ("At 31 December 2024, 84% ...", asked "2025")
    if (
        met is not None
        and any(a.start <= met <= a.end for a in asked)
        and all(p.start == p.end and 0 <= met - p.end <= 3 for p in stated)
    ):
        return 0.0
    if any(p.overlaps(a) for p in periods(passage) for a in asked):
        return 0.0
    return 1.0
