"""The stored vectors: each passage's embedding, by row id and by text hash.

A passage's vector has exactly one home.  While the dense index is in memory
(``index.dense``), or until an on-disk base (``index.dense_ondisk``) holds it, it is the
float32 row of ``passage_vectors``.  Once a base holds it, that row is deleted and the
base's ``vectors.f16`` (float16, in id order beside ``ids.i64``) is its one copy: the
store's meta ``vector_base`` names that base folder, and ``vector_base_last`` the largest
id it holds.  The rows are deleted in the transaction that commits the base's generation
(``fold_into_base``), after the base is written, so a crash never leaves a vector nowhere.
The ``passages`` view reads a folded passage's ``embedding`` as NULL; ``vectors_of`` is the
one reader of either home: the dense rebuild, the on-disk base's rebuild, reuse by hash at
ingest, "similar" and the OpenSearch export all read through it.  Deleting whole rows of a
table of their own (not setting a column of ``passage_rows`` to NULL, which SQLite does in
place) gives their pages back for reuse.  ``VectorStore`` is the part of ``Store`` for them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from cqa_core.errors import IndexCorruptError
from index import sentence_codec
from index.sentences import sentence_key
from index.sqlite import StoreBase

# the base whose vectors.f16 holds the vectors of rows whose ``embedding`` is NULL
BASE_META = "vector_base"
BASE_LAST_META = "vector_base_last"
_CHUNK = 10_000  # rows read at a time by ``all_embeddings`` (~15 MB of float32 vectors)


class VectorStore(StoreBase):
    """Stored passage and sentence vectors (part of ``Store``)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        super().__init__(conn, path)
        # (base folder name, its ids, its float16 vectors), memory-mapped once per base
        self._base: tuple[str, np.ndarray, np.ndarray] | None = None

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """One read snapshot (unless a transaction is open already): the rows read and the
        meta naming the base they were folded into belong to the same commit."""
        with self.lock:
            if self.conn.in_transaction:
                yield self.conn
                return
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                self.conn.execute("COMMIT")

    def vectors_of(self, ids: np.ndarray, blobs: Sequence[bytes | None]) -> np.ndarray:
        """float32 ``(len(ids), dim)``: each passage's vector from its ``embedding`` as the
        ``passages`` view reads it (its ``passage_vectors`` row), or, where that is NULL, from
        the on-disk base that holds it (by its row in ``ids.i64``).

        Call it inside the snapshot (``reading``, or the writer's transaction) the rows were
        read in.  Base vectors come back as float16 values widened: within 2^-12 (2.4e-4) of
        each component of a unit vector.
        """
        dim = self.vector_dim()
        out = np.empty((len(blobs), dim), dtype=np.float32)
        missing: list[int] = []
        for i, blob in enumerate(blobs):
            if blob is None:
                missing.append(i)
            else:
                out[i] = np.frombuffer(blob, dtype=np.float32)
        if missing:
            at = np.asarray(missing, dtype=np.int64)
            out[at] = self.based_vectors(np.asarray(ids, dtype=np.int64)[at])
        return out

    def based_vectors(self, ids: np.ndarray) -> np.ndarray:
        """float32 vectors of passages folded into the on-disk base, read from its file."""
        name, base_ids, vectors = self._vector_base()
        rows = np.minimum(np.searchsorted(base_ids, ids), len(base_ids) - 1)
        held = base_ids[rows] == ids if len(base_ids) else np.zeros(len(ids), dtype=bool)
        if not held.all():
            gone = ids[~held][:3].tolist()
            raise IndexCorruptError(
                f"the dense base {name} beside {self.path} lacks the vectors of passages "
                f"{gone}, which the store holds nowhere else: rebuild the index with "
                "'cqa ingest' into a new --index folder"
            )
        order = np.argsort(rows, kind="stable")  # read the file forwards
        out = np.empty((len(ids), vectors.shape[1]), dtype=np.float32)
        out[order] = vectors[rows[order]]
        return out

    def _vector_base(self) -> tuple[str, np.ndarray, np.ndarray]:
        """The base the store's NULL vectors were folded into, mapped (remembered by name)."""
        from index.dense_ondisk import IDS_FILE, VECTORS_FILE, mapped  # the on-disk side only

        name = self.get_meta(BASE_META)
        if not name:
            raise IndexCorruptError(
                f"{self.path} has passages without a vector and names no dense base holding "
                "them: rebuild the index with 'cqa ingest' into a new --index folder"
            )
        with self.lock:
            if self._base is not None and self._base[0] == name:
                return self._base
            folder = self.path.parent / name
            try:
                ids = mapped(folder / IDS_FILE, np.dtype(np.int64))
                vectors = mapped(folder / VECTORS_FILE, np.dtype(np.float16))
                vectors = vectors.reshape(len(ids), self.vector_dim())
            except (OSError, ValueError) as exc:
                raise IndexCorruptError(
                    f"cannot read the dense base {folder}, the only copy of its passages' "
                    f"vectors ({exc}): restore the folder, or rebuild the index with "
                    "'cqa ingest' into a new --index folder"
                ) from exc
            self._base = (name, ids, vectors)
            return self._base

    def fold_into_base(self, name: str, last: int) -> int:
        """Drop the float32 copies of the vectors that the base ``name`` (folder beside the
        store) holds, every passage up to id ``last``, and name it as their home; returns
        how many were dropped.

        Called by the writer in the transaction that commits the base's generation, after
        the base is written (else in a transaction of its own).  The base must hold every
        passage of the store up to ``last``: it does when it was built from the store.
        """
        with self.lock:
            if not self.conn.in_transaction:
                with self.transaction():
                    return self.fold_into_base(name, last)
            # rows up to the previous base's last id were dropped already: only the delta
            since = int(self.get_meta(BASE_LAST_META) or 0) if self.get_meta(BASE_META) else 0
            # a base ending before the named one (its last passages removed since) must not
            # leave a passage of the named one without a vector
            orphan = self.conn.execute(
                "SELECT 1 FROM passage_rows r WHERE r.id > ? AND r.id <= ? AND NOT EXISTS "
                "(SELECT 1 FROM passage_vectors v WHERE v.id = r.id) LIMIT 1",
                (last, since),
            ).fetchone()
            if orphan is not None:
                return 0
            cursor = self.conn.execute(
                "DELETE FROM passage_vectors WHERE id > ? AND id <= ?", (min(since, last), last)
            )
            self.conn.executemany(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                [(BASE_META, name), (BASE_LAST_META, str(last))],
            )
            return int(cursor.rowcount)

    def all_embeddings(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of every stored passage, used to rebuild the dense index."""
        # Filled a chunk at a time: at a million passages a list of rows would double the
        # memory.  Each chunk's vectors come through ``vectors_of``, the one reader.
        with self.reading():
            count = self.passage_count()
            dim = self.vector_dim()
            ids = np.zeros(count, dtype=np.int64)
            vectors = np.zeros((count, dim), dtype=np.float32)
            cursor = self.conn.execute("SELECT id, embedding FROM passages ORDER BY id")
            at = 0
            while rows := cursor.fetchmany(_CHUNK):
                end = at + len(rows)
                ids[at:end] = [r[0] for r in rows]
                vectors[at:end] = self.vectors_of(ids[at:end], [r[1] for r in rows])
                at = end
        if not count:
            return ids, np.zeros((0, 0), dtype=np.float32)
        return ids, vectors

    def embeddings(self, rowids: Sequence[int]) -> dict[int, np.ndarray]:
        """Stored passage vectors by row id (passages since removed are left out)."""
        with self.reading():
            rows = self._select_in(
                "SELECT id, embedding FROM passages WHERE id IN ({marks})", rowids
            )
            ids = np.array([int(r[0]) for r in rows], dtype=np.int64)
            vectors = self.vectors_of(ids, [r[1] for r in rows])
        return {int(i): v for i, v in zip(ids.tolist(), vectors, strict=True)}

    def embeddings_by_hash(
        self, hashes: Sequence[str], table: str = "passages"
    ) -> dict[str, np.ndarray]:
        """Stored embeddings of passages (or sentences) whose text had these hashes."""
        if table not in {"passages", "sentences"}:
            raise ValueError(table)
        # Both are keyed by 64 bits of the hash (``sentence_key``).  One row per hash: a
        # sentence such as "Apologies" recurs in thousands of passages, and reading every
        # copy made a large ingest's memory grow with the square of its size (6 GB at 40k
        # passages).  The rows sharing a hash share the text, so any will do.
        keys: dict[int, list[str]] = {}
        for digest in dict.fromkeys(hashes):
            keys.setdefault(sentence_key(digest), []).append(digest)
        if table == "sentences":  # in any codec
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
        with self.reading():
            rows = self._select_in(
                "SELECT embed_hash, id, embedding FROM passages WHERE embed_hash IN ({marks}) "
                "GROUP BY embed_hash",
                list(keys),
            )
            ids = np.array([int(r[1]) for r in rows], dtype=np.int64)
            vectors = self.vectors_of(ids, [r[2] for r in rows])
        return {
            digest: vector
            for r, vector in zip(rows, vectors, strict=True)
            for digest in keys[int(r[0])]
        }
