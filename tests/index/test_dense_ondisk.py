"""The on-disk IVF-PQ index: built shard by shard, searched, filtered, changed, reloaded."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import faiss
import numpy as np
import pytest

from cqa_core.errors import IndexBusyError, IndexCorruptError
from cqa_core.limits import IngestLimits
from index.base import Batch, Query
from index.dense import DenseIndex, probes_for
from index.dense_ondisk import ONDISK_MIN, OnDiskDenseIndex, filtered_probes, is_ondisk_file
from index.dense_select import load_dense
from index.lock import write_lock
from index.ondisk_build import build_base, from_store, ondisk_nlist, pq_shape
from index.store import Filters, Store
from indexing.writer import IndexWriter

pytestmark = pytest.mark.usefixtures("one_faiss_thread")


def _clustered(n: int, dim: int = 48, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(30, dim))
    vectors = centres[rng.integers(0, 30, n)] + 0.4 * rng.normal(size=(n, dim))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = np.arange(n, dtype=np.int64) * 3 + 5  # sparse ids, as after removals
    return ids, vectors.astype(np.float32)


def _shards(ids: np.ndarray, vectors: np.ndarray, size: int):  # type: ignore[no-untyped-def]
    for start in range(0, len(ids), size):
        yield ids[start : start + size], vectors[start : start + size]


@pytest.fixture
def ondisk_writer(tmp_path: Path, small_corpus: Path, fake_embedder: object) -> IndexWriter:
    """A writer whose index (``tmp_path / "idx"``) holds the small corpus on disk: the
    threshold is 5 passages."""
    writer = IndexWriter(tmp_path / "idx", fake_embedder, IngestLimits(dense_ondisk_min=5))  # type: ignore[arg-type]
    with writer.open():
        writer.ingest([small_corpus])
    return writer


def _built(tmp_path: Path, n: int = 4000) -> tuple[OnDiskDenseIndex, np.ndarray, np.ndarray]:
    ids, vectors = _clustered(n)
    base = build_base(tmp_path, vectors[::2], _shards(ids, vectors, 1000), nlist=32)
    return OnDiskDenseIndex.open_base(base), ids, vectors


def test_recall_against_exact_search_and_exact_scores(tmp_path: Path) -> None:
    dense, ids, vectors = _built(tmp_path)
    assert dense.count() == len(ids) and dense.kind == "ivf32,pq48,ondisk"  # one a dimension
    exact = DenseIndex.build(ids, vectors, exact_max=10**6)
    found = total = 0
    for row in range(0, len(ids), 53):
        query = Query(text="q", vector=vectors[row])
        truth = {i for i, _ in exact.search(query, 10)}
        hits = dense.search(query, 10)
        found += len(truth & {i for i, _ in hits})
        total += len(truth)
        # re-scored from the float16 vectors: each score is the passage's cosine
        for i, score in hits:
            assert abs(score - float(vectors[(i - 5) // 3] @ vectors[row])) < 2e-3
        assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert found / total >= 0.95


def test_many_lists_are_found_through_an_hnsw_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("index.ondisk_build.HNSW_LISTS", 16)
    ids, vectors = _clustered(3000)
    base = build_base(tmp_path, vectors, _shards(ids, vectors, 1000), nlist=32)
    dense = OnDiskDenseIndex.open_base(base)
    quantizer = faiss.downcast_index(faiss.extract_index_ivf(dense.index).quantizer)
    assert isinstance(quantizer, faiss.IndexHNSW)
    exact = DenseIndex.build(ids, vectors, exact_max=10**6)
    found = total = 0
    for row in range(0, len(ids), 61):
        query = Query(text="q", vector=vectors[row])
        truth = {i for i, _ in exact.search(query, 10)}
        found += len(truth & {i for i, _ in dense.search(query, 10)})
        total += len(truth)
    assert found / total >= 0.95


def test_a_base_is_complete_or_absent(tmp_path: Path) -> None:
    ids, vectors = _clustered(500)

    def failing():  # type: ignore[no-untyped-def]
        yield ids[:250], vectors[:250]
        raise OSError("disk full")

    with pytest.raises(OSError):
        build_base(tmp_path, vectors, failing(), nlist=8)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="ascend"):
        build_base(tmp_path, vectors, iter([(ids[::-1], vectors)]), nlist=8)
    assert list(tmp_path.iterdir()) == []


def test_added_and_removed_vectors_survive_a_reload_from_a_moved_folder(tmp_path: Path) -> None:
    dense, ids, vectors = _built(tmp_path / "a")
    extra_ids, extra = _clustered(20, seed=1)
    extra_ids = extra_ids + 10**6
    dense.add(Batch(extra_ids, extra, [("", "", "")] * len(extra_ids)))
    gone = ids[:100]
    dense.remove(np.concatenate([gone, extra_ids[:5], np.array([10**9])]))
    assert dense.count() == len(ids) - 100 + 15
    dense.write_file(tmp_path / "a" / "dense-7.faiss")
    assert is_ondisk_file(tmp_path / "a" / "dense-7.faiss")
    shutil.move(tmp_path / "a", tmp_path / "b")  # the lists file is found where it now is
    loaded = OnDiskDenseIndex.read_file(tmp_path / "b" / "dense-7.faiss")
    assert loaded.count() == dense.count()
    query = Query(text="q", vector=extra[10])
    assert loaded.search(query, 1)[0][0] == int(extra_ids[10])
    for row in range(0, 100, 7):  # a removed vector is never returned, not even as itself
        hits = loaded.search(Query(text="q", vector=vectors[row]), 20)
        assert int(ids[row]) not in {i for i, _ in hits} and len(hits) == 20
    sims = loaded.similarity(query, [int(extra_ids[10]), int(ids[0]), int(ids[200])])
    assert set(sims) == {int(extra_ids[10]), int(ids[200])}


@pytest.mark.parametrize("exact_filtered", [0, 10**6])  # through the lists, or exactly
def test_filters_apply_before_the_top_k(
    small_index: Path, exact_filtered: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("index.dense_ondisk.EXACT_FILTERED", exact_filtered)
    store = Store.open(small_index)
    dense = from_store(store)
    _, vectors = store.all_embeddings()
    assert dense.count() == len(vectors)
    checked = 0
    for document in store.list_documents()[:4]:
        filters = Filters(document_ids=(document.document_id,))
        allowed = set(store.allowed_rowids(filters).tolist())
        if not allowed:  # a superseded paper, left out by default
            assert dense.search(Query(text="q", vector=vectors[0]), 5, filters) == []
            continue
        checked += 1
        hits = dense.search(Query(text="q", vector=vectors[0]), 5, filters)
        assert hits and {i for i, _ in hits} <= allowed
        assert len(hits) == min(5, len(allowed))
    assert checked
    dense.remove(np.array(sorted(allowed)[:1]))  # a tombstone inside a filter
    hits = dense.search(Query(text="q", vector=vectors[0]), 50, filters)
    assert sorted(allowed)[0] not in {i for i, _ in hits}
    assert dense.search(Query(text="q", vector=vectors[0]), 5, Filters(council=("Nowhere",))) == []
    store.close()


def test_the_writer_goes_on_disk_past_the_threshold(
    tmp_path: Path, ondisk_writer: IndexWriter
) -> None:
    assert isinstance(ondisk_writer.dense, OnDiskDenseIndex)
    store = Store.open(tmp_path / "idx")
    loaded = load_dense(tmp_path / "idx", store)
    assert isinstance(loaded, OnDiskDenseIndex) and loaded.base == ondisk_writer.dense.base
    _, vectors = store.all_embeddings()
    assert loaded.count() == len(vectors)
    assert loaded.search(Query(text="q", vector=vectors[3]), 1)[0][1] > 0.99
    store.close()


def test_commits_go_to_the_delta_and_old_bases_are_deleted(
    tmp_path: Path, ondisk_writer: IndexWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = ondisk_writer
    with writer.open():
        assert isinstance(writer.dense, OnDiskDenseIndex)
        first = writer.dense.base
        documents = [d.document_id for d in writer.store.list_documents()]
        writer.remove(documents[0])  # a small change: tombstones, the same base
        assert isinstance(writer.dense, OnDiskDenseIndex) and writer.dense.base == first
        assert len(writer.dense.removed) > 0
        monkeypatch.setattr("index.dense_ondisk.COMPACT_SHARE", 0.0)
        writer.remove(documents[1])  # past the share: a new base from the store
        second = writer.dense.base
        assert second != first and len(writer.dense.removed) == 0
        writer.remove(documents[2])  # the first base is named by no kept commit any more
        assert not first.exists() and writer.dense.base.exists()
    store = Store.open(tmp_path / "idx")
    loaded = load_dense(tmp_path / "idx", store)
    assert loaded.count() == len(store.all_embeddings()[0])
    store.close()


def _without_all_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make reading every stored vector at once (an in-memory rebuild) fail."""

    def every_vector(self: Store) -> None:
        raise AssertionError("every vector read into memory")

    monkeypatch.setattr(Store, "all_embeddings", every_vector)


@pytest.mark.parametrize("as_writer", [True, False])
def test_a_base_whose_index_is_lost_is_rebuilt_on_disk_from_its_vectors(
    tmp_path: Path, ondisk_writer: IndexWriter, as_writer: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lists and quantisers are derived; the vectors file is the vectors' one copy
    (``index.vectors``), and a new base is built from it."""
    assert isinstance(ondisk_writer.dense, OnDiskDenseIndex)
    index_dir = tmp_path / "idx"
    base = ondisk_writer.dense.base
    store = Store.open(index_dir)
    ids, vectors = store.all_embeddings()
    (index_dir / ".dense-base-left.tmp").mkdir()  # what a killed build leaves
    (base / "index.faiss").unlink()
    (base / "lists.ivfdata").unlink()
    _without_all_embeddings(monkeypatch)
    if as_writer:
        with write_lock(index_dir):
            loaded = load_dense(index_dir, store, writer=True, nprobe=3)
    else:  # a reader finding the write lock free
        loaded = load_dense(index_dir, store, nprobe=3)
    assert isinstance(loaded, OnDiskDenseIndex) and loaded.nprobe == 3
    assert loaded.base != base and loaded.base.exists() and loaded.count() == len(ids)
    assert loaded.search(Query(text="q", vector=vectors[3]), 1)[0][0] == int(ids[3])
    assert store.get_meta("vector_base") == loaded.base.name  # the new base holds them now
    assert np.array_equal(np.asarray(loaded.vectors, dtype=np.float32), vectors)
    again = load_dense(index_dir, store)  # the commit's file now names the new base
    assert isinstance(again, OnDiskDenseIndex) and again.base == loaded.base
    store.close()
    monkeypatch.undo()
    with ondisk_writer.open():  # the writer goes on from it, and clears what was left
        assert isinstance(ondisk_writer.dense, OnDiskDenseIndex)
        assert ondisk_writer.dense.base == loaded.base
        ondisk_writer.remove(ondisk_writer.store.list_documents()[0].document_id)
    assert not (index_dir / ".dense-base-left.tmp").exists() and not base.exists()


@pytest.mark.parametrize("as_writer", [True, False])
def test_a_base_that_is_gone_is_reported_not_rebuilt_from_nothing(
    tmp_path: Path, ondisk_writer: IndexWriter, as_writer: bool
) -> None:
    """Its vectors are stored nowhere else: a clear error says what to do."""
    assert isinstance(ondisk_writer.dense, OnDiskDenseIndex)
    index_dir = tmp_path / "idx"
    shutil.rmtree(ondisk_writer.dense.base)
    store = Store.open(index_dir)
    with pytest.raises(IndexCorruptError, match=r"dense base .*cqa ingest"):
        if as_writer:
            with write_lock(index_dir):
                load_dense(index_dir, store, writer=True)
        else:
            load_dense(index_dir, store)
    store.close()


def test_a_reader_does_not_rebuild_a_missing_base_while_a_writer_works(
    tmp_path: Path, ondisk_writer: IndexWriter
) -> None:
    assert isinstance(ondisk_writer.dense, OnDiskDenseIndex)
    shutil.rmtree(ondisk_writer.dense.base)
    store = Store.open(tmp_path / "idx")
    with write_lock(tmp_path / "idx"), pytest.raises(IndexBusyError, match="being rebuilt"):
        load_dense(tmp_path / "idx", store)
    store.close()


def test_a_small_index_whose_file_is_gone_is_rebuilt_in_memory(
    tmp_path: Path, small_index: Path
) -> None:
    index_dir = tmp_path / "copy"
    shutil.copytree(small_index, index_dir)
    store = Store.open(index_dir)
    (index_dir / str(store.get_meta("dense_file"))).unlink()
    loaded = load_dense(index_dir, store, nprobe=3)
    assert isinstance(loaded, DenseIndex) and loaded.count() == len(store.all_embeddings()[0])
    store.close()


def test_the_engine_answers_from_an_on_disk_index(
    tmp_path: Path, ondisk_writer: IndexWriter, fake_embedder: object
) -> None:
    from qa_service.config import Settings
    from qa_service.retriever import Engine

    engine = Engine(tmp_path / "idx", fake_embedder, Settings(dense_nprobe=4))  # type: ignore[arg-type]
    try:
        assert isinstance(engine.dense, OnDiskDenseIndex) and engine.dense.nprobe == 4
        rowid = int(engine.store.all_embeddings()[0][0])
        passage = engine.store.passages([rowid])[rowid]
        answer = engine.ask(passage.text, 3, infer_filters=False)
        assert answer.hits and answer.hits[0].passage.text == passage.text
    finally:
        engine.close()


def test_a_commit_that_fails_after_a_new_base_leaves_the_last_one_in_use(
    tmp_path: Path, ondisk_writer: IndexWriter, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = ondisk_writer
    first = writer.dense.base  # type: ignore[attr-defined]
    monkeypatch.setattr("index.dense_ondisk.COMPACT_SHARE", 0.0)

    def boom(self: object, generation: int) -> dict[str, str]:
        raise OSError("disk full")

    # the dense index saves (a new base) before tantivy, then the commit fails
    monkeypatch.setattr("index.lexical_tantivy.TantivyIndex.save", boom)
    with pytest.raises(OSError), writer.open():
        writer.remove(writer.store.list_documents()[0].document_id)
    bases = sorted(p for p in (tmp_path / "idx").glob("dense-base-*"))
    assert len(bases) == 2  # the new base, named by no commit
    monkeypatch.undo()
    with writer.open():  # the next writer deletes it and goes on from the last commit
        assert isinstance(writer.dense, OnDiskDenseIndex) and writer.dense.base == first
        assert writer.dense.count() == len(writer.store.all_embeddings()[0])
    assert sorted((tmp_path / "idx").glob("dense-base-*")) == [first]


def test_sizes_follow_the_corpus() -> None:
    assert IngestLimits().dense_ondisk_min == ONDISK_MIN
    assert ondisk_nlist(10_000_000) == 4096 and ondisk_nlist(100) == 16
    assert pq_shape(384, 100_000) == (96, 8)
    assert pq_shape(64, 100) == (64, 6) and pq_shape(100, 10**6) == (50, 8)


def test_a_filter_probes_more_lists_by_the_square_root_of_its_share() -> None:
    base = probes_for(4096, 32)  # 64: at least one list in 64
    assert filtered_probes(4096, 32, 1.0) == base
    assert filtered_probes(4096, 32, 0.25) == 2 * base
    assert filtered_probes(4096, 32, 0.0065) == math.ceil(base / 0.0065**0.5)  # 794, not 4096
    assert filtered_probes(4096, 32, 1e-6) == 4096  # never more than every list
    assert filtered_probes(16, 4, 0.0) == 16
    assert filtered_probes(4096, 32, 0.25, power=1.0) == 4 * base  # the rule before stop 34
