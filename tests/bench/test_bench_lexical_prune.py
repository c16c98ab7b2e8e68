"""The lexical pruning bench's recall@10, by row id and with the served 10th score's ties."""

from __future__ import annotations

from bench.lexical_prune import _recall


def test_recall_counts_row_ids_and_ties_with_the_tenth_score() -> None:
    served = [(i, 10.0 - i) for i in range(10)]  # scores 10 .. 1
    assert _recall(served, served) == (1.0, 1.0)
    # another copy tied with the 10th, in place of it: not the row id, but the score level
    other = [*served[:9], (99, 1.0)]
    assert _recall(served, other) == (0.9, 1.0)
    # a passage below the 10th score in place of the first
    worse = [*served[1:], (98, 0.5)]
    assert _recall(served, worse) == (0.9, 0.9)
    assert _recall([], worse) == (1.0, 1.0)
