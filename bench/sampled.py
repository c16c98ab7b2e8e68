"""Cheap vectors with the statistics of real ones, for building 100k- and 1M-passage indexes.

The model embeds about 23 passages a second here, so a million passages would take half a
day.  For the query and memory benchmarks the vectors need the shape of real ones, not their
meaning: ``SampledEmbedder`` maps each text (by its hash, so the same text always gets the
same vector) to one of a sample of real embeddings, perturbed by Gaussian noise and
renormalised.  The noise is set so that a vector keeps a chosen cosine to its base, which
makes the corpus a set of tight clusters around real points, as a corpus of many councils
writing about the same topics is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np


class SampledEmbedder:
    """An embedder returning perturbed copies of real vectors (deterministic by text)."""

    def __init__(self, base: np.ndarray, name: str, cosine_to_base: float = 0.85) -> None:
        if base.ndim != 2 or len(base) == 0:
            raise ValueError("base must be a non-empty (n, dim) array")
        self.base = np.ascontiguousarray(base, dtype=np.float32)
        self.name = name  # the real model's name: the index must accept its questions
        self.dim = int(base.shape[1])
        # |g| ~ sigma * sqrt(dim); cos(base + g, base) ~ 1 / sqrt(1 + sigma^2 dim)
        self.sigma = float(np.sqrt((1.0 / cosine_to_base**2 - 1.0) / self.dim))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One perturbed base vector per text, unit length."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            rng = np.random.default_rng(seed)
            vector = self.base[seed % len(self.base)] + rng.normal(0.0, self.sigma, self.dim)
            out[row] = vector / np.linalg.norm(vector)
        return out
