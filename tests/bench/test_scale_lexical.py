"""bench.scale_lexical --dates at a small size: both ways of filtering dates are timed on
the same questions, and agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import scale_lexical
from index.store import DB_NAME


def test_the_dates_bench_times_both_ways_and_they_agree(small_index: Path, tmp_path: Path) -> None:
    stamp = (small_index / DB_NAME).stat().st_mtime_ns
    report = scale_lexical.dates(small_index, tmp_path / "dates", loops=1, threads=1)
    assert report["build_s"] >= 0 and report["mb"]["new"] > 0  # a small build may round to 0.0 s
    assert "council" in report["filters"] and "dates 2016-2018" in report["filters"]
    for name, found in report["filters"].items():
        assert found["old_ms"]["n"] == found["new_ms"]["n"] == report["questions"], name
        assert found["same_but_ties_cut"] == report["questions"], name
    assert (small_index / DB_NAME).stat().st_mtime_ns == stamp  # the store is only read
    again = scale_lexical.dates(small_index, tmp_path / "dates", 1, 1, only=["from 2019"])
    assert "build_s" not in again and list(again["filters"]) == ["from 2019"]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ([(1, 3.0), (2, 2.0), (3, 1.0)], [(1, 3.0), (2, 2.0), (3, 1.0)], True),
        ([(1, 3.0), (2, 1.0), (3, 1.0)], [(1, 3.0), (2, 1.0), (4, 1.0)], True),  # tie cut
        ([(1, 3.0), (2, 2.0), (3, 1.0)], [(2, 3.0), (1, 2.0), (3, 1.0)], False),
        ([(1, 3.0), (2, 2.0)], [(1, 3.0), (2, 2.5)], False),
        ([], [], True),
    ],
)
def test_rankings_agree_but_for_ties_at_the_cut(
    a: list[tuple[int, float]], b: list[tuple[int, float]], same: bool
) -> None:
    assert scale_lexical.agree(a, b) is same
