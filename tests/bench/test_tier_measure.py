"""The 10M tier measurement's bookkeeping (stop 33): the first passes' recall against the
exact pass, and the hook that tells the recorder which ask is running."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest

from bench.impact_pruned import first_pass_recall


def _hits(rows: Any, score: Any = None) -> list[tuple[int, float]]:
    """Rows best first, each scored ``score(row)`` (default: descending by position)."""
    rows = list(rows)
    return [(r, float(score(r)) if score else float(len(rows) - i)) for i, r in enumerate(rows)]


def test_recall_counts_only_the_calls_the_tier_serves() -> None:
    """Calls below ``TIGHT`` are main's by construction and left out; recall@10 over main's
    top 10, recall@k over the whole top k; a question with another count of calls is not
    paired."""
    main = [
        [(True, _hits(range(20))), (False, _hits([1, 2, 3]))],
        [(True, _hits(range(100, 120)))],
        [(True, _hits([7])), (True, _hits([8]))],
    ]
    other = [
        [(True, _hits([*range(5), *range(50, 55), *range(10, 20)])), (False, _hits([9, 9]))],
        [(True, _hits(range(100, 120)))],
        [(True, _hits([7]))],
    ]
    got = first_pass_recall(main, other)
    assert got["calls_above_tight"] == 2
    assert got["recall@10"] == {"mean": 0.75, "p5": 0.525, "min": 0.5}
    assert got["recall@k"]["mean"] == 0.875  # 15 of 20, 20 of 20
    assert got["same_top10"] == 1
    assert got["questions_unpaired"] == 1


def test_recall_by_score_counts_a_tied_copy_as_found() -> None:
    """Copies score the same: another copy in the top 10 is as good as main's by score, not
    by rows; a lower score is a miss both ways."""
    main = [[(True, _hits(range(10), lambda r: 5.0 if r < 5 else 3.0))]]
    tied = [[(True, _hits([*range(5), *range(90, 95)], lambda r: 5.0 if r < 5 else 3.0))]]
    lower = [[(True, _hits([*range(5), *range(90, 95)], lambda r: 5.0 if r < 5 else 2.0))]]
    assert first_pass_recall(main, tied)["recall@10"]["mean"] == 0.5
    assert first_pass_recall(main, tied)["recall@10_by_score"]["mean"] == 1.0
    assert first_pass_recall(main, lower)["recall@10_by_score"]["mean"] == 0.5


def test_recall_of_no_call_is_none() -> None:
    got = first_pass_recall([[(False, _hits([1]))]], [[(False, _hits([2]))]])
    assert got["calls_above_tight"] == 0 and got["recall@10"]["mean"] is None


def test_the_hook_sees_every_ask_before_it_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """``interleaved(..., before=...)``: called with (set, mode, loop, question) before each
    ask, the warm-up loop 0 first, every mode of every question each loop."""
    from bench import impact_tight
    from qa_service import presenters

    seen: list[tuple[str, str, int, int]] = []
    asked: list[tuple[str, int]] = []

    class Engine:
        lexical = SimpleNamespace(impact=None)

        def ask(self, question: str) -> Any:
            asked.append((question, len(seen)))
            return question

    monkeypatch.setattr(
        presenters, "ask_response", lambda a: SimpleNamespace(model_dump_json=lambda: a)
    )
    engines = {"s": Engine()}
    impacts = {("s", "main"): 1, ("s", "tier~"): 2}
    runs = [("s", "main", True), ("s", "tier~", False)]
    impact_tight.interleaved(
        engines, impacts, runs, ["q0", "q1"], 1, 0,
        {"lexical": 0.0, "maxscore": 0.0, "held": 0, "scored": 0}, lambda value: None,
        lambda *key: seen.append(key),
    )  # fmt: skip
    assert len(seen) == 8 and len(asked) == 8
    assert all(n == i + 1 for i, (_q, n) in enumerate(asked))  # the hook ran before each
    assert {k for k in seen if k[2] == 0} == {
        ("s", m, 0, i) for m in ("main", "tier~") for i in (0, 1)
    }
    assert sorted(k[2] for k in seen) == [0, 0, 0, 0, 1, 1, 1, 1]


def test_impact_ask_searches_main_s_first_pass_whatever_tier_is_saved(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``bench/impact_ask.py`` (scale_10m.sh's step (4)) on a folder holding a saved tier
    (step (5)): its impact mode is main's first pass, without the tier ``load`` takes."""
    pytest.importorskip("numba")
    import numpy as np

    from bench import impact_ask
    from bench import query_bench as qb
    from index.impact import ImpactIndex, code_impacts
    from index.impact_pruned import TIER_FILE
    from qa_service import presenters, retriever, runtime

    rows = np.arange(400, dtype=np.uint32)
    a = ((rows * 7919) % 400).astype(np.float32) / 400 + 1.0
    offsets = np.array([0, 400], dtype=np.int64)
    codes, values, bases = code_impacts(a, offsets)
    index = ImpactIndex(
        {"a": 0}, offsets, rows, codes, values, bases, np.array([a.max()], np.float32), 400
    )
    folder = tmp_path / "impact"
    index.save(folder)
    tier = index.with_tier(16).tier
    assert tier is not None
    tier.save(folder / TIER_FILE.format(n=16))
    assert ImpactIndex.load(folder).tier is not None
    served: list[Any] = []

    class Engine:
        def __init__(self, *args: Any) -> None:
            self.lexical = SimpleNamespace(impact=None, search=lambda *a, **k: time.sleep(0.001))

        def ask(self, question: str) -> Any:
            served.append(self.lexical.impact)
            self.lexical.search()
            return SimpleNamespace(state="answered", hits=[])

        def close(self) -> None:
            return None

    monkeypatch.setattr(retriever, "Engine", Engine)
    monkeypatch.setattr(runtime, "make_query_embedder", lambda settings: None)
    monkeypatch.setattr(
        presenters, "ask_response", lambda a: SimpleNamespace(model_dump_json=lambda: "")
    )
    monkeypatch.setattr(qb, "questions", lambda path: ["q"])
    impact_ask.run(tmp_path, folder, 1)
    impacts = [i for i in served if i is not None]
    assert impacts and all(i.tier is None and not i.approximate for i in impacts)
