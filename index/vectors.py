"""The stored vectors: each passage's full-precision embedding, by row id and by text hash.

The store keeps every passage's vector, so the dense index can always be rebuilt from it,
an inverted file's quantised candidates re-scored exactly, and an ingest can reuse the
vector of a text it has embedded before (``indexing.embed_batch``).  ``VectorStore`` is the
part of ``Store`` for them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from index import sentence_codec
from index.sentences import sentence_key
from index.sqlite import StoreBase


class VectorStore(StoreBase):
    """Stored passage and sentence vectors (part of ``Store``)."""

    def all_embeddings(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of every stored passage, used to rebuild the dense index."""
        # Filled row by row: at a million passages a list of rows would double the memory.
        with self.lock:
            count = self.passage_count()
            dim = int(self.get_meta("dim") or 0)
            ids = np.zeros(count, dtype=np.int64)
            vectors = np.zeros((count, dim), dtype=np.float32)
            cursor = self.conn.execute("SELECT id, embedding FROM passages ORDER BY id")
            for i, (rowid, blob) in enumerate(cursor):
                ids[i] = rowid
                vectors[i] = np.frombuffer(blob, dtype=np.float32)
        if not count:
            return ids, np.zeros((0, 0), dtype=np.float32)
        return ids, vectors

    def embeddings(self, rowids: Sequence[int]) -> dict[int, np.ndarray]:
        """Stored passage vectors by row id (passages since removed are left out)."""
        rows = self._select_in("SELECT id, embedding FROM passages WHERE id IN ({marks})", rowids)
        return {int(r[0]): np.frombuffer(r[1], dtype=np.float32).copy() for r in rows}

    def embeddings_by_hash(
        self, hashes: Sequence[str], table: str = "passages"
    ) -> dict[str, np.ndarray]:
        """Stored embeddings of passages (or sentences) whose text had these hashes."""
        if table not in {"passages", "sentences"}:
            raise ValueError(table)
        # One row per hash: a sentence such as "Apologies" recurs in thousands of passages,
        # and reading every copy made a large ingest's memory grow with the square of its
        # size (6 GB at 40k passages).  The rows sharing a hash share the text, so any will do.
        if table == "sentences":  # keyed by 64 bits of the hash, in any codec
            keys: dict[int, list[str]] = {}
            for digest in dict.fromkeys(hashes):
                keys.setdefault(sentence_key(digest), []).append(digest)
            rows = self._select_in(
                "SELECT embed_hash, embedding FROM sentences WHERE embed_hash IN ({marks}) "
                "GROUP BY embed_hash",
                list(keys),
            )
            dim = self.vector_dim()
            return {
                digest: sentence_codec.decode_one(r[1], dim).copy()
                for r in rows
                for digest in keys[int(r[0])]
            }
        rows = self._select_in(
            "SELECT embed_hash, embedding FROM passages WHERE embed_hash IN ({marks}) "
            "GROUP BY embed_hash",
            list(dict.fromkeys(hashes)),
        )
        return {r[0]: np.frombuffer(r[1], dtype=np.float32).copy() for r in rows}
