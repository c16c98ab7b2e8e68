"""Migrating an index's store from an older layout, in place and in one transaction.

Schema version 1 (every index built before issue 18) kept each passage's text in its row,
beside its document's full text, and each sentence's text hash as 32 hex characters.
Version 2 slices the text from the document (the ``passages`` view over ``passage_rows``)
and keys a sentence's hash as one 64-bit integer (``index.sentences.sentence_key``).
Version 3 keys a passage's text hash the same way, and keeps a passage's vector in a table
of its own (``passage_vectors``) only until an on-disk dense base holds it
(``index.vectors``): a migrated store still holds every vector, and the next commit of an
on-disk index deletes the rows its base holds (the migration itself leaves out the vectors
that the on-disk base of the last commit holds, and names that base).

Readers need no migration: a version-1 store's ``passages`` table has the columns of the
later view, only an ingest reads the text hashes, and every vector of an older store is in
its row.  The single writer (``cqa ingest``, ``cqa remove``:
``index.sqlite.StoreBase.open(create=True)``) migrates before it writes.  Row ids, passage
ids, vectors and the generation are kept, so the FAISS and tantivy files beside the store
stay valid.  A migration that fails or is killed leaves the old store as it was: it runs in
one transaction.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from index.sentences import text_key

# The tables a migration from version 1 rebuilds: renamed aside, made again, copied.
_MOVED = ("passages", "sentences", "decisions", "commitments")
_OLD_INDEXES = (
    "passages_doc",
    "passages_embed_hash",
    "sentences_passage",
    "sentences_embed_hash",
    "decisions_passage",
    "commitments_passage",
)
_ROW_COLUMNS = (
    "id, passage_id, doc_rowid, ordinal, char_start, char_end, page, heading, text, "
    "embed_hash, is_table"
)


def migrate(conn: sqlite3.Connection, schema: str, version: str) -> None:
    """Turn a version-1 or version-2 store into ``version``'s layout (``schema``: its SQL),
    atomically.

    ``conn`` is in autocommit mode; foreign keys are off while the tables are swapped (a
    dropped old table must not cascade into the rows just copied) and checked before the
    commit.
    """
    conn.create_function("text_key", 1, text_key, deterministic=True)
    columns = {t: _columns(conn, t) for t in ("decisions", "commitments")}
    conn.execute("PRAGMA foreign_keys=OFF")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None or row[0] not in ("1", "2"):  # another writer migrated it meanwhile
                conn.execute("ROLLBACK")
                return
            if row[0] == "1":
                _swap(conn, schema, columns)
            else:
                _rows_v2(conn, schema)
            _fold_into_base(conn)
            conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
            broken = conn.execute("PRAGMA foreign_key_check").fetchone()
            if broken is not None:
                raise sqlite3.IntegrityError(f"a row of {broken[0]} lost its parent")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.execute("PRAGMA foreign_keys=ON")


def _rows_v2(conn: sqlite3.Connection, schema: str) -> None:
    """Inside the transaction: version 2's ``passage_rows`` made again with integer text
    hashes and a nullable vector.  Only that table is copied (the sentences, the largest,
    stay where they are): it is renamed aside with ``legacy_alter_table`` on, so the other
    tables' references keep naming ``passage_rows``, which is then the new table."""
    conn.execute("DROP VIEW IF EXISTS passages")  # its triggers go with it
    conn.execute("DROP INDEX IF EXISTS passages_doc")
    conn.execute("DROP INDEX IF EXISTS passages_embed_hash")
    conn.execute("PRAGMA legacy_alter_table=ON")
    try:
        conn.execute("ALTER TABLE passage_rows RENAME TO v2_passage_rows")
    finally:
        conn.execute("PRAGMA legacy_alter_table=OFF")
    for statement in _statements(schema):  # the table, its indexes, the view, its triggers
        conn.execute(statement)
    conn.execute(
        f"INSERT INTO passage_rows({_ROW_COLUMNS}) SELECT "
        f"{_ROW_COLUMNS.replace('embed_hash', 'text_key(embed_hash)')} "
        "FROM v2_passage_rows ORDER BY id"
    )
    _carry_over(conn, "v2_passage_rows")
    conn.execute("DROP TABLE v2_passage_rows")


def _carry_over(conn: sqlite3.Connection, old: str) -> None:
    """Inside the transaction: the vectors of the old passage table ``old`` that no on-disk
    base holds copied to ``passage_vectors``, and its id counter taken over by
    ``passage_rows``: ids are never reused, so the old counter (past since deleted
    passages) goes on."""
    conn.execute(
        f"INSERT INTO passage_vectors(id, embedding) SELECT id, embedding FROM {old} "
        "WHERE id > ? ORDER BY id",
        (_held_by_base(conn)[1],),
    )
    conn.execute("DELETE FROM sqlite_sequence WHERE name = 'passage_rows'")
    conn.execute("UPDATE sqlite_sequence SET name = 'passage_rows' WHERE name = ?", (old,))


def _held_by_base(conn: sqlite3.Connection) -> tuple[str, int]:
    """(the on-disk dense base of the store's last commit, the last id it holds), or ("", 0).

    Its ``vectors.f16`` already holds every passage up to that id, so a migration copies
    only the later vectors (at 10M passages the rest would be 15 GB written to be deleted).
    """
    from index.dense_ondisk import IDS_FILE, VECTORS_FILE, is_ondisk_file, referenced_bases

    folder = Path(conn.execute("PRAGMA database_list").fetchone()[2]).parent
    row = conn.execute("SELECT value FROM meta WHERE key = 'dense_file'").fetchone()
    dim = conn.execute("SELECT value FROM meta WHERE key = 'dim'").fetchone()
    generation = folder / str(row[0]) if row else None
    if generation is None or dim is None or not is_ondisk_file(generation):
        return "", 0
    try:
        (name,) = referenced_bases(folder, [generation])
        ids = (folder / name / IDS_FILE).stat().st_size // 8
        if not ids or (folder / name / VECTORS_FILE).stat().st_size != ids * int(dim[0]) * 2:
            return "", 0
        with open(folder / name / IDS_FILE, "rb") as fh:
            fh.seek((ids - 1) * 8)
            return name, int.from_bytes(fh.read(8), "little", signed=True)
    except (OSError, ValueError, KeyError):  # no readable base: every vector is copied
        return "", 0


def _fold_into_base(conn: sqlite3.Connection) -> None:
    """Name the base whose vectors the migration left out (``index.vectors``)."""
    name, last = _held_by_base(conn)
    if name:
        conn.executemany(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
            [("vector_base", name), ("vector_base_last", str(last))],
        )


def _columns(conn: sqlite3.Connection, table: str) -> str:
    return ", ".join(r[1] for r in conn.execute(f"PRAGMA table_info({table})"))


def _swap(conn: sqlite3.Connection, schema: str, columns: dict[str, str]) -> None:
    """Inside the transaction: old tables aside, the new ones made and filled, the old dropped."""
    for table in _MOVED:
        conn.execute(f"ALTER TABLE {table} RENAME TO v1_{table}")
    for index in _OLD_INDEXES:  # else the schema's CREATE INDEX IF NOT EXISTS would skip them
        conn.execute(f"DROP INDEX IF EXISTS {index}")
    for statement in _statements(schema):
        conn.execute(statement)
    # the text is kept only where SQLite's slice of the document does not give it back
    conn.execute(
        "INSERT INTO passage_rows(id, passage_id, doc_rowid, ordinal, char_start, char_end, "
        "page, heading, text, embed_hash, is_table) "
        "SELECT p.id, p.passage_id, p.doc_rowid, p.ordinal, p.char_start, p.char_end, p.page, "
        "p.heading, CASE WHEN p.text IS (SELECT substr(d.text, p.char_start + 1, "
        "p.char_end - p.char_start) FROM documents d WHERE d.doc_rowid = p.doc_rowid) "
        "THEN NULL ELSE p.text END, text_key(p.embed_hash), p.is_table "
        "FROM v1_passages p ORDER BY p.id"
    )
    _carry_over(conn, "v1_passages")
    conn.execute(
        "INSERT INTO sentences(rowid, passage, start_char, end_char, embed_hash, embedding) "
        "SELECT rowid, passage, start_char, end_char, text_key(embed_hash), embedding "
        "FROM v1_sentences ORDER BY rowid"
    )
    for table, names in columns.items():
        conn.execute(f"INSERT INTO {table}({names}) SELECT {names} FROM v1_{table}")
    for table in reversed(_MOVED):
        conn.execute(f"DROP TABLE v1_{table}")


def _statements(script: str) -> list[str]:
    """The statements of a SQL script, one by one (``executescript`` would commit first)."""
    out: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            out.append(pending.strip())
            pending = ""
    return [s for s in out if s]


# The old schemas are frozen copies, written out in full on purpose: most of their text
# is also the current schema's (index.sqlite._SCHEMA) and each other's, but a migration and
# its tests need each layout exactly as the stores of that version hold it, so neither is
# built from the current schema or from the other, and a change to the current schema
# never reaches them.
#
# The version-1 schema, as every index before issue 18 was made: tests and benchmarks
# build old stores with it, to prove the migration and to measure against.
V1_SCHEMA = """
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
CREATE TABLE IF NOT EXISTS passages (
    -- AUTOINCREMENT: ids are never reused, so a reader holding an older FAISS file
    -- can never map a vector to a different passage.
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    passage_id TEXT NOT NULL UNIQUE,
    doc_rowid INTEGER NOT NULL REFERENCES documents(doc_rowid) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    page INTEGER,
    heading TEXT NOT NULL,
    text TEXT NOT NULL,
    embed_hash TEXT NOT NULL,
    embedding BLOB NOT NULL,
    is_table INTEGER NOT NULL DEFAULT 0  -- rows of a table, kept apart from prose
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_rowid);
CREATE INDEX IF NOT EXISTS passages_embed_hash ON passages(embed_hash);
-- Each sentence of a passage with its own vector: the second ranking stage and the
-- highlight read these instead of running the model at question time.
CREATE TABLE IF NOT EXISTS sentences (
    passage INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
    start_char INTEGER NOT NULL,  -- offsets into the passage text
    end_char INTEGER NOT NULL,
    embed_hash TEXT NOT NULL,
    embedding BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS sentences_passage ON sentences(passage);
CREATE INDEX IF NOT EXISTS sentences_embed_hash ON sentences(embed_hash);
-- Resolutions and recommendations (ingest.decisions), each linked to the passage it starts in.
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY,
    passage INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
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
    passage INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
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


# The version-2 schema (issue 18's first lean store): tests and benchmarks build version-2
# stores with it, to prove the migration and to measure against.
V2_SCHEMA = """
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
    embed_hash TEXT NOT NULL,
    embedding BLOB NOT NULL,
    is_table INTEGER NOT NULL DEFAULT 0  -- rows of a table, kept apart from prose
);
CREATE INDEX IF NOT EXISTS passages_doc ON passage_rows(doc_rowid);
CREATE INDEX IF NOT EXISTS passages_embed_hash ON passage_rows(embed_hash);
-- What every reader reads: the rows with their text sliced from the document (substr
-- counts characters, as Python's str indices do).  A correlated subquery rather than a
-- join, so a reader that does not ask for the text (or counts rows) never reads documents.
CREATE VIEW IF NOT EXISTS passages AS SELECT r.id, r.passage_id, r.doc_rowid, r.ordinal,
    r.char_start, r.char_end, r.page, r.heading,
    coalesce(r.text, (SELECT substr(d.text, r.char_start + 1, r.char_end - r.char_start)
                      FROM documents d WHERE d.doc_rowid = r.doc_rowid)) AS text,
    r.embed_hash, r.embedding, r.is_table
    FROM passage_rows r;
-- Writers of the old layout (the benchmarks' bulk copies) keep working through the view;
-- the text is kept only where the document's slice differs from it.
CREATE TRIGGER IF NOT EXISTS passages_insert INSTEAD OF INSERT ON passages BEGIN
    INSERT INTO passage_rows(id, passage_id, doc_rowid, ordinal, char_start, char_end, page,
        heading, text, embed_hash, embedding, is_table)
    VALUES (NEW.id, NEW.passage_id, NEW.doc_rowid, NEW.ordinal, NEW.char_start, NEW.char_end,
        NEW.page, NEW.heading,
        CASE WHEN NEW.text IS (SELECT substr(d.text, NEW.char_start + 1,
                                             NEW.char_end - NEW.char_start)
                               FROM documents d WHERE d.doc_rowid = NEW.doc_rowid)
             THEN NULL ELSE NEW.text END,
        NEW.embed_hash, NEW.embedding, coalesce(NEW.is_table, 0));
END;
CREATE TRIGGER IF NOT EXISTS passages_delete INSTEAD OF DELETE ON passages BEGIN
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
