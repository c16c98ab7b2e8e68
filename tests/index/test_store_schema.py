"""The store's layout: 8-byte text hash keys, the schema version, migrating from 1 and 2."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from cqa_core.errors import IndexCorruptError
from index import migrate
from index.embedder import HashingEmbedder
from index.migrate import V1_SCHEMA, V2_SCHEMA
from index.sentences import sentence_key
from index.store import DB_NAME, Store
from indexing.embed_batch import embed_hash
from indexing.writer import IndexWriter
from qa_service.config import Settings
from qa_service.retriever import Engine


@pytest.mark.parametrize(
    ("digest", "key"),
    [
        ("0" * 32, 0),
        ("0000000000000001" + "f" * 16, 1),
        ("7fffffffffffffff" + "0" * 16, 2**63 - 1),
        ("8000000000000000" + "0" * 16, -(2**63)),
        ("f" * 32, -1),
    ],
)
def test_sentence_key_is_the_first_64_bits_as_a_signed_integer(digest: str, key: int) -> None:
    assert sentence_key(digest) == key


def test_sentence_keys_differ_where_the_first_16_hex_digits_do() -> None:
    assert sentence_key("a" * 16 + "0" * 16) == sentence_key("a" * 16 + "1" * 16)
    assert sentence_key("a" * 15 + "b" + "0" * 16) != sentence_key("a" * 16 + "0" * 16)


# --- migrating a store of version 1 (every index before issue 18) or 2 -----------------

_TABLES = {
    "documents": "SELECT * FROM documents ORDER BY doc_rowid",
    "passages": "SELECT * FROM passages ORDER BY id",
    "sentences": "SELECT rowid, * FROM sentences ORDER BY rowid",
    "decisions": "SELECT * FROM decisions ORDER BY id",
    "commitments": "SELECT * FROM commitments ORDER BY id",
    "vocabulary": "SELECT * FROM vocabulary ORDER BY term",
    "meta": "SELECT * FROM meta ORDER BY key",
    "sequence": "SELECT name, seq FROM sqlite_sequence ORDER BY name",
}


def _dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        return {name: [tuple(r) for r in conn.execute(sql)] for name, sql in _TABLES.items()}
    finally:
        conn.close()


def _schema(db: Path) -> set[tuple[str, str, str]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL")
        return {(r[0], r[1], r[2]) for r in rows}
    finally:
        conn.close()


def _empty_copy(built: Path, old: Path, schema: str) -> sqlite3.Connection:
    """A copy of ``built``'s folder whose store is ``schema`` made empty, in an open
    transaction with ``built``'s store attached as ``s`` (to fill it from)."""
    shutil.copytree(built, old)
    for suffix in ("", "-wal", "-shm"):
        (old / (DB_NAME + suffix)).unlink(missing_ok=True)
    conn = sqlite3.connect(old / DB_NAME, isolation_level=None)
    conn.executescript(schema)
    conn.execute("ATTACH ? AS s", (str(built / DB_NAME),))
    conn.execute("BEGIN")
    return conn


def _as_version_1(built: Path, old: Path, model: str) -> None:
    """A copy of ``built`` (made by today's writer) with the store as version 1 wrote it:
    each passage's text in its row, each sentence's hash as 32 hex characters."""
    conn = _empty_copy(built, old, V1_SCHEMA)
    for table in ("meta", "documents", "vocabulary", "decisions", "commitments"):
        conn.execute(f"INSERT INTO main.{table} SELECT * FROM s.{table}")
    for (sql,) in conn.execute("SELECT sql FROM s.sqlite_master WHERE name = 'old_cuts'"):
        conn.execute(sql)
        conn.execute("INSERT INTO main.old_cuts SELECT * FROM s.old_cuts")
    conn.execute("INSERT INTO main.passages SELECT * FROM s.passages")
    conn.create_function("hex_hash", 1, _hex_hash)
    conn.execute("UPDATE main.passages SET embed_hash = hex_hash(embed_hash)")
    conn.execute("UPDATE main.sqlite_sequence SET seq = (SELECT seq FROM s.sqlite_sequence)")
    texts = dict(conn.execute("SELECT id, text FROM s.passages").fetchall())
    conn.executemany(
        "INSERT INTO main.sentences(rowid, passage, start_char, end_char, embed_hash, "
        "embedding) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (rowid, p, a, b, embed_hash(model, texts[p][a:b]), blob)
            for rowid, p, a, b, blob in conn.execute(
                "SELECT rowid, passage, start_char, end_char, embedding FROM s.sentences"
            ).fetchall()
        ],
    )
    conn.execute("UPDATE main.meta SET value = '1' WHERE key = 'schema_version'")
    conn.execute("COMMIT")
    conn.close()


def _hex_hash(key: int | str) -> str:
    """A 32-hex-digit text hash whose 8-byte key is ``key`` (what versions 1 and 2 stored
    for a passage; the key reads only the first 16 digits; a TEXT column gives it as text)."""
    return f"{int(key) & (2**64 - 1):016x}" + "0" * 16


def _as_version_2(built: Path, old: Path) -> None:
    """A copy of ``built`` with the store as version 2 wrote it: each passage's text hash as
    32 hex characters, and its vector always in its row."""
    conn = _empty_copy(built, old, V2_SCHEMA)
    conn.execute("DELETE FROM main.meta")
    for table in ("meta", "documents", "vocabulary", "sentences"):
        conn.execute(f"INSERT INTO main.{table} SELECT * FROM s.{table}")
    conn.execute(
        "INSERT INTO main.passage_rows SELECT r.id, r.passage_id, r.doc_rowid, r.ordinal, "
        "r.char_start, r.char_end, r.page, r.heading, r.text, r.embed_hash, v.embedding, "
        "r.is_table FROM s.passage_rows r JOIN s.passage_vectors v ON v.id = r.id"
    )
    for table in ("decisions", "commitments"):
        conn.execute(f"INSERT INTO main.{table} SELECT * FROM s.{table}")
    for (sql,) in conn.execute("SELECT sql FROM s.sqlite_master WHERE name = 'old_cuts'"):
        conn.execute(sql)
        conn.execute("INSERT INTO main.old_cuts SELECT * FROM s.old_cuts")
    conn.create_function("hex_hash", 1, _hex_hash)
    conn.execute("UPDATE main.passage_rows SET embed_hash = hex_hash(embed_hash)")
    conn.execute("DELETE FROM main.sqlite_sequence")
    conn.execute("INSERT INTO main.sqlite_sequence SELECT * FROM s.sqlite_sequence")
    conn.execute("UPDATE main.meta SET value = '2' WHERE key = 'schema_version'")
    conn.execute("COMMIT")
    conn.close()


@pytest.fixture(params=["1", "2"])
def stores(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    small_index: Path,
    fake_embedder: HashingEmbedder,
) -> tuple[Path, Path]:
    """(an index built today, the same index as version 1 or 2 stored it)."""
    # the last passage removed: the id counter runs past the largest id still held
    store = Store.open(small_index)
    last = store.list_documents()[-1].document_id
    store.close()
    with IndexWriter(small_index, fake_embedder).open() as writer:
        writer.remove(last)
    old = tmp_path / f"v{request.param}"
    if request.param == "1":
        _as_version_1(small_index, old, fake_embedder.name)
    else:
        _as_version_2(small_index, old)
    return small_index, old


def test_an_old_copy_is_what_that_version_wrote(stores: tuple[Path, Path]) -> None:
    """Version 1 held the text in its rows and hex hashes; version 2 a view over rows
    without text, hex passage hashes and every vector in its row (what main wrote)."""
    _built, old = stores
    conn = sqlite3.connect(old / DB_NAME)
    version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    kind = conn.execute("SELECT type FROM sqlite_master WHERE name = 'passages'").fetchone()[0]
    assert (version, kind) in {("1", "table"), ("2", "view")}
    assert conn.execute("SELECT count(*) FROM passages WHERE length(text) > 0").fetchone()[0]
    assert {len(r[0]) for r in conn.execute("SELECT embed_hash FROM passages")} == {32}
    if version == "1":
        assert {len(r[0]) for r in conn.execute("SELECT embed_hash FROM sentences")} == {32}
    assert not conn.execute("SELECT count(*) FROM passages WHERE embedding IS NULL").fetchone()[0]
    conn.close()


def test_readers_read_a_version_1_store_as_it_is(
    stores: tuple[Path, Path], fake_embedder: HashingEmbedder
) -> None:
    """``cqa serve`` and queries on an old index keep working, and leave it as it was."""
    built, old = stores
    before = _dump(old / DB_NAME)
    engine = Engine(old, fake_embedder, Settings(index=old))
    answer = engine.ask("How many children went missing from care in Ravensholt?")
    engine.close()
    fresh = Engine(built, fake_embedder, Settings(index=built))
    expected = fresh.ask("How many children went missing from care in Ravensholt?")
    fresh.close()
    assert answer.hits and [(h.passage.passage_id, h.passage.text) for h in answer.hits] == [
        (h.passage.passage_id, h.passage.text) for h in expected.hits
    ]
    assert _dump(old / DB_NAME) == before


def test_the_writer_migrates_an_old_store_in_place(
    stores: tuple[Path, Path], fake_embedder: HashingEmbedder, small_corpus: Path
) -> None:
    """``cqa ingest`` on an old index: the store becomes what today's writer makes, row for
    row, and the sentence hashes still find their vectors."""
    built, old = stores
    with IndexWriter(old, fake_embedder).open():
        pass
    assert _dump(old / DB_NAME) == _dump(built / DB_NAME)
    assert _schema(old / DB_NAME) == _schema(built / DB_NAME)
    store = Store.open(old)
    try:
        assert (
            store.conn.execute(
                "SELECT count(*) FROM passage_rows WHERE text IS NOT NULL"
            ).fetchone()[0]
            == 0
        )
        rowid = int(store.conn.execute("SELECT passage FROM sentences LIMIT 1").fetchone()[0])
        spans, vectors = store.sentence_vectors([rowid])[rowid]
        (a, b), vector = spans[0], vectors[0]
        digest = embed_hash(fake_embedder.name, store.passages([rowid])[rowid].text[a:b])
        assert np.array_equal(store.embeddings_by_hash([digest], "sentences")[digest], vector)
        # a passage's vector is found by its text's hash, keyed in 8 bytes
        key, blob = store.conn.execute(
            "SELECT embed_hash, embedding FROM passages WHERE id = ?", (rowid,)
        ).fetchone()
        found = store.embeddings_by_hash([_hex_hash(key)])[_hex_hash(key)]
        assert isinstance(key, int) and np.array_equal(found, np.frombuffer(blob, np.float32))
    finally:
        store.close()
    # and it goes on as any index: an ingest of the same files adds back only the one
    # removed, the others unchanged
    with IndexWriter(old, fake_embedder).open() as writer:
        summary = writer.ingest([small_corpus])
    assert len(summary.added) == 1 and not summary.updated and summary.unchanged


def test_the_ingest_that_migrates_says_so_once(
    stores: tuple[Path, Path], fake_embedder: HashingEmbedder, small_corpus: Path
) -> None:
    _built, old = stores
    said = []
    for _ in range(2):
        with IndexWriter(old, fake_embedder).open() as writer:
            summary = writer.ingest([small_corpus])
        said.append([w for w in summary.warnings if "schema version" in w])
    version = old.name[1:]
    assert len(said[0]) == 1 and f"from schema version {version} to 3" in said[0][0]
    assert said[1] == []


def test_a_failed_migration_leaves_the_old_store_whole(
    stores: tuple[Path, Path], fake_embedder: HashingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One transaction: a migration that fails half way leaves no trace."""
    _built, old = stores
    before, schema = _dump(old / DB_NAME), _schema(old / DB_NAME)
    # the failure comes after the old tables are renamed, the new made and the rows copied
    step = "_swap" if old.name == "v1" else "_rows_v2"
    real = getattr(migrate, step)

    def swap_then_fail(conn: sqlite3.Connection, *args: object) -> None:
        real(conn, *args)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(migrate, step, swap_then_fail)
    with pytest.raises(IndexCorruptError, match="disk I/O error"):
        Store.open(old, create=True)
    assert _dump(old / DB_NAME) == before and _schema(old / DB_NAME) == schema
    monkeypatch.undo()
    Store.open(old, create=True).close()  # and the next writer migrates it
    assert _dump(old / DB_NAME)["meta"] != before["meta"]


@pytest.mark.parametrize("version", ["4", None])
def test_an_unknown_schema_version_is_refused_with_what_to_do(
    tmp_path: Path, version: str | None
) -> None:
    Store.open(tmp_path, create=True).close()
    conn = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    if version is None:
        conn.execute("DELETE FROM meta WHERE key = 'schema_version'")
    else:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
    conn.close()
    # a writer also refuses a newer layout (one without a version is given today's)
    for create in (False, True) if version else (False,):
        with pytest.raises(
            IndexCorruptError, match=f"schema version {version or 'none'}.*cqa ingest"
        ):
            Store.open(tmp_path, create=create)
    conn = sqlite3.connect(tmp_path / DB_NAME)
    assert (
        conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'passages'").fetchone()[0]
        == 1
    )
    conn.close()
