"""Sentence splitting and choosing the sentence(s) of a passage that answer the question."""

from __future__ import annotations

import numpy as np

from ingest.sentences import Span, split_sentences

__all__ = ["Span", "best_sentences", "split_sentences"]


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
