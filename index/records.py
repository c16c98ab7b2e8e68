"""Keeping the decision records current: their subject and procedural columns, and a
re-reading of every stored document when the rules that find decisions change.

Decisions are read from a document's stored text and passages, so bringing an index up to
date needs no model and no re-embedding: ``refresh_decisions`` runs when a writer opens an
index whose ``decisions_version`` is older than ``DECISIONS_VERSION``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from ingest.decisions import Decision, find_decisions
from ingest.models import DocMeta, Passage

# Raise when the decision rules change, so existing indexes are read again.
DECISIONS_VERSION = "2"
_COLUMNS = {"item": "TEXT", "subject": "TEXT", "procedural": "INTEGER NOT NULL DEFAULT 0"}
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


def has_subject_columns(conn: sqlite3.Connection) -> bool:
    """Whether the ``decisions`` table has the subject and procedural columns."""
    names = {str(r[1]) for r in conn.execute("PRAGMA table_info(decisions)")}
    return set(_COLUMNS) <= names


def refresh_decisions(conn: sqlite3.Connection) -> bool:
    """Add missing columns and re-read every document's decisions if the rules changed.

    Runs inside one transaction (the caller's lock is held); returns whether it did work.
    """
    row = conn.execute("SELECT value FROM meta WHERE key = 'decisions_version'").fetchone()
    if row is not None and row[0] == DECISIONS_VERSION and has_subject_columns(conn):
        return False
    conn.execute("BEGIN IMMEDIATE")
    try:
        names = {str(r[1]) for r in conn.execute("PRAGMA table_info(decisions)")}
        for name, sql_type in _COLUMNS.items():
            if name not in names:
                conn.execute(f"ALTER TABLE decisions ADD COLUMN {name} {sql_type}")
        conn.execute("DELETE FROM decisions")
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
        conn.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('decisions_version', ?)",
            (DECISIONS_VERSION,),
        )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return True
