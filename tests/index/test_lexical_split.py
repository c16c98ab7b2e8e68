"""A tantivy search split into row-id ranges on threads returns the single search's hits
(``index.lexical_split``), ties included."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.base import Query
from index.lexical_folder import _FIELDS, _open_index, _tantivy
from index.lexical_split import RowidSplit
from index.lexical_tantivy import WEIGHTS, TantivyIndex, query_text
from index.store import Filters, Store

TEXTS = [
    ("budget", "the budget overspend in social care", "Northmoor Council"),
    ("care", "social care placements and the care budget", "Ravensholt Council"),
    ("schools", "school places and the education budget", "Northmoor Council"),
]


def _memory_index(copies: int) -> object:
    """An in-memory index of ``copies`` copies of ``TEXTS`` (so, many equal scores), row ids
    in the order written, in several segments."""
    tantivy = _tantivy()
    index = _open_index(None, create=True)
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    rowid = 0
    for copy in range(copies):
        for heading, body, context in TEXTS:
            rowid += 1
            writer.add_document(
                tantivy.Document(rowid=rowid, heading=heading, body=body, context=context)
            )
        if copy % 7 == 6:
            writer.commit()  # one segment a commit
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index


@pytest.mark.parametrize("parts", [1, 2, 3, 5])
@pytest.mark.parametrize("k", [1, 7, 40])
def test_the_parts_merged_are_the_single_search(parts: int, k: int) -> None:
    index = _memory_index(30)
    searcher = index.searcher()  # type: ignore[attr-defined]
    boosts = dict(zip(_FIELDS, WEIGHTS, strict=True))
    split = RowidSplit(parts, top=3 * 30)
    try:
        for words in (["budget"], ["social", "care", "budget"], ["northmoor", "school"]):
            query = index.parse_query(  # type: ignore[attr-defined]
                query_text(words, "words"), list(_FIELDS), field_boosts=boosts
            )
            single = searcher.search(query, k, count=False).hits
            merged = split.hits(searcher, index.schema, query, k)  # type: ignore[attr-defined]
            assert [(s, a.segment_ord, a.doc) for s, a in merged] == [
                (s, a.segment_ord, a.doc) for s, a in single
            ]
    finally:
        split.close()


def test_row_ids_beyond_the_cuts_are_still_searched() -> None:
    index = _memory_index(10)
    searcher = index.searcher()  # type: ignore[attr-defined]
    query = index.parse_query('"budget"', list(_FIELDS))  # type: ignore[attr-defined]
    split = RowidSplit(3, top=5)  # cut as if the index held 5 passages: it holds 30
    try:
        single = searcher.search(query, 30, count=False).hits
        assert len(split.hits(searcher, index.schema, query, 30)) == len(single) == 30  # type: ignore[attr-defined]
    finally:
        split.close()


def test_parts_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RowidSplit(0, top=10)


def test_an_index_searched_in_parts_ranks_as_in_one(small_index: Path) -> None:
    index = TantivyIndex.load(small_index, Store.open(small_index))
    questions = [("placement", "sufficiency"), ("looked after children", "care"), ("ofsted",)]
    served = [index.search(Query(text=" ".join(t), terms=t), 20, Filters()) for t in questions]
    assert any(served)
    for parts in (2, 3):
        index.parts = parts
        for terms, hits in zip(questions, served, strict=True):
            assert index.search(Query(text=" ".join(terms), terms=terms), 20, Filters()) == hits
    index.close()
