"""Building an IVF-PQ index whose inverted lists live on disk, shard by shard.

The full vector set never has to be in memory: the coarse quantiser and the product
quantiser are trained on a sample, each shard of vectors is encoded into its own small
FAISS file (``encode_shard``, a pure function a Ray task can run), and the shards' lists
are merged straight into one file on disk with FAISS's ``OnDiskInvertedLists``
(``faiss.contrib.ondisk.merge_ondisk``).  Beside the lists, every vector is appended to a
float16 file that the searcher memory-maps to re-score its candidates exactly; once the
generation naming the base commits, that file is the vectors' one copy (``index.vectors``).
A new base reads the vectors the previous one holds from that base's file.

A base folder is built under a temporary name and renamed when complete, so a crash
never leaves a half-written base that a searcher could open.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import sys
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import faiss
import numpy as np

from index.dense_ondisk import (
    BASE_PREFIX,
    IDS_FILE,
    INDEX_FILE,
    LISTS_FILE,
    VECTORS_FILE,
    OnDiskDenseIndex,
    read_base,
)

if TYPE_CHECKING:
    from index.store import Store

# 96 one-byte sub-quantisers (4 dimensions each): 104 B a vector with its id.  48 bytes,
# the first guess, needed 32 times k candidates re-scored for recall@10 0.95 on the
# benchmark's vectors, 96 bytes 8 times k for 0.98 (docs/performance.md, "10M passages").
PQ_BYTES = 96
_TRAIN_PER_LIST = 32  # k-means sample per list
_NITER = 10  # k-means rounds: 25 (FAISS's default) took four times as long for 4,096 lists
HNSW_LISTS = 1024  # from this many lists, vectors find their list through an HNSW graph
_CHUNK = 100_000  # vectors read from the store at a time


def ondisk_nlist(count: int) -> int:
    """Inverted lists for ``count`` vectors: about 1.3 sqrt(n), a power of two.

    Fewer lists than the in-memory IVF's 4 sqrt(n): training and assigning cost grow with
    the lists, and at 10M vectors 4,096 lists keep a build on two cores under an hour while
    the lists (~2,400 vectors each) are still cheap to scan (docs/performance.md).
    """
    lists = 2 ** round(math.log2(1.3 * math.sqrt(max(count, 1))))
    return int(max(16, min(65536, lists, max(1, count // _TRAIN_PER_LIST))))


def train_size(nlist: int) -> int:
    """Vectors to train ``nlist`` lists and the product quantiser on."""
    return max(nlist * _TRAIN_PER_LIST, 256 * 64)


def pq_shape(dim: int, samples: int, pq_bytes: int = PQ_BYTES) -> tuple[int, int]:
    """(sub-quantisers, bits each): the most sub-vectors up to ``pq_bytes`` that divide
    ``dim``, and 8 bits unless the sample is too small to train 256 centroids."""
    sub = max(m for m in range(1, min(pq_bytes, dim) + 1) if dim % m == 0)
    bits = max(1, min(8, int(math.log2(max(2, samples)))))
    return sub, bits


def train(sample: np.ndarray, nlist: int, pq_bytes: int = PQ_BYTES) -> faiss.IndexIVFPQ:
    """An empty IVF-PQ index (inner product) trained on ``sample``."""
    dim = int(sample.shape[1])
    sub, bits = pq_shape(dim, len(sample), pq_bytes)
    # Assigning 10M vectors to 4,096 lists by brute force is most of a build's time; an
    # HNSW graph over the centroids finds each vector's list in a fraction of it.
    quantizer: faiss.Index
    if nlist >= HNSW_LISTS:
        quantizer = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
    else:
        quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFPQ(quantizer, dim, nlist, sub, bits, faiss.METRIC_INNER_PRODUCT)
    if nlist >= HNSW_LISTS:
        index.quantizer_trains_alone = 2  # type: ignore[assignment]  # k-means, then the graph
    index.cp.niter = _NITER
    index.cp.min_points_per_centroid = 1  # a small corpus trains on what it has, quietly
    index.pq.cp.min_points_per_centroid = 1
    index.cp.max_points_per_centroid = _TRAIN_PER_LIST * 4
    index.train(np.ascontiguousarray(sample, dtype=np.float32))
    return index


def encode_shard(trained: Path, ids: np.ndarray, vectors: np.ndarray, out: Path) -> Path:
    """Encode one shard of vectors with the trained index into its own FAISS file."""
    index = faiss.read_index(str(trained))
    index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
    faiss.write_index(index, str(out))
    return out


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """FAISS prints "resizing ..." on the C stdout while merging; keep it off a --json output."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def build_base(
    parent: Path,
    sample: np.ndarray,
    shards: Iterable[tuple[np.ndarray, np.ndarray]],
    nlist: int | None = None,
    count_hint: int = 0,
) -> Path:
    """Train on ``sample``, encode each ``(ids, vectors)`` shard, merge the lists on disk.

    Ids must ascend across the shards (they index the float16 vector file).  Returns the
    finished base folder, named ``dense-base-<random>`` inside ``parent``.
    """
    from faiss.contrib.ondisk import merge_ondisk

    name = f"{BASE_PREFIX}{uuid.uuid4().hex[:12]}"
    work = parent / f".{name}.tmp"
    work.mkdir(parents=True)
    try:
        trained = train(sample, nlist or ondisk_nlist(max(count_hint, len(sample))))
        trained_path = work / "trained.faiss"
        faiss.write_index(trained, str(trained_path))
        shard_files: list[str] = []
        last = -1
        with open(work / IDS_FILE, "wb") as id_fh, open(work / VECTORS_FILE, "wb") as vec_fh:
            for number, (ids, vectors) in enumerate(shards):
                if not len(ids):
                    continue
                ids = np.asarray(ids, dtype=np.int64)
                if ids[0] <= last or np.any(np.diff(ids) <= 0):
                    raise ValueError("shard ids must ascend across shards")
                last = int(ids[-1])
                out = encode_shard(trained_path, ids, vectors, work / f"shard-{number:05d}.faiss")
                shard_files.append(str(out))
                id_fh.write(ids.tobytes())
                vec_fh.write(np.ascontiguousarray(vectors, dtype=np.float16).tobytes())
            for fh in (id_fh, vec_fh):
                fh.flush()
                os.fsync(fh.fileno())
        with _stdout_to_stderr():
            merge_ondisk(trained, shard_files, str(work / LISTS_FILE))
        faiss.write_index(trained, str(work / INDEX_FILE))
        del trained
        for leftover in [*shard_files, str(trained_path)]:
            os.unlink(leftover)
        for done in (work / INDEX_FILE, work / LISTS_FILE):
            with open(done, "rb") as done_fh:
                os.fsync(done_fh.fileno())
        final = parent / name
        os.replace(work, final)
        return final
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def store_shards(store: Store, size: int = _CHUNK) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Every stored passage vector, ``size`` at a time, in id order (a passage folded into
    the current base is read from its ``vectors.f16``: ``Store.vectors_of``)."""
    last = -1
    while True:
        with store.reading():
            rows = store.conn.execute(
                "SELECT id, embedding FROM passages WHERE id > ? ORDER BY id LIMIT ?",
                (last, size),
            ).fetchall()
            if not rows:
                return
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            vectors = store.vectors_of(ids, [r[1] for r in rows])
        last = int(ids[-1])
        yield ids, vectors


def store_sample(store: Store, count: int, nlist: int) -> np.ndarray:
    """An even sample of the stored vectors, enough to train ``nlist`` lists and the PQ."""
    want = train_size(nlist)
    step = max(1, count // want)
    with store.reading():
        rows = store.conn.execute(
            "SELECT id, embedding FROM passages WHERE id % ? = 0", (step,)
        ).fetchall()
        if not rows:  # ids that all miss the step: take the first ones
            rows = store.conn.execute(
                "SELECT id, embedding FROM passages LIMIT ?", (want,)
            ).fetchall()
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        return store.vectors_of(ids, [r[1] for r in rows])


def build_from_store(store: Store) -> tuple[Path, faiss.Index]:
    """A new base over every vector in ``store``, beside its database, and its read index."""
    count = store.passage_count()
    nlist = ondisk_nlist(count)
    base = build_base(
        store.path.parent, store_sample(store, count, nlist), store_shards(store), nlist, count
    )
    return base, read_base(base)


def from_store(store: Store, nprobe: int | None = None) -> OnDiskDenseIndex:
    """An on-disk index over a new base of every vector in ``store``."""
    dense = OnDiskDenseIndex(*build_from_store(store), store)
    if nprobe is not None:
        dense.nprobe = nprobe
    return dense
