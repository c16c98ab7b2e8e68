"""Passage rows read back: passages joined with their documents, by row id or public id.

A question reads its thirty-odd candidates' passages here, with their documents' metadata
remembered until the next commit.  ``PassageStore`` is the part of ``Store`` for them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cqa_core.errors import DocumentNotFoundError
from index.documents import DocumentRecord, DocumentStore


@dataclass(frozen=True)
class PassageRecord:
    """A stored passage joined with its document's metadata."""

    rowid: int
    passage_id: str
    ordinal: int
    char_start: int
    char_end: int
    page: int | None
    heading_path: tuple[str, ...]
    text: str
    document: DocumentRecord
    is_table: bool = False  # rows of a table (``ingest.chunker``), kept apart from prose

    def page_of(self, offset: int) -> int | None:
        """The 1-based PDF page holding ``offset`` of the passage text (None if not a PDF).

        A passage that runs over a page break starts on ``page``; a sentence in it may
        be on the next page, and that is the page to cite for it.
        """
        if self.page is None:
            return None
        at = self.char_start + offset
        return self.page + sum(1 for s in self.document.page_starts if self.char_start < s <= at)


def page_at(page_starts: str | None, offset: int) -> int | None:
    """The 1-based PDF page holding ``offset`` of a document, given its stored page starts."""
    starts = json.loads(page_starts) if page_starts else None
    if not starts:
        return None
    return max((i + 1 for i, s in enumerate(starts) if s <= offset), default=1)


class PassageStore(DocumentStore):
    """Passages read back (part of ``Store``)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        super().__init__(conn, path)
        # (generation, documents by rowid), for ``passages``: a few thousand at most
        self._docs: tuple[int, dict[int, DocumentRecord]] = (-1, {})

    def passages(self, rowids: Sequence[int]) -> dict[int, PassageRecord]:
        """Passages by their integer row ids, with document metadata."""
        if not rowids:
            return {}
        rows: list[sqlite3.Row] = self._select_in(
            "SELECT id, passage_id, doc_rowid, ordinal, char_start, char_end, page, heading, "
            "text, is_table FROM passages WHERE id IN ({marks})",
            rowids,
        )
        docs = self._documents_by_rowid({int(r["doc_rowid"]) for r in rows})
        return {
            int(r["id"]): PassageRecord(
                rowid=int(r["id"]),
                passage_id=r["passage_id"],
                ordinal=int(r["ordinal"]),
                char_start=int(r["char_start"]),
                char_end=int(r["char_end"]),
                page=r["page"],
                heading_path=tuple(json.loads(r["heading"])),
                text=r["text"],
                document=docs[int(r["doc_rowid"])],
                is_table=bool(r["is_table"]),
            )
            for r in rows
        }

    def passage_at(self, document_id: str, ordinal: int) -> PassageRecord | None:
        """The passage at ``ordinal`` of the document ``document_id`` (None past its ends):
        a passage's neighbour in its paper (``qa_service.trend.with_header``)."""
        with self.lock:
            found = self.conn.execute(
                "SELECT r.id FROM passage_rows r JOIN documents d ON d.doc_rowid = r.doc_rowid "
                "WHERE d.document_id = ? AND r.ordinal = ?",
                (document_id, ordinal),
            ).fetchone()
        return self.passages([int(found[0])]).get(int(found[0])) if found else None

    def _documents_by_rowid(self, doc_rowids: set[int]) -> dict[int, DocumentRecord]:
        """Documents by rowid, remembered until the next commit.

        Every question reads the documents of its thirty-odd candidates, mostly the same
        few hundred; reading each afresh (with its passage count) took ~3 ms a question at
        100k passages. Inside a write transaction nothing is remembered.
        """
        with self.lock:
            writing = self.conn.in_transaction
            generation = -1 if writing else self.generation()
            cached = self._docs[1] if self._docs[0] == generation and not writing else {}
            todo = sorted(d for d in doc_rowids if d not in cached)
        found = dict(cached)
        for start in range(0, len(todo), 500):
            chunk = todo[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            with self.lock:
                rows = self.conn.execute(
                    self._document_query(f"d.doc_rowid IN ({marks})"), chunk
                ).fetchall()
            found.update((int(r["doc_rowid"]), self._document(r)) for r in rows)
        if not writing:
            with self.lock:
                if self._docs[0] != generation:
                    self._docs = (generation, {})
                self._docs[1].update(found)
        return {d: found[d] for d in doc_rowids if d in found}

    def passage_rowid(self, passage_id: str) -> int:
        """The integer id of a passage given its public id."""
        with self.lock:
            row = self.conn.execute(
                "SELECT id FROM passages WHERE passage_id = ?", (passage_id,)
            ).fetchone()
        if row is None:
            raise DocumentNotFoundError(f"no passage with id {passage_id!r}")
        return int(row[0])

    def document_passages(self, document_id: str) -> list[tuple[str, int, int, int | None]]:
        """(passage_id, char_start, char_end, page) of a document's passages, in order."""
        with self.lock:
            rows = self.conn.execute(
                "SELECT p.passage_id, p.char_start, p.char_end, p.page FROM passages p "
                "JOIN documents d ON d.doc_rowid = p.doc_rowid WHERE d.document_id = ? "
                "ORDER BY p.ordinal",
                (document_id,),
            ).fetchall()
        return [(r[0], int(r[1]), int(r[2]), r[3]) for r in rows]
