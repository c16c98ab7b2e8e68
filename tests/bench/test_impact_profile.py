from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("numba")  # the [bench] extra

from bench.impact_profile import build_step
from index.impact import tier_size
from index.impact_pruned import TIER_FILE


@pytest.mark.parametrize("above", [None, "1"])
def test_a_build_saves_the_tier_the_engine_will_serve(
    small_index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, above: str | None
) -> None:
    if above is not None:
        monkeypatch.setenv("CQA_IMPACT_TIER_ABOVE", above)
    monkeypatch.setenv("CQA_IMPACT_TIER_SHARE", "0.25")
    report = build_step(small_index, tmp_path / "impact")
    saved = sorted(p.name for p in (tmp_path / "impact").glob("tier_*"))
    if above is None:  # the default threshold, 2M: nothing served, nothing saved
        assert report["served_tier"]["n"] is None and saved == []
    else:
        n = tier_size(report["passages"], 0.25)
        assert report["served_tier"]["n"] == n and saved == [TIER_FILE.format(n=n)]
