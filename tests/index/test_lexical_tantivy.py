"""The tantivy lexical index: kept in step with commits, filtered, and replaced by FTS5
whenever it does not match the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import lexical_tantivy
from index.base import Query
from index.embedder import HashingEmbedder
from index.lexical import LexicalIndex
from index.lexical_tantivy import TantivyIndex, read_state, write_state
from index.store import Filters, Store
from index.writer import IndexWriter
from qa_service.config import Settings
from qa_service.retriever import Engine

QUERIES = [
    ("placement", "sufficiency"),
    ("foster", "carers", "recruitment"),
    ("ofsted",),
    ("looked after children",),  # a phrase
    ('say "hello', "\\ back"),  # quotes and backslashes are not syntax
]


def _both(index_dir: Path) -> tuple[Store, TantivyIndex, LexicalIndex]:
    store = Store.open(index_dir)
    tantivy = TantivyIndex.open(index_dir, store)
    assert tantivy is not None
    return store, tantivy, LexicalIndex(store)


def test_the_writer_keeps_tantivy_at_the_store_generation(small_index: Path) -> None:
    store, tantivy, fts = _both(small_index)
    generation = store.generation()
    assert read_state(small_index) == (generation, generation)
    assert tantivy.usable(generation)
    assert tantivy.count() == fts.count() == store.stats().passages


@pytest.mark.parametrize("terms", QUERIES)
def test_tantivy_and_fts5_find_the_same_passages(small_index: Path, terms: tuple[str, ...]) -> None:
    _store, tantivy, fts = _both(small_index)
    query = Query(text=" ".join(terms), terms=terms)
    ours = [i for i, _ in tantivy.search(query, 10, Filters())]
    theirs = [i for i, _ in fts.search(query, 10, Filters())]
    assert len(ours) == len(theirs)
    if theirs:  # the tokenisers differ a little (stemmer, accents): the sets overlap
        assert len(set(ours[:5]) & set(theirs[:5])) >= min(3, len(theirs))


@pytest.mark.parametrize("narrow", [True, False])
@pytest.mark.parametrize("over_fetch", [True, False], ids=["over-fetched", "id-set"])
def test_filters_hold_in_both_ways_of_applying_them(
    small_index: Path, narrow: bool, over_fetch: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not over_fetch:  # every filter goes to tantivy as the set of passing ids
        monkeypatch.setattr(lexical_tantivy, "_POST_FILTER_MAX_FETCH", 0)
    store, tantivy, _fts = _both(small_index)
    documents = [d.document_id for d in store.list_documents()]
    kept = tuple(documents[:1]) if narrow else tuple(documents[:-1])
    filters = Filters(document_ids=kept, include_superseded=True)
    allowed = set(store.allowed_rowids(filters).tolist())
    query = Query(text="council", terms=("council", "children", "report"))
    hits = tantivy.search(query, 8, filters)
    assert hits and {i for i, _ in hits} <= allowed
    unfiltered = [i for i, _ in tantivy.search(query, 200)]
    assert [i for i, _ in hits] == [i for i in unfiltered if i in allowed][:8]


def test_removed_documents_leave_tantivy(small_index: Path) -> None:
    store = Store.open(small_index)
    document = store.list_documents()[0].document_id
    gone = set(store.allowed_rowids(Filters(document_ids=(document,))).tolist())
    store.close()
    writer = IndexWriter(small_index, HashingEmbedder())
    with writer.open():
        writer.remove(document)
    store, tantivy, _fts = _both(small_index)
    assert tantivy.usable(store.generation())
    found = {i for i, _ in tantivy.search(Query(text="x", terms=("council", "the")), 500)}
    assert found and not found & gone


def test_a_stale_tantivy_index_is_not_searched_and_the_writer_rebuilds_it(
    small_index: Path,
) -> None:
    store = Store.open(small_index)
    generation = store.generation()
    write_state(small_index, generation, generation + 1)  # as if killed mid-commit
    engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index))
    assert engine.lexical is engine.fts
    with IndexWriter(small_index, HashingEmbedder()).open():
        pass  # opening rebuilds it
    assert read_state(small_index) == (generation, generation)
    engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index))
    assert engine.lexical is engine.tantivy
    fts = Engine(small_index, HashingEmbedder(), Settings(index=small_index, lexical_engine="fts5"))
    assert fts.lexical is fts.fts
