"""The 10M tier measurement's bookkeeping (stop 33): the first passes' recall against the
exact pass, and the hook that tells the recorder which ask is running."""

from __future__ import annotations

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
