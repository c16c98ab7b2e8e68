"""The council and the years a question names, read as filters.

A council is named by the distinctive part of its name; a year reads as the meetings
whose papers are about it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cqa_core.text import STOPWORDS

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
# A council as a question writes its formal name: capitalised words before "Council"
# ("Cardiff Council's cabinet", "Glasgow City Council"); ``CouncilNames.unknown``.
_FORMAL_NAME = re.compile(r"\b((?:[A-Z][\w'’-]*\s+){1,5})Council\b")
_POSSESSIVE = re.compile(r"['’]s?$")
# Capitalised words that name a kind of council or body, not one council ("Full Council",
# "the Town Council"); a question's own first words ("What", "Has") are stopwords.
_KIND_WORDS = _GENERIC_NAME_WORDS | {
    "parish", "town", "community", "full", "unitary", "combined", "executive", "whose",
}  # fmt: skip


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


class WordLed:
    """Patterns that each begin with a word, tried on a text only when it holds that word.

    A pattern starts at a word boundary and its first word ends at one, so no text without
    that word can match it.  At 10M passages of the copied-up synthetic corpus (20k
    councils) trying every council's pattern took 59 ms a question (docs/performance.md,
    "/api/ask at 10M, stop 18"); what is found, and its order, are the same.
    """

    def __init__(self) -> None:
        self._patterns: list[re.Pattern[str]] = []
        # the casefolded first word of a name -> its patterns' positions above; names
        # starting with no word character are tried for every text
        self._by_word: dict[str, list[int]] = {}
        self._always: list[int] = []

    def add(self, name: str, pattern: re.Pattern[str]) -> None:
        """Add ``pattern``, the way a text writes ``name``; found in the order added."""
        lead = _LEAD.match(name)
        if lead:
            self._by_word.setdefault(lead.group(0).casefold(), []).append(len(self._patterns))
        else:
            self._always.append(len(self._patterns))
        self._patterns.append(pattern)

    def found(self, text: str) -> list[tuple[int, re.Match[str]]]:
        """The positions (in the order added) of the patterns ``text`` matches, with the
        matches."""
        tried = set(self._always)
        for word in _LEAD.findall(text):
            tried.update(self._by_word.get(word.casefold(), ()))
        matches = ((p, self._patterns[p].search(text)) for p in sorted(tried))
        return [(p, m) for p, m in matches if m]


class CouncilNames:
    """Finds the councils of one index that a question names (by their distinctive names,
    each tried only when the question holds its first word: ``WordLed``)."""

    def __init__(self, councils: Sequence[str] = ()) -> None:
        self._councils: list[str] = []
        self._lookup = WordLed()
        # every council's name as folded words, to tell a council the index lacks
        self._words = [{_folded(w) for w in council.split()} for council in councils]
        for council in councils:
            short = council_short_name(council)
            if len(short) < 3:
                continue
            self._lookup.add(short, council_pattern(short))
            self._councils.append(council)

    def named(self, question: str) -> tuple[list[str], list[str]]:
        """Councils whose distinctive name the question contains, and the words matched."""
        found = self._lookup.found(question)
        return [self._councils[p] for p, _ in found], [m.group(0) for _, m in found]

    def unknown(self, question: str) -> list[tuple[str, list[str]]]:
        """Councils the question names by a formal name ("Cardiff Council") that is no
        council of this index, each with its distinctive words (lower case): those before
        "Council" are not all words of one of its councils' names.  A name of a kind alone
        ("Full Council") is none."""
        names: list[tuple[str, list[str]]] = []
        for match in _FORMAL_NAME.finditer(question):
            words = [_folded(w) for w in match.group(1).split()]
            distinctive = [w for w in words if w not in _KIND_WORDS and w not in STOPWORDS]
            if distinctive and not any(set(distinctive) <= known for known in self._words):
                names.append((_POSSESSIVE.sub("", match.group(0).strip()), distinctive))
        return names


def _folded(word: str) -> str:
    return _POSSESSIVE.sub("", word).casefold()


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
