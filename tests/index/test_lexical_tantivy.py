"""The tantivy lexical index: kept in step with commits, filtered, and rebuilt from the
store's tables whenever it does not match them."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from index import lexical_tantivy
from index.base import Query
from index.embedder import HashingEmbedder
from index.lexical_tantivy import FOLDER, TantivyIndex, read_state, store_texts, write_state
from index.lock import write_lock
from index.store import Filters, Store
from indexing.writer import IndexWriter
from qa_service.config import Settings
from qa_service.retriever import Engine

QUERIES = [
    ("placement", "sufficiency"),
    ("foster", "carers", "recruitment"),
    ("ofsted",),
    ("looked after children",),  # a phrase
    ('say "hello', "\\ back"),  # quotes and backslashes are not syntax
]


def _open(index_dir: Path) -> tuple[Store, TantivyIndex]:
    store = Store.open(index_dir)
    return store, TantivyIndex.load(index_dir, store)


def _ranking(index: TantivyIndex, terms: tuple[str, ...]) -> list[tuple[int, float]]:
    return index.search(Query(text=" ".join(terms), terms=terms), 10, Filters())


def test_the_writer_keeps_tantivy_at_the_store_generation(small_index: Path) -> None:
    store, tantivy = _open(small_index)
    generation = store.generation()
    assert read_state(small_index) == (generation, generation)
    assert tantivy.usable(generation)
    assert tantivy.count() == store.stats().passages
    assert "passages_fts" not in {
        r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }


def test_the_store_gives_every_passage_its_heading_body_and_context(small_index: Path) -> None:
    store = Store.open(small_index)
    texts = dict(store_texts(store))
    assert sorted(texts) == sorted(store.allowed_rowids(Filters(include_superseded=True)))
    passage = store.passages([min(texts)])[min(texts)]
    heading, body, context = texts[passage.rowid]
    assert heading == " ".join(passage.heading_path) and body == passage.text
    assert passage.document.meta.council in context


@pytest.mark.parametrize("terms", QUERIES)
def test_a_rebuild_from_the_store_ranks_as_the_commits_did(
    small_index: Path, tmp_path: Path, terms: tuple[str, ...]
) -> None:
    _store, tantivy = _open(small_index)
    before = _ranking(tantivy, terms)
    copy = tmp_path / "copy"
    shutil.copytree(small_index, copy)
    shutil.rmtree(copy / FOLDER)  # rebuilt from the passages and documents tables
    store, rebuilt = _open(copy)
    assert read_state(copy) == (store.generation(), store.generation())
    assert [i for i, _ in _ranking(rebuilt, terms)] == [i for i, _ in before]
    assert [s for _, s in _ranking(rebuilt, terms)] == pytest.approx([s for _, s in before])


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_a_multi_threaded_rebuild_ranks_as_a_one_thread_one(
    small_index: Path, tmp_path: Path, threads: int
) -> None:
    _store, tantivy = _open(small_index)
    copy = tmp_path / "copy"
    shutil.copytree(small_index, copy)
    store = Store.open(copy)
    with write_lock(copy):
        rebuilt = TantivyIndex.load(copy, store, writer=True)
        rebuilt.rebuild(threads=threads)
    assert rebuilt.count() == tantivy.count()
    for terms in QUERIES:
        assert [i for i, _ in _ranking(rebuilt, terms)] == [i for i, _ in _ranking(tantivy, terms)]
        scores = [s for _, s in _ranking(rebuilt, terms)]
        assert scores == pytest.approx([s for _, s in _ranking(tantivy, terms)])
    # the commits after a rebuild go through a one-thread writer (one segment a commit)
    rebuilt.remove(np.array([min(dict(store_texts(store)))], dtype=np.int64))
    rebuilt.save(store.generation() + 1)
    assert rebuilt._writer_threads == 1
    rebuilt.reload()
    assert rebuilt.count() == tantivy.count() - 1
    rebuilt.close()


def test_a_rebuild_uses_at_most_one_thread_a_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexical_tantivy.os, "cpu_count", lambda: 2)
    assert lexical_tantivy.rebuild_threads() == 2
    monkeypatch.setattr(lexical_tantivy.os, "cpu_count", lambda: 64)
    assert lexical_tantivy.rebuild_threads() == lexical_tantivy.REBUILD_THREADS
    monkeypatch.setattr(lexical_tantivy.os, "cpu_count", lambda: None)
    assert lexical_tantivy.rebuild_threads() == 1


@pytest.mark.parametrize("narrow", [True, False])
@pytest.mark.parametrize("over_fetch", [True, False], ids=["over-fetched", "id-set"])
def test_filters_hold_in_both_ways_of_applying_them(
    small_index: Path, narrow: bool, over_fetch: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not over_fetch:  # every filter goes to tantivy as the set of passing ids
        monkeypatch.setattr(lexical_tantivy, "_POST_FILTER_MAX_FETCH", 0)
    store, tantivy = _open(small_index)
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
    store, tantivy = _open(small_index)
    assert tantivy.usable(store.generation())
    found = {i for i, _ in tantivy.search(Query(text="x", terms=("council", "the")), 500)}
    assert found and not found & gone


def test_a_stale_index_is_rebuilt_when_a_reader_opens_it(small_index: Path) -> None:
    store = Store.open(small_index)
    generation = store.generation()
    write_state(small_index, generation, generation + 1)  # as if killed mid-commit
    engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index))
    try:
        assert read_state(small_index) == (generation, generation)
        assert engine.lexical.usable(generation)
        assert engine.lexical.count() == store.stats().passages
    finally:
        engine.close()


def test_a_reader_during_a_rebuild_searches_the_last_commit(small_index: Path) -> None:
    """While a writer holds the lock (rebuilding), a reader searches tantivy's last commit
    and takes the rebuilt index at its next question."""
    store = Store.open(small_index)
    generation = store.generation()
    terms = ("placement", "sufficiency")
    expected = [i for i, _ in _ranking(_open(small_index)[1], terms)]
    with write_lock(small_index):  # a writer at work
        write_state(small_index, -1, generation)  # rebuilding
        engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index))
        try:
            assert not engine.lexical.usable(generation)
            assert [i for i, _ in _ranking(engine.lexical, terms)] == expected
            assert engine.ask("placement sufficiency", 3).hits
            TantivyIndex.load(small_index, store, writer=True)  # the writer's rebuild
            engine.refresh()
            assert engine.lexical.usable(generation)
            assert [i for i, _ in _ranking(engine.lexical, terms)] == expected
        finally:
            engine.close()


def test_a_tantivy_folder_that_is_gone_is_rebuilt(small_index: Path) -> None:
    shutil.rmtree(small_index / FOLDER)
    with IndexWriter(small_index, HashingEmbedder()).open() as writer:
        assert writer.lexical.count() == writer.store.stats().passages


def test_an_unreadable_tantivy_folder_is_rebuilt_by_a_reader(small_index: Path) -> None:
    (small_index / FOLDER / "meta.json").write_text("{ torn", encoding="utf-8")
    engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index))
    try:
        assert engine.lexical.count() == engine.store.stats().passages
        assert engine.lexical.usable(engine.store.generation())
        assert engine.ask("placement sufficiency", 3).hits
    finally:
        engine.close()


def test_an_index_that_still_has_the_fts5_table_works_and_loses_it(small_index: Path) -> None:
    """An index written while SQLite FTS5 was the other keyword index."""
    store = Store.open(small_index)
    with store.transaction() as conn:
        conn.execute(
            "CREATE VIRTUAL TABLE passages_fts USING fts5(heading, body, context, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        conn.execute(
            "INSERT INTO passages_fts(rowid, heading, body, context) VALUES (1, '', 'x', '')"
        )
    store.close()
    engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index))
    try:
        assert engine.ask("placement sufficiency", 3).hits
    finally:
        engine.close()
    with IndexWriter(small_index, HashingEmbedder()).open() as writer:
        tables = {r[0] for r in writer.store.conn.execute("SELECT name FROM sqlite_master")}
        assert not any(name.startswith("passages_fts") for name in tables)
        document = writer.store.list_documents()[0].document_id
        writer.remove(document)  # a commit after the table went


def test_a_reader_of_a_read_only_folder_searches_the_last_commit(
    small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stale index in a folder the reader cannot write (its lock file cannot be opened)
    is searched as tantivy last committed it, not refused."""
    store = Store.open(small_index)
    generation = store.generation()
    write_state(small_index, generation, generation + 1)  # as if killed mid-commit

    def read_only(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("index.lock.open", read_only, raising=False)
    engine = Engine(small_index, HashingEmbedder(), Settings(index=small_index))
    try:
        assert engine.ask("placement sufficiency", 3).hits
        assert not engine.lexical.usable(generation)  # not rebuilt: it could not be
    finally:
        engine.close()
