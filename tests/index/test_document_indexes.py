"""Filters and facets find their documents through indexes, never a scan of every row.

A document's row holds its whole text, so a scan of ``documents`` reads the corpus: at 10M
passages (1.16M documents, 9 GB) a council's documents or the council names took 13 s cold.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from index.filters import Filters
from index.store import Store


def _document_scans(store: Store, call: Callable[[], object]) -> list[str]:
    """The steps of the statements ``call`` runs that read ``documents`` row by row (the
    statements are traced with their values in place, then explained)."""
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        call()
    finally:
        store.conn.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert selects
    scans = []
    for sql in selects:
        for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall():
            step = str(row[3])
            if step.split()[:2] in (["SCAN", "documents"], ["SCAN", "d"]) and "INDEX" not in step:
                scans.append(f"{step}: {sql}")
    return scans


@pytest.mark.parametrize(
    "filters",
    [
        Filters(council=("Northmoor County Council",)),
        Filters(committee=("Cabinet", "Scrutiny")),
        Filters(doc_type=("minutes",)),
        Filters(date_from="2019-01-01", date_to="2019-12-31"),
    ],
    ids=["council", "committee", "doc_type", "dates"],
)
def test_a_filter_finds_its_documents_by_index(small_index: Path, filters: Filters) -> None:
    store = Store.open(small_index)
    try:
        store.allowed(Filters())  # the passage map, read once a commit, is not the point
        assert _document_scans(store, lambda: store.allowed(filters)) == []
    finally:
        store.close()


@pytest.mark.parametrize("column", ["council", "committee", "doc_type"])
def test_facets_read_an_index(small_index: Path, column: str) -> None:
    store = Store.open(small_index)
    try:
        assert _document_scans(store, lambda: store.facet_values(column)) == []
        assert store.facet_values(column)  # and the values still come back
    finally:
        store.close()


def test_stats_read_indexes(small_index: Path) -> None:
    store = Store.open(small_index)
    try:
        assert _document_scans(store, store.stats) == []
    finally:
        store.close()
