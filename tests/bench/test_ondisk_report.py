"""bench.ondisk_report: the serving points' table and plot, from scale_ondisk serve reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import ondisk_report
from cqa_core.limits import DEFAULT_NPROBE
from index.dense_ondisk import REFINE_FACTOR


def _point(passages: int, recall: float, other: float) -> dict[str, object]:
    ms = {f: {"p50": 1.0 + i, "p95": 10.0 + i} for i, f in enumerate(ondisk_report.FILTERS)}
    return {
        "passages": passages,
        "startup_s": 2.5,
        "rss_after_mb": 2048.0,
        "search_ms": ms,
        "recall": [
            {"nprobe": DEFAULT_NPROBE, "refine": REFINE_FACTOR, "all": recall},
            {"nprobe": DEFAULT_NPROBE * 2, "refine": REFINE_FACTOR, "all": other},
        ],
    }


def test_rows_come_smallest_first_with_the_defaults_recall(tmp_path: Path) -> None:
    paths = []
    for passages, recall in ((10_000_000, 0.959), (1_000_000, 0.983)):
        path = tmp_path / f"{passages}.json"
        path.write_text(json.dumps(_point(passages, recall, 0.5)), encoding="utf-8")
        paths.append(path)
    table = ondisk_report.markdown(ondisk_report.load(paths))
    rows = table.splitlines()[2:]
    assert rows[0].startswith("| 1,000,000 |") and rows[1].startswith("| 10,000,000 |")
    assert rows[0].endswith("| 0.983 |") and rows[1].endswith("| 0.959 |")  # not the 0.5 row
    assert "1 / 10" in rows[0] and "4 / 13" in rows[0]  # none's and council+dates' p50 / p95


def test_a_run_without_the_default_pair_shows_no_recall() -> None:
    point = _point(3_000_000, 0.9, 0.9)
    point["recall"] = [{"nprobe": 1, "refine": 1, "all": 0.4}]
    assert ondisk_report.default_recall(point) is None
    assert ondisk_report.markdown([point]).splitlines()[2].endswith("| – |")


def test_the_plot_is_drawn(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "plot.png"
    assert ondisk_report.plot([_point(1_000_000, 0.98, 0.9), _point(3_000_000, 0.97, 0.9)], out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_input_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ondisk_report.main([str(tmp_path / "absent.json")]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text('{"passages": 1}', encoding="utf-8")
    assert ondisk_report.main([str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and err[0].startswith("no such file") and err[1].startswith("not a")
