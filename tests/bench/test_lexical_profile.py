"""bench/lexical_profile.py's helpers: the mode syntax and the comparisons it reports."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bench.lexical_profile import _agreement, _set_mode, _spearman


def test_a_mode_names_the_phrases_way_and_an_optional_document_frequency_cut() -> None:
    index = SimpleNamespace(phrases="phrase", max_df=None)
    _set_mode(index, "words@0.8")
    assert (index.phrases, index.max_df) == ("words", 0.8)
    _set_mode(index, "rescore")
    assert (index.phrases, index.max_df) == ("rescore", None)


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


def test_a_mode_may_name_the_first_pass_fields_and_the_other_index() -> None:
    from bench.lexical_profile import _pick

    index = SimpleNamespace(phrases="phrase", max_df=None, first_fields=None)
    _set_mode(index, "rescore:hb")
    assert (index.phrases, index.first_fields) == ("rescore", ("heading", "body"))
    _set_mode(index, "rescore")
    assert index.first_fields is None
    main, other = object(), object()
    assert _pick(main, other, "other/rescore:b") == (other, "rescore:b")
    assert _pick(main, other, "rescore") == (main, "rescore")
    with pytest.raises(SystemExit):
        _pick(main, None, "other/rescore")


def test_a_mode_may_name_the_parts_and_the_candidates() -> None:
    index = SimpleNamespace(phrases="phrase", max_df=None, first_fields=None, parts=1)
    assert _set_mode(index, "rescore:hb*2#30") == 30
    assert (index.phrases, index.first_fields, index.parts) == ("rescore", ("heading", "body"), 2)
    assert _set_mode(index, "words@0.5") is None
    assert (index.phrases, index.max_df, index.parts) == ("words", 0.5, 1)


def test_a_caret_turns_maxscore_on_with_its_size_and_share() -> None:
    from index import lexical_maxscore

    index = SimpleNamespace(phrases="phrase", max_df=None)
    first, share = lexical_maxscore.FIRST, lexical_maxscore.SHARE
    try:
        _set_mode(index, "rescore^1000/0.05")
        assert (index.phrases, index.maxscore) == ("rescore", True)
        assert (lexical_maxscore.FIRST, lexical_maxscore.SHARE) == (1000, 0.05)
        _set_mode(index, "rescore^")
        assert index.maxscore
        assert first == lexical_maxscore.FIRST and share == lexical_maxscore.SHARE
        _set_mode(index, "rescore")
        assert not index.maxscore
    finally:
        lexical_maxscore.FIRST, lexical_maxscore.SHARE = first, share


def test_the_maxscore_report_counts_passes_and_postings() -> None:
    from bench.lexical_profile import _maxscore_report
    from index.lexical_maxscore import Outcome

    made = [[Outcome(True, 4, 0, 2, 100, 20)], [Outcome(False, 3, 1, 3, 50, 50)], []]
    assert _maxscore_report(made) == {
        "passes": 2,
        "exact": 0.5,
        "left_out_none": 0.5,
        "postings_searched_p50": 0.6,
        "postings_searched_sum": 0.467,
    }
    assert _maxscore_report([[], []]) is None
