"""How sentence vectors are stored: float32, float16, or int8 with one scale per vector.

Sentence vectors are the largest part of an index at scale (about seven a passage: 10.7 KB
a passage in float32, 107 GB at 10M passages).  The second stage reads a few hundred of
them a question, so they can be stored smaller:

- ``float16``: 2 bytes a dimension (half);
- ``int8``: each vector scaled by its largest magnitude to -127..127, plus that scale as a
  float32 (``dim + 4`` bytes, about a quarter).

A blob's length says its codec (``4 dim``, ``2 dim`` or ``dim + 4``), so an index may hold
several (older rows stay float32) and readers need no setting.  What each costs the
rerank and the highlight on the three dev sets is measured by
``bench/sentence_codec_bench.py`` (docs/performance.md, "Sentence vectors at 10M").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cqa_core.limits import SentenceCodec as Codec

CODECS: tuple[Codec, ...] = ("float32", "float16", "int8")


def encode(vectors: np.ndarray, codec: Codec) -> list[bytes]:
    """One blob per row of ``vectors``."""
    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)
    if codec == "float32":
        return [row.tobytes() for row in vectors]
    if codec == "float16":
        return [row.tobytes() for row in vectors.astype(np.float16)]
    scale = np.abs(vectors).max(axis=1, keepdims=True) / 127.0
    scale[scale == 0] = 1.0  # an all-zero vector stays zero
    codes = np.clip(np.rint(vectors / scale), -127, 127).astype(np.int8)
    return [c.tobytes() + s.tobytes() for c, s in zip(codes, scale.astype(np.float32), strict=True)]


def decode(blobs: Sequence[bytes], dim: int) -> np.ndarray:
    """The float32 vectors of ``blobs`` (any mix of codecs), one row each."""
    if not blobs:
        return np.zeros((0, dim), dtype=np.float32)
    lengths = {len(b) for b in blobs}
    if lengths == {4 * dim}:  # the common case: one read, no copy per row
        return np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), dim)
    out = np.empty((len(blobs), dim), dtype=np.float32)
    for row, blob in enumerate(blobs):
        out[row] = decode_one(blob, dim)
    return out


def decode_one(blob: bytes, dim: int) -> np.ndarray:
    """One blob's float32 vector."""
    if len(blob) == 4 * dim:
        return np.frombuffer(blob, dtype=np.float32)
    if len(blob) == 2 * dim:
        return np.frombuffer(blob, dtype=np.float16).astype(np.float32)
    if len(blob) == dim + 4:
        codes = np.frombuffer(blob[:dim], dtype=np.int8).astype(np.float32)
        return codes * np.frombuffer(blob[dim:], dtype=np.float32)[0]
    raise ValueError(f"a stored vector of {len(blob)} bytes fits no codec for {dim} dimensions")


def bytes_per_vector(codec: Codec, dim: int) -> int:
    """Stored size of one vector."""
    return {"float32": 4 * dim, "float16": 2 * dim, "int8": dim + 4}[codec]
