"""Vectors for a batch of staged passages and their sentences, in chunks progress can follow.

The model is the slow part of an ingest, so the writer embeds a whole commit batch at once
(full model batches rather than a short call per document) but in chunks of ``EMBED_CHUNK``
passages, reporting each, so a progress bar moves while the model works.  The passages are
taken shortest first, so each chunk's model batches are as even as they would be in one call
for the whole batch.  A text the index already holds a vector for is not embedded again, and
one repeated within the batch is embedded once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from index.embedder import Embedder
from index.store import Store
from ingest.models import Passage
from ingest.timings import StageTimes

# Passages embedded between two progress reports: four model batches of 16, some seconds of
# the model on two cores, so a progress bar moves often enough to be believed.  Measured on
# the dev set against one call per batch: no difference beyond the noise (docs/performance.md).
EMBED_CHUNK = 64


def embed_text(passage: Passage) -> str:
    """What the model reads for a passage: its heading path, then its text."""
    heading = " > ".join(h for h in passage.heading_path if h)
    return f"{heading}\n{passage.text}" if heading else passage.text


def embed_hash(model: str, text: str) -> str:
    """The key under which the index keeps the vector ``model`` gave ``text``."""
    return hashlib.sha256(f"{model}\n{text}".encode()).hexdigest()[:32]


@dataclass
class BatchVectors:
    """The vectors of one batch, in the order its passages were given."""

    passages: np.ndarray  # one row per passage
    sentences: list[np.ndarray]  # per passage, one row per sentence span
    fresh_passages: int  # passages the model read (the others' vectors were known)
    fresh_sentences: int


class BatchEmbedder:
    """Embeds batches for one writer: its model, and its index as a cache of vectors."""

    def __init__(self, embedder: Embedder, store: Store, times: StageTimes) -> None:
        self.embedder = embedder
        self.store = store
        self.times = times

    def embed(
        self,
        passages: Sequence[Passage],
        spans: Sequence[Sequence[tuple[int, int]]],
        on_chunk: Callable[[int], None] | None = None,
        chunk_size: int | None = None,
    ) -> BatchVectors:
        """Vectors of ``passages`` and of their sentences (``spans``: offsets in each text);
        ``on_chunk`` hears how many passages each chunk embedded."""
        size = chunk_size or EMBED_CHUNK
        texts = [embed_text(p) for p in passages]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.zeros((len(texts), self.embedder.dim), dtype=np.float32)
        sentence_vectors: list[np.ndarray] = [vectors[:0]] * len(texts)
        seen: dict[str, np.ndarray] = {}  # vectors made in this batch, by hash (both tables)
        fresh_passages = fresh_sentences = 0
        for start in range(0, len(order), size):
            chunk = order[start : start + size]
            got, fresh = self._vectors([texts[i] for i in chunk], "passages", seen)
            vectors[chunk] = got
            fresh_passages += fresh
            sentences = [passages[i].text[a:b] for i in chunk for a, b in spans[i]]
            flat, fresh = self._vectors(sentences, "sentences", seen)
            fresh_sentences += fresh
            row = 0
            for i in chunk:
                sentence_vectors[i] = flat[row : row + len(spans[i])]
                row += len(spans[i])
            if on_chunk:
                on_chunk(len(chunk))
        return BatchVectors(vectors, sentence_vectors, fresh_passages, fresh_sentences)

    def _vectors(
        self, texts: list[str], table: str, seen: dict[str, np.ndarray]
    ) -> tuple[np.ndarray, int]:
        """Vectors for texts, reusing those the index (``table``) or ``seen`` holds; ``seen``
        gains the new ones.  Returns the vectors and how many texts the model read."""
        times = self.times
        with times.stage("lookup"):
            hashes = [embed_hash(self.embedder.name, t) for t in texts]
            cached = {h: seen[h] for h in hashes if h in seen}
            cached.update(
                self.store.embeddings_by_hash([h for h in hashes if h not in cached], table)
            )
            first: dict[str, int] = {}  # each missing hash -> the first text that has it
            for i, h in enumerate(hashes):
                if h not in cached and h not in first:
                    first[h] = i
            vectors = np.zeros((len(texts), self.embedder.dim), dtype=np.float32)
        if first:
            with times.stage("embed"):
                fresh = self.embedder.encode([texts[i] for i in first.values()])
            cached.update(zip(first, fresh, strict=True))
            seen.update(zip(first, fresh, strict=True))
        with times.stage("lookup"):
            for i, h in enumerate(hashes):
                vectors[i] = cached[h]
        return vectors, len(first)
