"""The lean store (schema version 2, issue 18) against version 1: its bytes and its readers.

    python -m bench.store_layout SOURCE_DB OUT [--passages N] [--rounds R] [--questions Q]
                                 [--migrate]

Copies the first ``N`` passages of ``SOURCE_DB`` (a ``meta.sqlite`` of either layout, read
only; all passages without ``--passages``) with their documents, sentences and records into
``OUT/v1/meta.sqlite`` (the version-1 schema, ``index.migrate.V1_SCHEMA``) and
``OUT/v2/meta.sqlite`` (today's), in fresh files with SQLite's default 4,096-byte pages.
The vocabulary is left out of both (it belongs to the whole source, not to N passages).

Then it reports:
- bytes a passage, by table and index (SQLite's ``dbstat``), and the files' sizes;
- the store's readers on each layout through the same ``Store`` code (a version-1 store is
  read as it is), ``R`` rounds alternating the layouts, median seconds and v2/v1: every
  passage as the tantivy rebuild reads it (``store_texts``), every passage as the OpenSearch
  export reads it, every vector (``all_embeddings``, the dense rebuild), the count, and
  ``Q`` questions' reads of 30 random passages each (``Store.passages``);
- with ``--migrate``, the time of ``index.migrate`` turning ``OUT/v1`` into version 2 in
  place (``OUT/v2`` is deleted first, to keep the disk free), and the bytes it then holds.

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

from index.migrate import V1_SCHEMA, migrate_v1
from index.opensearch_export import documents as export_rows
from index.sentences import sentence_key
from index.sqlite import _SCHEMA, DB_NAME, SCHEMA_VERSION
from index.store import Store

_PASSAGE_COLUMNS = (
    "id, passage_id, doc_rowid, ordinal, char_start, char_end, page, heading, text, "
    "embed_hash, embedding, is_table"
)


def _as_key(value: str | int) -> int:
    return value if isinstance(value, int) else sentence_key(value)


def _as_hex(value: str | int) -> str:
    # a version-2 source no longer holds the last 16 hex digits: zeros keep the size
    return value if isinstance(value, str) else f"{value & (2**64 - 1):016x}" + "0" * 16


def copy_store(source: Path, target: Path, passages: int | None, version: str) -> int:
    """Copy the first ``passages`` of ``source`` into a fresh store of ``version``'s schema;
    returns how many passages it holds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    db = sqlite3.connect(f"file:{target}", uri=True, isolation_level=None)
    db.create_function("as_key", 1, _as_key, deterministic=True)
    db.create_function("as_hex", 1, _as_hex, deterministic=True)
    db.executescript(V1_SCHEMA if version == "1" else _SCHEMA)
    db.execute("ATTACH ? AS s", (f"file:{source}?immutable=1",))
    last = db.execute(
        "SELECT id FROM s.passages ORDER BY id LIMIT 1 OFFSET ?", ((passages or 1 << 62) - 1,)
    ).fetchone()
    top = int(last[0]) if last else int(db.execute("SELECT max(id) FROM s.passages").fetchone()[0])
    db.execute("BEGIN")
    db.execute("INSERT INTO meta SELECT * FROM s.meta")
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
    db.execute(
        "INSERT INTO documents SELECT * FROM s.documents WHERE doc_rowid IN "
        "(SELECT DISTINCT doc_rowid FROM s.passages WHERE id <= ?)",
        (top,),
    )
    picked = f"SELECT {_PASSAGE_COLUMNS} FROM s.passages p WHERE p.id <= ? ORDER BY p.id"
    if version == "1":
        db.execute(f"INSERT INTO passages({_PASSAGE_COLUMNS}) {picked}", (top,))
    else:  # as the writer does: the text only where the document's slice differs
        db.execute(
            f"INSERT INTO passage_rows({_PASSAGE_COLUMNS}) SELECT id, passage_id, doc_rowid, "
            "ordinal, char_start, char_end, page, heading, CASE WHEN text IS (SELECT "
            "substr(d.text, char_start + 1, char_end - char_start) FROM main.documents d "
            "WHERE d.doc_rowid = x.doc_rowid) THEN NULL ELSE text END, embed_hash, "
            f"embedding, is_table FROM ({picked}) x",
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
    db.execute("COMMIT")
    held = int(db.execute("SELECT count(*) FROM passages").fetchone()[0])
    db.close()
    return held


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

    return {
        "tantivy rebuild: every passage's text (store_texts)": lambda: sum(
            1 for _ in store_texts(store)
        ),
        "OpenSearch export: every passage": lambda: sum(1 for _ in export_rows(store)),
        "dense rebuild: every vector (all_embeddings)": lambda: len(store.all_embeddings()[0]),
        "count (passage_count)": store.passage_count,
        f"{questions} questions x 30 passages (Store.passages)": ask,
    }


def time_readers(out: Path, rounds: int, questions: int) -> dict[str, dict[str, float]]:
    """Median seconds of each reader on each layout, rounds alternating the layouts."""
    from index.lexical_tantivy import store_texts

    stores = {v: Store.open(out / f"v{v}") for v in ("1", "2")}
    # first, that the layouts read the same: every passage's heading, text and context
    pairs = zip(store_texts(stores["1"]), store_texts(stores["2"]), strict=True)
    differ = sum(1 for a, b in pairs if a != b)
    if differ:
        raise RuntimeError(f"{differ} passages read differently from the two layouts")
    calls = {v: readers(s, questions, seed=7) for v, s in stores.items()}
    seconds: dict[str, dict[str, list[float]]] = {name: {"1": [], "2": []} for name in calls["1"]}
    for round_ in range(rounds):
        order = ("1", "2") if round_ % 2 == 0 else ("2", "1")
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
        old, new = statistics.median(by["1"]), statistics.median(by["2"])
        table[name] = {"v1_s": round(old, 4), "v2_s": round(new, 4), "v2/v1": round(new / old, 2)}
    return table


def main() -> None:
    """Copy, measure, print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a meta.sqlite of either layout (read only)")
    parser.add_argument("out", type=Path, help="a folder for the two copies (delete after)")
    parser.add_argument("--passages", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--migrate", action="store_true")
    args = parser.parse_args()
    report: dict[str, object] = {"source": str(args.source)}
    for version in ("1", SCHEMA_VERSION):
        started = time.perf_counter()
        held = copy_store(args.source, args.out / f"v{version}" / DB_NAME, args.passages, version)
        report[f"v{version}"] = {
            "passages": held,
            "copy_s": round(time.perf_counter() - started, 1),
            **sizes(args.out / f"v{version}" / DB_NAME, held),
        }
    report["readers"] = time_readers(args.out, args.rounds, args.questions)
    if args.migrate:
        shutil.rmtree(args.out / f"v{SCHEMA_VERSION}")
        db = args.out / "v1" / DB_NAME
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("PRAGMA journal_mode=DELETE")  # the copy's WAL, folded back
        started = time.perf_counter()
        migrate_v1(conn, _SCHEMA, SCHEMA_VERSION)
        seconds = time.perf_counter() - started
        conn.close()
        held = int(report["v1"]["passages"])  # type: ignore[index]
        report["migrate"] = {"seconds": round(seconds, 1), **sizes(db, held)}
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
