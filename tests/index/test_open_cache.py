from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index import open_cache
from index.embedder import HashingEmbedder
from index.store import Filters, Store
from indexing.writer import IndexWriter
from qa_service.config import Settings
from qa_service.presenters import ask_response
from qa_service.retriever import Engine

SETS = (Filters(), Filters(has_decision=True))


def test_saved_arrays_are_read_back_for_their_generation_only(tmp_path: Path) -> None:
    arrays = {"a": np.arange(5, dtype=np.int64), "names": np.array(["x", "Y z"], dtype=str)}
    assert open_cache.load(tmp_path, 3) is None  # none saved
    assert open_cache.save(tmp_path, 3, arrays)
    back = open_cache.load(tmp_path, 3)
    assert back is not None and set(back) == {"a", "names"}
    assert back["a"].tolist() == [0, 1, 2, 3, 4] and back["names"].tolist() == ["x", "Y z"]
    assert back["a"].dtype == np.uint32  # row ids in 4 bytes where they fit
    big = {"a": np.array([-1, 2**40], dtype=np.int64)}
    assert open_cache.save(tmp_path, 3, big)
    assert (reread := open_cache.load(tmp_path, 3)) is not None
    assert reread["a"].dtype == np.int64 and reread["a"].tolist() == [-1, 2**40]
    assert open_cache.save(tmp_path, 3, arrays)
    assert open_cache.load(tmp_path, 4) is None  # another generation's
    assert [p.name for p in tmp_path.iterdir()] == [open_cache.FILE]  # nothing left beside
    (tmp_path / open_cache.FILE).write_bytes(b"not a zip")
    assert open_cache.load(tmp_path, 3) is None  # unreadable: ignored
    assert not open_cache.save(tmp_path / open_cache.FILE, 3, arrays)  # not a folder


def test_a_store_takes_back_its_snapshot(small_index: Path) -> None:
    store = Store.open(small_index)
    generation = store.generation()
    assert store.snapshot(generation, SETS) is None  # nothing worked out yet
    worked = [store.allowed(f).ids() for f in SETS]
    arrays = store.snapshot(generation, SETS)
    assert arrays is not None
    other = Store.open(small_index)
    assert not other.restore(generation, {"layout_ids": arrays["layout_ids"]}, SETS)
    assert other.restore(generation, arrays, SETS)
    for filters, ids in zip(SETS, worked, strict=True):
        assert np.array_equal(other.allowed(filters).ids(), ids)
    council = Filters(council=("Northmoor County Council",))
    assert np.array_equal(other.allowed(council).ids(), store.allowed(council).ids())


def test_a_large_index_opens_from_the_cache_of_its_generation(
    small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(index=small_index)
    question = "What did the committee decide about the budget?"
    monkeypatch.setattr(open_cache, "OPEN_CACHE_MIN", 10**9)
    small = Engine(small_index, HashingEmbedder(), settings)
    expected = ask_response(small.ask(question)).model_dump_json()
    small.close()
    assert not (small_index / open_cache.FILE).exists()  # below the size: the folder as it was

    monkeypatch.setattr(open_cache, "OPEN_CACHE_MIN", 1)
    first = Engine(small_index, HashingEmbedder(), settings)
    first.close()
    assert (small_index / open_cache.FILE).exists()

    def unread(self: Store, column: str) -> list[str]:
        raise AssertionError(f"{column} read from the store")

    with monkeypatch.context() as patched:
        patched.setattr(Store, "facet_values", unread)
        patched.setattr(Store, "_passing", unread)
        cached = Engine(small_index, HashingEmbedder(), settings)
        assert ask_response(cached.ask(question)).model_dump_json() == expected
        cached.close()

    store = Store.open(small_index)
    with store.transaction() as conn:  # a commit: a new generation, the cache ignored
        conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
    store.close()
    read: list[str] = []
    facet_values = Store.facet_values

    def counted(self: Store, column: str) -> list[str]:
        read.append(column)
        return facet_values(self, column)

    monkeypatch.setattr(Store, "facet_values", counted)
    Engine(small_index, HashingEmbedder(), settings).close()
    assert read == ["council", "committee"]


def test_a_writer_leaves_the_cache_of_its_last_commit(
    tmp_path: Path, small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "idx"
    writer = IndexWriter(index, HashingEmbedder())
    with writer.open():
        writer.ingest([small_corpus])
    assert not (index / open_cache.FILE).exists()  # below the size: nothing kept

    monkeypatch.setattr(open_cache, "OPEN_CACHE_MIN", 1)
    with writer.open():
        writer.ingest([small_corpus])  # nothing changed, nothing committed: kept all the same
    store = Store.open(index)
    generation = store.generation()
    store.close()
    assert open_cache.load(index, generation) is not None

    def unread(self: Store, column: str) -> list[str]:
        raise AssertionError(f"{column} read from the store")

    monkeypatch.setattr(Store, "facet_values", unread)
    Engine(index, HashingEmbedder(), Settings(index=index)).close()


def test_decisions_read_again_make_the_saved_sets_stale(
    small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(open_cache, "OPEN_CACHE_MIN", 1)
    Engine(small_index, HashingEmbedder(), Settings(index=small_index)).close()
    store = Store.open(small_index)
    generation = store.generation()
    assert open_cache.saved(store, small_index, generation) is not None
    with store.transaction() as conn:  # as refresh_decisions does: no new generation
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('decisions_version', 'x')")
    assert store.generation() == generation
    assert open_cache.saved(store, small_index, generation) is None
    store.close()
    Engine(small_index, HashingEmbedder(), Settings(index=small_index)).close()  # saved again
    store = Store.open(small_index)
    assert open_cache.saved(store, small_index, generation) is not None
    store.close()
