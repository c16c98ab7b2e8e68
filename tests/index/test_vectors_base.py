"""A passage vector has one home: its row until an on-disk base holds it, then the base's
``vectors.f16`` (``index.vectors``).  Every reader finds it in either, no commit leaves it
nowhere, and an index kept in memory keeps every vector in its row as before."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from cqa_core.limits import IngestLimits
from index import opensearch_export
from index.dense_ondisk import OnDiskDenseIndex
from index.embedder import HashingEmbedder
from index.store import DB_NAME, Filters, Store
from indexing.embed_batch import BatchEmbedder, embed_hash, embed_text
from indexing.writer import IndexWriter
from ingest.timings import StageTimes

pytestmark = pytest.mark.usefixtures("one_faiss_thread")

# Vectors read back from a base are float16 values widened, exactly: each component within
# 2^-12 of a unit vector's float32 one (relative 2^-11), ~1e-7 off in cosine.
HALF_TOLERANCE = 2.0**-12


def _half(vectors: np.ndarray) -> np.ndarray:
    return vectors.astype(np.float16).astype(np.float32)


def _vectors_by_passage(store: Store) -> dict[str, np.ndarray]:
    ids, vectors = store.all_embeddings()
    names = dict(store.conn.execute("SELECT id, passage_id FROM passages").fetchall())
    return {names[int(i)]: v for i, v in zip(ids, vectors, strict=True)}


def _nulls(index_dir: Path) -> tuple[int, int]:
    """(passages, passages without a vector in the store), read with a plain connection."""
    conn = sqlite3.connect(index_dir / DB_NAME)
    try:
        row = conn.execute("SELECT count(*), count(*) - count(embedding) FROM passages").fetchone()
        return int(row[0]), int(row[1])
    finally:
        conn.close()


def _later(tmp_path: Path) -> Path:
    """A folder of one more paper, to ingest after the first base."""
    later = tmp_path / "later"
    later.mkdir()
    (later / "notes.txt").write_text(
        "Minutes of the Highways Committee.\n\nThe committee approved the resurfacing of "
        "Mill Lane at a cost of 120,000 pounds, to be completed by March.\n",
        encoding="utf-8",
    )
    return later


@pytest.fixture
def twins(tmp_path: Path, small_corpus: Path, fake_embedder: HashingEmbedder) -> tuple[Path, Path]:
    """(the small corpus indexed in memory, the same corpus on disk: threshold 5)."""
    memory, disk = tmp_path / "memory", tmp_path / "disk"
    with IndexWriter(memory, fake_embedder).open() as writer:
        writer.ingest([small_corpus])
    with IndexWriter(disk, fake_embedder, IngestLimits(dense_ondisk_min=5)).open() as writer:
        writer.ingest([small_corpus])
    return memory, disk


def test_a_base_holds_the_only_copy_and_vectors_round_trip_at_float16(
    twins: tuple[Path, Path],
) -> None:
    memory, disk = twins
    assert _nulls(memory)[1] == 0  # in memory: every vector in its row, as before
    count, nulls = _nulls(disk)
    assert count and nulls == count
    exact, lean = Store.open(memory), Store.open(disk)
    try:
        assert lean.get_meta("vector_base") and not exact.get_meta("vector_base")
        want, got = _vectors_by_passage(exact), _vectors_by_passage(lean)
        assert want.keys() == got.keys()
        for passage_id, vector in want.items():
            assert np.array_equal(got[passage_id], _half(vector))
            assert np.abs(got[passage_id] - vector).max() <= HALF_TOLERANCE
        rowids = [int(r[0]) for r in lean.conn.execute("SELECT id FROM passages LIMIT 7")]
        some = lean.embeddings(rowids)
        ids, every = lean.all_embeddings()
        assert all(np.array_equal(some[i], every[list(ids).index(i)]) for i in rowids)
    finally:
        exact.close()
        lean.close()


def test_passages_added_after_the_base_keep_float32_until_the_next_base(
    twins: tuple[Path, Path],
    tmp_path: Path,
    fake_embedder: HashingEmbedder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _memory, disk = twins
    later = _later(tmp_path)
    count, nulls = _nulls(disk)
    store = Store.open(disk)
    known = set(_vectors_by_passage(store))
    store.close()
    with IndexWriter(disk, fake_embedder, IngestLimits(dense_ondisk_min=5)).open() as writer:
        summary = writer.ingest([later])
        assert summary.added and isinstance(writer.dense, OnDiskDenseIndex)
        first = writer.dense.base
        added, delta = _nulls(disk)[0] - count, writer.dense.delta.ntotal
    assert added > 0 and delta == added
    assert _nulls(disk) == (count + added, nulls)  # the delta is float32 in its rows
    store = Store.open(disk)
    fresh = {p: v for p, v in _vectors_by_passage(store).items() if p not in known}
    # every vector at once, read in one chunk or in chunks of 3 mixing base and delta rows
    whole_ids, whole = store.all_embeddings()
    monkeypatch.setattr("index.vectors._CHUNK", 3)
    chunked_ids, chunked = store.all_embeddings()
    monkeypatch.undo()
    store.close()
    assert np.array_equal(chunked_ids, whole_ids) and np.array_equal(chunked, whole)
    assert len(whole_ids) == count + added
    assert len(fresh) == added  # as the model gave them, not rounded to float16
    assert any(not np.array_equal(v, _half(v)) for v in fresh.values())
    # a new base (compaction) takes the delta, and the store drops its float32 copies
    monkeypatch.setattr("index.dense_ondisk.COMPACT_SHARE", 0.0)
    with IndexWriter(disk, fake_embedder, IngestLimits(dense_ondisk_min=5)).open() as writer:
        writer.remove(writer.store.list_documents()[0].document_id)
        assert isinstance(writer.dense, OnDiskDenseIndex) and writer.dense.base != first
        second = writer.dense.base
    total, nulls = _nulls(disk)
    assert nulls == total
    store = Store.open(disk)
    try:
        assert store.get_meta("vector_base") == second.name
        again = _vectors_by_passage(store)
        assert all(np.array_equal(again[p], _half(v)) for p, v in fresh.items())
    finally:
        store.close()
    monkeypatch.undo()
    with IndexWriter(disk, fake_embedder, IngestLimits(dense_ondisk_min=5)).open() as writer:
        writer.remove(writer.store.list_documents()[0].document_id)  # tombstones only
    assert not first.exists() and second.exists()  # named by no kept commit, nor the store


@pytest.mark.parametrize("first_base", [True, False])
def test_a_commit_killed_after_the_base_is_written_leaves_every_vector_somewhere(
    tmp_path: Path,
    small_corpus: Path,
    fake_embedder: HashingEmbedder,
    monkeypatch: pytest.MonkeyPatch,
    first_base: bool,
) -> None:
    """The base is written and the store's copies dropped inside the commit's transaction
    (those of the paper it adds among them); the commit then fails (tantivy saves after the
    dense index): nothing of it remains."""
    index_dir = tmp_path / "idx"
    limits = IngestLimits(dense_ondisk_min=5 if not first_base else 10**6)
    with IndexWriter(index_dir, fake_embedder, limits).open() as writer:
        writer.ingest([small_corpus])
    store = Store.open(index_dir)
    before, meta = _vectors_by_passage(store), store.get_meta("vector_base")
    store.close()
    nulls = _nulls(index_dir)
    if first_base:  # the in-memory index outgrows the threshold in the failing commit
        limits = IngestLimits(dense_ondisk_min=5)
    else:  # a compaction builds the next base in the failing commit
        monkeypatch.setattr("index.dense_ondisk.COMPACT_SHARE", 0.0)
    folded: list[int] = []
    real_fold = OnDiskDenseIndex.fold

    def fold(self: OnDiskDenseIndex) -> int:
        folded.append(real_fold(self))
        return folded[-1]

    def boom(self: object, generation: int) -> dict[str, str]:
        raise OSError("disk full")

    monkeypatch.setattr(OnDiskDenseIndex, "fold", fold)
    monkeypatch.setattr("index.lexical_tantivy.TantivyIndex.save", boom)
    writer = IndexWriter(index_dir, fake_embedder, limits)
    with pytest.raises(OSError, match="disk full"), writer.open():
        writer.ingest([_later(tmp_path)])
    assert folded and folded[-1] > 0  # the copies were dropped, then rolled back
    monkeypatch.undo()
    assert _nulls(index_dir) == nulls
    store = Store.open(index_dir)
    try:
        assert store.get_meta("vector_base") == meta
        after = _vectors_by_passage(store)
        assert after.keys() == before.keys()
        assert all(np.array_equal(after[p], v) for p, v in before.items())
    finally:
        store.close()
    with IndexWriter(index_dir, fake_embedder, limits).open() as writer:
        assert writer.dense.count() == len(before)  # and the next writer goes on


def test_the_export_similar_and_reuse_by_hash_read_base_vectors(
    twins: tuple[Path, Path], fake_embedder: HashingEmbedder, tmp_path: Path
) -> None:
    from qa_service.config import Settings
    from qa_service.retriever import Engine
    from qa_service.similar import similar

    memory, disk = twins
    exact = Store.open(memory)
    want = _vectors_by_passage(exact)
    exact.close()
    store = Store.open(disk)
    try:
        exported = dict(opensearch_export.documents(store))
        assert exported.keys() == want.keys()
        for passage_id, doc in exported.items():
            assert np.allclose(doc["embedding"], _half(want[passage_id]), atol=1e-7)
        # reuse at ingest: a text embedded before is found by its hash, in the base
        rowid = int(store.conn.execute("SELECT id FROM passages LIMIT 1").fetchone()[0])
        record = store.passages([rowid])[rowid]
        text = embed_text(record)  # type: ignore[arg-type]  # heading path and text
        digest = embed_hash(fake_embedder.name, text)
        assert np.array_equal(
            store.embeddings_by_hash([digest])[digest], _half(want[record.passage_id])
        )
        vectors, fresh = BatchEmbedder(fake_embedder, store, StageTimes())._vectors(
            [text], "passages", {}
        )
        assert fresh == 0 and np.array_equal(vectors[0], _half(want[record.passage_id]))
    finally:
        store.close()
    engine = Engine(disk, fake_embedder, Settings(index=disk))
    try:
        assert isinstance(engine.dense, OnDiskDenseIndex)
        found = similar(engine, record.passage_id, Filters())
        assert found.source.passage_id == record.passage_id and found.hits
    finally:
        engine.close()


def test_a_version_2_on_disk_index_is_served_then_folded_by_the_next_writer(
    twins: tuple[Path, Path], tmp_path: Path, fake_embedder: HashingEmbedder
) -> None:
    """An index built before version 3 holds every vector in its rows beside its base: read
    as it is, then migrated by the next writer, leaving out the vectors the base holds."""
    from tests.index.test_store_schema import _as_version_2

    _memory, disk = twins
    store = Store.open(disk)
    base = store.get_meta("vector_base")
    store.close()
    # as version 2 stored it: the vectors in the rows (float16 values, as the base's) and
    # no meta naming the base
    rows = tmp_path / "rows"
    shutil.copytree(disk, rows)
    conn = sqlite3.connect(rows / DB_NAME, isolation_level=None)
    store = Store.open(disk)
    ids, vectors = store.all_embeddings()
    store.close()
    conn.executemany(
        "INSERT INTO passage_vectors(id, embedding) VALUES (?, ?)",
        [(int(i), v.tobytes()) for i, v in zip(ids, vectors, strict=True)],
    )
    conn.execute("DELETE FROM meta WHERE key IN ('vector_base', 'vector_base_last')")
    conn.close()
    old = tmp_path / "v2"
    _as_version_2(rows, old)
    assert _nulls(old) == (len(ids), 0)
    reader = Store.open(old)
    assert reader.get_meta("schema_version") == "2"
    got_ids, got = reader.all_embeddings()
    reader.close()
    assert np.array_equal(got_ids, ids) and np.array_equal(got, vectors)
    # the migration copies none of the vectors the last commit's base holds, and names it
    migrated = Store.open(old, create=True)
    assert migrated.get_meta("schema_version") == "3"
    assert migrated.get_meta("vector_base") == base
    assert migrated.conn.execute("SELECT count(*) FROM passage_vectors").fetchone()[0] == 0
    assert np.array_equal(migrated.all_embeddings()[1], vectors)
    migrated.close()
    with IndexWriter(old, fake_embedder, IngestLimits(dense_ondisk_min=5)).open() as writer:
        assert _nulls(old) == (len(ids), len(ids))
        writer.remove(writer.store.list_documents()[0].document_id)
    total, nulls = _nulls(old)
    assert total and nulls == total
    store = Store.open(old)
    try:
        assert store.get_meta("vector_base") == base
        left_ids, left = store.all_embeddings()
        keep = np.isin(ids, left_ids)
        assert np.array_equal(left, vectors[keep])
    finally:
        store.close()


def test_a_base_is_only_named_when_it_holds_every_folded_vector(tmp_path: Path) -> None:
    """``fold_into_base`` names a base ending before the named one only when the passages
    between them are gone (removed), never leaving a passage's vector nowhere."""
    store = Store.open(tmp_path, create=True)
    try:
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO documents(doc_rowid, document_id, source, path, content_hash, "
                "text, given_meta, ingested_at) VALUES (1, 'd', 's', 'p', 'h', 'abc', '{}', 'x')"
            )
            for rowid in range(1, 6):
                conn.execute(
                    "INSERT INTO passages(id, passage_id, doc_rowid, ordinal, char_start, "
                    "char_end, heading, text, embed_hash, embedding) "
                    "VALUES (?, ?, 1, 0, 0, 3, '[]', 'abc', ?, x'00')",
                    (rowid, f"p{rowid}", rowid),
                )
        assert store.fold_into_base("dense-base-a", 5) == 5
        assert store.fold_into_base("dense-base-b", 3) == 0  # 4 and 5 are only in a
        assert store.get_meta("vector_base") == "dense-base-a"
        with store.transaction() as conn:
            conn.execute("DELETE FROM passages WHERE id > 3")
        assert store.fold_into_base("dense-base-b", 3) == 0  # nothing left to drop, named
        assert store.get_meta("vector_base") == "dense-base-b"
        assert store.get_meta("vector_base_last") == "3"
    finally:
        store.close()


def test_a_writer_opening_an_on_disk_index_folds_what_its_base_holds(
    twins: tuple[Path, Path], fake_embedder: HashingEmbedder
) -> None:
    """A store whose vectors are still in its rows beside a base that holds them (as
    ``bench.scale_text`` once left it) sheds them when a writer opens it."""
    _memory, disk = twins
    store = Store.open(disk)
    ids, vectors = store.all_embeddings()
    base = store.get_meta("vector_base")
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO passage_vectors(id, embedding) VALUES (?, ?)",
            [(int(i), v.tobytes()) for i, v in zip(ids, vectors, strict=True)],
        )
        conn.execute("DELETE FROM meta WHERE key IN ('vector_base', 'vector_base_last')")
    store.close()
    assert _nulls(disk) == (len(ids), 0)
    with IndexWriter(disk, fake_embedder, IngestLimits(dense_ondisk_min=5)).open() as writer:
        assert writer.store.get_meta("vector_base") == base
    assert _nulls(disk) == (len(ids), len(ids))
