"""Merging ranked lists: reciprocal rank fusion, a pure function."""

from __future__ import annotations

from collections.abc import Sequence

Ranking = Sequence[tuple[int, float]]


def reciprocal_rank_fusion(
    rankings: Sequence[Ranking],
    k: int = 60,
    weights: Sequence[float] | None = None,
) -> list[tuple[int, float]]:
    """Fuse rankings of ``(id, score)`` pairs (each best first) by weighted RRF.

    An id's fused score is ``sum(w_i / (k + rank_i))`` over the lists that hold it,
    with ranks starting at 1.  Ties keep the order in which ids were first seen,
    so the result is deterministic.
    """
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    fused: dict[int, float] = {}
    first_seen: dict[int, int] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, (item, _score) in enumerate(ranking, start=1):
            if item not in first_seen:
                first_seen[item] = len(first_seen)
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda pair: (-pair[1], first_seen[pair[0]]))
