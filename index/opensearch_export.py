"""The index as OpenSearch reads it: an index mapping and a bulk NDJSON of every passage.

For the day serving moves to OpenSearch's k-NN plugin (docs/scale-out.md): each passage is
one document holding its text, its filters (council, committee and document type as
``keyword``, meeting date as ``date``) and its vector as a ``knn_vector`` of the model's
dimension, searched by FAISS HNSW on inner product (the vectors are normalised, so this is
cosine).  The HNSW parameters are left at OpenSearch's defaults; the published API schema
types ``method.parameters`` loosely, and the defaults suit a first load.

Load with ``PUT /<name>`` (body: the mapping file) and ``POST /_bulk`` (body: the NDJSON,
in parts of a few MB).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from index.store import Store

DEFAULT_NAME = "committee-papers"
KEYWORD_FILTERS = ("council", "committee", "doc_type")
# OpenSearch index names: lower case, no spaces or \\/*?"<>|,#:, not starting with - _ +
# (nor with ".", so "." and "..", which OpenSearch also refuses, never match)
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,254}")
_CHUNK = 2_000  # passages read at a time


def valid_name(name: str) -> bool:
    """Whether OpenSearch accepts ``name`` as an index name (the safe subset)."""
    return bool(_NAME.fullmatch(name))


def mapping(dim: int, shards: int = 1) -> dict[str, Any]:
    """The ``PUT /<index>`` body: k-NN on, and the passage fields with their types."""
    keyword = {"type": "keyword"}
    return {
        "settings": {"index": {"knn": True, "number_of_shards": shards}},
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "passage_id": keyword,
                "document_id": keyword,
                **{name: keyword for name in KEYWORD_FILTERS},
                "meeting_date": {"type": "date", "format": "strict_date"},
                "source": keyword,
                "source_url": {"type": "keyword", "index": False},
                "title": {"type": "text"},
                "heading": {"type": "text"},
                "text": {"type": "text"},
                "page": {"type": "integer"},
                "char_start": {"type": "integer"},
                "char_end": {"type": "integer"},
                "is_table": {"type": "boolean"},
                "embedding": {
                    "type": "knn_vector",
                    "dimension": dim,
                    "method": {"name": "hnsw", "space_type": "innerproduct", "engine": "faiss"},
                },
            },
        },
    }


def documents(store: Store) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each passage as ``(id, OpenSearch document)``, in index order; unknown fields left out.

    A passage folded into the on-disk dense base has its vector read from the base's
    ``vectors.f16`` (``Store.vectors_of``), a chunk of rows at a time.
    """
    names = (
        "passage_id", "document_id", "council", "committee", "doc_type", "meeting_date",
        "source", "source_url", "title",
    )  # fmt: skip
    last = -1
    while True:
        with store.reading():
            rows = store.conn.execute(
                "SELECT p.passage_id, d.document_id, d.council, d.committee, d.doc_type, "
                "d.meeting_date, d.source, d.source_url, d.title, p.heading, p.text, p.page, "
                "p.char_start, p.char_end, p.is_table, p.embedding, p.id FROM passages p "
                "JOIN documents d ON d.doc_rowid = p.doc_rowid WHERE p.id > ? "
                "ORDER BY p.id LIMIT ?",
                (last, _CHUNK),
            ).fetchall()
            if not rows:
                return
            ids = np.array([int(r[16]) for r in rows], dtype=np.int64)
            vectors = store.vectors_of(ids, [r[15] for r in rows])
        last = int(ids[-1])
        for row, vector in zip(rows, vectors, strict=True):
            doc: dict[str, Any] = {
                k: v for k, v in zip(names, row[:9], strict=True) if v is not None
            }
            doc["heading"] = " > ".join(json.loads(row[9]))
            doc["text"] = row[10]
            if row[11] is not None:
                doc["page"] = int(row[11])
            doc["char_start"], doc["char_end"] = int(row[12]), int(row[13])
            doc["is_table"] = bool(row[14])
            doc["embedding"] = [round(float(v), 7) for v in vector]
            yield row[0], doc


def bulk_lines(store: Store, name: str = DEFAULT_NAME) -> Iterator[str]:
    """The ``POST /_bulk`` body: an ``index`` action line, then the document, per passage."""
    for passage_id, doc in documents(store):
        yield json.dumps({"index": {"_index": name, "_id": passage_id}})
        yield json.dumps(doc, ensure_ascii=False)


def export(store: Store, out: Path, name: str = DEFAULT_NAME) -> tuple[Path, Path, int]:
    """Write ``<name>.mapping.json`` and ``<name>.bulk.ndjson`` into ``out``; returns both
    paths and the number of passages."""
    out.mkdir(parents=True, exist_ok=True)
    dim = int(store.get_meta("dim") or 0)
    mapping_path = out / f"{name}.mapping.json"
    bulk_path = out / f"{name}.bulk.ndjson"
    mapping_path.write_text(json.dumps(mapping(dim), indent=2) + "\n", encoding="utf-8")
    count = 0
    temp = bulk_path.with_name(bulk_path.name + ".tmp")
    try:
        with open(temp, "w", encoding="utf-8") as handle:
            for line in bulk_lines(store, name):
                handle.write(line + "\n")
                count += 1
        temp.replace(bulk_path)
    except BaseException:  # a full disk or Ctrl-C: no half-written body left beside
        temp.unlink(missing_ok=True)
        raise
    return mapping_path, bulk_path, count // 2
