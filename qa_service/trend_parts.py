"""Parts of a quantity, for a trend: a figure said to be part of what the question asks
about is not its figure.

- An amount or count "of the" quantity asked is a part of it ("£8.3 million of the
  children's services overspend related to placements"), not the whole, unless the rest of
  its clause names what the whole's words leave of the question (for the overspend on
  placements for children in care, that £8.3 million is it).
- A figure for each one of what is counted ("£2,300 for each eligible child") is a rate, not
  the total the same sentence states ("a total of £718,000"), unless the question asks one.
- The parts a figure is made up of ("4.99%, made up of 2.99% for general services and 2% for
  the adult social care precept") are not it, when the whole names half the question and a
  part names nothing of it the whole does not.

``qa_service.trend_sentence`` drops them before choosing a sentence's figure.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Protocol

from qa_service import trend_read
from qa_service.trend_read import _OF_THE_WORDS, Figure
from qa_service.trend_words import Alternatives, named, stems


class Asks(Protocol):
    """What a question asks for (``qa_service.trend_sentence.Asked``), as far as parts are
    read."""

    question: str
    weights: dict[str, float]
    alts: Alternatives

    def named(self, text: str) -> float:
        """The weight of the question's key words ``text`` names."""
        ...


def rarest(asked: Asks) -> set[str]:
    """The question's rarest key words: those of the highest weight (none without weights)."""
    top = max(asked.weights.values(), default=0.0)
    return {k for k, w in asked.weights.items() if w == top}


# The parts a figure is made up of follow it: "4.99%, made up of 2.99% for general services
# and 2% for the adult social care precept", "an increase of 4.99%, including the adult social
# care precept of 2%".
_MADE_UP_OF = re.compile(r"\W*(?:made\s+up\s+of|comprising|consisting\s+of|including)\b", re.I)
_CLAUSE_END = re.compile(r"[;.](?!\d)")


def wholes(text: str, found: list[Figure], asked: Asks, span: tuple[int, int]) -> list[Figure]:
    """``found`` less the parts of a figure whose own words name half the question, when a
    part's own words name none of the question's other key words as written ("… increase
    council tax by 4.99%, made up of 2.99% … and 2% for the adult social care precept": for
    "council tax rise", whose other wording is "precept", the 2% is a part; "486 households
    were in temporary accommodation, including 301 families with children" still gives the
    301 for families in temporary accommodation)."""
    whole = sum(asked.weights.values())
    for f in found:
        parts = _MADE_UP_OF.match(text, f.end)
        if parts is None:
            continue
        clause = _CLAUSE_END.search(text, parts.end(), span[1])
        stop = clause.start() if clause else span[1]
        own = text[span[0] : parts.start()]  # the whole's words, before its parts
        if 2 * asked.named(own) < whole:
            continue
        left = set(asked.weights) - asked_stems(own, asked)
        listed = [g for g in found if g.unit == f.unit and parts.end() <= g.start < stop]
        if not listed:
            continue  # its parts were read as another measure's ("£3.6 million of … Grant")
        starts = [parts.end(), *(g.end for g in listed[:-1])]  # each part's words: from the
        ends = [*(g.start for g in listed[1:]), stop]  # part before to the part after
        drop = {
            g for g, a, b in zip(listed, starts, ends, strict=True) if not stems(text[a:b]) & left
        }
        return [g for g in found if g not in drop]
    return found


# A figure for each one of what is counted, a rate: "£2,300 for each eligible child", "£1,925
# for each full-time post", "£25 per household", "£40 a head" (not one a period gives: "£0.9
# million a year", "per annum" is the year's whole).
_FOR_EACH = re.compile(
    r"\s*(?:for\s+(?:each|every)|per|each|a\s+head)\b"
    r"(?!\s+(?:cent|annum|years?|months?|weeks?|days?|hours?)\b)",
    re.I,
)
# A question asking a rate: for each one ("Pupil Premium Plus funding for each child in
# care"), of or for one ("average weekly cost of an in-house foster placement", "fee for a
# three-year taxi driver's licence"), an average or a rate.
_ASKS_EACH = re.compile(
    r"\b(?:each|every|per|average|median|mean|rates?|hourly|weekly|daily|monthly|head)\b"
    r"|\b(?:of|for)\s+(?:a|an|one)\b",
    re.I,
)


def totals(text: str, found: list[Figure], asked: Asks) -> list[Figure]:
    """``found`` less the figures given for each one of what is counted when the sentence
    states another in the same unit and the question asks no rate: "Pupil Premium Plus
    funding of £2,300 for each eligible child in care was allocated to the Virtual School, a
    total of £718,000" gives £718,000 for the total grant, the part a child has is not it."""
    if _ASKS_EACH.search(asked.question):
        return found
    each = [f for f in found if _FOR_EACH.match(text, f.end)]
    whole = {f.unit for f in found if f not in each}
    found = [f for f in found if f not in each or f.unit not in whole]
    if not BRACKETED_PARTS:
        return found
    # an amount in brackets right after one in its unit says how the first is made up or
    # spread ("additional investment of £15 million over three years (£5 million a year from
    # 2022/23 to 2024/25)"): the first is the one stated
    glosses = {
        g for f, g in pairwise(found) if f.unit == g.unit and _GLOSS.fullmatch(text, f.end, g.start)
    }
    return [f for f in found if f not in glosses]


# Stop 25; off gives stop 24's reading.
BRACKETED_PARTS = True
# From the end of a figure to the next in brackets after it, no figure between: "£15 million
# over three years (", "£1.2 million ("
_GLOSS = re.compile(
    r"[^()\d.;]{0,40}\(\s*(?:about|around|some|approximately|c\.?|of\s+which|i\.e\.,?)?\s*"
)


def asked_stems(text: str, asked: Asks) -> set[str]:
    """The question's key words ``text`` names, by their stems or other wordings."""
    return named(text, asked.alts) & set(asked.weights)


_OF_THE = re.compile(r"\s+of\s+(?:the|this|that|its|their)\s+")


def part(text: str, f: Figure, asked: Asks) -> bool:
    """Whether an amount or count is said to be part of what the question asks about."""
    m = _OF_THE.match(text, f.end)
    if f.unit not in ("£", "count") or m is None or text[m.end() : m.end() + 1].isdigit():
        return False  # "34 of the 42 children … were in external homes" counts the 34
    if trend_read.WORDS_OF_THE and _OF_THE_WORDS.match(text, f.end):
        return False  # so does "seven of the nine quality statements" the seven
    words = list(re.finditer(r"[A-Za-z]{3,}", text[m.end() : m.end() + 80]))[:4]
    whole = " ".join(w.group() for w in words)
    if 2 * asked.named(whole) < sum(asked.weights.values()):
        return False
    # the part is what is asked when its clause names the rest of the question: "£8.3
    # million of the children's services overspend related to placements for children in
    # care", for the overspend on placements
    left = set(asked.weights) - asked_stems(whole, asked)
    after = m.end() + words[-1].end() if words else m.end()
    clause = _CLAUSE_END.search(text, after)
    rest = text[after : min(clause.start() if clause else len(text), after + 120)]
    return not left or not left <= asked_stems(rest, asked)


# A whole a sentence opens with, "Of the …" before its first comma, is the base of the part
# the sentence states after it: "Of the savings of £14.5 million included in the 2023/24
# budget, £10.9 million (75%) are on track to be delivered and £3.6 million are at risk"
# states the £10.9 million; the £14.5 million is what it is a part of, and is the figure
# only when the part's words name nothing of the question the whole's do not. Stop 27; off
# gives stop 26's reading.
FRONTED_WHOLE = True
_FRONTED = re.compile(r"(?:\s*\d+(?:\.\d+)*\s+)?\s*Of\s+(?:the|its|their|our|this|these)\b[^,;]*,")


def fronted(text: str, found: list[Figure], asked: Asks, span: tuple[int, int]) -> list[Figure]:
    """``found`` less a whole the sentence at ``span`` opens with ("Of the savings of £14.5
    million …,") when it states a part of it in the same unit after, whose clause names a
    key word of the question the whole's words do not."""
    if not FRONTED_WHOLE or not found or getattr(asked, "wanted", None) is None:
        return found  # asking no unit, a count's parts are read by what it counts
    first = min(f.start for f in found)
    line = max(text.rfind("\n", span[0], first) + 1, span[0])  # "5.1 Of the …" under a heading
    m = _FRONTED.match(text, line, span[1])
    if m is None:
        return found
    whole = [g for g in found if g.end <= m.end()]
    after = [f for f in found if f.start >= m.end()]
    if not whole or not after:
        return found
    left = set(asked.weights) - asked_stems(text[line : m.end()], asked)
    clause = _CLAUSE_END.search(text, m.end(), span[1])
    rest = text[m.end() : clause.start() if clause else span[1]]
    drop = {g for g in whole if any(f.unit == g.unit for f in after)}
    return [g for g in found if g not in drop] if asked_stems(rest, asked) & left else found
