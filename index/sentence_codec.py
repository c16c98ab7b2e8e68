"""How sentence vectors are stored: float32, float16, or int8 with one scale per vector.

Sentence vectors are the largest part of an index at scale (about seven a passage: 10.7 KB
a passage in float32, 107 GB at 10M passages).  The second stage reads a few hundred of
them a question, so they can be stored smaller:

- ``float16``: 2 bytes a dimension (half);
- ``int8``: each vector scaled by its largest magnitude to -127..127, plus that scale as a
  float32 (``dim + 4`` bytes, about a quarter).

- ``pq96`` and ``pq48``: product-quantised, one one-byte code (a centroid of 256) for each
  4 or 8 dimensions: 96 or 48 bytes a vector, a 16th or a 32nd of float32.  The codebook
  belongs to the model, not the index: it is trained once on the bundled model's sentence
  vectors of the synthetic corpus (``bench/fit_sentence_pq.py``) and shipped beside this
  module (``sentence_pq96.npz``, ``sentence_pq48.npz``); a decoded vector is renormalised,
  as every stored vector is a unit vector.

A blob's length says its codec (``4 dim``, ``2 dim``, ``dim + 4``, 96 or 48), so an index
may hold several (older rows stay float32) and readers need no setting.  What each costs the
rerank and the highlight on the three dev sets is measured by
``bench/sentence_codec_bench.py`` (docs/performance.md, "Sentence vectors at 10M").
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from cqa_core.limits import SentenceCodec as Codec

CODECS: tuple[Codec, ...] = ("float32", "float16", "int8", "pq96", "pq48")
PQ_BYTES: dict[str, int] = {"pq96": 96, "pq48": 48}  # sub-quantisers, one byte each


def pq_file(m: int) -> Path:
    """Where the shipped codebook of ``m`` sub-quantisers is."""
    return Path(__file__).with_name(f"sentence_pq{m}.npz")


_PQ_CHUNK = 4096  # vectors encoded at a time (the distance table is chunk x 256 a part)


@functools.cache
def pq_centroids(dim: int, m: int = 48) -> np.ndarray:
    """The shipped codebook of ``m`` sub-quantisers, ``(m, 256, dim / m)`` float32, for
    vectors of ``dim``."""
    path = pq_file(m)
    try:
        with np.load(path) as data:
            centroids = np.asarray(data["centroids"], dtype=np.float32)
    except OSError as exc:
        raise ValueError(f"the pq{m} codebook {path.name} is missing") from exc
    if centroids.shape[0] * centroids.shape[2] != dim:
        raise ValueError(
            f"the pq{m} codebook fits {centroids.shape[0] * centroids.shape[2]}-dimension "
            f"vectors (the bundled model's), not {dim}"
        )
    return centroids


def _pq_size(size: int, dim: int) -> int | None:
    """The sub-quantisers of a blob of ``size`` bytes, if no plain codec has that size."""
    if size in PQ_BYTES.values() and size not in (4 * dim, 2 * dim, dim + 4):
        return size
    return None


def pq_encode(vectors: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Each vector's nearest centroid in each sub-space: ``(n, m)`` uint8 codes."""
    m, _, dsub = centroids.shape
    parts = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), m, dsub)
    codes = np.empty((len(vectors), m), dtype=np.uint8)
    norms = np.einsum("mkd,mkd->mk", centroids, centroids)  # |c|^2 per centroid
    for start in range(0, len(vectors), _PQ_CHUNK):
        chunk = parts[start : start + _PQ_CHUNK]
        # argmin |x - c|^2 = argmin |c|^2 - 2 x.c, one sub-space at a time
        dots = np.einsum("nmd,mkd->nmk", chunk, centroids)
        codes[start : start + len(chunk)] = np.argmin(norms[None] - 2 * dots, axis=2)
    return codes


def pq_decode(codes: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """The unit vectors ``codes`` stand for."""
    m = centroids.shape[0]
    vectors = centroids[np.arange(m), codes.astype(np.intp)].reshape(len(codes), -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32)


def encode(vectors: np.ndarray, codec: Codec) -> list[bytes]:
    """One blob per row of ``vectors``."""
    vectors = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), -1)
    if codec == "float32":
        return [row.tobytes() for row in vectors]
    if codec == "float16":
        return [row.tobytes() for row in vectors.astype(np.float16)]
    if codec in PQ_BYTES:
        centroids = pq_centroids(vectors.shape[1], PQ_BYTES[codec])
        return [row.tobytes() for row in pq_encode(vectors, centroids)]
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
    if len(lengths) == 1 and (m := _pq_size(next(iter(lengths)), dim)):
        codes = np.frombuffer(b"".join(blobs), dtype=np.uint8).reshape(len(blobs), m)
        return pq_decode(codes, pq_centroids(dim, m))
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
    if m := _pq_size(len(blob), dim):
        code = np.frombuffer(blob, dtype=np.uint8).reshape(1, m)
        return pq_decode(code, pq_centroids(dim, m))[0]
    raise ValueError(f"a stored vector of {len(blob)} bytes fits no codec for {dim} dimensions")


def bytes_per_vector(codec: Codec, dim: int) -> int:
    """Stored size of one vector."""
    sizes = {"float32": 4 * dim, "float16": 2 * dim, "int8": dim + 4}
    return sizes[codec] if codec in sizes else PQ_BYTES[codec]
