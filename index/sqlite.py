"""The SQLite database of an index folder: its schema, opening it, transactions, meta values.

One file, ``meta.sqlite``, in WAL mode so that readers (a running server) never block on
a writer and always see the last committed state.  The ``meta`` table records the
generation (the number of committed writes) and what each index saved for it (the FAISS
file's name), which is how the indexes beside the database stay consistent with it.
``StoreBase`` is the part of ``Store`` (``index.store``) the other store modules build on.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from cqa_core.errors import IndexCorruptError, IndexMissingError
from cqa_core.index_folder import DB_NAME

SCHEMA_VERSION = "3"
# Versions a reader opens as they are: version 1's ``passages`` table has the columns of
# the later view, only a writer reads the text hashes, and an older store holds every
# passage's vector in its row (``index.migrate``).
READABLE = frozenset({"1", "2", SCHEMA_VERSION})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_rowid INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    path TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT, council TEXT, committee TEXT, meeting_date TEXT,
    doc_type TEXT, source_url TEXT, supersedes TEXT,
    text TEXT NOT NULL,
    page_starts TEXT,
    given_meta TEXT NOT NULL,  -- the manifest's metadata as given, to detect changes
    ingested_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
CREATE INDEX IF NOT EXISTS documents_supersedes ON documents(supersedes);
-- What filters and facets read (index.filters: lower(council) IN ..., meeting_date ranges;
-- facet_values and stats: DISTINCT / GROUP BY council), so that none of them scans the
-- documents' rows, text included: at 10M passages (1.16M documents, 9 GB) a council's
-- passages took 13 s cold to find that way (docs/performance.md, "The whole service at 10M").
CREATE INDEX IF NOT EXISTS documents_council ON documents(lower(council), council);
CREATE INDEX IF NOT EXISTS documents_committee ON documents(lower(committee), committee);
CREATE INDEX IF NOT EXISTS documents_type ON documents(lower(doc_type), doc_type);
CREATE INDEX IF NOT EXISTS documents_date ON documents(meeting_date);
CREATE TABLE IF NOT EXISTS passage_rows (
    -- AUTOINCREMENT: ids are never reused, so a reader holding an older FAISS file
    -- can never map a vector to a different passage.
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    passage_id TEXT NOT NULL UNIQUE,
    doc_rowid INTEGER NOT NULL REFERENCES documents(doc_rowid) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    char_start INTEGER NOT NULL,  -- offsets into the document text
    char_end INTEGER NOT NULL,
    page INTEGER,
    heading TEXT NOT NULL,
    -- NULL: the text is the document's text[char_start:char_end] (always, as cut today);
    -- stored only where that slice would differ, so the view below stays lossless
    text TEXT,
    embed_hash INTEGER NOT NULL,  -- index.sentences.sentence_key: 64 bits of the text's hash
    is_table INTEGER NOT NULL DEFAULT 0  -- rows of a table, kept apart from prose
);
CREATE INDEX IF NOT EXISTS passages_doc ON passage_rows(doc_rowid);
CREATE INDEX IF NOT EXISTS passages_embed_hash ON passage_rows(embed_hash);
-- Each passage's float32 vector until an on-disk dense base holds it: then the base's
-- vectors.f16 is its one copy, and its row here is deleted (index.vectors).  So every
-- passage of an index kept in memory, and those added since the base of one on disk.
CREATE TABLE IF NOT EXISTS passage_vectors (
    id INTEGER PRIMARY KEY REFERENCES passage_rows(id) ON DELETE CASCADE,
    embedding BLOB NOT NULL
);
-- What every reader reads: the rows with their text sliced from the document (substr
-- counts characters, as Python's str indices do).  A correlated subquery rather than a
-- join, so a reader that does not ask for the text (or counts rows) never reads documents.
CREATE VIEW IF NOT EXISTS passages AS SELECT r.id, r.passage_id, r.doc_rowid, r.ordinal,
    r.char_start, r.char_end, r.page, r.heading,
    coalesce(r.text, (SELECT substr(d.text, r.char_start + 1, r.char_end - r.char_start)
                      FROM documents d WHERE d.doc_rowid = r.doc_rowid)) AS text,
    r.embed_hash,
    (SELECT v.embedding FROM passage_vectors v WHERE v.id = r.id) AS embedding, r.is_table
    FROM passage_rows r;
-- Writers of the old layout (the benchmarks' bulk copies) keep working through the view;
-- the text is kept only where the document's slice differs from it.
CREATE TRIGGER IF NOT EXISTS passages_insert INSTEAD OF INSERT ON passages BEGIN
    INSERT INTO passage_rows(id, passage_id, doc_rowid, ordinal, char_start, char_end, page,
        heading, text, embed_hash, is_table)
    VALUES (NEW.id, NEW.passage_id, NEW.doc_rowid, NEW.ordinal, NEW.char_start, NEW.char_end,
        NEW.page, NEW.heading,
        CASE WHEN NEW.text IS (SELECT substr(d.text, NEW.char_start + 1,
                                             NEW.char_end - NEW.char_start)
                               FROM documents d WHERE d.doc_rowid = NEW.doc_rowid)
             THEN NULL ELSE NEW.text END,
        NEW.embed_hash, coalesce(NEW.is_table, 0));
    -- last_insert_rowid(): the row just inserted, while the trigger runs
    INSERT INTO passage_vectors(id, embedding)
        SELECT last_insert_rowid(), NEW.embedding WHERE NEW.embedding IS NOT NULL;
END;
CREATE TRIGGER IF NOT EXISTS passages_delete INSTEAD OF DELETE ON passages BEGIN
    DELETE FROM passage_vectors WHERE id = OLD.id;  -- also where foreign keys are off
    DELETE FROM passage_rows WHERE id = OLD.id;
END;
-- Each sentence of a passage with its own vector: the second ranking stage and the
-- highlight read these instead of running the model at question time.
CREATE TABLE IF NOT EXISTS sentences (
    passage INTEGER NOT NULL REFERENCES passage_rows(id) ON DELETE CASCADE,
    start_char INTEGER NOT NULL,  -- offsets into the passage text
    end_char INTEGER NOT NULL,
    embed_hash INTEGER NOT NULL,  -- index.sentences.sentence_key: 64 bits of the text's hash
    embedding BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS sentences_passage ON sentences(passage);
CREATE INDEX IF NOT EXISTS sentences_embed_hash ON sentences(embed_hash);
-- Resolutions and recommendations (ingest.decisions), each linked to the passage it starts in.
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY,
    passage INTEGER NOT NULL REFERENCES passage_rows(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,  -- resolution | recommendation | delegated decision | call-in outcome
    char_start INTEGER NOT NULL,  -- offsets into the document text
    char_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    item TEXT,  -- the agenda item's number, as printed
    subject TEXT,  -- the agenda item's title, else the document's
    procedural INTEGER NOT NULL DEFAULT 0  -- only notes, approves minutes, apologies ...
);
CREATE INDEX IF NOT EXISTS decisions_passage ON decisions(passage);
-- What a paper says will come back to a committee, and when (ingest.commitments).
CREATE TABLE IF NOT EXISTS commitments (
    id INTEGER PRIMARY KEY,
    passage INTEGER NOT NULL REFERENCES passage_rows(id) ON DELETE CASCADE,
    char_start INTEGER NOT NULL,  -- offsets into the document text
    char_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    due TEXT,  -- ISO date, or NULL (e.g. "the next meeting", resolved when read)
    due_text TEXT,
    expecting TEXT,  -- the body it comes back to; NULL: the paper's own committee
    next_meeting INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS commitments_passage ON commitments(passage);
-- How many passages hold each word (lower case, as written): typo correction reads it.
CREATE TABLE IF NOT EXISTS vocabulary (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
-- Keyword search is the tantivy index beside this file (index.lexical_tantivy); the
-- SQLite FTS5 table that once held the same text is dropped by the first writer to open.
DROP TABLE IF EXISTS passages_fts;
"""


def _version(conn: sqlite3.Connection) -> str | None:
    """The store's schema version, None before its schema is made."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return None if row is None else str(row[0])


class StoreBase:
    """Access to one index folder's SQLite database (thread-safe for readers)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.lock = threading.RLock()
        self._dims = 0  # the vectors' dimension, once read (``vector_dim``)
        self.migrated_from: str | None = None  # the schema version this open migrated

    @classmethod
    def open(cls, index_dir: Path, create: bool = False) -> Self:
        """Open the store in ``index_dir``; with ``create`` make the folder and schema."""
        db = index_dir / DB_NAME
        if not db.exists():
            if not create:
                raise IndexMissingError(
                    f"no index at {index_dir}: run 'cqa ingest PATH' first "
                    "(or set CQA_INDEX / --index to another folder)"
                )
            index_dir.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(db, check_same_thread=False, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            migrated: str | None = None
            version = _version(conn)
            if create and version in READABLE and version != SCHEMA_VERSION:
                # the writer brings an older layout up to date before it writes
                from index.migrate import migrate

                migrate(conn, _SCHEMA, SCHEMA_VERSION)
                migrated, version = version, _version(conn)
            elif create and version in (None, SCHEMA_VERSION):
                # one transaction: a process killed here leaves no schema or all of it
                conn.executescript(
                    f"BEGIN IMMEDIATE;\n{_SCHEMA}\nINSERT OR IGNORE INTO meta(key, value) "
                    f"VALUES ('schema_version', '{SCHEMA_VERSION}');\nCOMMIT;"
                )
                version = _version(conn)
            elif (
                version is None
                and not conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
                ).fetchone()
            ):
                conn.close()
                raise IndexMissingError(
                    f"no index at {index_dir} yet (a first ingest has not finished): "
                    "run 'cqa ingest PATH'"
                )
        except sqlite3.DatabaseError as exc:
            raise IndexCorruptError(f"cannot open the index database {db}: {exc}") from exc
        if version not in READABLE:
            conn.close()
            raise IndexCorruptError(
                f"{db} has schema version {version or 'none'}, and this cqa reads versions "
                f"{', '.join(sorted(READABLE))}: rebuild the index with 'cqa ingest' into a "
                "new --index folder, or upgrade cqa"
            )
        store = cls(conn, db)
        store.migrated_from = migrated
        return store

    def close(self) -> None:
        """Close the database connection."""
        with self.lock:
            self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """An immediate (write-locking) transaction, rolled back on any error."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    # --- meta -----------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """A value from the meta table."""
        with self.lock:
            row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def vector_dim(self) -> int:
        """The vectors' dimension, read once (it never changes for an index)."""
        if not self._dims:
            self._dims = int(self.get_meta("dim") or 0)
        return self._dims

    def generation(self) -> int:
        """The number of committed writes; readers reload when it changes."""
        return int(self.get_meta("generation") or 0)

    def passage_count(self) -> int:
        """How many passages the store holds (read from the rows, never the documents)."""
        with self.lock:
            return int(self.conn.execute("SELECT count(*) FROM passages").fetchone()[0])

    def _select_in(self, sql: str, values: Sequence[Any]) -> list[sqlite3.Row]:
        """Rows of ``sql`` whose ``{marks}`` placeholder takes ``values``, 500 at a time."""
        rows: list[sqlite3.Row] = []
        with self.lock:
            for start in range(0, len(values), 500):
                chunk = list(values[start : start + 500])
                marks = ", ".join("?" for _ in chunk)
                rows.extend(self.conn.execute(sql.format(marks=marks), chunk).fetchall())
        return rows
