"""An item of a series asked by its ordinal, or a named thing of a kind, and a sibling shown.

``other_item`` (``Readings.sibling``, a check of ``qa_service.asked_slot``): the question
names an item of a series by its ordinal ("the third monitoring visit", "the second round",
"Phase 4", "Tranche Two") and the top passage names the same series' other members ("the
first round", "Tranche One", "two monitoring visits") and never the one asked; or names a
thing of a kind ("Walmley play area") and the passage names none of its name's words but
another of the kind ("Mere Green play area"): the passage is about a sibling.
"""

from __future__ import annotations

import re

from qa_service.asked_plan import PREPOSITIONS

__all__ = ["counts_named", "named_kinds", "ordinals_named", "other_item", "other_named"]

_ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
]
_CARDINALS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]
_SUFFIXED = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$", re.IGNORECASE)
# "Phase 4", "Tranche Two", "Round 2", "Stage III": a series' item after its noun
_SERIES_NOUNS = r"phase|tranche|round|stage|wave|cohort|part|year|quarter|visit"
_AFTER_NOUN = re.compile(
    rf"\b(?P<noun>{_SERIES_NOUNS})\s+(?P<n>\d{{1,2}}|{'|'.join(_CARDINALS)})\b", re.IGNORECASE
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}
# "the third monitoring visit", "the second round of applications": an ordinal before a
# noun of up to two words before it
_BEFORE_NOUN = re.compile(
    rf"\b(?P<ord>{'|'.join(_ORDINALS)}|\d{{1,2}}(?:st|nd|rd|th))\s+"
    r"(?P<noun>(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)\b",
    re.IGNORECASE,
)
# a count of the series' items ("two monitoring visits"): how many have been so far
_COUNT_BEFORE = re.compile(
    rf"\b(?P<n>\d{{1,2}}|{'|'.join(_CARDINALS)})\s+(?P<noun>(?:[a-z][\w-]*\s+){{0,2}}?[a-z][\w-]*)\b",
    re.IGNORECASE,
)


def _number(word: str) -> int | None:
    w = word.lower()
    if w.isdigit():
        return int(w)
    if w in _ORDINALS:
        return _ORDINALS.index(w) + 1
    if w in _CARDINALS:
        return _CARDINALS.index(w) + 1
    if m := _SUFFIXED.match(w):
        return int(m.group(1))
    return _ROMAN.get(w)


def _head(noun: str) -> str:
    """The noun's last word, singular (a crude "s" off): what the series is of."""
    last = noun.lower().split()[-1]
    return last[:-1] if last.endswith("s") and not last.endswith("ss") else last


def ordinals_named(text: str) -> dict[str, set[int]]:
    """The series' items ``text`` names by number: noun (its head, singular) -> numbers."""
    out: dict[str, set[int]] = {}
    for m in _AFTER_NOUN.finditer(text):
        n = _number(m.group("n"))
        if n is not None:
            out.setdefault(m.group("noun").lower(), set()).add(n)
    for m in _BEFORE_NOUN.finditer(text):
        n = _number(m.group("ord"))
        if n is not None:
            out.setdefault(_head(m.group("noun")), set()).add(n)
    return out


def counts_named(text: str) -> dict[str, set[int]]:
    """The counts ``text`` gives of things ("two monitoring visits"): head noun -> counts."""
    out: dict[str, set[int]] = {}
    for m in _COUNT_BEFORE.finditer(text):
        n = _number(m.group("n"))
        if n is not None:
            out.setdefault(_head(m.group("noun")), set()).add(n)
    return out


# A named thing of a kind: capitalised words (not a possessive, the owner, nor opening a
# sentence) before a lower-case noun or two, the kind ("Walmley play area", "Church Lane
# allotments")
_CAPITAL = r"[A-Z][\w&-]*(?<!'s)(?<!’s)"
_NAMED_KIND = re.compile(
    rf"(?<=[a-z,]\s)((?:{_CAPITAL}\s+){{1,3}})([a-z]{{3,}}(?:\s+[a-z]{{3,}})?)\b"
)
# words that end a name's kind, or are none: prepositions, auxiliaries, determiners
_NOT_KIND = frozenset(
    [
        *PREPOSITIONS,
        "the",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "did",
        "does",
        "has",
        "have",
        "had",
        "will",
        "would",
        "what",
        "when",
        "how",
        "which",
        "who",
        "why",
        "than",
        "that",
        "this",
        "these",
        "those",
        "its",
        "their",
        "said",
        "say",
        "says",
        "been",
        "being",
    ]
)


def named_kinds(text: str) -> list[tuple[tuple[str, ...], str]]:
    """The named things of ``text``: (the name's words, the kind's words)."""
    out = []
    for m in _NAMED_KIND.finditer(text):
        name, kind = m.group(1).split(), m.group(2).split()
        if kind[0] in _NOT_KIND:
            continue
        kind = kind[:1] if len(kind) > 1 and kind[1] in _NOT_KIND else kind
        out.append((tuple(name), " ".join(kind)))
    return out


def other_named(question: str, passage: str) -> bool:
    """Whether the question names a thing of a kind ("Walmley play area") none of whose
    name's words the passage writes, while the passage names another of that kind ("Mere
    Green play area")."""
    lowered = passage.lower()
    for name, kind in named_kinds(question):
        if any(w.lower() in lowered for w in name):
            continue
        sibling = re.compile(rf"(?<=[a-z,]\s)(?:{_CAPITAL}\s+){{1,3}}{re.escape(kind)}\b")
        if sibling.search(passage):
            return True
    return False


def other_item(question: str, passage: str) -> float:
    """1 when the question names an item of a series by its number (``ordinals_named``)
    above the first, and the passage names other items of the same series, or counts fewer
    of them than the number asked, and never the item asked; or names a thing of a kind
    that the passage does not name while it names another of the kind (``other_named``);
    else 0."""
    if other_named(question, passage):
        return 1.0
    asked = ordinals_named(question)
    if not asked:
        return 0.0
    named = ordinals_named(passage)
    counted = counts_named(passage)
    for noun, numbers in asked.items():
        shown = named.get(noun, set())
        if numbers & shown:
            continue
        fewer = any(c < min(numbers) for c in counted.get(noun, set()))
        if (shown - numbers) or fewer:
            return 1.0
    return 0.0
