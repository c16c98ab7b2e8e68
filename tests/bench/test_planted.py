"""bench/planted.py's bookkeeping (stop 32): the planted rows found, answers compared."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from bench.planted import _compare_planted, ask_modes, changed, planted_rows, with_tier


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
    assert planted_rows(tmp_path, "dev-set") == [7, 8, 9]
    assert planted_rows(tmp_path, "dev-set-2") == [10, 11, 12]


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


def test_a_set_s_rows_are_its_documents_wherever_they_lie(tmp_path: Path) -> None:
    """Planted together (``plant --into``), a set's passages are read by its documents'
    paths, not as every row above its first one."""
    db = sqlite3.connect(tmp_path / "meta.sqlite")
    db.execute("CREATE TABLE documents (doc_rowid INTEGER PRIMARY KEY, path TEXT)")
    db.execute("CREATE TABLE passage_rows (id INTEGER PRIMARY KEY, doc_rowid INTEGER)")
    db.executemany(
        "INSERT INTO documents VALUES (?, ?)",
        [(1, "/x/0001-a.txt"), (2, "/w/shared/dev-set/corpus/n.txt"),
         (3, "/w/shared/dev-set-2/corpus/k.txt"), (4, "/w/shared/dev-set/corpus/m.txt")],
    )  # fmt: skip
    db.executemany(
        "INSERT INTO passage_rows VALUES (?, ?)", [(i, 1 + (i - 1) // 2) for i in range(1, 9)]
    )
    db.commit()
    db.close()
    assert planted_rows(tmp_path, "dev-set") == [3, 4, 7, 8]
    assert planted_rows(tmp_path, "dev-set-2") == [5, 6]
    assert planted_rows(tmp_path, "real-dev-set") == []


def _small_impact() -> Any:
    pytest.importorskip("numba")
    from index.impact import ImpactIndex, code_impacts

    passages = 400
    rows = np.arange(passages, dtype=np.uint32)
    a = ((rows * 7919) % passages).astype(np.float32) / passages + 1.0
    offsets = np.array([0, passages], dtype=np.int64)
    codes, values, bases = code_impacts(a, offsets)
    return ImpactIndex(
        {"a": 0}, offsets, rows, codes, values, bases, np.array([a.max()], np.float32), passages
    )


def test_the_exact_mode_never_searches_a_tier_and_a_saved_one_is_mapped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tier saved in the impact folder (as ``bench/scale_10m.sh`` saves it) is loaded by
    ``ImpactIndex.load``; the exact mode drops it, a tier mode of its size maps it rather
    than building one, and another size is built."""
    from index.impact import ImpactIndex
    from index.impact_pruned import TIER_FILE

    folder = tmp_path / "impact"
    _small_impact().save(folder)
    tier = _small_impact().with_tier(16).tier
    assert tier is not None
    tier.save(folder / TIER_FILE.format(n=16))
    loaded = ImpactIndex.load(folder)
    assert loaded.tier is not None and loaded.tier.n == 16  # loaded with its folder's tier
    exact = with_tier(loaded, None, folder)
    assert exact.tier is None and not exact.approximate
    built: list[int] = []
    original = ImpactIndex.with_tier

    def counted(self: Any, n: int) -> Any:
        built.append(n)
        return original(self, n)

    monkeypatch.setattr(ImpactIndex, "with_tier", counted)
    assert with_tier(exact, 16, folder).tier.n == 16 and built == []  # mapped
    assert with_tier(exact, 8, folder).tier.n == 8 and built == [8]  # none saved: built


def test_the_sets_planted_in_place_link_to_the_one_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``plant --into``: one ingest of the three corpora, the impact index built again
    unless current, each set's folder a link to the index; run again, nothing is redone."""
    from bench import impact_profile, planted
    from indexing import writer

    index = tmp_path / "10m"
    index.mkdir()
    ingested: list[list[Path]] = []
    built: list[Path] = []

    class Writer:
        def __init__(self, target: Path, embedder: Any) -> None:
            assert target == index

        def open(self) -> Any:
            return self

        def __enter__(self) -> Any:
            return self

        def __exit__(self, *exc: Any) -> None:
            return None

        def ingest(self, paths: list[Path]) -> Any:
            ingested.append(list(paths))
            return SimpleNamespace(passages_total=1_175, documents_total=101)

    current = {"yes": False}

    def build_step(target: Path, out: Path, range_passages: int | None = None) -> Any:
        built.append(out)
        current["yes"] = True
        return {"built": True}

    monkeypatch.setattr(writer, "IndexWriter", Writer)
    monkeypatch.setattr(impact_profile, "build_step", build_step)
    monkeypatch.setattr(planted, "_impact_is_current", lambda target: current["yes"])
    monkeypatch.setattr(planted, "_passages", lambda target: 1_000)
    monkeypatch.setattr(planted, "planted_rows", lambda target, name: [1, 2])
    sets = list(planted.SETS)
    report = planted.plant_into(index, sets, tmp_path / "pl")
    assert [p.parent.name for p in ingested[0]] == sets and len(ingested) == 1
    assert built == [index / "impact"] and report["impact"] == {"built": True}
    for name in sets:
        assert (tmp_path / "pl" / name).resolve() == index.resolve()
    assert (index / planted.PLANTED).exists()
    again = planted.plant_into(index, sets, tmp_path / "pl")
    assert len(ingested) == 1 and len(built) == 1 and again["haystack_passages"] == 1_000


def test_ask_modes_pair_each_mode_with_its_dense_search_beside() -> None:
    assert ask_modes([6554]) == {"exact": None, "tier6554": 6554}
    assert ask_modes([6554, 65536], beside=True) == {
        "exact": None,
        "tier6554": 6554,
        "tier65536": 65536,
        "exact-beside": None,
        "tier6554-beside": 6554,
        "tier65536-beside": 65536,
    }
