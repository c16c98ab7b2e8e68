"""Sentence splitting of passage text: spans that a reader would call one sentence each.

Ingest stores a vector per sentence; the retriever ranks and highlights by them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before
# whitespace and a capital, digit, bullet or opening bracket — or at a blank line / line
# break that starts a list item.  Abbreviations common in council papers are protected.
_ABBREVIATIONS = re.compile(
    r"\b(?:Cllr|Councillor|Mr|Mrs|Ms|Dr|Prof|No|Nos|para|paras|e\.g|i\.e|etc|approx|cf|St|"
    r"Rev|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|Co|Ltd|Cttee|min|mins)\.$",
    re.IGNORECASE,
)
_BOUNDARY = re.compile(
    r"(?<=[.!?])[\"'”’)\]]?\s+(?=[\"'“‘(\[]?[A-Z0-9£•·\-(])|\n\s*\n|\n(?=\s*[-•·*]\s)"
)


_BULLETS = " \t\n\r\xa0·•\uf0b7*-–"


@dataclass(frozen=True)
class Span:
    """A [start, end) range of characters in a text."""

    start: int
    end: int


def split_sentences(text: str) -> list[Span]:
    """Sentence spans of ``text`` (whitespace trimmed), in order, covering all its words."""
    spans: list[Span] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate = text[start : match.start() + 1].rstrip()
        if _ABBREVIATIONS.search(candidate):
            continue
        spans.append(Span(start, match.start()))
        start = match.end()
    spans.append(Span(start, len(text)))
    out: list[Span] = []
    for span in spans:
        segment = text[span.start : span.end]
        # a list bullet is not part of the sentence a reader should see highlighted
        left = len(segment) - len(segment.lstrip(_BULLETS))
        right = len(segment.rstrip())
        if right > left:
            out.append(Span(span.start + left, span.start + right))
    return out
