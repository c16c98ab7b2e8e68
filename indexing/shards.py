"""Parquet shards: what a distributed ingest hands to the commit, one file per group of papers.

A shard holds, for each of its files, either the processed document with its passages'
vectors and its sentences' offsets and vectors, or the reason the file failed.  Its name
is a hash of everything that decides its content (the model, the passage sizes, and each
file's path, bytes and metadata), so a shard on disk is reused only for exactly the same
input: an interrupted ingest resumes from its finished shards, and a changed file or
setting makes a new shard.  A shard is written to a temporary name and renamed, so one on
disk is always whole.

The processed ``Document`` (text, passages, decisions, commitments) travels pickled: a
shard is read back only by this code, on the machine that commits it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ingest.models import DocMeta, Document
from ingest.pipeline import IngestLimits

# bump when the columns or the pickled records change: older shards are then not reused
SHARD_VERSION = 1


def _arrow() -> tuple[object, object]:
    from indexing.ray_support import require

    require("pyarrow")
    import pyarrow as pa
    import pyarrow.parquet as pq

    return pa, pq


@dataclass(frozen=True)
class ShardFile:
    """One paper to process: its path, sha256, manifest metadata and shown name."""

    path: str
    digest: str
    meta: DocMeta
    source: str
    status: str  # "added" or "updated": what the commit reports when it succeeds


@dataclass
class ShardRecord:
    """One file of a finished shard: its document and vectors, or why it failed."""

    path: str
    source: str
    status: str
    error: str | None
    document: Document | None
    vectors: np.ndarray  # one row per passage
    spans: list[list[tuple[int, int]]]  # per passage, its sentences' offsets in its text
    sentence_vectors: list[np.ndarray]  # per passage, one row per sentence


def shard_key(model: str, limits: IngestLimits, files: Sequence[ShardFile]) -> str:
    """The name that changes whenever anything deciding the shard's content changes."""
    spec = {
        "version": SHARD_VERSION,
        "model": model,
        "limits": asdict(limits),
        "files": [[f.path, f.digest, asdict(f.meta), f.source] for f in files],
    }
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:20]


def shard_path(folder: Path, key: str) -> Path:
    """Where the shard ``key`` lives in ``folder``."""
    return folder / f"shard-{key}.parquet"


def encode_spans(spans: list[list[tuple[int, int]]]) -> str:
    """Sentence offsets per passage as a JSON string (a Parquet column)."""
    return json.dumps(spans)


def pack_document(document: Document) -> bytes:
    """The processed document as it travels between Ray stages and into a shard."""
    return pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)


def unpack_document(blob: bytes) -> Document:
    """The inverse of ``pack_document``."""
    document = pickle.loads(blob)
    if not isinstance(document, Document):
        raise TypeError("a shard row does not hold a document")
    return document


def write_shard(path: Path, rows: Iterable[dict[str, object]]) -> None:
    """Write the rows (the pipeline's output columns) to ``path``, whole or not at all."""
    pa, pq = _arrow()
    columns = (
        "order", "path", "source", "status", "error", "document",
        "passage_ids", "dim", "vectors", "spans", "sentence_vectors",
    )  # fmt: skip
    ordered = sorted(rows, key=lambda r: int(r["order"]))  # type: ignore[call-overload]
    table = pa.table({c: [r[c] for r in ordered] for c in columns})  # type: ignore[attr-defined]
    temp = path.with_name(path.name + ".tmp")
    pq.write_table(table, temp)  # type: ignore[attr-defined]
    with open(temp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temp, path)


def read_shard(path: Path) -> list[ShardRecord]:
    """The records of a finished shard, in the order its files were planned."""
    _pa, pq = _arrow()
    rows = pq.read_table(path).to_pylist()  # type: ignore[attr-defined]
    out: list[ShardRecord] = []
    for row in sorted(rows, key=lambda r: r["order"]):
        dim = int(row["dim"] or 0)
        document = unpack_document(row["document"]) if row["document"] else None
        spans = [[(int(a), int(b)) for a, b in ss] for ss in json.loads(row["spans"] or "[]")]
        vectors = np.frombuffer(row["vectors"] or b"", dtype=np.float32).reshape(-1, max(dim, 1))
        flat = np.frombuffer(row["sentence_vectors"] or b"", dtype=np.float32)
        flat = flat.reshape(-1, max(dim, 1))
        sentence_vectors: list[np.ndarray] = []
        at = 0
        for ss in spans:
            sentence_vectors.append(flat[at : at + len(ss)])
            at += len(ss)
        out.append(
            ShardRecord(
                row["path"],
                row["source"],
                row["status"],
                row["error"],
                document,
                vectors,
                spans,
                sentence_vectors,
            )
        )
    return out
