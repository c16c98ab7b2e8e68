"""Dense search details: similarity for passages the loaded FAISS file does not hold, the
index type chosen by size, and filters as bitmaps."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from index.base import Query
from index.dense import DenseIndex
from index.store import Allowed, Filters, Store


def test_similarity_reads_vectors_newer_than_the_loaded_index(small_index: Path) -> None:
    store = Store.open(small_index)
    ids, vectors = store.all_embeddings()
    # an index loaded before the last commit: it holds only the first passage
    dense = DenseIndex.empty(vectors.shape[1], store)
    dense.add_vectors(ids[:1], vectors[:1])
    query = Query(text="q", vector=vectors[1])
    sims = dense.similarity(query, [int(ids[0]), int(ids[1]), 10**9])
    assert set(sims) == {int(ids[0]), int(ids[1])}  # a removed passage is left out
    assert np.isclose(sims[int(ids[1])], float(vectors[1] @ vectors[1]), atol=1e-5)
    assert np.isclose(sims[int(ids[0])], float(vectors[0] @ vectors[1]), atol=1e-5)


def _clustered(n: int, dim: int = 32, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(20, dim))
    vectors = centres[rng.integers(0, 20, n)] + 0.3 * rng.normal(size=(n, dim))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = np.arange(n, dtype=np.int64) * 7 + 3  # sparse ids, as after removals
    return ids, vectors.astype(np.float32)


def test_the_index_type_follows_the_size() -> None:
    ids, vectors = _clustered(3000)
    assert DenseIndex.build(ids, vectors, exact_max=5000).kind == "exact"
    ivf = DenseIndex.build(ids, vectors, exact_max=1000)
    assert ivf.kind.startswith("ivf") and ivf.kind.endswith(",sq8")
    assert ivf.count() == 3000


def test_ivf_finds_what_exact_search_finds() -> None:
    ids, vectors = _clustered(4000)
    exact = DenseIndex.build(ids, vectors, exact_max=10**6)
    ivf = DenseIndex.build(ids, vectors, exact_max=100)
    found = total = 0
    for row in range(0, 4000, 97):
        query = Query(text="q", vector=vectors[row])
        truth = {i for i, _ in exact.search(query, 10)}
        found += len(truth & {i for i, _ in ivf.search(query, 10)})
        total += len(truth)
    assert found / total >= 0.95


def test_an_ivf_with_a_store_rescores_its_candidates_exactly(small_index: Path) -> None:
    # The 8-bit codes reorder near ties; the store's full vectors put them back in order.
    store = Store.open(small_index)
    ids, vectors = store.all_embeddings()
    exact = DenseIndex.build(ids, vectors, store, exact_max=10**6)
    ivf = DenseIndex.build(ids, vectors, store, exact_max=1)
    ivf.nprobe = 10**6  # every list: the candidates are the same, only the scoring differs
    for row in range(0, len(ids), max(1, len(ids) // 10)):
        query = Query(text="q", vector=vectors[row])
        ours, theirs = ivf.search(query, 8), exact.search(query, 8)
        # the same scores in the same order (copies of a text tie, in either order) ...
        assert np.allclose([s for _, s in ours], [s for _, s in theirs], atol=1e-5)
        # ... and each one the exact cosine of its passage
        position = {int(i): n for n, i in enumerate(ids)}
        for i, score in ours:
            assert np.isclose(score, float(vectors[position[i]] @ vectors[row]), atol=1e-5)
    store.close()


def test_ivf_search_keeps_to_a_narrow_filter(small_index: Path) -> None:
    # A filter passing few passages: every result passes it, and the lists probed widen.
    store = Store.open(small_index)
    ids, vectors = store.all_embeddings()
    ivf = DenseIndex.build(ids, vectors, store, exact_max=1)
    document = store.list_documents()[0].document_id
    allowed = set(store.allowed_rowids(Filters(document_ids=(document,))).tolist())
    query = Query(text="q", vector=vectors[-1])
    hits = ivf.search(query, 5, Filters(document_ids=(document,)))
    assert hits and {i for i, _ in hits} <= allowed
    assert len(hits) == min(5, len(allowed))


def test_an_exact_index_becomes_an_ivf_when_it_outgrows_exact_search(small_index: Path) -> None:
    store = Store.open(small_index)
    ids, vectors = store.all_embeddings()
    exact = DenseIndex.build(ids, vectors, store)
    assert exact.resized(exact_max=len(ids)) is exact
    grown = exact.resized(exact_max=len(ids) - 1)
    assert grown.kind.startswith("ivf") and grown.count() == len(ids)
    assert grown.resized(exact_max=len(ids) - 1) is grown  # not retrained until 16x larger


def test_allowed_sets_are_bitmaps_and_follow_commits(small_index: Path) -> None:
    store = Store.open(small_index)
    everything = store.allowed(Filters())
    assert everything.count == len(store.allowed_rowids(Filters()))
    assert np.array_equal(everything.ids(), np.sort(store.allowed_rowids(Filters())))
    assert store.allowed(Filters()) is everything  # remembered
    assert Allowed.of(np.array([], dtype=np.int64)).count == 0
    with store.transaction() as conn:
        conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
    assert store.allowed(Filters()) is not everything  # a commit forgets it


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(include_superseded=True),
        Filters(council=("Northmoor County Council",)),
        Filters(date_from="2019-01-01", date_to="2022-12-31"),
        Filters(doc_type=("minutes", "report"), committee=("Cabinet",)),
        Filters(has_decision=True),
        Filters(council=("Nowhere",)),
    ],
)
def test_allowed_sets_match_the_sql_for_every_filter(small_index: Path, filters: Filters) -> None:
    store = Store.open(small_index)
    documents = [d.document_id for d in store.list_documents()]
    for given in (filters, replace(filters, exclude_document_ids=tuple(documents[:1]))):
        expected = np.sort(store.allowed_rowids(given))
        assert np.array_equal(store.allowed(given).ids(), expected)


def test_allowed_answers_membership_one_at_a_time_and_in_bulk() -> None:
    allowed = Allowed.of(np.array([0, 3, 9, 17], dtype=np.int64))
    assert [i in allowed for i in (0, 1, 3, 9, 17, 18, 10**6, -1)] == [
        True, False, True, True, True, False, False, False,
    ]  # fmt: skip
    rowids = np.array([0, 1, 3, 9, 17, 18, 10**6, -1], dtype=np.int64)
    assert allowed.members(rowids).tolist() == [True, False, True, True, True, False, False, False]
    assert "3" not in allowed


@pytest.mark.parametrize("count", [0, 1, 9, 300, 5_000, 40_000])
def test_allowed_ids_are_the_bitmaps_bits_sparse_or_dense(count: int) -> None:
    rng = np.random.default_rng(count)
    ids = np.sort(rng.choice(100_000, count, replace=False)).astype(np.int64)
    allowed = Allowed.of(ids)
    unpacked = np.flatnonzero(np.unpackbits(allowed.bitmap, bitorder="little"))
    assert np.array_equal(allowed.ids(), ids) and np.array_equal(allowed.ids(), unpacked)
    assert allowed.ids().dtype == np.int64
    assert allowed.ids() is allowed.ids()  # worked out once a set
    with pytest.raises(ValueError):
        allowed.ids()[:1] = 7  # shared between callers, so read-only


def test_integers_are_read_in_spans_of_ids_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from index import filters

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, doc INTEGER)")
    conn.executemany("INSERT INTO t VALUES (?, ?)", [(i, i // 3) for i in range(5, 40) if i % 7])
    monkeypatch.setattr(filters, "_INTEGER_SPAN", 4)  # many spans, some empty
    sql = "SELECT group_concat(id), group_concat(doc) FROM t WHERE id >= ? AND id < ?"
    ids, docs = filters._integers(conn, sql, 5, 40)
    expected = [i for i in range(5, 40) if i % 7]
    assert ids.tolist() == expected and docs.tolist() == [i // 3 for i in expected]
    assert [a.tolist() for a in filters._integers(conn, sql, 0, 0)] == [[], []]
    conn.execute("INSERT INTO t VALUES (50, NULL)")
    with pytest.raises(ValueError, match="unequal"):
        filters._integers(conn, sql, 45, 55)
