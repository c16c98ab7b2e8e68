"""Near-duplicates: the same paper attached to two meetings answers once, citing both.

Councils attach one officer's report to every meeting that considers it (scrutiny, then
cabinet), so a results list would otherwise spend two of its slots on the same text.
Two passages of different documents are the same when their word 3-shingles overlap by
``threshold`` or more (Jaccard); the better-ranked one stays and lists the other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TypeVar

from cqa_core.text import words as text_words
from index.store import PassageRecord

T = TypeVar("T")
DUPLICATE_SHARE = 0.8  # shingle overlap (Jaccard) from which two passages are the same text


@lru_cache(maxsize=8192)  # the same candidates recur from question to question
def shingles(text: str, n: int = 3) -> frozenset[int]:
    """The set of ``n``-word runs of a text, lower-cased (the words themselves if fewer).

    Each run is kept as its hash: the sets are only intersected, and integers intersect
    several times faster than tuples of strings.
    """
    words = text_words(text)
    if len(words) < n:
        return frozenset([hash(tuple(words))])
    return frozenset(hash(tuple(words[i : i + n])) for i in range(len(words) - n + 1))


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    """Overlap of two sets, 0..1."""
    if not a or not b:
        return 0.0
    shared = len(a & b)  # the union's size follows, without building it
    return shared / (len(a) + len(b) - shared)


def fold_near_duplicates(
    items: Sequence[T],
    passage_of: Callable[[T], PassageRecord],
    fold: Callable[[T, T], None],
    threshold: float = DUPLICATE_SHARE,
    limit: int | None = None,
) -> list[T]:
    """``items`` (best first) without near-duplicates of better items from other documents.

    ``fold(kept, dropped)`` is called for each dropped item, so the caller can record where
    else the text was considered. With ``limit``, at most that many items are kept: the
    items after the last one kept are only compared with the kept ones, to fold their twins.
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
        if twin is not None:
            fold(twin, item)
        elif limit is None or len(kept) < limit:
            kept.append((item, passage, words))
    return [k for k, _, _ in kept]
