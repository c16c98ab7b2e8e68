"""The council and the years a question names, read as filters.

A council is named by the distinctive part of its name; a year reads as the meetings
whose papers are about it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Words of a council's formal name that do not identify it.
_GENERIC_NAME_WORDS = frozenset(
    {"county", "borough", "city", "metropolitan", "district", "council", "london", "royal"}
    | {"of", "the", "and"}
)
_FINANCIAL_YEAR = re.compile(r"\b((?:19|20)\d\d)\s*[/-]\s*(\d\d)\b")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_SINCE = re.compile(r"\b(?:since|after|from)\s+(?:the\s+)?$", re.IGNORECASE)
_BEFORE = re.compile(r"\b(?:before|until|prior to)\s+(?:the\s+)?$", re.IGNORECASE)


def council_short_name(council: str) -> str:
    """The distinctive part of a council's name: "Northmoor County Council" -> "Northmoor"."""
    words = [w for w in re.split(r"\s+", council.strip()) if w]
    kept = [w for w in words if w.lower() not in _GENERIC_NAME_WORDS]
    return " ".join(kept)


class CouncilNames:
    """Finds the councils of one index that a question names."""

    def __init__(self, councils: Sequence[str] = ()) -> None:
        self._councils: list[tuple[re.Pattern[str], str, str]] = []
        for council in councils:
            short = council_short_name(council)
            if len(short) < 3:
                continue
            pattern = re.compile(
                r"\b" + r"\s+".join(map(re.escape, short.split())) + r"(?:['’]s)?\b",
                re.IGNORECASE,
            )
            self._councils.append((pattern, council, short))

    def named(self, question: str) -> tuple[list[str], list[str]]:
        """Councils whose distinctive name the question contains, and the words matched."""
        found: list[str] = []
        phrases: list[str] = []
        for pattern, council, _short in self._councils:
            match = pattern.search(question)
            if match:
                found.append(council)
                phrases.append(match.group(0))
        return found, phrases


def read_years(question: str) -> tuple[str | None, str | None, list[str]]:
    """A meeting-date range from the years a question names.

    Papers about a year are written during it or in the year after, so "in 2018" reads as
    meetings from 1 January 2018 to 31 December 2019, and the financial year "2017/18" as
    1 April 2017 to 31 December 2018.  "since 2015" is only a lower bound and "before
    2015" only an upper one.
    """
    lows: list[str] = []
    highs: list[str] = []
    words: list[str] = []
    taken: list[tuple[int, int]] = []
    for match in _FINANCIAL_YEAR.finditer(question):
        first, second = int(match.group(1)), int(match.group(2))
        if (first + 1) % 100 != second:
            continue
        taken.append(match.span())
        words.append(match.group(0))
        _bound(question[: match.start()], f"{first}-04-01", f"{first + 1}-12-31", lows, highs)
    for match in _YEAR.finditer(question):
        if any(s <= match.start() < e for s, e in taken):
            continue
        year = int(match.group(1))
        words.append(match.group(0))
        _bound(question[: match.start()], f"{year}-01-01", f"{year + 1}-12-31", lows, highs)
    if not words:
        return None, None, []
    date_from = min(lows) if lows else None
    date_to = max(highs) if highs else None
    return date_from, date_to, words


def _bound(before: str, low: str, high: str, lows: list[str], highs: list[str]) -> None:
    if _SINCE.search(before):
        lows.append(low)
    elif _BEFORE.search(before):
        highs.append(f"{int(low[:4]) - 1}-12-31")
    else:
        lows.append(low)
        highs.append(high)
