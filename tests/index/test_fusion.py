"""Reciprocal rank fusion."""

import pytest

from index.fusion import reciprocal_rank_fusion


def test_item_in_both_lists_beats_items_in_one() -> None:
    fused = reciprocal_rank_fusion([[(1, 0.9), (2, 0.8)], [(3, 5.0), (1, 4.0)]], k=60)
    assert fused[0][0] == 1
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)


def test_scores_ignore_raw_values_and_use_ranks() -> None:
    fused = dict(reciprocal_rank_fusion([[(7, 1000.0), (8, 0.001)]], k=10))
    assert fused[7] == pytest.approx(1 / 11)
    assert fused[8] == pytest.approx(1 / 12)


def test_weights_shift_the_balance() -> None:
    rankings = [[(1, 1.0)], [(2, 1.0)]]
    assert reciprocal_rank_fusion(rankings, weights=[1.0, 2.0])[0][0] == 2
    assert reciprocal_rank_fusion(rankings, weights=[2.0, 1.0])[0][0] == 1


def test_ties_keep_first_seen_order_and_empty_input() -> None:
    assert [i for i, _ in reciprocal_rank_fusion([[(5, 1.0)], [(6, 1.0)]])] == [5, 6]
    assert reciprocal_rank_fusion([]) == []
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([[(1, 1.0)]], weights=[1.0, 1.0])
