"""Sentence splitting and choosing the sentence(s) of a passage that answer the question."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

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


def best_sentences(
    sentence_scores: np.ndarray, spans: list[Span], margin: float = 0.03, max_sentences: int = 2
) -> list[Span]:
    """The best-scoring sentence, plus its neighbour when that scores within ``margin``.

    Adjacent winners are merged into one span so the highlight reads as one piece.
    """
    if not spans:
        return []
    order = np.argsort(-sentence_scores, kind="stable")
    best = int(order[0])
    chosen = [best]
    for i in (best - 1, best + 1):
        if len(chosen) >= max_sentences:
            break
        if 0 <= i < len(spans) and sentence_scores[i] >= sentence_scores[best] - margin:
            chosen.append(i)
    chosen.sort()
    return [Span(spans[chosen[0]].start, spans[chosen[-1]].end)]
