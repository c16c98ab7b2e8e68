"""bench/lexical_postings.py: the postings a search walks, the words' shares, and the
three-field index against one combined field."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.lexical_postings import combined, postings, searched, shares
from index.base import Query
from index.lexical_tantivy import RESCORE_FETCH, TantivyIndex
from index.store import Store

CALLS = [
    (Query(text="foster carers", terms=("foster", "carers")), 60, None),
    (Query(text="looked after children", terms=("looked after children", "care")), 60, None),
    (Query(text="", terms=()), 60, None),
]


def test_a_search_with_a_phrase_asks_its_first_pass_for_more() -> None:
    assert searched(CALLS) == [
        (["foster", "carers"], 60),
        (["looked after children", "care"], 60 * RESCORE_FETCH),
    ]


def test_the_union_over_the_fields_is_at_most_their_sum(small_index: Path) -> None:
    index = TantivyIndex.load(small_index, Store.open(small_index))
    report = postings(index._index, searched(CALLS))
    assert 0 < report["union_over_sum"] <= 1
    assert sum(report["field_shares"].values()) == pytest.approx(1, abs=0.01)
    assert report["three_fields"]["n"] == 2


def test_shares_are_of_the_index_s_passages(small_index: Path) -> None:
    report = shares(small_index, searched(CALLS))
    assert report["passages"] == Store.open(small_index).stats().passages
    assert 0 < report["body"]["p50"] <= report["three_fields"]["p50"]


def test_the_combined_field_a_b_times_both_indexes(small_index: Path, tmp_path: Path) -> None:
    store = Store.open(small_index)
    report = combined(store, 50, tmp_path / "ab", searched(CALLS), loops=1)
    assert report["passages"] == 50
    assert report["three fields"]["n"] == report["one field"]["n"] == 2
    assert (tmp_path / "ab" / "one").is_dir() and (tmp_path / "ab" / "three").is_dir()
