"""The lean store against its earlier layouts: its bytes and its readers (issue 18).

    python -m bench.store_layout SOURCE_DB OUT [--passages N] [--rounds R] [--questions Q]
                                 [--layouts 2,3] [--migrate] [--keep-vectors]

Copies the first ``N`` passages of ``SOURCE_DB`` (a ``meta.sqlite`` of any layout, read
only; all passages without ``--passages``) with their documents, sentences and records into
``OUT/v<L>/meta.sqlite`` for each of the two ``--layouts`` (1: ``index.migrate.V1_SCHEMA``,
each passage's text in its row; 2: ``V2_SCHEMA``, the text sliced from the document; 3:
today's, 8-byte passage hashes and no passage vector in the row), in fresh files with
SQLite's default 4,096-byte pages.  A version-3 copy is made as an on-disk index's store
is once its base holds every passage: the vectors go to ``ids.i64`` and ``vectors.f16`` of
a base folder beside it (what an on-disk base already holds), the rows hold none; with
``--keep-vectors`` it is made as the store of an index kept in memory (every vector in
``passage_vectors``, its float32 rows).  The
vocabulary is left out (it belongs to the whole source, not to N passages).

Then it reports:
- bytes a passage, by table and index (SQLite's ``dbstat``), and the files' sizes;
- the store's readers on each layout through the same ``Store`` code (an older store is
  read as it is), ``R`` rounds alternating the layouts, median seconds and new/old: every
  passage as the tantivy rebuild reads it (``store_texts``), every passage as the OpenSearch
  export reads it, every vector (``all_embeddings``, the dense rebuild), the count, and
  ``Q`` questions' reads of 30 random passages each (``Store.passages``) and of 30 random
  passages' vectors (``Store.embeddings``, as "similar" and the in-memory IVF's re-scoring
  read them);
- with ``--migrate``, the time of ``index.migrate`` turning the older copy into today's
  layout in place (the newer copy is deleted first, to keep the disk free), the bytes it
  then holds, and, when it ends at version 3, the time and bytes of dropping the vectors a
  base holds (``Store.fold_into_base``, what the next commit of an on-disk index does).

Writes nothing else; delete ``OUT`` afterwards.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from index.dense_ondisk import IDS_FILE, VECTORS_FILE
from index.migrate import V1_SCHEMA, V2_SCHEMA, migrate
from index.opensearch_export import documents as export_rows
from index.sentences import sentence_key
from index.sqlite import _SCHEMA, DB_NAME, SCHEMA_VERSION
from index.store import Store
from index.vectors import BASE_LAST_META, BASE_META

_SCHEMAS = {"1": V1_SCHEMA, "2": V2_SCHEMA, SCHEMA_VERSION: _SCHEMA}
BASE = "dense-base-copy"  # the base folder a version-3 copy's vectors go to

_PASSAGE_COLUMNS = (
    "id, passage_id, doc_rowid, ordinal, char_start, char_end, page, heading, text, "
    "embed_hash, embedding, is_table"
)


def _as_key(value: str | int) -> int:
    return value if isinstance(value, int) else sentence_key(value)


def _as_hex(value: str | int) -> str:
    # a version-2 source no longer holds the last 16 hex digits: zeros keep the size
    return value if isinstance(value, str) else f"{value & (2**64 - 1):016x}" + "0" * 16


class _SourceVectors:
    """A source row's float32 vector: its ``embedding``, or, where a version-3 source's is
    NULL, the vector its base holds (the source opened as a ``Store`` only then)."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.store: Store | None = None

    def vector(self, rowid: int, blob: bytes | None) -> bytes:
        if blob is not None:
            return blob
        if self.store is None:
            self.store = Store.open(self.source.parent)
        return self.store.based_vectors(np.array([rowid], dtype=np.int64))[0].tobytes()

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


def copy_store(
    source: Path, target: Path, passages: int | None, version: str, fold: bool = True
) -> int:
    """Copy the first ``passages`` of ``source`` into a fresh store of ``version``'s schema;
    returns how many passages it holds (version 3: the vectors in a base beside it, or with
    ``fold`` false in ``passage_vectors``, as an index kept in memory holds them)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    reader = _SourceVectors(source)
    db = sqlite3.connect(f"file:{target}", uri=True, isolation_level=None)
    db.create_function("as_key", 1, _as_key, deterministic=True)
    db.create_function("as_hex", 1, _as_hex, deterministic=True)
    db.create_function("vector", 2, reader.vector)
    db.executescript(_SCHEMAS[version])
    db.execute("ATTACH ? AS s", (f"file:{source}?immutable=1",))
    last = db.execute(
        "SELECT id FROM s.passages ORDER BY id LIMIT 1 OFFSET ?", ((passages or 1 << 62) - 1,)
    ).fetchone()
    top = int(last[0]) if last else int(db.execute("SELECT max(id) FROM s.passages").fetchone()[0])
    db.execute("BEGIN")
    db.execute("INSERT INTO meta SELECT * FROM s.meta WHERE key NOT LIKE 'vector_base%'")
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
    db.execute(
        "INSERT INTO documents SELECT * FROM s.documents WHERE doc_rowid IN "
        "(SELECT DISTINCT doc_rowid FROM s.passages WHERE id <= ?)",
        (top,),
    )
    picked = f"SELECT {_PASSAGE_COLUMNS} FROM s.passages p WHERE p.id <= ? ORDER BY p.id"
    key = "as_key" if version == SCHEMA_VERSION else "as_hex"
    if version == "1":
        v1 = _PASSAGE_COLUMNS.replace("embed_hash", "as_hex(embed_hash)")
        v1 = v1.replace("embedding", "vector(id, embedding)")
        db.execute(f"INSERT INTO passages({_PASSAGE_COLUMNS}) SELECT {v1} FROM ({picked})", (top,))
    else:  # as the writer does: the text only where the document's slice differs
        columns = _PASSAGE_COLUMNS.replace(" embedding,", "" if version != "2" else " embedding,")
        vector = "" if version != "2" else "vector(id, embedding), "
        db.execute(
            f"INSERT INTO passage_rows({columns}) SELECT id, passage_id, doc_rowid, "
            "ordinal, char_start, char_end, page, heading, CASE WHEN text IS (SELECT "
            "substr(d.text, char_start + 1, char_end - char_start) FROM main.documents d "
            f"WHERE d.doc_rowid = x.doc_rowid) THEN NULL ELSE text END, {key}(embed_hash), "
            f"{vector}is_table FROM ({picked}) x",
            (top,),
        )
    key = "as_hex" if version == "1" else "as_key"
    db.execute(
        "INSERT INTO sentences(passage, start_char, end_char, embed_hash, embedding) "
        f"SELECT passage, start_char, end_char, {key}(embed_hash), embedding FROM s.sentences "
        "WHERE passage <= ? ORDER BY passage",
        (top,),
    )
    for table in ("decisions", "commitments"):
        names = ", ".join(r[1] for r in db.execute(f"PRAGMA main.table_info({table})"))
        db.execute(
            f"INSERT INTO {table}({names}) SELECT {names} FROM s.{table} WHERE passage <= ?",
            (top,),
        )
    if version == SCHEMA_VERSION and not fold:
        db.execute(
            "INSERT INTO passage_vectors(id, embedding) SELECT id, vector(id, embedding) "
            "FROM s.passages WHERE id <= ? ORDER BY id",
            (top,),
        )
    elif version == SCHEMA_VERSION:
        write_base(db, target.parent / BASE, top)
        db.executemany(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
            [(BASE_META, BASE), (BASE_LAST_META, str(top))],
        )
    db.execute("COMMIT")
    held = int(db.execute("SELECT count(*) FROM passages").fetchone()[0])
    db.close()
    reader.close()
    return held


def write_base(db: sqlite3.Connection, folder: Path, top: int) -> None:
    """The source's vectors up to id ``top`` as an on-disk base holds them: ``ids.i64`` and
    ``vectors.f16`` in id order (only the files the store's readers read)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = db.execute(
        "SELECT id, vector(id, embedding) FROM s.passages WHERE id <= ? ORDER BY id", (top,)
    )
    with open(folder / IDS_FILE, "wb") as ids, open(folder / VECTORS_FILE, "wb") as vectors:
        while chunk := rows.fetchmany(10_000):
            ids.write(np.array([r[0] for r in chunk], dtype=np.int64).tobytes())
            blob = b"".join(r[1] for r in chunk)
            vectors.write(np.frombuffer(blob, dtype=np.float32).astype(np.float16).tobytes())


def sizes(db: Path, passages: int) -> dict[str, object]:
    """Bytes a passage: the file, and each table and index by ``dbstat`` (largest first)."""
    conn = sqlite3.connect(f"file:{db}?immutable=1", uri=True)
    rows = conn.execute(
        "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
    ).fetchall()
    free = int(conn.execute("PRAGMA freelist_count").fetchone()[0])
    page = int(conn.execute("PRAGMA page_size").fetchone()[0])
    conn.close()
    used = sum(int(b) for _, b in rows)
    return {
        "file_bytes_per_passage": round(db.stat().st_size / passages),
        "used_bytes_per_passage": round(used / passages),
        "free_pages": free,
        "page_size": page,
        "by": {str(name): round(int(b) / passages) for name, b in rows},
    }


def readers(store: Store, questions: int, seed: int) -> dict[str, Callable[[], object]]:
    """The store's readers to time, each a call that reads everything it would."""
    from index.lexical_tantivy import store_texts

    ids = [int(r[0]) for r in store.conn.execute("SELECT id FROM passages")]
    draws = random.Random(seed)
    picks = [draws.sample(ids, min(30, len(ids))) for _ in range(questions)]

    def ask() -> int:
        return sum(len(store.passages(p)) for p in picks)

    def vectors() -> int:
        return sum(len(store.embeddings(p)) for p in picks)

    return {
        "tantivy rebuild: every passage's text (store_texts)": lambda: sum(
            1 for _ in store_texts(store)
        ),
        "OpenSearch export: every passage": lambda: sum(1 for _ in export_rows(store)),
        "dense rebuild: every vector (all_embeddings)": lambda: len(store.all_embeddings()[0]),
        "count (passage_count)": store.passage_count,
        f"{questions} questions x 30 passages (Store.passages)": ask,
        f"{questions} x 30 passages' vectors (Store.embeddings)": vectors,
    }


def time_readers(
    out: Path, rounds: int, questions: int, layouts: tuple[str, str] = ("2", SCHEMA_VERSION)
) -> dict[str, dict[str, float]]:
    """Median seconds of each reader on each layout, rounds alternating the layouts."""
    from index.lexical_tantivy import store_texts

    old, new = layouts
    stores = {v: Store.open(out / f"v{v}") for v in layouts}
    # first, that the layouts read the same: every passage's heading, text and context,
    # and its vector (float16 values from a base)
    pairs = zip(store_texts(stores[old]), store_texts(stores[new]), strict=True)
    differ = sum(1 for a, b in pairs if a != b)
    if differ:
        raise RuntimeError(f"{differ} passages read differently from the two layouts")
    (old_ids, old_vectors), (new_ids, new_vectors) = (stores[v].all_embeddings() for v in layouts)
    half = any(s.get_meta(BASE_META) for s in stores.values())
    if half:
        old_vectors, new_vectors = (
            v.astype(np.float16).astype(np.float32) for v in (old_vectors, new_vectors)
        )
    if not (np.array_equal(old_ids, new_ids) and np.array_equal(old_vectors, new_vectors)):
        raise RuntimeError("the layouts read different vectors")
    del old_vectors, new_vectors
    calls = {v: readers(s, questions, seed=7) for v, s in stores.items()}
    seconds: dict[str, dict[str, list[float]]] = {name: {old: [], new: []} for name in calls[old]}
    for round_ in range(rounds):
        order = layouts if round_ % 2 == 0 else (new, old)
        for name in seconds:
            results = set()
            for v in order:
                started = time.perf_counter()
                results.add(calls[v][name]())
                seconds[name][v].append(time.perf_counter() - started)
            if len(results) != 1:
                raise RuntimeError(f"{name}: the layouts read different things: {results}")
    for store in stores.values():
        store.close()
    table = {}
    for name, by in seconds.items():
        before, after = statistics.median(by[old]), statistics.median(by[new])
        table[name] = {
            f"v{old}_s": round(before, 4),
            f"v{new}_s": round(after, 4),
            "ratio": round(after / before, 2),
        }
    return table


def migrate_copy(out: Path, old: str, held: int) -> dict[str, object]:
    """Migrate ``out/v<old>`` in place and, at version 3, fold its vectors into a base."""
    db = out / f"v{old}" / DB_NAME
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")  # the copy's WAL, folded back
    started = time.perf_counter()
    migrate(conn, _SCHEMA, SCHEMA_VERSION)
    report: dict[str, object] = {"seconds": round(time.perf_counter() - started, 1)}
    report.update(sizes(db, held))
    if SCHEMA_VERSION == "3":
        conn.create_function("vector", 2, lambda _i, blob: blob)
        conn.execute("ATTACH ? AS s", (str(db),))
        top = int(conn.execute("SELECT max(id) FROM passage_rows").fetchone()[0])
        write_base(conn, db.parent / BASE, top)
        conn.execute("DETACH s")
        conn.close()
        store = Store.open(db.parent)
        started = time.perf_counter()
        dropped = store.fold_into_base(BASE, top)
        report["fold"] = {
            "seconds": round(time.perf_counter() - started, 1),
            "dropped": dropped,
        }
        store.close()
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("PRAGMA journal_mode=DELETE")
        report["fold"].update(sizes(db, held))  # type: ignore[attr-defined]
    conn.close()
    return report


def main() -> None:
    """Copy, measure, print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a meta.sqlite of any layout (read only)")
    parser.add_argument("out", type=Path, help="a folder for the two copies (delete after)")
    parser.add_argument("--passages", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--layouts", default=f"2,{SCHEMA_VERSION}", help="older,newer")
    parser.add_argument("--migrate", action="store_true")
    parser.add_argument(
        "--keep-vectors",
        action="store_true",
        help="version 3 as an index kept in memory: every vector in passage_vectors",
    )
    args = parser.parse_args()
    old, new = args.layouts.split(",")
    report: dict[str, object] = {"source": str(args.source)}
    for version in (old, new):
        started = time.perf_counter()
        target = args.out / f"v{version}" / DB_NAME
        held = copy_store(args.source, target, args.passages, version, not args.keep_vectors)
        report[f"v{version}"] = {
            "passages": held,
            "copy_s": round(time.perf_counter() - started, 1),
            **sizes(args.out / f"v{version}" / DB_NAME, held),
        }
        base = args.out / f"v{version}" / BASE
        if base.exists():
            files = sum(p.stat().st_size for p in base.iterdir())
            report[f"v{version}"]["base_bytes_per_passage"] = round(files / held)  # type: ignore[index]
    report["readers"] = time_readers(args.out, args.rounds, args.questions, (old, new))
    if args.migrate and new == SCHEMA_VERSION:
        shutil.rmtree(args.out / f"v{new}")
        held = int(report[f"v{old}"]["passages"])  # type: ignore[index]
        report["migrate"] = migrate_copy(args.out, old, held)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
