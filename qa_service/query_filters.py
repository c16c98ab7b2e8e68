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
# A run of word characters: the words a council's pattern can start with (``CouncilNames``).
_LEAD = re.compile(r"\w+")


def council_short_name(council: str) -> str:
    """The distinctive part of a council's name: "Northmoor County Council" -> "Northmoor"."""
    words = [w for w in re.split(r"\s+", council.strip()) if w]
    kept = [w for w in words if w.lower() not in _GENERIC_NAME_WORDS]
    return " ".join(kept)


def council_pattern(short: str) -> re.Pattern[str]:
    """How a question names a council by its distinctive name, possessive included."""
    return re.compile(
        r"\b" + r"\s+".join(map(re.escape, short.split())) + r"(?:['’]s)?\b", re.IGNORECASE
    )


class CouncilNames:
    """Finds the councils of one index that a question names.

    Each council's pattern is tried only when the question holds, as a word, the first word
    of its distinctive name: a pattern starts at a word boundary and its first word ends at
    one, so no other question can match it.  At 10M passages of the copied-up synthetic
    corpus (20k councils) trying every pattern took 59 ms a question (docs/performance.md,
    "/api/ask at 10M, stop 18"); the found councils and their order are the same.
    """

    def __init__(self, councils: Sequence[str] = ()) -> None:
        self._councils: list[tuple[re.Pattern[str], str, str]] = []
        # the casefolded first word of a distinctive name -> its councils' positions above;
        # names starting with no word character are tried for every question
        self._by_word: dict[str, list[int]] = {}
        self._always: list[int] = []
        for council in councils:
            short = council_short_name(council)
            if len(short) < 3:
                continue
            pattern = council_pattern(short)
            lead = _LEAD.match(short)
            if lead:
                self._by_word.setdefault(lead.group(0).casefold(), []).append(len(self._councils))
            else:
                self._always.append(len(self._councils))
            self._councils.append((pattern, council, short))

    def named(self, question: str) -> tuple[list[str], list[str]]:
        """Councils whose distinctive name the question contains, and the words matched."""
        tried = set(self._always)
        for word in _LEAD.findall(question):
            tried.update(self._by_word.get(word.casefold(), ()))
        found: list[str] = []
        phrases: list[str] = []
        for position in sorted(tried):
            pattern, council, _short = self._councils[position]
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
