"""Dense search: FAISS inner product over unit vectors, with ids that allow removal."""

from __future__ import annotations

import os
from pathlib import Path

import faiss
import numpy as np

from index.base import Query
from index.store import Filters, Store


class DenseIndex:
    """An exact ``IndexIDMap2(IndexFlatIP)``; filters become an id selector, so the top-k
    cut happens among passages that pass them."""

    def __init__(self, index: faiss.Index, store: Store | None = None) -> None:
        self.index = index
        self.store = store

    @classmethod
    def empty(cls, dim: int, store: Store | None = None) -> DenseIndex:
        """A new index for vectors of ``dim`` dimensions."""
        return cls(faiss.IndexIDMap2(faiss.IndexFlatIP(dim)), store)

    @classmethod
    def load(cls, path: Path, store: Store | None = None) -> DenseIndex:
        """Read an index written by ``save``."""
        return cls(faiss.read_index(str(path)), store)

    @property
    def dim(self) -> int:
        """Vector dimension."""
        return int(self.index.d)

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

    def search(
        self, query: Query, k: int, filters: Filters | None = None
    ) -> list[tuple[int, float]]:
        """Nearest passages by cosine similarity among those passing ``filters``."""
        if query.vector is None or self.count() == 0 or k <= 0:
            return []
        params = None
        if filters is not None and self.store is not None:
            allowed = self.store.allowed_rowids(filters)
            if len(allowed) == 0:
                return []
            if len(allowed) < self.count():
                selector = faiss.IDSelectorBatch(allowed)
                params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
            k = min(k, len(allowed))
        k = min(k, self.count())
        vector = np.ascontiguousarray(query.vector.reshape(1, -1), dtype=np.float32)
        scores, ids = self.index.search(vector, k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def similarity(self, query: Query, rowids: list[int]) -> dict[int, float]:
        """Cosine similarity of the query to given passages.

        Vectors come from the loaded index; a passage committed after it was loaded (the
        lexical side already sees it) is read from the store instead.
        """
        if query.vector is None or not rowids:
            return {}
        found: dict[int, np.ndarray] = {}
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
