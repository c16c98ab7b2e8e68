"""Document rows: written with their passages, read back as records, deleted.

A document row holds its metadata (as inferred, and as the manifest gave it, to detect
changes) and its full text; a passage row its offsets, heading path and vector, its text
being the document's text between its offsets (read back through the ``passages`` view by
``index.passages`` and ``index.vectors``).
Passage ids are never reused, so a reader holding an older FAISS file can never map a
vector to a different passage.  ``DocumentStore`` is the part of ``Store`` for documents.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from cqa_core.errors import DocumentNotFoundError
from index.filters import Filters, filter_sql
from index.sentences import text_key
from index.sqlite import StoreBase
from ingest.models import DocMeta, Document

DOC_COLUMNS = (
    "document_id, source, path, content_hash, title, council, committee, meeting_date, "
    "doc_type, source_url, supersedes, ingested_at"
)

# A passage's text is stored only where SQLite's slice of its document's text (what the
# ``passages`` view reads, ``index.sqlite``) would differ from it: SQLite itself compares,
# so whatever its substr does with a character, the view gives back the text written.
INSERT_PASSAGE = (
    "INSERT INTO passage_rows(passage_id, doc_rowid, ordinal, char_start, char_end, page, "
    "heading, text, embed_hash, is_table) VALUES (:passage_id, :doc_rowid, "
    ":ordinal, :char_start, :char_end, :page, :heading, CASE WHEN :text IS (SELECT "
    "substr(d.text, :char_start + 1, :char_end - :char_start) FROM documents d "
    "WHERE d.doc_rowid = :doc_rowid) THEN NULL ELSE :text END, :embed_hash, :is_table)"
)
# Its vector, until an on-disk base holds it (``index.vectors``)
INSERT_VECTOR = "INSERT INTO passage_vectors(id, embedding) VALUES (?, ?)"


@dataclass(frozen=True)
class DocumentRecord:
    """A document's metadata as stored (its text is fetched separately)."""

    document_id: str
    source: str
    path: str
    content_hash: str
    meta: DocMeta
    ingested_at: str
    superseded_by: str | None = None
    passages: int = 0
    page_starts: tuple[int, ...] = ()  # offsets where PDF pages 2, 3, ... start (PDF only)


def _meta_from_row(row: sqlite3.Row) -> DocMeta:
    return DocMeta(
        council=row["council"],
        committee=row["committee"],
        meeting_date=row["meeting_date"],
        title=row["title"],
        doc_type=row["doc_type"],
        source_url=row["source_url"],
        supersedes=row["supersedes"],
    )


class DocumentStore(StoreBase):
    """Documents: their rows read and written (part of ``Store``)."""

    def _document(self, row: sqlite3.Row) -> DocumentRecord:
        return DocumentRecord(
            document_id=row["document_id"],
            source=row["source"],
            path=row["path"],
            content_hash=row["content_hash"],
            meta=_meta_from_row(row),
            ingested_at=row["ingested_at"],
            superseded_by=row["superseded_by"],
            passages=int(row["n_passages"]),
            page_starts=tuple(json.loads(row["page_starts"])) if row["page_starts"] else (),
        )

    def _document_query(self, where: str) -> str:
        return (
            f"SELECT d.doc_rowid, {', '.join('d.' + c.strip() for c in DOC_COLUMNS.split(','))}, "
            "(SELECT s.document_id FROM documents s WHERE s.supersedes = d.source "
            " AND s.doc_rowid != d.doc_rowid LIMIT 1) AS superseded_by, "
            "(SELECT count(*) FROM passages p WHERE p.doc_rowid = d.doc_rowid) AS n_passages, "
            f"d.page_starts FROM documents d WHERE {where}"
        )

    def list_documents(self, filters: Filters | None = None) -> list[DocumentRecord]:
        """Documents matching ``filters`` (superseded ones included), newest meeting first."""
        f = filters or Filters(include_superseded=True)
        where, params = filter_sql(f)
        sql = self._document_query(where) + (
            " ORDER BY d.meeting_date IS NULL, d.meeting_date DESC, d.council, d.source"
        )
        with self.lock:
            rows = self.conn.execute(sql, params).fetchall()
        return [self._document(r) for r in rows]

    def get_document(self, document_id: str) -> DocumentRecord:
        """One document's metadata, or DocumentNotFoundError."""
        with self.lock:
            row = self.conn.execute(
                self._document_query("d.document_id = ?"), (document_id,)
            ).fetchone()
        if row is None:
            raise DocumentNotFoundError(f"no document with id {document_id!r}")
        return self._document(row)

    def document_text(self, document_id: str) -> tuple[str, list[int] | None]:
        """A document's full extracted text and its PDF page starts."""
        with self.lock:
            row = self.conn.execute(
                "SELECT text, page_starts FROM documents WHERE document_id = ?", (document_id,)
            ).fetchone()
        if row is None:
            raise DocumentNotFoundError(f"no document with id {document_id!r}")
        starts = json.loads(row["page_starts"]) if row["page_starts"] else None
        return str(row["text"]), starts

    def content_hashes(self) -> dict[str, tuple[str, DocMeta]]:
        """document_id -> (content hash, manifest metadata as given) for every document."""
        with self.lock:
            rows = self.conn.execute(
                "SELECT document_id, content_hash, given_meta FROM documents"
            ).fetchall()
        return {
            r["document_id"]: (r["content_hash"], DocMeta(**json.loads(r["given_meta"])))
            for r in rows
        }

    def copies_of(self, document_id: str, share: float = 0.5) -> list[DocumentRecord]:
        """Other documents holding at least ``share`` of this one's passages word for word.

        Councils attach one report to every meeting that considers it; such copies are the
        "also considered at" of a document.
        """
        with self.lock:
            mine = self.conn.execute(
                "SELECT COUNT(DISTINCT p.embed_hash) FROM passages p JOIN documents d "
                "ON d.doc_rowid = p.doc_rowid WHERE d.document_id = ?",
                (document_id,),
            ).fetchone()[0]
            if not mine:
                return []
            rows = self.conn.execute(
                "SELECT d2.document_id, COUNT(DISTINCT p2.embed_hash) FROM passages p2 "
                "JOIN documents d2 ON d2.doc_rowid = p2.doc_rowid "
                "WHERE d2.document_id != ? AND p2.embed_hash IN ("
                "  SELECT p.embed_hash FROM passages p JOIN documents d "
                "  ON d.doc_rowid = p.doc_rowid WHERE d.document_id = ?) "
                "GROUP BY d2.document_id",
                (document_id, document_id),
            ).fetchall()
        copies = [str(r[0]) for r in rows if int(r[1]) >= share * int(mine)]
        return sorted(
            (self.get_document(c) for c in copies), key=lambda d: d.meta.meeting_date or ""
        )

    # --- writes (inside the writer's transaction) ----------------------------------

    def insert_document(
        self,
        document: Document,
        given: DocMeta,
        vectors: np.ndarray,
        hashes: Sequence[str],
        now: str,
    ) -> list[int]:
        """Insert a document and its passages (each with its vector and the hash of the text
        the model read); returns the passages' new row ids, in order."""
        db = self.conn
        m = document.meta
        cursor = db.execute(
            "INSERT INTO documents(document_id, source, path, content_hash, title, council, "
            "committee, meeting_date, doc_type, source_url, supersedes, text, page_starts, "
            "given_meta, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                document.document_id,
                document.source,
                document.path,
                document.content_hash,
                m.title,
                m.council,
                m.committee,
                m.meeting_date,
                m.doc_type,
                m.source_url,
                m.supersedes,
                document.text,
                json.dumps(document.page_starts) if document.page_starts else None,
                json.dumps(asdict(given)),
                now,
            ),
        )
        doc_rowid = cursor.lastrowid
        rowids: list[int] = []
        for passage, vector, digest in zip(document.passages, vectors, hashes, strict=True):
            cur = db.execute(INSERT_PASSAGE, {
                "passage_id": passage.passage_id,
                "doc_rowid": doc_rowid,
                "ordinal": passage.ordinal,
                "char_start": passage.char_start,
                "char_end": passage.char_end,
                "page": passage.page,
                "heading": json.dumps(list(passage.heading_path)),
                "text": passage.text,
                "embed_hash": text_key(digest),  # 8 bytes, as the sentences' keys
                "is_table": int(passage.is_table),
            })  # fmt: skip
            rowid = int(cur.lastrowid or 0)
            db.execute(INSERT_VECTOR, (rowid, np.asarray(vector, dtype=np.float32).tobytes()))
            rowids.append(rowid)
        return rowids

    def delete_document(self, document_id: str) -> list[tuple[int, tuple[str, ...], str]]:
        """Delete a document (its passages, sentences and records go with it); returns its
        passages as ``(row id, heading path, text)``."""
        rows = self.conn.execute(
            "SELECT p.id, p.heading, p.text FROM passages p "
            "JOIN documents d ON d.doc_rowid = p.doc_rowid WHERE d.document_id = ?",
            (document_id,),
        ).fetchall()
        self.conn.execute("DELETE FROM documents WHERE document_id = ?", (document_id,))
        return [(int(r[0]), tuple(json.loads(r[1])), str(r[2])) for r in rows]
