"""Near-duplicates: the same paper attached to two meetings answers once, citing both.

Councils attach one officer's report to every meeting that considers it (scrutiny, then
cabinet), so a results list would otherwise spend two of its slots on the same text.
Two passages of different documents are the same when their word 3-shingles overlap by
``threshold`` or more (Jaccard); the better-ranked one stays and lists the other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TypeVar

from index.store import PassageRecord

_WORD = re.compile(r"\w+")
T = TypeVar("T")


@lru_cache(maxsize=8192)  # the same candidates recur from question to question
def shingles(text: str, n: int = 3) -> frozenset[tuple[str, ...]]:
    """The set of ``n``-word runs of a text, lower-cased (the words themselves if fewer)."""
    words = _WORD.findall(text.lower())
    if len(words) < n:
        return frozenset([tuple(words)])
    return frozenset(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def jaccard(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    """Overlap of two sets, 0..1."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def fold_near_duplicates(
    items: Sequence[T],
    passage_of: Callable[[T], PassageRecord],
    fold: Callable[[T, T], None],
    threshold: float = 0.8,
) -> list[T]:
    """``items`` (best first) without near-duplicates of better items from other documents.

    ``fold(kept, dropped)`` is called for each dropped item, so the caller can record where
    else the text was considered.
    """
    def same(a: PassageRecord, a_words: int, b: PassageRecord, b_words: int) -> bool:
        if a.document.document_id == b.document.document_id:
            return False
        # texts whose lengths differ that much cannot overlap by ``threshold``: skip the sets
        if min(a_words, b_words) < threshold * max(a_words, b_words):
            return False
        return jaccard(shingles(a.text), shingles(b.text)) >= threshold

    kept: list[tuple[T, PassageRecord, int]] = []
    for item in items:
        passage = passage_of(item)
        words = len(passage.text.split())
        twin = next((k for k, kp, kw in kept if same(passage, words, kp, kw)), None)
        if twin is None:
            kept.append((item, passage, words))
        else:
            fold(twin, item)
    return [k for k, _, _ in kept]
