"""bench/impact_pruned.py's projection to a larger corpus (stop 31)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.impact_pruned import project


def test_a_tier_is_projected_by_its_bounded_postings(tmp_path: Path) -> None:
    """Main's time grows with the passages; a tier's with its postings then over now (each
    list ``scale`` times as long, at most ``n``); a call below the line keeps main's."""
    calls = [
        # a long list, cut by the tier at both sizes: the tier's time does not grow
        {"k": 60, "above_tight": True, "lengths": [1000], "ms": {"main": 4.0, "tier100~": 1.0}},
        # a short list, kept whole now, cut at 10 times: the tier's time grows 100 / 20
        {"k": 60, "above_tight": True, "lengths": [20], "ms": {"main": 2.0, "tier100~": 1.0}},
        # below the line: main's time, scaled
        {"k": 60, "above_tight": False, "lengths": [5], "ms": {"main": 0.5, "tier100~": 0.5}},
    ]
    replay = tmp_path / "replay.json"
    replay.write_text(json.dumps({"per_call": calls}), encoding="utf-8")
    got = project([replay], scale=10.0, anchor=100.0)[str(replay)]["tier100~"]
    # main then: 40, 20, 5; the tier then: 1, 5, 5 (p50 5 / 20, p95 5 / 38 by interpolation)
    assert got["p50_ratio_to_main"] == pytest.approx(0.25)
    assert got["p95_ratio_to_main"] == pytest.approx(5.0 / 38.0, abs=1e-3)
    assert got["p95_ms_at_anchor"] == pytest.approx(100 * 5.0 / 38.0, abs=0.1)
