"""The passages' text read through the ``passages`` view: the document's text, sliced.

The store keeps no copy of a passage's text where SQLite's slice of its document's text
gives it back (``index.sqlite``); these tests hold the view to Python's ``str`` slice.
"""

from __future__ import annotations

import itertools
import json
import uuid
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.store import Store
from ingest.models import DocMeta, Document, Passage

# Letters and symbols across the planes: SQLite's substr counts characters, not bytes,
# and a slice that counted UTF-8 bytes would cut these in the middle.
TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"], min_codepoint=0), max_size=80)


def _document(text: str, cuts: list[tuple[int, int]], document_id: str) -> Document:
    passages = [
        Passage(f"{document_id}-{i}", document_id, i, a, b, text[a:b], None, ("Heading",))
        for i, (a, b) in enumerate(cuts)
    ]
    return Document(document_id, f"{document_id}.txt", f"{document_id}.txt", "h", text,
                    DocMeta(), None, passages)  # fmt: skip


def _insert(store: Store, document: Document, texts: list[str] | None = None) -> list[int]:
    if texts is not None:  # passages whose given text is not the document's slice
        document.passages[:] = [
            Passage(
                p.passage_id,
                p.document_id,
                p.ordinal,
                p.char_start,
                p.char_end,
                t,
                None,
                p.heading_path,
            )
            for p, t in zip(document.passages, texts, strict=True)
        ]
    vectors = np.zeros((len(document.passages), 4), dtype=np.float32)
    hashes = [f"h{i}" for i in range(len(document.passages))]
    with store.transaction():
        return store.insert_document(document, DocMeta(), vectors, hashes, "now")


def _cuts(draw: st.DrawFn, size: int) -> list[tuple[int, int]]:
    points = sorted(draw(st.lists(st.integers(0, size), min_size=2, max_size=8)))
    return list(itertools.pairwise(points))


@st.composite
def _documents(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    text = draw(TEXT)
    return text, _cuts(draw, len(text))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=_documents())
def test_view_text_equals_python_slice(
    tmp_path: Path, case: tuple[str, list[tuple[int, int]]]
) -> None:
    """Any text (NUL, accents, emoji, astral planes), any cuts: the view gives text[a:b]."""
    text, cuts = case
    folder = tmp_path / uuid.uuid4().hex  # hypothesis runs the examples in one tmp_path
    store = Store.open(folder, create=True)
    try:
        rowids = _insert(store, _document(text, cuts, "d"))
        got = store.passages(rowids)
        assert [got[r].text for r in rowids] == [text[a:b] for a, b in cuts]
        for (a, b), rowid in zip(cuts, rowids, strict=True):
            row = store.conn.execute("SELECT text FROM passages WHERE id = ?", (rowid,)).fetchone()
            assert row[0] == text[a:b]
    finally:
        store.close()


def test_text_is_stored_only_where_the_slice_differs(tmp_path: Path) -> None:
    """A slice that SQLite can give back is not stored; others are, and read back as given."""
    text = "Café – £5m 😀 agreed.\x00 after a NUL"
    cuts = [(0, 4), (5, 12), (13, 21), (21, 26)]
    store = Store.open(tmp_path / "ix", create=True)
    try:
        rowids = _insert(store, _document(text, cuts, "d"), texts=[
            text[0:4], text[5:12], "not the slice", text[21:26]])  # fmt: skip
        stored = dict(store.conn.execute("SELECT id, text FROM passage_rows").fetchall())
        assert stored[rowids[0]] is None and stored[rowids[1]] is None
        assert stored[rowids[2]] == "not the slice"
        # past the NUL, SQLite's substr stops short: so the text is kept
        assert stored[rowids[3]] == text[21:26]
        got = store.passages(rowids)
        assert [got[r].text for r in rowids] == [
            text[0:4],
            text[5:12],
            "not the slice",
            text[21:26],
        ]
    finally:
        store.close()


def test_passage_at_reads_a_neighbour_in_its_paper(tmp_path: Path) -> None:
    """``passage_at``: a paper's passage by its ordinal, None past either end or for another
    paper's id."""
    text = "Table 1: Placements\nPlacement type Number\nFostering 120\nAdoption 10"
    cuts = [(0, 41), (42, 55), (56, 67)]
    store = Store.open(tmp_path / "ix", create=True)
    try:
        rowids = _insert(store, _document(text, cuts, "d"))
        _insert(store, _document("Other paper.", [(0, 12)], "e"))
        got = store.passage_at("d", 1)
        assert got is not None and got.rowid == rowids[1] and got.text == "Fostering 120"
        assert store.passage_at("d", 0) is not None and store.passage_at("d", 2) is not None
        assert store.passage_at("d", 3) is None and store.passage_at("d", -1) is None
        other = store.passage_at("e", 0)
        assert other is not None and other.text == "Other paper."
        assert store.passage_at("missing", 0) is None
    finally:
        store.close()


def test_old_layout_writers_go_through_the_view(tmp_path: Path) -> None:
    """Inserts and deletes on ``passages`` (the benchmarks' bulk copies) reach the rows."""
    store = Store.open(tmp_path / "ix", create=True)
    try:
        with store.transaction() as conn:
            conn.execute("INSERT INTO documents(doc_rowid, document_id, source, path, "
                         "content_hash, text, given_meta, ingested_at) "
                         "VALUES (7, 'd', 's', 'p', 'h', 'abcdef', '{}', 'now')")  # fmt: skip
            conn.executemany(
                "INSERT INTO passages(id, passage_id, doc_rowid, ordinal, char_start, char_end, "
                "page, heading, text, embed_hash, embedding) VALUES (?,?,7,0,?,?,NULL,?,?,'h',x'')",
                [(3, "p3", 0, 3, json.dumps([]), "abc"), (9, "p9", 3, 6, "[]", "other")],
            )
        rows = store.conn.execute("SELECT id, text FROM passage_rows ORDER BY id").fetchall()
        assert [tuple(r) for r in rows] == [(3, None), (9, "other")]
        assert store.passages([3])[3].text == "abc"
        assert store.passage_count() == 2
        with store.transaction() as conn:
            conn.execute("DELETE FROM passages WHERE id > 5")
        assert [r[0] for r in store.conn.execute("SELECT id FROM passages")] == [3]
        assert store.passage_count() == 1
        # counting reads the rows alone, never a document's text
        plan = store.conn.execute("EXPLAIN QUERY PLAN SELECT count(*) FROM passages").fetchall()
        assert "documents" not in " ".join(str(r[-1]) for r in plan)
    finally:
        store.close()


def test_built_index_reads_the_text_it_was_given(small_index: Path) -> None:
    """Every passage of a real ingest reads back as cut, none of them stored twice."""
    store = Store.open(small_index)
    try:
        kept = store.conn.execute(
            "SELECT count(*) FROM passage_rows WHERE text IS NOT NULL"
        ).fetchone()[0]
        assert kept == 0
        for doc in store.list_documents():
            text, _ = store.document_text(doc.document_id)
            spans = store.document_passages(doc.document_id)
            rowids = [store.passage_rowid(pid) for pid, _a, _b, _p in spans]
            got = store.passages(rowids)
            for rowid, (_pid, a, b, _page) in zip(rowids, spans, strict=True):
                assert got[rowid].text == text[a:b]
    finally:
        store.close()
