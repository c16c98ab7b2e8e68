"""bench/lexical_profile.py's helpers: the mode syntax and the comparisons it reports."""

from __future__ import annotations

import pytest

from bench.lexical_profile import _agreement, _count, _spearman


def test_a_mode_is_the_served_search_with_an_optional_candidate_count() -> None:
    assert _count("rescore") is None
    assert _count("rescore#30") == 30
    with pytest.raises(SystemExit, match="unknown mode"):
        _count("words@0.8")  # removed in stop 23


def test_agreement_is_the_top_10_overlap_the_same_first_hit_and_the_same_list() -> None:
    base = [[1, 2, 3, 4], [5, 6], []]
    other = [[1, 2, 9, 8], [6, 5], []]
    assert _agreement(base, other) == {
        "identical": 0.333,
        "top10_overlap": pytest.approx(0.5),
        "same_first": 0.333,
    }


def test_spearman_ranks() -> None:
    assert _spearman([1, 2, 3, 4], [10, 20, 30, 400]) == pytest.approx(1.0)
    assert _spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)


def test_a_mode_may_name_the_other_index() -> None:
    from bench.lexical_profile import _pick

    main, other = object(), object()
    assert _pick(main, other, "other/rescore") == (other, "rescore")
    assert _pick(main, other, "rescore") == (main, "rescore")
    with pytest.raises(SystemExit):
        _pick(main, None, "other/rescore")
