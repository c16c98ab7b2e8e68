"""bench/kernel_ab.py's parts that need no kernel compiled: the other checkout's kernels
imported apart, and the synthetic lists."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("numba")  # the [bench] extra

from bench.kernel_ab import MODULES, OLD, lists, old_kernels
from index import impact_maxscore

REPO = Path(__file__).resolve().parents[2]


def test_the_old_kernels_are_a_package_of_their_own(tmp_path: Path) -> None:
    old = old_kernels(REPO, tmp_path)
    assert set(old) == set(MODULES)
    assert old["impact_maxscore"].maxscore_windowed is not impact_maxscore.maxscore_windowed
    # the old modules import each other, not this checkout's
    assert f"from {OLD}.impact_maxscore import" in (tmp_path / OLD / "impact_blocks.py").read_text()
    assert "from index." not in (tmp_path / OLD / "impact_windows.py").read_text()


def test_the_lists_ascend_and_hold_few_distinct_impacts() -> None:
    offsets, docids, impacts = lists(20_000)
    assert len(offsets) == 41 and offsets[-1] == len(docids) == len(impacts)
    for i in range(40):
        held = docids[offsets[i] : offsets[i + 1]]
        assert np.all(np.diff(held.astype(np.int64)) > 0)
        assert len(np.unique(impacts[offsets[i] : offsets[i + 1]])) <= 65_536
