"""Dense search for a corpus that outgrows memory: IVF-PQ with its inverted lists on disk.

Above ``dense_ondisk_min`` passages (``CQA_DENSE_ONDISK_MIN``) the writer replaces the
in-memory IVF-SQ8 (``index.dense``) with this index (``index.dense_select``).  It has the
same lifecycle as every index of a folder (``index.base.Index``).  Its *base* is a folder
built once by ``index.ondisk_build``:

- ``index.faiss``: the coarse quantiser and the product quantiser (96 bytes a vector);
- ``lists.ivfdata``: the inverted lists (codes and ids), memory-mapped by FAISS's
  ``OnDiskInvertedLists``, so only the lists a search probes are read;
- ``ids.i64`` and ``vectors.f16``: every vector in float16, in id order, memory-mapped to
  re-score the candidates exactly (the 96-byte codes alone reorder near ties).

faiss-cpu 1.15.1 segfaults when such an index is read with ``IO_FLAG_MMAP``: that flag
includes ``IO_FLAG_SKIP_IVF_DATA``, so the lists are never mapped.  The index is read with
``IO_FLAG_READ_ONLY | IO_FLAG_SKIP_IVF_DATA`` instead and the lists file is then mapped
from the base folder itself (wherever that folder now is); either way the lists stay on
disk and enter memory only as the page cache brings in the lists a search touches.

A base is never modified, and its ``vectors.f16`` is the one copy of its passages' vectors:
the commit that first names a base drops the store's float32 copies of them
(``OnDiskDenseIndex.fold``, ``index.vectors``), and a base the store still names is never
deleted.  Vectors added since it was built go to a small exact *delta*
index in memory, removed ids to a sorted *tombstone* array; both are written with each
commit's generation file (``save``), which first builds a new base from the store once
they pass ``COMPACT_SHARE`` of it; ``committed`` deletes the bases no kept generation
names.  Filters become the same id bitmap as in ``index.dense``, applied inside FAISS
before the top-k cut.
"""

from __future__ import annotations

import io
import json
import math
import mmap
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import faiss
import numpy as np

from cqa_core.limits import DEFAULT_NPROBE, DENSE_ONDISK_MIN
from index.base import Batch, Query
from index.dense import dense_file_name, probes_for
from index.filters import Filters
from index.vectors import BASE_META

if TYPE_CHECKING:
    from index.store import Store

ONDISK_MIN = DENSE_ONDISK_MIN  # above this many vectors the writer builds an on-disk base
# Candidates taken from the PQ codes per result, then re-scored exactly. At the service's
# probes, recall@10 with 8 / 16 / 32 was 0.935 / 0.963 / 0.968 at 3M and - / 0.944 / 0.959
# at 10M (docs/performance.md): 32 is the smallest that holds 0.95 at every size measured,
# for ~1 ms more a search.
REFINE_FACTOR = 32
# A filter passing at most this many passages is searched exactly, from the float16 vectors
# of exactly those passages: probing the lists for them would scan most of the index (at 1M
# passages a council's 2,864 took 52 ms through the lists), and the scores are exact.
EXACT_FILTERED = 50_000
# A wider filter is searched through the lists, probing more of them the fewer passages it
# lets through: ``filtered_probes``, the probes asked for over share ** FILTER_PROBE_POWER.
# Until stop 34 the power was 1 (the passing vectors in the lists probed kept constant),
# which probed every list at 10M for a filter of 0.7% and took 65-100 ms p50 a search. At
# 10M, 60 questions, date ranges passing 0.7%, 2%, 3.6% and 18% of the passages and a
# document type passing 13%: recall@10 against exact search among the passing passages
# 1.000, 1.000, 0.998, 1.000, 1.000 at 0.5, in 18-26 ms p50 (power 1: all 1.000, 35-100 ms;
# 0.25: 0.982 at 18%) (``bench/filtered_probes.py``; docs/performance.md, "Filtered asks at
# 10M, stop 34").
FILTER_PROBE_POWER = 0.5
COMPACT_SHARE = 0.125  # rebuild the base once delta + tombstones pass this share of it
BASE_PREFIX = "dense-base-"
INDEX_FILE = "index.faiss"
LISTS_FILE = "lists.ivfdata"
IDS_FILE = "ids.i64"
VECTORS_FILE = "vectors.f16"
_MAGIC = b"PK"  # a generation file of this index is a numpy .npz (a zip), not a FAISS file


def is_ondisk_file(path: Path) -> bool:
    """Whether a generation file belongs to an on-disk index (and not to ``DenseIndex``)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(2) == _MAGIC
    except OSError:
        return False


def read_base(base: Path) -> faiss.Index:
    """The base's IVF-PQ index, its lists mapped read-only from ``base/lists.ivfdata``."""
    index = faiss.read_index(
        str(base / INDEX_FILE), faiss.IO_FLAG_READ_ONLY | faiss.IO_FLAG_SKIP_IVF_DATA
    )
    ivf: Any = faiss.extract_index_ivf(index)
    lists: Any = faiss.downcast_InvertedLists(ivf.invlists)
    lists.filename = str(base / LISTS_FILE)  # the path recorded at build time may have moved
    lists.do_mmap()
    return index


def mapped(path: Path, dtype: np.dtype) -> np.ndarray:
    """A read-only memory map of ``path`` for random reads (``MADV_RANDOM``: a vector not in
    the page cache costs one page read, not the ~128 KB of read-ahead around it)."""
    if path.stat().st_size == 0:
        return np.zeros(0, dtype=dtype)
    with open(path, "rb") as fh:
        region = mmap.mmap(fh.fileno(), 0, prot=mmap.PROT_READ)
    region.madvise(mmap.MADV_RANDOM)
    return np.frombuffer(region, dtype=dtype)


def _pq_bytes(ivf: faiss.IndexIVF) -> int:
    pq: Any = faiss.downcast_index(ivf)
    return int(pq.pq.M)


class OnDiskDenseIndex:
    """An immutable on-disk IVF-PQ base plus an in-memory delta and tombstones."""

    def __init__(
        self,
        base: Path,
        index: faiss.Index,
        store: Store | None = None,
        nprobe: int = DEFAULT_NPROBE,
        refine_factor: int = REFINE_FACTOR,
    ) -> None:
        self.store = store
        self.nprobe = nprobe
        self.refine_factor = refine_factor
        self.index_dir: Path | None = None  # the folder it is saved to, once loaded from one
        self._open(base, index)

    def _open(self, base: Path, index: faiss.Index) -> None:
        """Take ``base`` as this index's base, with an empty delta and no tombstones."""
        self.base = base
        self.index = index
        self.ids = mapped(base / IDS_FILE, np.dtype(np.int64))
        self.vectors = mapped(base / VECTORS_FILE, np.dtype(np.float16)).reshape(
            len(self.ids), int(index.d)
        )
        self.delta = faiss.IndexIDMap2(faiss.IndexFlatIP(int(index.d)))
        self.removed = np.zeros(0, dtype=np.int64)
        # the last narrow filter's passing ids (unpacking a 10M-bit bitmap takes ~20 ms)
        self._subset: tuple[object, np.ndarray] = (None, np.zeros(0, dtype=np.int64))

    @classmethod
    def open_base(cls, base: Path, store: Store | None = None) -> OnDiskDenseIndex:
        """The index over a finished base folder, with an empty delta."""
        return cls(base, read_base(base), store)

    @classmethod
    def read_file(cls, path: Path, store: Store | None = None) -> OnDiskDenseIndex:
        """Read a generation file written by ``write_file`` (and the base it names)."""
        with np.load(path, allow_pickle=False) as data:
            manifest = json.loads(str(data["manifest"]))
            dense = cls.open_base(path.parent / manifest["base"], store)
            if len(data["delta_ids"]):
                dense.delta.add_with_ids(data["delta_vectors"], data["delta_ids"])
            dense.removed = np.asarray(data["removed"], dtype=np.int64)
        return dense

    @classmethod
    def load(cls, index_dir: Path, store: Store, writer: bool = False) -> OnDiskDenseIndex:
        """The index of the store's last commit.  Unlike ``DenseIndex.load`` it is not rebuilt
        here when its files are gone or unreadable (a build writes a new base, and a reader
        must not): it raises ``OSError``, ``RuntimeError`` or ``ValueError``, and
        ``index.dense_select.load_dense`` rebuilds an in-memory index from the store instead."""
        name = store.get_meta("dense_file")
        if not name or not is_ondisk_file(index_dir / name):
            raise ValueError(f"the index at {index_dir} has no on-disk dense index")
        try:
            dense = cls.read_file(index_dir / name, store)
        except KeyError as exc:  # an archive without the expected arrays
            raise ValueError(f"{index_dir / name} is not a dense generation file") from exc
        dense.index_dir = index_dir
        if writer:  # a store migrated from version 2 still holds what the base holds
            dense.fold()
        return dense

    # --- the Index lifecycle --------------------------------------------------------

    def add(self, batch: Batch) -> None:
        """Add the batch's vectors under their row ids (to the in-memory delta)."""
        self.add_vectors(batch.ids, batch.vectors)

    def save(self, generation: int) -> dict[str, str]:
        """Write the generation's file, after building a new base from the store if the delta
        and tombstones are due (``COMPACT_SHARE``); returns the ``dense_file`` entry."""
        if self.index_dir is None:
            raise ValueError("a dense index not loaded from a folder has nowhere to be saved")
        changed = int(self.delta.ntotal) + len(self.removed)
        if self.store is not None and changed > COMPACT_SHARE * max(1, int(self.index.ntotal)):
            from index.ondisk_build import build_from_store  # the write path, only when due

            self._open(*build_from_store(self.store))
        name = dense_file_name(generation)
        self.write_file(self.index_dir / name)
        self.fold()  # in the writer's transaction, which commits the generation naming the base
        return {"dense_file": name}

    def fold(self) -> int:
        """Drop the store's float32 copies of the vectors this index's base holds, unless the
        store names this base already (``index.vectors``); returns how many were dropped.

        Only once the base is written: the caller's transaction then commits the drop with
        the generation that names the base, so a crash leaves each vector somewhere.
        """
        if self.store is None or not len(self.ids):
            return 0
        if self.store.get_meta(BASE_META) == self.base.name:
            return 0
        return self.store.fold_into_base(self.base.name, int(self.ids[-1]))

    def committed(self, generation: int) -> None:
        """Delete the generation files before the previous one, the bases neither of the kept
        ones names, and what an interrupted build left."""
        if self.index_dir is None:
            return
        keep = [self.index_dir / dense_file_name(g) for g in (generation, generation - 1)]
        for path in self.index_dir.glob("dense-*.faiss*"):
            if path not in keep:
                path.unlink(missing_ok=True)
        held = self.store.get_meta(BASE_META) if self.store is not None else None
        for base in stale_bases(self.index_dir, [p for p in keep if p.exists()], held):
            shutil.rmtree(base, ignore_errors=True)  # an open reader keeps its mapped files
        for work in self.index_dir.glob(f".{BASE_PREFIX}*.tmp"):
            shutil.rmtree(work, ignore_errors=True)  # only the writer builds, and it is here

    def close(self) -> None:
        """Nothing to release: the mapped files close when the index is dropped."""

    def write_file(self, path: Path) -> None:
        """Write the generation file atomically: which base, the delta and the tombstones."""
        count = int(self.delta.ntotal)
        delta_ids = faiss.vector_to_array(self.delta.id_map).astype(np.int64)
        vectors = (
            self.delta.index.reconstruct_n(0, count)
            if count
            else np.zeros((0, self.dim), dtype=np.float32)
        )
        buffer = io.BytesIO()
        manifest = {"base": self.base.name, "kind": self.kind}
        np.savez(
            buffer,
            manifest=np.array(json.dumps(manifest)),
            delta_ids=delta_ids,
            delta_vectors=vectors,
            removed=self.removed,
        )
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fh:
            fh.write(buffer.getvalue())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return int(self.index.d)

    @property
    def kind(self) -> str:
        """``ivf<nlist>,pq<bytes>,ondisk``."""
        ivf = faiss.extract_index_ivf(self.index)
        return f"ivf{ivf.nlist},pq{_pq_bytes(ivf)},ondisk"

    def count(self) -> int:
        """How many vectors the index holds (base less tombstones, plus the delta)."""
        return int(self.index.ntotal) - len(self.removed) + int(self.delta.ntotal)

    def _in_base(self, ids: np.ndarray) -> np.ndarray:
        """For each id, its row in the base's vector file, or -1."""
        rows = np.searchsorted(self.ids, ids)
        inside = rows < len(self.ids)
        found = np.full(len(ids), -1, dtype=np.int64)
        hit = inside.copy()
        hit[inside] = np.asarray(self.ids[rows[inside]]) == ids[inside]
        found[hit] = rows[hit]
        return found

    def add_vectors(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors under integer ids (to the in-memory delta)."""
        if len(ids):
            self.delta.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64)
            )

    def remove(self, ids: np.ndarray) -> None:
        """Remove vectors by id (unknown ids are ignored)."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids):
            return
        self.delta.remove_ids(ids)  # type: ignore[arg-type]
        in_base = ids[self._in_base(ids) >= 0]
        self.removed = np.union1d(self.removed, in_base).astype(np.int64)

    def _selector(self, bitmap: np.ndarray | None) -> tuple[faiss.IDSelector | None, list[object]]:
        """The ids FAISS may return: the filter's bitmap less the tombstones (and what the
        selector points into, which must stay referenced while FAISS reads it)."""
        if not len(self.removed):
            if bitmap is None:
                return None, []
            return faiss.IDSelectorBitmap(len(bitmap), faiss.swig_ptr(bitmap)), [bitmap]
        if bitmap is None:
            batch = faiss.IDSelectorBatch(len(self.removed), faiss.swig_ptr(self.removed))
            return faiss.IDSelectorNot(batch), [batch]
        bitmap = bitmap.copy()
        gone = self.removed[(self.removed >> 3) < len(bitmap)]
        np.bitwise_and.at(bitmap, gone >> 3, ~(1 << (gone & 7)).astype(np.uint8))
        return faiss.IDSelectorBitmap(len(bitmap), faiss.swig_ptr(bitmap)), [bitmap]

    def search(
        self, query: Query, k: int, filters: Filters | None = None
    ) -> list[tuple[int, float]]:
        """Nearest passages by cosine similarity among those passing ``filters``."""
        if query.vector is None or self.count() <= 0 or k <= 0:
            return []
        bitmap = None
        share = 1.0
        if filters is not None and self.store is not None:
            allowed = self.store.allowed(filters)
            if allowed.count == 0:
                return []
            if allowed.count < self.count():
                bitmap = allowed.bitmap
                share = allowed.count / self.count()
        if bitmap is not None and allowed.count <= EXACT_FILTERED:
            if self._subset[0] is not allowed:  # the store keeps each filter's set: reuse
                self._subset = (allowed, allowed.ids())
            return self._search_subset(query, k, self._subset[1], bitmap)
        # A narrow filter leaves few passing vectors in each list: probe more lists.
        nlist = faiss.extract_index_ivf(self.index).nlist
        return self.search_lists(
            query.vector, k, bitmap, filtered_probes(nlist, self.nprobe, share)
        )

    def search_lists(
        self, vector: np.ndarray, k: int, bitmap: np.ndarray | None, nprobe: int
    ) -> list[tuple[int, float]]:
        """``search``'s path through the inverted lists, ``nprobe`` of them, among the
        passages of ``bitmap`` (None: all): the candidates re-scored from the float16
        vectors, the delta searched beside (``bench/filtered_probes.py`` calls it too)."""
        selector, keep = self._selector(bitmap)
        vector = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
        ivf = faiss.extract_index_ivf(self.index)
        params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)  # type: ignore[call-arg]
        if isinstance(faiss.downcast_index(ivf.quantizer), faiss.IndexHNSW):
            # the graph must visit at least as many centroids as lists are probed
            params.quantizer_params = faiss.SearchParametersHNSW(efSearch=2 * nprobe)  # type: ignore[attr-defined]
        fetch = min(int(self.index.ntotal), k * self.refine_factor)
        _, found = self.index.search(vector, fetch, params=params)
        candidates = found[0][found[0] >= 0]
        rows = self._in_base(candidates)
        inside = rows >= 0
        candidates, rows = candidates[inside], rows[inside]
        ahead = np.argsort(rows)  # read the file forwards
        exact = self.vectors[rows[ahead]].astype(np.float32) @ vector[0]
        scored = dict(zip(candidates[ahead].tolist(), exact.tolist(), strict=True))
        if self.delta.ntotal:
            delta_params = faiss.SearchParameters(sel=selector) if bitmap is not None else None  # type: ignore[call-arg]
            scores, ids = self.delta.search(
                vector, min(k, int(self.delta.ntotal)), params=delta_params
            )
            scored.update(
                (int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0
            )
        del keep
        return sorted(scored.items(), key=lambda item: -item[1])[:k]

    def _search_subset(
        self, query: Query, k: int, ids: np.ndarray, bitmap: np.ndarray
    ) -> list[tuple[int, float]]:
        """Exact search among ``ids`` (a narrow filter's passages), base and delta."""
        assert query.vector is not None
        vector = np.ascontiguousarray(query.vector, dtype=np.float32)
        if len(self.removed):
            ids = ids[~np.isin(ids, self.removed)]
        rows = self._in_base(ids)
        inside = rows >= 0
        ids, rows = ids[inside], rows[inside]  # ascending: the file is read forwards
        scores = self.vectors[rows].astype(np.float32) @ vector
        if len(scores) > k:  # only the best k go on (sorting all 8k of a council took 16 ms)
            best = np.argpartition(-scores, k - 1)[:k]
            ids, scores = ids[best], scores[best]
        scored = dict(zip(ids.tolist(), scores.tolist(), strict=True))
        if self.delta.ntotal:
            selector = faiss.IDSelectorBitmap(len(bitmap), faiss.swig_ptr(bitmap))
            params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
            found, got = self.delta.search(
                vector.reshape(1, -1), min(k, int(self.delta.ntotal)), params=params
            )
            scored.update(
                (int(i), float(s)) for i, s in zip(got[0], found[0], strict=True) if i >= 0
            )
        return sorted(scored.items(), key=lambda item: -item[1])[:k]

    def similarity(self, query: Query, rowids: list[int]) -> dict[int, float]:
        """Cosine similarity of the query to given passages (float16 base vectors, the delta's
        exact ones, or the store's for a passage committed after this index was loaded)."""
        if query.vector is None or not rowids:
            return {}
        q = query.vector.astype(np.float32)
        wanted = np.asarray(rowids, dtype=np.int64)
        rows = self._in_base(wanted)
        gone = set(self.removed.tolist()) if len(self.removed) else set()
        out: dict[int, float] = {}
        for rowid, row in zip(wanted.tolist(), rows.tolist(), strict=True):
            if row >= 0 and rowid not in gone:
                out[rowid] = float(self.vectors[row].astype(np.float32) @ q)
        for rowid in (i for i in wanted.tolist() if i not in out):
            try:
                out[rowid] = float(np.asarray(self.delta.reconstruct(rowid)) @ q)
            except RuntimeError:  # not in the delta either
                continue
        later = [i for i in wanted.tolist() if i not in out]
        if later and self.store is not None:
            out.update((i, float(v @ q)) for i, v in self.store.embeddings(later).items())
        return out


def filtered_probes(
    nlist: int, nprobe: int, share: float, power: float = FILTER_PROBE_POWER
) -> int:
    """Lists to probe for a filter passing ``share`` of the passages (1: none filtered out):
    ``probes_for(nlist, nprobe)`` over ``share ** power``, at most ``nlist``."""
    base = probes_for(nlist, nprobe)
    return min(nlist, math.ceil(base / max(share, 1e-12) ** power))


def referenced_bases(index_dir: Path, generation_files: list[Path]) -> set[str]:
    """Base folders named by the given generation files (the others may be deleted)."""
    names: set[str] = set()
    for path in generation_files:
        if is_ondisk_file(path):
            with np.load(path, allow_pickle=False) as data:
                names.add(json.loads(str(data["manifest"]))["base"])
    return names


def stale_bases(
    index_dir: Path, generation_files: list[Path], held: str | None = None
) -> list[Path]:
    """Finished base folders in ``index_dir`` that none of ``generation_files`` names, other
    than ``held``: the base holding the store's only copy of its vectors (``index.vectors``)."""
    keep = referenced_bases(index_dir, generation_files) | ({held} if held else set())
    return [p for p in index_dir.glob(f"{BASE_PREFIX}*") if p.is_dir() and p.name not in keep]
