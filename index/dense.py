"""Dense search: FAISS inner product over unit vectors, with ids that allow removal.

The index type follows the corpus size (docs/performance.md): exact search
(``IndexIDMap2(IndexFlatIP)``) up to ``EXACT_MAX`` vectors, where a scan is still quick;
beyond it an inverted file with 8-bit scalar-quantised vectors (``IndexIVFScalarQuantizer``),
which is several times faster and four times smaller.  An inverted file is searched for
a few more vectors than asked (``refine_for``), which are then re-scored exactly from the
store's full-precision vectors: the 8-bit codes alone hold recall@10 against exact search
at 0.98 however many lists are probed, because they reorder near ties.  With the re-scoring
and at least ``nlist / 64`` lists probed, recall@10 is 0.994 at 100k and 0.996 at 1M
(docs/performance.md).  The writer converts an index when it grows past the threshold, and
retrains the inverted file when the corpus has grown sixteenfold.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

import faiss
import numpy as np

from index.base import Query
from index.store import Filters, Store

if TYPE_CHECKING:
    from index.dense_ondisk import OnDiskDenseIndex

# Measured on this machine by bench/query_bench.py (docs/performance.md).
EXACT_MAX = 20_000
DEFAULT_NPROBE = 32
_LISTS_PER_PROBE = 64  # at least nlist / 64 lists are probed, however small nprobe is
# An inverted file is searched for k + max(REFINE_MIN, k // 4) vectors, re-scored exactly:
# 20 for the 10 that recall@10 is measured on, 75 for the service's 60 candidates.
REFINE_MIN = 10
_TRAIN_PER_LIST = 64  # k-means sample size per inverted list (FAISS suggests 30-256)


def nlist_for(count: int) -> int:
    """Inverted lists for ``count`` vectors: about 4 sqrt(n), a power of two, and never more
    lists than vectors to train them (FAISS refuses that)."""
    lists = min(65536, max(64, 2 ** round(math.log2(4 * math.sqrt(max(count, 1))))))
    return int(max(1, min(lists, count)))


def refine_for(k: int) -> int:
    """Vectors to take from an inverted file for the best ``k`` after exact re-scoring."""
    return k + max(REFINE_MIN, k // 4)


def probes_for(nlist: int, nprobe: int = DEFAULT_NPROBE) -> int:
    """Lists to probe in an inverted file of ``nlist`` lists, asked for ``nprobe``."""
    return min(nlist, max(nprobe, nlist // _LISTS_PER_PROBE))


class DenseIndex:
    """Exact or inverted-file FAISS search; filters become an id bitmap, so the top-k cut
    happens among passages that pass them."""

    def __init__(
        self, index: faiss.Index, store: Store | None = None, nprobe: int = DEFAULT_NPROBE
    ) -> None:
        self.index = index
        self.store = store
        self.nprobe = nprobe

    @classmethod
    def empty(cls, dim: int, store: Store | None = None) -> DenseIndex:
        """A new exact index for vectors of ``dim`` dimensions."""
        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)), store)

    @classmethod
    def build(
        cls,
        ids: np.ndarray,
        vectors: np.ndarray,
        store: Store | None = None,
        exact_max: int = EXACT_MAX,
    ) -> DenseIndex:
        """The index type for this many vectors, holding them."""
        dim = int(vectors.shape[1]) if vectors.ndim == 2 and vectors.shape[1] else 1
        if len(ids) <= exact_max:
            dense = cls.empty(dim, store)
        else:
            dense = cls(_trained_ivf(vectors, nlist_for(len(ids))), store)
        dense.add(ids, vectors)
        return dense

    @classmethod
    def load(cls, path: Path, store: Store | None = None) -> DenseIndex:
        """Read an index written by ``save``."""
        return cls(faiss.read_index(str(path)), store)

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return int(self.index.d)

    @property
    def kind(self) -> str:
        """``exact`` or ``ivf<nlist>,sq8``."""
        if isinstance(self.index, faiss.IndexIVF):
            return f"ivf{faiss.extract_index_ivf(self.index).nlist},sq8"
        return "exact"

    def save(self, path: Path) -> None:
        """Write to ``path`` atomically: a temporary file, fsync, then rename."""
        tmp = path.with_name(path.name + ".tmp")
        faiss.write_index(self.index, str(tmp))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors under integer ids."""
        if len(ids):
            self.index.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64)
            )

    def remove(self, ids: np.ndarray) -> None:
        """Remove vectors by id (unknown ids are ignored)."""
        if len(ids):
            self.index.remove_ids(ids.astype(np.int64))  # type: ignore[arg-type]

    def count(self) -> int:
        """How many vectors the index holds."""
        return int(self.index.ntotal)

    def resized(
        self, exact_max: int = EXACT_MAX, ondisk_min: int | None = None
    ) -> DenseIndex | OnDiskDenseIndex:
        """This index, or a rebuilt one if it has outgrown its type (see the module notes).

        Vectors come from the store, which keeps every passage's full-precision vector.
        Past ``ondisk_min`` vectors the rebuild is an on-disk IVF-PQ (``index.dense_ondisk``),
        built shard by shard, so no rebuild holds every vector in memory.
        """
        count = self.count()
        if ondisk_min is not None and count > ondisk_min and self.store is not None:
            from index.ondisk_build import from_store  # the write path, only when it is due

            return from_store(self.store, self.nprobe)
        ivf = isinstance(self.index, faiss.IndexIVF)
        if not ivf and count <= exact_max:
            return self
        if ivf and nlist_for(count) < 4 * faiss.extract_index_ivf(self.index).nlist:
            return self
        if self.store is None:
            return self
        ids, vectors = self.store.all_embeddings()
        return DenseIndex.build(ids, vectors, self.store, exact_max)

    def search(
        self, query: Query, k: int, filters: Filters | None = None
    ) -> list[tuple[int, float]]:
        """Nearest passages by cosine similarity among those passing ``filters``."""
        if query.vector is None or self.count() == 0 or k <= 0:
            return []
        selector = None
        share = 1.0
        bitmap = None
        if filters is not None and self.store is not None:
            allowed = self.store.allowed(filters)
            if allowed.count == 0:
                return []
            if allowed.count < self.count():
                bitmap = allowed.bitmap  # kept referenced while FAISS reads it
                selector = faiss.IDSelectorBitmap(len(bitmap), faiss.swig_ptr(bitmap))
                share = allowed.count / self.count()
            k = min(k, allowed.count)
        k = min(k, self.count())
        vector = np.ascontiguousarray(query.vector.reshape(1, -1), dtype=np.float32)
        if not isinstance(self.index, faiss.IndexIVF):
            params = faiss.SearchParameters(sel=selector) if selector else None  # type: ignore[call-arg]
            scores, ids = self.index.search(vector, k, params=params)
            del bitmap
            return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
        nlist = int(self.index.nlist)
        # A narrow filter leaves few passing vectors in each list: probe more lists.
        ivf_params = faiss.SearchParametersIVF(
            sel=selector, nprobe=min(nlist, math.ceil(probes_for(nlist, self.nprobe) / share))
        )  # type: ignore[call-arg]
        fetch = min(self.count(), refine_for(k)) if self.store is not None else k
        scores, ids = self.index.search(vector, fetch, params=ivf_params)
        del bitmap
        found = [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
        if self.store is None:  # nothing to re-score from
            return found
        exact = self.similarity(query, [i for i, _ in found])
        return sorted(exact.items(), key=lambda item: -item[1])[:k]

    def similarity(self, query: Query, rowids: list[int]) -> dict[int, float]:
        """Cosine similarity of the query to given passages.

        Vectors come from an exact index directly; an inverted file stores them quantised,
        so they are read from the store, as is a passage committed after the index was
        loaded (the lexical side already sees it).
        """
        if query.vector is None or not rowids:
            return {}
        found: dict[int, np.ndarray] = {}
        if not isinstance(self.index, faiss.IndexIVF):
            for i in rowids:
                try:
                    found[int(i)] = np.asarray(self.index.reconstruct(int(i)))
                except RuntimeError:  # not in this generation's FAISS file
                    continue
        later = [int(i) for i in rowids if int(i) not in found]
        if later and self.store is not None:
            found.update(self.store.embeddings(later))
        q = query.vector.astype(np.float32)
        return {i: float(v @ q) for i, v in found.items()}


def _trained_ivf(vectors: np.ndarray, nlist: int) -> faiss.Index:
    """An empty inverted file with 8-bit scalar quantisation, trained on a sample."""
    dim = int(vectors.shape[1])
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFScalarQuantizer(
        quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    sample = vectors
    if len(vectors) > nlist * _TRAIN_PER_LIST:
        rows = np.random.default_rng(0).choice(len(vectors), nlist * _TRAIN_PER_LIST, replace=False)
        sample = vectors[np.sort(rows)]
    index.train(np.ascontiguousarray(sample, dtype=np.float32))
    return index
