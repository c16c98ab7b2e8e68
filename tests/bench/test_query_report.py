"""bench.query_report: the scaling plot's figures file, its separate point and its series."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import query_report

DOC = Path(query_report.REPO_ROOT / "docs" / "performance.md")


def _http_ab(passages: int, this: float, base: float) -> dict[str, Any]:
    """A made-up ``scale_text http-ab --tier-ab`` report."""
    return {
        "tier": True,
        "tier_server": {"passages": passages, "above": 2, "n": 64, "served": True, "saved": True},
        "this_rss_mb": 7000.0,
        "base_rss_mb": 6000.0,
        "up_s": {"this": 15.0, "base": 12.0},
        "this": {"p50": this, "p95": this + 20, "mean": this, "n": 3},
        "base": {"p50": base, "p95": base + 40, "mean": base, "n": 3},
    }


def _serve(p50: float) -> dict[str, Any]:
    """A made-up ``scale_text serve`` report."""
    return {
        "questions": 3,
        "core": {
            "latency_ms": {"p50": p50, "p95": p50 + 10, "mean": p50, "n": 3},
            "split_p50_ms": {"encode": 1.0, "dense": 2.0},
            "open_s": 9.0,
        },
        "impact_served": {"on": True, "tier": 64, "approximate": True},
    }


def _run_row(passages: int, http_p95: float | None, peer_rss: float | None) -> dict[str, Any]:
    return {
        "passages": passages,
        "engines": {
            "tantivy": {
                "core": {"latency_ms": {"p50": 20.0, "p95": 30.0}},
                "http": {
                    "single": {"latency_ms": {"p50": 22.0, "p95": http_p95}},
                    "rss_after_mb": 250.0,
                },
            }
        },
        "peer": {"latency_ms": {"p50": 6.0, "p95": 10.0}, "rss_after_mb": peer_rss},
    }


def _results_section() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("### Results\n", text.index("## Query\n"))
    return text[start : text.index("### Where the time goes", start)]


def test_the_figures_file_prints_the_docs_tables_of_its_run() -> None:
    figures = json.loads(query_report.FIGURES.read_text(encoding="utf-8"))
    run = [r for r in figures["sizes"] if "separate" not in r]
    assert [query_report._size(r) for r in run] == [9988, 99913, 999130]
    printed = [x for x in query_report.markdown({"sizes": run}).splitlines() if x.startswith("|")]
    table = [x for x in _results_section().splitlines() if x.startswith("|")]
    assert printed == table  # every cell as the doc prints it, and no row more or less


def test_the_figures_file_has_the_10m_point_apart() -> None:
    figures = json.loads(query_report.FIGURES.read_text(encoding="utf-8"))
    (row,) = [r for r in figures["sizes"] if "separate" in r]
    # stop 34's (docs/performance.md, "Filtered asks at 10M, stop 34"), the three sets planted
    assert row["passages"] == 10_001_175 and row["separate"]["measured"] == "2026-12-07"
    (part,) = row["engines"].values()
    assert part["http"]["single"]["latency_ms"]["p50"] == 39.85
    assert part["http"]["single"]["latency_ms"]["p95"] == 99.71
    assert (part["http"]["rss_after_mb"], part["http"]["startup_s"]) == (4811.3, 3.7)
    assert part["core"]["latency_ms"]["p50"] == 36.37
    assert "latency_ms" not in row["peer"]  # txtai was not built at 10M


def test_the_separate_point_is_read_from_scale_text_reports(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    figures.write_text(json.dumps({"sizes": [_run_row(1000, 40.0, 500.0)]}), encoding="utf-8")
    http, serve = tmp_path / "http.json", tmp_path / "serve.json"
    for size, first, second in ((10_000_000, 60.0, 50.0), (10_001_175, 55.0, 45.0)):
        # the second replaces the first: the same order of magnitude
        http.write_text(json.dumps(_http_ab(size, first, 99.0)), encoding="utf-8")
        serve.write_text(json.dumps(_serve(second)), encoding="utf-8")
        argv = [str(figures), "--separate", str(http), str(serve)]
        assert query_report.main([*argv, "--measured", "2026-12-07", "--note", "a corpus"]) == 0
    sizes = json.loads(figures.read_text(encoding="utf-8"))["sizes"]
    assert [r["passages"] for r in sizes] == [1000, 10_001_175]
    row = sizes[1]
    assert row["separate"] == {
        "measured": "2026-12-07",
        "note": "a corpus",
        "from": [str(http), str(serve)],
    }
    part = row["engines"]["impact index, tier 64"]
    assert part["http"]["single"]["latency_ms"]["p50"] == 55.0  # this, not base (99)
    assert part["http"]["single"]["latency_ms"]["p95"] == 75.0
    assert part["http"]["rss_after_mb"] == 7000.0 and part["http"]["startup_s"] == 15.0
    assert part["core"]["latency_ms"]["p50"] == 45.0
    assert "open_s" not in part["core"]


def test_separate_needs_one_figures_file_a_date_and_a_note(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        query_report.main([str(tmp_path / "a.json"), "--separate", "h.json", "s.json"])


def test_an_http_ab_report_without_its_size_is_refused() -> None:
    report = _http_ab(10, 1.0, 1.0)
    del report["tier_server"]
    with pytest.raises(ValueError, match="tier_server"):
        query_report.separate_row(report, _serve(1.0), "2026-12-07", "x")


def test_the_plot_puts_the_separate_point_at_its_size_apart() -> None:
    row = query_report.separate_row(_http_ab(10_000_000, 60.0, 99.0), _serve(50.0), "d", "n")
    report = {"sizes": [_run_row(10_000, 40.0, 500.0), _run_row(1_000_000, 50.0, 700.0), row]}
    lines = query_report.plot_lines(report)
    run = {(x.label, x.panel): x for x in lines if not x.separate}
    apart = {x.metric: x for x in lines if x.separate}
    assert run[("ours (tantivy) HTTP p50", "latency")].xs == [10_000, 1_000_000]
    assert apart["HTTP p50"].xs == [10_000_000] and apart["HTTP p50"].ys == [60.0]
    assert apart["HTTP p95"].ys == [80.0] and apart["core p50"].ys == [50.0]
    assert apart["server RSS"].panel == "memory" and apart["server RSS"].ys == [7000.0]
    assert not any(x.label.startswith("txtai") for x in apart.values())  # no peer at 10M
    assert all(10_000_000 not in x.xs for x in run.values())  # not joined to the run's lines


def test_a_missing_figure_is_skipped_not_drawn_as_zero() -> None:
    report = {"sizes": [_run_row(10_000, None, 480.0), _run_row(100_000, 40.0, None)]}
    lines = {x.label: x for x in query_report.plot_lines(report)}
    assert lines["ours (tantivy) HTTP p95"].xs == [100_000]
    assert lines["txtai RSS"].xs == [10_000] and lines["txtai RSS"].ys == [480.0]
    assert lines["ours (tantivy) HTTP p50"].xs == [10_000, 100_000]
    assert all(None not in x.ys and 0 not in x.ys for x in lines.values())


def test_the_plot_is_drawn_with_a_separate_point_and_gaps(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    row = query_report.separate_row(_http_ab(10_000_000, 60.0, 99.0), _serve(50.0), "d", "n")
    report = {"sizes": [_run_row(10_000, None, 480.0), _run_row(100_000, 40.0, None), row]}
    out = tmp_path / "plot.png"
    query_report.plot(report, out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_megabyte_ticks_are_labelled_at_1_2_3_and_5() -> None:
    labels = [query_report._megabytes(v) for v in (300.0, 400.0, 1000.0, 5000.0, 7000.0)]
    assert labels == ["300", "", "1,000", "5,000", ""]


def test_a_new_run_s_plot_keeps_the_separate_points(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    saved = {
        "sizes": [_run_row(1000, 40.0, 500.0), {**_run_row(10**7, 60.0, 7000.0), "separate": {}}]
    }
    figures.write_text(json.dumps(saved), encoding="utf-8")
    run = {"sizes": [_run_row(2000, 30.0, 400.0)]}
    drawn = query_report.with_separate_points(run, figures)
    assert [query_report._size(r) for r in drawn["sizes"]] == [2000, 10**7]  # not the old 1000
    assert query_report.with_separate_points(run, tmp_path / "none.json") == run
