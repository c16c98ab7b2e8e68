"""A question's common phrases, for a trend: a sentence naming only them measures
something else.

"contacts received by children's social care" weighs "children's social care" as three key
words, more than half of the question, though the index says them together as one common
phrase: "agency social workers made up 46% of the children's social care workforce" names
it and nothing that tells the asked measure from the council's others. A pair of adjacent
key words the index's passages hold together in at least ``COMMON_SHARE`` of them is a
common phrase ("children's services", "social worker", "council tax"); a sentence about the
question must then also name one of the question's key words said outside them
("contacts", "received"), when the question has such words.

``qa_service.trend`` reads the pairs' frequencies from the keyword index once a question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from qa_service.trend_words import stem

# A pair of adjacent key words is a common phrase when at least this share of the index's
# passages hold it; fitted by bench/fit_trend.py with cross-validation across councils
# (docs/quality.md, "Issue 16, fifteenth pass").
COMMON_SHARE = 0.02

# The question's words in order: a possessive's "'s" is part of its word ("children's").
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’]s\b)?")


def _words(question: str) -> tuple[list[str], list[str]]:
    """The question's words in order, and the stem of each (a possessive's "'s" off)."""
    words = _TOKEN.findall(question)
    return words, [stem(re.sub(r"['’]s$", "", w)) for w in words]


def pairs(question: str, keys: Collection[str]) -> list[tuple[int, str]]:
    """Each pair of adjacent key words of ``question`` (``keys``: stems), as the position of
    its first word among the question's words and its text ("children's social")."""
    return _pairs(*_words(question), keys)


def _pairs(words: list[str], stems: list[str], keys: Collection[str]) -> list[tuple[int, str]]:
    return [
        (i, f"{words[i]} {words[i + 1]}")
        for i in range(len(words) - 1)
        if stems[i] in keys and stems[i + 1] in keys
    ]


def free_words(
    question: str,
    keys: Collection[str],
    frequency: Callable[[str], int],
    passages: int,
    share: float = COMMON_SHARE,
) -> frozenset[str]:
    """The key word stems ``question`` says outside its common phrases, those of which
    ``frequency`` (passages holding a phrase) is at least ``share`` of ``passages``; none
    when it has no common phrase, or only common phrases (then nothing else is asked)."""
    words, stems = _words(question)
    inside = [False] * len(words)
    for i, text in _pairs(words, stems, keys):
        if frequency(text) >= share * max(passages, 1):
            inside[i] = inside[i + 1] = True
    if not any(inside):
        return frozenset()
    return frozenset(s for s, common in zip(stems, inside, strict=True) if s in keys and not common)
