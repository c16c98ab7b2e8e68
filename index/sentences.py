"""Each passage's sentences, with their own vectors.

The second ranking stage and the highlight read these instead of running the model at
question time.  They are stored in any of ``index.sentence_codec``'s codecs (float32,
float16 or int8), each row read back by its length.  Each row also keys its text's hash
(``indexing.embed_batch.embed_hash``) as one 64-bit integer, so an ingest can reuse the
vector of a sentence it has embedded before.  ``SentenceStore`` is the part of ``Store``
for them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from index import sentence_codec
from index.sqlite import StoreBase


def sentence_key(digest: str) -> int:
    """The stored key of a sentence's text hash (hex): its first 64 bits, as SQLite's signed
    integer.

    8 bytes where 32 hex characters were: at 10M passages (~77M sentences) the chance of
    any two texts sharing a key is ~1e-4, and a shared key only reuses another sentence's
    vector for one sentence.
    """
    value = int(digest[:16], 16)
    return value - (1 << 64) if value >= 1 << 63 else value


def text_key(value: str | int) -> int:
    """A stored text hash as version 3 keys it: an integer as it is, 32 hex characters as
    ``sentence_key``; anything else (the benchmarks' empty hashes) as the key of its own hash."""
    if isinstance(value, int):
        return value
    try:
        return sentence_key(value)
    except ValueError:
        return sentence_key(hashlib.blake2b(value.encode()).hexdigest())


class SentenceStore(StoreBase):
    """Sentence spans and vectors by passage (part of ``Store``)."""

    def sentence_vectors(
        self, rowids: Sequence[int]
    ) -> dict[int, tuple[list[tuple[int, int]], np.ndarray]]:
        """Each passage's stored sentence spans and vectors (passages without them are left out)."""
        if not rowids:
            return {}
        rows = self._select_in(
            "SELECT passage, start_char, end_char, embedding FROM sentences "
            "WHERE passage IN ({marks}) ORDER BY passage, start_char",
            rowids,
        )
        if not rows:
            return {}
        # one array for all the rows, then a view per passage (rows come grouped by passage)
        matrix = sentence_codec.decode([r[3] for r in rows], self.vector_dim())
        out: dict[int, tuple[list[tuple[int, int]], np.ndarray]] = {}
        start = 0
        for end in range(1, len(rows) + 1):
            if end == len(rows) or rows[end][0] != rows[start][0]:
                spans = [(int(r[1]), int(r[2])) for r in rows[start:end]]
                out[int(rows[start][0])] = (spans, matrix[start:end])
                start = end
        return out

    def insert_sentences(
        self,
        passage: int,
        spans: Sequence[tuple[int, int]],
        hashes: Sequence[str],
        vectors: Sequence[np.ndarray],
        codec: sentence_codec.Codec = "float32",
    ) -> None:
        """Store one passage's sentences: offsets in its text, text hashes (hex, stored as
        ``sentence_key``) and vectors (stored in ``codec``)."""
        blobs = (
            sentence_codec.encode(np.asarray(vectors, dtype=np.float32), codec)
            if len(vectors)
            else []
        )
        self.conn.executemany(
            "INSERT INTO sentences(passage, start_char, end_char, embed_hash, embedding) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (passage, a, b, sentence_key(digest), blob)
                for (a, b), digest, blob in zip(spans, hashes, blobs, strict=True)
            ],
        )
