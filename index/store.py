"""The SQLite store: documents, passages (with their embeddings) and the FTS5 lexical index.

One file, ``meta.sqlite``, in WAL mode so that readers (a running server) never block on
a writer and always see the last committed state.  The ``meta`` table names the FAISS
file that matches the committed rows, which is how the dense side stays consistent.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index import sentence_codec
from index.records import has_subject_columns
from ingest.errors import DocumentNotFoundError, IndexCorruptError, IndexMissingError
from ingest.models import DocMeta

SCHEMA_VERSION = "1"
DB_NAME = "meta.sqlite"

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
    item TEXT,  -- the agenda item's number, as printed (index.records adds these to old indexes)
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
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    heading, body, context, tokenize = 'porter unicode61 remove_diacritics 2'
);
"""

DOC_COLUMNS = (
    "document_id, source, path, content_hash, title, council, committee, meeting_date, "
    "doc_type, source_url, supersedes, ingested_at"
)


@dataclass(frozen=True)
class Filters:
    """Metadata conditions on the documents a passage may come from (all optional).

    Text fields match case-insensitively; several values of one field are alternatives.
    A date bound excludes documents with no meeting date.
    """

    council: tuple[str, ...] = ()
    committee: tuple[str, ...] = ()
    doc_type: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    include_superseded: bool = False
    document_ids: tuple[str, ...] = ()
    has_decision: bool = False  # only passages holding a resolution or recommendation
    exclude_document_ids: tuple[str, ...] = ()  # e.g. the paper a similar passage came from

    def is_empty(self) -> bool:
        """True when nothing but the default exclusion of superseded documents applies."""
        return not (
            self.council
            or self.committee
            or self.doc_type
            or self.date_from
            or self.date_to
            or self.document_ids
            or self.has_decision
            or self.exclude_document_ids
        )


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
class Allowed:
    """The passages passing some filters: a bitmap over row ids (bit i of byte i // 8)."""

    bitmap: np.ndarray  # uint8, little-endian bit order, as faiss.IDSelectorBitmap reads it
    count: int

    def ids(self) -> np.ndarray:
        """The passing row ids, ascending."""
        return np.flatnonzero(np.unpackbits(self.bitmap, bitorder="little")).astype(np.int64)

    def __contains__(self, rowid: object) -> bool:
        if not isinstance(rowid, int | np.integer):
            return False
        byte = int(rowid) >> 3
        return 0 <= byte < len(self.bitmap) and bool(self.bitmap[byte] >> (int(rowid) & 7) & 1)

    def members(self, rowids: np.ndarray) -> np.ndarray:
        """For each row id, whether it passes (a boolean array)."""
        rowids = np.asarray(rowids, dtype=np.int64)
        byte = rowids >> 3
        inside = (byte >= 0) & (byte < len(self.bitmap))
        out = np.zeros(len(rowids), dtype=bool)
        out[inside] = (self.bitmap[byte[inside]] >> (rowids[inside] & 7)) & 1 == 1
        return out

    @classmethod
    def of(cls, ids: np.ndarray) -> Allowed:
        """The set holding exactly ``ids``."""
        mask = np.zeros(int(ids.max()) + 1 if len(ids) else 0, dtype=bool)
        mask[ids] = True
        return cls(np.packbits(mask, bitorder="little"), len(ids))


# Filter sets kept per store; each is a bitmap of (largest row id / 8) bytes.
_ALLOWED_CACHE = 64


def _page_at(page_starts: str | None, offset: int) -> int | None:
    starts = json.loads(page_starts) if page_starts else None
    if not starts:
        return None
    return max((i + 1 for i, s in enumerate(starts) if s <= offset), default=1)


@dataclass
class StoreStats:
    """Counts and facts about an index."""

    documents: int
    passages: int
    councils: dict[str, int] = field(default_factory=dict)
    doc_types: dict[str, int] = field(default_factory=dict)
    generation: int = 0
    model: str = ""
    dim: int = 0


def filter_sql(
    filters: Filters | None, alias: str = "d", passage_alias: str = "p"
) -> tuple[str, list[Any]]:
    """SQL condition (on the documents table under ``alias``) and its parameters.

    ``has_decision`` conditions the passage under ``passage_alias`` (and needs the
    ``decisions`` table, see ``Store.has_decisions``).
    """
    clauses: list[str] = []
    params: list[Any] = []
    f = filters or Filters()

    def any_of(column: str, values: Sequence[str]) -> None:
        marks = ", ".join("?" for _ in values)
        clauses.append(f"lower({alias}.{column}) IN ({marks})")
        params.extend(v.lower() for v in values)

    if f.council:
        any_of("council", f.council)
    if f.committee:
        any_of("committee", f.committee)
    if f.doc_type:
        any_of("doc_type", f.doc_type)
    if f.document_ids:
        marks = ", ".join("?" for _ in f.document_ids)
        clauses.append(f"{alias}.document_id IN ({marks})")
        params.extend(f.document_ids)
    if f.exclude_document_ids:
        marks = ", ".join("?" for _ in f.exclude_document_ids)
        clauses.append(f"{alias}.document_id NOT IN ({marks})")
        params.extend(f.exclude_document_ids)
    if f.date_from:
        clauses.append(f"{alias}.meeting_date >= ?")
        params.append(f.date_from)
    if f.date_to:
        clauses.append(f"{alias}.meeting_date <= ?")
        params.append(f.date_to)
    if f.has_decision:
        clauses.append(f"EXISTS (SELECT 1 FROM decisions x WHERE x.passage = {passage_alias}.id)")
    if not f.include_superseded:
        clauses.append(
            f"NOT EXISTS (SELECT 1 FROM documents s WHERE s.supersedes = {alias}.source "
            f"AND s.doc_rowid != {alias}.doc_rowid)"
        )
    return (" AND ".join(clauses) or "1"), params


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


class Store:
    """Access to one index folder's SQLite database (thread-safe for readers)."""

    has_sentences: bool = False
    has_decisions: bool = False
    has_decision_subjects: bool = False  # written since decisions carry their subject
    has_commitments: bool = False
    has_table_flag: bool = False  # passages.is_table (indexes written before it have none)

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.lock = threading.RLock()
        self._allowed: OrderedDict[tuple[int, Filters], Allowed] = OrderedDict()
        # (generation, passage ids, their documents' rowids), for ``_passing``
        self._layout: tuple[int, np.ndarray, np.ndarray] | None = None
        # (generation, documents by rowid), for ``passages``: a few thousand at most
        self._docs: tuple[int, dict[int, DocumentRecord]] = (-1, {})
        self._dims = 0  # the vectors' dimension, once read (``_dim``)

    @classmethod
    def open(cls, index_dir: Path, create: bool = False) -> Store:
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
            if create:
                # one transaction: a process killed here leaves no schema or all of it
                conn.executescript(
                    f"BEGIN IMMEDIATE;\n{_SCHEMA}\nINSERT OR IGNORE INTO meta(key, value) "
                    f"VALUES ('schema_version', '{SCHEMA_VERSION}');\nCOMMIT;"
                )
                columns = {r[1] for r in conn.execute("PRAGMA table_info(passages)")}
                if "is_table" not in columns:  # an index written before tables were flagged
                    conn.execute(
                        "ALTER TABLE passages ADD COLUMN is_table INTEGER NOT NULL DEFAULT 0"
                    )
            elif not conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
            ).fetchone():
                conn.close()
                raise IndexMissingError(
                    f"no index at {index_dir} yet (a first ingest has not finished): "
                    "run 'cqa ingest PATH'"
                )
            version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise IndexCorruptError(f"cannot open the index database {db}: {exc}") from exc
        if version is None or version[0] != SCHEMA_VERSION:
            raise IndexCorruptError(
                f"{db} has schema version {version[0] if version else 'none'}, "
                f"expected {SCHEMA_VERSION}: rebuild the index"
            )
        store = cls(conn, db)
        store.refresh_schema()
        return store

    def refresh_schema(self) -> None:
        """Notice tables a writer added since this store was opened."""
        self.has_sentences = self._has_table("sentences")
        self.has_decisions = self._has_table("decisions")
        self.has_commitments = self._has_table("commitments")
        with self.lock:
            self.has_decision_subjects = self.has_decisions and has_subject_columns(self.conn)
            columns = {r[1] for r in self.conn.execute("PRAGMA table_info(passages)")}
        self.has_table_flag = "is_table" in columns

    def _has_table(self, name: str) -> bool:
        # An index written before a table was added still opens; its readers do without.
        with self.lock:
            row = self.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
            ).fetchone()
        return row is not None

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

    def generation(self) -> int:
        """The number of committed writes; readers reload when it changes."""
        return int(self.get_meta("generation") or 0)

    # --- documents ------------------------------------------------------------------

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

    # --- passages -------------------------------------------------------------------

    def passages(self, rowids: Sequence[int]) -> dict[int, PassageRecord]:
        """Passages by their integer row ids, with document metadata."""
        if not rowids:
            return {}
        rows: list[sqlite3.Row] = self._select_in(
            "SELECT id, passage_id, doc_rowid, ordinal, char_start, char_end, page, heading, "
            f"text, {'is_table' if self.has_table_flag else '0'} AS is_table "
            "FROM passages WHERE id IN ({marks})",
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

    def allowed(self, filters: Filters | None) -> Allowed:
        """The passages passing ``filters``, remembered until the next commit.

        Every question asks this for its filters (often the same ones) several times, and
        at 100k passages the query behind it takes tens of milliseconds.
        """
        key = (self.generation(), filters or Filters())
        with self.lock:
            cached = self._allowed.get(key)
            if cached is not None:
                self._allowed.move_to_end(key)
                return cached
        found = Allowed.of(self._passing(key[1], key[0]))
        with self.lock:
            if any(k[0] != key[0] for k in self._allowed):
                self._allowed.clear()  # another generation's sets are of no further use
            self._allowed[key] = found
            while len(self._allowed) > _ALLOWED_CACHE:
                self._allowed.popitem(last=False)
        return found

    def _passing(self, filters: Filters, generation: int) -> np.ndarray:
        """``allowed_rowids``, by way of the documents when the filters concern only them.

        Filters on documents select among thousands of rows rather than the passages' hundreds
        of thousands; the passages then follow from a map of passage to document, read once
        a commit (about 10 ms instead of 40 at 100k passages).
        """
        if filters.has_decision:  # a condition on the passages themselves
            return self.allowed_rowids(filters)
        where, params = filter_sql(filters)
        with self.lock:
            if self._layout is None or self._layout[0] != generation:
                # Read in chunks of plain tuples: a list of every row as sqlite3.Row objects
                # held ~500 MB at 1M passages (and kept the process that large afterwards).
                cursor = self.conn.cursor()
                cursor.row_factory = None
                cursor.execute("SELECT id, doc_rowid FROM passages")
                parts = [np.zeros((0, 2), dtype=np.int64)]
                while chunk := cursor.fetchmany(100_000):
                    parts.append(np.array(chunk, dtype=np.int64))
                layout = np.concatenate(parts)
                self._layout = (generation, layout[:, 0].copy(), layout[:, 1].copy())
            _, ids, docs = self._layout
            passing = self.conn.execute(
                f"SELECT d.doc_rowid FROM documents d WHERE {where}", params
            ).fetchall()
        chosen = np.fromiter((r[0] for r in passing), dtype=np.int64, count=len(passing))
        if not len(chosen) or not len(ids):
            return np.zeros(0, dtype=np.int64)
        mask = np.zeros(int(max(chosen.max(), docs.max())) + 1, dtype=bool)
        mask[chosen] = True
        return ids[mask[docs]]

    def allowed_rowids(self, filters: Filters | None) -> np.ndarray:
        """Integer ids of every passage whose document passes ``filters``."""
        where, params = filter_sql(filters)
        with self.lock:
            rows = self.conn.execute(
                "SELECT p.id FROM passages p JOIN documents d ON d.doc_rowid = p.doc_rowid "
                f"WHERE {where}",
                params,
            ).fetchall()
        return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))

    def all_embeddings(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of every stored passage, used to rebuild the dense index."""
        # Filled row by row: at a million passages a list of rows would double the memory.
        with self.lock:
            count = int(self.conn.execute("SELECT count(*) FROM passages").fetchone()[0])
            dim = int(self.get_meta("dim") or 0)
            ids = np.zeros(count, dtype=np.int64)
            vectors = np.zeros((count, dim), dtype=np.float32)
            cursor = self.conn.execute("SELECT id, embedding FROM passages ORDER BY id")
            for i, (rowid, blob) in enumerate(cursor):
                ids[i] = rowid
                vectors[i] = np.frombuffer(blob, dtype=np.float32)
        if not count:
            return ids, np.zeros((0, 0), dtype=np.float32)
        return ids, vectors

    def _select_in(self, sql: str, values: Sequence[Any]) -> list[sqlite3.Row]:
        """Rows of ``sql`` whose ``{marks}`` placeholder takes ``values``, 500 at a time."""
        rows: list[sqlite3.Row] = []
        with self.lock:
            for start in range(0, len(values), 500):
                chunk = list(values[start : start + 500])
                marks = ", ".join("?" for _ in chunk)
                rows.extend(self.conn.execute(sql.format(marks=marks), chunk).fetchall())
        return rows

    def embeddings(self, rowids: Sequence[int]) -> dict[int, np.ndarray]:
        """Stored passage vectors by row id (passages since removed are left out)."""
        rows = self._select_in("SELECT id, embedding FROM passages WHERE id IN ({marks})", rowids)
        return {int(r[0]): np.frombuffer(r[1], dtype=np.float32).copy() for r in rows}

    def embeddings_by_hash(
        self, hashes: Sequence[str], table: str = "passages"
    ) -> dict[str, np.ndarray]:
        """Stored embeddings of passages (or sentences) whose text had these hashes."""
        if table not in {"passages", "sentences"}:
            raise ValueError(table)
        if table == "sentences" and not self.has_sentences:
            return {}
        # One row per hash: a sentence such as "Apologies" recurs in thousands of passages,
        # and reading every copy made a large ingest's memory grow with the square of its
        # size (6 GB at 40k passages).  The rows sharing a hash share the text, so any will do.
        rows = self._select_in(
            f"SELECT embed_hash, embedding FROM {table} WHERE embed_hash IN ({{marks}}) "
            "GROUP BY embed_hash",
            list(dict.fromkeys(hashes)),
        )
        if table == "sentences":  # stored in any codec (index.sentence_codec)
            return {r[0]: sentence_codec.decode_one(r[1], self._dim()).copy() for r in rows}
        return {r[0]: np.frombuffer(r[1], dtype=np.float32).copy() for r in rows}

    def _dim(self) -> int:
        """The vectors' dimension, read once (it never changes for an index)."""
        if not self._dims:
            self._dims = int(self.get_meta("dim") or 0)
        return self._dims

    def sentence_vectors(
        self, rowids: Sequence[int]
    ) -> dict[int, tuple[list[tuple[int, int]], np.ndarray]]:
        """Each passage's stored sentence spans and vectors (passages without them are left out)."""
        if not rowids or not self.has_sentences:
            return {}
        rows = self._select_in(
            "SELECT passage, start_char, end_char, embedding FROM sentences "
            "WHERE passage IN ({marks}) ORDER BY passage, start_char",
            rowids,
        )
        if not rows:
            return {}
        # one array for all the rows, then a view per passage (rows come grouped by passage)
        matrix = sentence_codec.decode([r[3] for r in rows], self._dim())
        out: dict[int, tuple[list[tuple[int, int]], np.ndarray]] = {}
        start = 0
        for end in range(1, len(rows) + 1):
            if end == len(rows) or rows[end][0] != rows[start][0]:
                spans = [(int(r[1]), int(r[2])) for r in rows[start:end]]
                out[int(rows[start][0])] = (spans, matrix[start:end])
                start = end
        return out

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

    def decisions(
        self,
        filters: Filters | None,
        rowids: Sequence[int] | None = None,
        limit: int = 50,
        procedural: bool = True,
    ) -> list[DecisionRecord]:
        """Decisions in passages passing ``filters`` (and among ``rowids``), newest first.

        ``procedural=False`` leaves out the procedural ones (noting, minutes, apologies).
        """
        if not self.has_decisions or (rowids is not None and not rowids):
            return []
        where, params = filter_sql(filters)
        if rowids is not None:
            where += f" AND p.id IN ({', '.join('?' for _ in rowids)})"
            params.extend(int(r) for r in rowids)
        extra = "x.item, x.subject, x.procedural" if self.has_decision_subjects else "NULL, NULL, 0"
        if not procedural and self.has_decision_subjects:
            where += " AND x.procedural = 0"
        sql = (
            "SELECT x.passage, x.kind, x.char_start, x.char_end, x.text, d.page_starts, "
            f"{extra} FROM decisions x "
            "JOIN passages p ON p.id = x.passage JOIN documents d ON d.doc_rowid = p.doc_rowid "
            f"WHERE {where} ORDER BY d.meeting_date IS NULL, d.meeting_date DESC, d.source, "
            "x.char_start LIMIT ?"
        )
        with self.lock:
            rows = self.conn.execute(sql, [*params, limit]).fetchall()
        passages = self.passages(sorted({int(r[0]) for r in rows}))
        return [
            DecisionRecord(
                r[1],
                int(r[2]),
                int(r[3]),
                r[4],
                passages[int(r[0])],
                _page_at(r[5], int(r[2])),
                r[6],
                r[7],
                bool(r[8]),
            )
            for r in rows
            if int(r[0]) in passages
        ]

    def vocabulary(self) -> dict[str, int]:
        """Every indexed word with the number of passages that hold it."""
        if not self._has_table("vocabulary"):
            return {}
        with self.lock:
            rows = self.conn.execute("SELECT term, df FROM vocabulary").fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    # --- facts ----------------------------------------------------------------------

    def stats(self) -> StoreStats:
        """Counts of documents and passages, by council and type."""
        with self.lock:
            docs = int(self.conn.execute("SELECT count(*) FROM documents").fetchone()[0])
            passages = int(self.conn.execute("SELECT count(*) FROM passages").fetchone()[0])
            councils = {
                (r[0] or "(unknown)"): int(r[1])
                for r in self.conn.execute(
                    "SELECT council, count(*) FROM documents GROUP BY council ORDER BY council"
                )
            }
            types = {
                (r[0] or "(unknown)"): int(r[1])
                for r in self.conn.execute(
                    "SELECT doc_type, count(*) FROM documents GROUP BY doc_type ORDER BY doc_type"
                )
            }
        return StoreStats(
            documents=docs,
            passages=passages,
            councils=councils,
            doc_types=types,
            generation=self.generation(),
            model=self.get_meta("model") or "",
            dim=int(self.get_meta("dim") or 0),
        )

    def facet_values(self, column: str) -> list[str]:
        """Distinct non-empty values of a document column (council, committee, doc_type)."""
        if column not in {"council", "committee", "doc_type"}:
            raise ValueError(column)
        with self.lock:
            rows = self.conn.execute(
                f"SELECT DISTINCT {column} FROM documents WHERE {column} IS NOT NULL "
                f"AND {column} != '' ORDER BY {column}"
            ).fetchall()
        return [str(r[0]) for r in rows]
