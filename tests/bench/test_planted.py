"""bench/planted.py's bookkeeping (stop 32): the planted rows found, answers compared."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.planted import _compare_planted, changed, planted_ids


def test_the_planted_set_is_found_above_the_haystack(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "meta.sqlite")
    db.execute("CREATE TABLE documents (doc_rowid INTEGER PRIMARY KEY, path TEXT)")
    db.execute("CREATE TABLE passage_rows (id INTEGER PRIMARY KEY, doc_rowid INTEGER)")
    db.executemany(
        "INSERT INTO documents VALUES (?, ?)",
        [(1, "/x/0001-a.txt"), (2, "/x/0002-b.txt"), (3, "/w/shared/dev-set/corpus/n.txt"),
         (4, "/w/shared/dev-set-2/corpus/k.txt")],
    )  # fmt: skip
    db.executemany(
        "INSERT INTO passage_rows VALUES (?, ?)", [(i, 1 + (i - 1) // 3) for i in range(1, 13)]
    )
    db.commit()
    db.close()
    assert planted_ids(tmp_path, "dev-set") == (3, 7)
    assert planted_ids(tmp_path, "dev-set-2") == (4, 10)


def _run(*answers: tuple[list[str], bool]) -> dict[str, Any]:
    return {
        "questions": [
            {"top5": [(s, "") for s in top], "answered_oof": said} for top, said in answers
        ]
    }


def test_answers_are_compared_by_rank_1_top_5_and_answered() -> None:
    base = {"a": _run((["x", "y"], True), (["x", "y"], True), (["x"], False))}
    other = {"a": _run((["x", "z"], True), (["y", "x"], True), (["x"], True))}
    assert changed(base, other, ["a"]) == {
        "questions": 3,
        "rank1": 1,
        "top5": 2,
        "answered_oof": 1,
    }


def test_a_comparison_without_two_named_councils_spans_the_planted_councils() -> None:
    calls: list[Any] = []
    named = {"compare them": (), "compare A and B": ("A", "B")}
    engine = SimpleNamespace(
        compare=lambda q, councils=None, per=3, filters=None: calls.append(councils),
        reader=SimpleNamespace(read=lambda q: SimpleNamespace(councils=named[q])),
    )
    _compare_planted(engine, ["P1", "P2"])
    engine.compare("compare them")
    engine.compare("compare A and B")
    engine.compare("compare them", ["C"])
    assert calls == [["P1", "P2"], None, ["C"]]
