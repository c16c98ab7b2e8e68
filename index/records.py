"""The records read from a paper besides its passages: decisions and commitments.

Both are read from a document's stored text and passages, so bringing an index up to date
needs no model and no re-embedding: ``refresh_decisions`` runs when a writer opens an index
whose ``decisions_version`` is older than ``DECISIONS_VERSION`` (the rules changed) and
reads every document's records again.  ``RecordStore`` (part of ``Store``) reads decisions
back with their passages; ``commitments`` does the same for commitments.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from index.filters import Filters, filter_sql
from index.passages import PassageRecord, PassageStore, page_at
from ingest.commitments import Commitment, find_commitments
from ingest.decisions import Decision, find_decisions
from ingest.models import DocMeta, Document, Passage

if TYPE_CHECKING:
    from index.store import Store

# Raise when the decision or commitment rules change, so existing indexes are read again.
DECISIONS_VERSION = "6"
INSERT_DECISION = (
    "INSERT INTO decisions(passage, kind, char_start, char_end, text, item, subject, procedural) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def decision_rows(
    decisions: Iterable[Decision], rowid_of: dict[str, int]
) -> list[tuple[object, ...]]:
    """The ``decisions`` rows of one document's decisions (those inside a stored passage)."""
    return [
        (
            rowid_of[d.passage_id],
            d.kind,
            d.char_start,
            d.char_end,
            d.text,
            d.item,
            d.subject,
            int(d.procedural),
        )
        for d in decisions
        if d.passage_id in rowid_of
    ]


INSERT_COMMITMENT = (
    "INSERT INTO commitments(passage, char_start, char_end, text, due, due_text, expecting, "
    "next_meeting) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def commitment_rows(
    commitments: Iterable[Commitment], rowid_of: dict[str, int]
) -> list[tuple[object, ...]]:
    """The ``commitments`` rows of one document's commitments (those inside a passage)."""
    return [
        (
            rowid_of[c.passage_id],
            c.char_start,
            c.char_end,
            c.text,
            c.due,
            c.due_text,
            c.expecting,
            int(c.next_meeting),
        )
        for c in commitments
        if c.passage_id in rowid_of
    ]


def refresh_decisions(conn: sqlite3.Connection) -> bool:
    """Re-read every document's decisions and commitments if the rules changed.

    Runs inside one transaction (the caller's lock is held); returns whether it did work.
    """
    row = conn.execute("SELECT value FROM meta WHERE key = 'decisions_version'").fetchone()
    if row is not None and row[0] == DECISIONS_VERSION:
        return False
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM decisions")
        conn.execute("DELETE FROM commitments")
        docs = conn.execute(
            "SELECT doc_rowid, document_id, text, title, council, committee, meeting_date, "
            "doc_type FROM documents"
        ).fetchall()
        for doc in docs:
            passages = [
                Passage(str(p[1]), str(doc[1]), int(p[2]), int(p[3]), int(p[4]), "", None)
                for p in conn.execute(
                    "SELECT id, passage_id, ordinal, char_start, char_end FROM passages "
                    "WHERE doc_rowid = ? ORDER BY char_start",
                    (doc[0],),
                )
            ]
            rowid_of = {
                str(r[1]): int(r[0])
                for r in conn.execute(
                    "SELECT id, passage_id FROM passages WHERE doc_rowid = ?", (doc[0],)
                )
            }
            meta = DocMeta(
                council=doc[4], committee=doc[5], meeting_date=doc[6], title=doc[3], doc_type=doc[7]
            )
            found = find_decisions(str(doc[2]), passages, meta)
            conn.executemany(INSERT_DECISION, decision_rows(found, rowid_of))
            promised = find_commitments(str(doc[2]), passages, meta)
            conn.executemany(INSERT_COMMITMENT, commitment_rows(promised, rowid_of))
        conn.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('decisions_version', ?)",
            (DECISIONS_VERSION,),
        )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return True


@dataclass(frozen=True)
class DecisionRecord:
    """A stored resolution or recommendation; ``char_start``/``char_end`` index the document."""

    kind: str
    char_start: int
    char_end: int
    text: str
    passage: PassageRecord
    page: int | None = None  # 1-based PDF page where the decision starts
    item: str | None = None  # the agenda item it settles: its number ...
    subject: str | None = None  # ... and title
    procedural: bool = False


@dataclass(frozen=True)
class CommitmentRecord:
    """A stored commitment; ``char_start``/``char_end`` index the document's text."""

    char_start: int
    char_end: int
    text: str
    due: str | None
    due_text: str | None
    expecting: str | None
    next_meeting: bool
    passage: PassageRecord
    page: int | None = None


class RecordStore(PassageStore):
    """Decisions and commitments (part of ``Store``)."""

    def decisions(
        self,
        filters: Filters | None,
        rowids: Sequence[int] | None = None,
        limit: int = 50,
        procedural: bool = True,
        offset: int = 0,
    ) -> list[DecisionRecord]:
        """Decisions in passages passing ``filters`` (and among ``rowids``), newest first,
        the first ``offset`` of them skipped (a later page of the same list).

        ``procedural=False`` leaves out the procedural ones (noting, minutes, apologies).
        """
        if rowids is not None and not rowids:
            return []
        where, params = _decision_where(filters, rowids, procedural)
        sql = (
            "SELECT x.passage, x.kind, x.char_start, x.char_end, x.text, d.page_starts, "
            "x.item, x.subject, x.procedural FROM decisions x "
            "JOIN passages p ON p.id = x.passage JOIN documents d ON d.doc_rowid = p.doc_rowid "
            f"WHERE {where} ORDER BY d.meeting_date IS NULL, d.meeting_date DESC, d.source, "
            "x.char_start LIMIT ? OFFSET ?"
        )
        with self.lock:
            rows = self.conn.execute(sql, [*params, limit, offset]).fetchall()
        passages = self.passages(sorted({int(r[0]) for r in rows}))
        return [
            DecisionRecord(
                r[1],
                int(r[2]),
                int(r[3]),
                r[4],
                passages[int(r[0])],
                page_at(r[5], int(r[2])),
                r[6],
                r[7],
                bool(r[8]),
            )
            for r in rows
            if int(r[0]) in passages
        ]

    def decision_count(
        self,
        filters: Filters | None,
        rowids: Sequence[int] | None = None,
        procedural: bool = True,
    ) -> int:
        """How many decisions ``decisions`` would list with no limit (every page of them)."""
        if rowids is not None and not rowids:
            return 0
        where, params = _decision_where(filters, rowids, procedural)
        sql = (
            "SELECT COUNT(*) FROM decisions x JOIN passages p ON p.id = x.passage "
            f"JOIN documents d ON d.doc_rowid = p.doc_rowid WHERE {where}"
        )
        with self.lock:
            return int(self.conn.execute(sql, params).fetchone()[0])

    def insert_records(self, document: Document, rowid_of: dict[str, int]) -> None:
        """Store a document's decisions and commitments (``rowid_of``: passage id -> row id)."""
        self.conn.executemany(INSERT_DECISION, decision_rows(document.decisions, rowid_of))
        self.conn.executemany(INSERT_COMMITMENT, commitment_rows(document.commitments, rowid_of))


def _decision_where(
    filters: Filters | None, rowids: Sequence[int] | None, procedural: bool
) -> tuple[str, list[object]]:
    """The condition (and its parameters) on a decision ``x`` of passage ``p`` in document ``d``."""
    where, params = filter_sql(filters)
    if rowids is not None:
        where += f" AND p.id IN ({', '.join('?' for _ in rowids)})"
        params.extend(int(r) for r in rowids)
    if not procedural:
        where += " AND x.procedural = 0"
    return where, params


def commitments(store: Store, filters: Filters | None, limit: int = 500) -> list[CommitmentRecord]:
    """Commitments in papers passing ``filters``, by meeting date (oldest first)."""
    where, params = filter_sql(filters)
    sql = (
        "SELECT c.passage, c.char_start, c.char_end, c.text, c.due, c.due_text, c.expecting, "
        "c.next_meeting, d.page_starts FROM commitments c JOIN passages p ON p.id = c.passage "
        f"JOIN documents d ON d.doc_rowid = p.doc_rowid WHERE {where} "
        "ORDER BY d.meeting_date IS NULL, d.meeting_date, d.source, c.char_start LIMIT ?"
    )
    with store.lock:
        rows = store.conn.execute(sql, [*params, limit]).fetchall()
    passages = store.passages(sorted({int(r[0]) for r in rows}))
    return [
        CommitmentRecord(
            int(r[1]),
            int(r[2]),
            str(r[3]),
            r[4],
            r[5],
            r[6],
            bool(r[7]),
            passages[int(r[0])],
            page_at(r[8], int(r[1])),
        )
        for r in rows
        if int(r[0]) in passages
    ]


def meeting_dates(store: Store, council: str, committee: str) -> list[str]:
    """The meeting dates of one council's committee in the index, oldest first."""
    with store.lock:
        rows = store.conn.execute(
            "SELECT DISTINCT meeting_date FROM documents WHERE meeting_date IS NOT NULL "
            "AND lower(council) = lower(?) AND lower(committee) = lower(?) ORDER BY meeting_date",
            (council, committee),
        ).fetchall()
    return [str(r[0]) for r in rows]
