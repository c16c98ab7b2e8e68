"""Tables and the scaling plot from ``bench/out/query.json`` (written by ``bench.query_bench``)
or from ``docs/performance-scaling.json``, the figures the plot in docs/performance.md is drawn
from: the 2 December 2026 run's, as printed in that doc, and a point measured separately.

python -m bench.query_report [RUN.json ...] [--plot docs/performance-scaling.png]
python -m bench.query_report docs/performance-scaling.json --plot docs/performance-scaling.png
python -m bench.query_report docs/performance-scaling.json \\
    --separate HTTP_AB.json SERVE.json --measured DATE --note TEXT   # set the separate point
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]


OUT = REPO_ROOT / "bench" / "out" / "query.json"
FIGURES = REPO_ROOT / "docs" / "performance-scaling.json"


def _size(row: dict[str, Any]) -> int:
    return int(row["passages"] if "passages" in row else row["size"])


def _ratio(ours: float | None, theirs: float | None) -> str:
    if not ours or not theirs:
        return "–"
    return f"{ours / theirs:.2f}"


def _get(data: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _fmt(value: Any) -> str:
    return "–" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _variants(row: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(label, {"core", "http"}) per lexical engine as served, and with two FAISS threads."""
    out = []
    for engine, part in row["engines"].items():
        out.append((engine, part))
        if "core_faiss2" in part:
            out.append((f"{engine}, 2 FAISS threads", {"core": part["core_faiss2"]}))
        if "core_faiss1" in part:  # runs from before one thread became the default
            one = {"core": part["core_faiss1"], "http": part.get("http_omp1")}
            out.append((f"{engine}, OMP 1", one))
    return out


def markdown(report: dict[str, Any]) -> str:
    """The benchmark's tables, as markdown."""
    lines = [
        "| passages | lexical | core p50 | core p95 | cold p50 | HTTP p50 | HTTP p95 | "
        "8 clients p50 | p95 | req/s | RSS warm MB | RSS after MB | startup s |",
        "| ---: | --- |" + " ---: |" * 11,
    ]
    for row in report["sizes"]:
        for engine, part in _variants(row):
            lines.append(
                "| "
                + " | ".join(
                    _fmt(v)
                    for v in (
                        _size(row),
                        engine,
                        _get(part, "core", "latency_ms", "p50"),
                        _get(part, "core", "latency_ms", "p95"),
                        _get(part, "core", "cold_latency_ms", "p50"),
                        _get(part, "http", "single", "latency_ms", "p50"),
                        _get(part, "http", "single", "latency_ms", "p95"),
                        _get(part, "http", "concurrent", "latency_ms", "p50"),
                        _get(part, "http", "concurrent", "latency_ms", "p95"),
                        _get(part, "http", "concurrent", "requests_per_s"),
                        _get(part, "http", "rss_warm_mb"),
                        _get(part, "http", "rss_after_mb"),
                        _get(part, "http", "startup_s"),
                    )
                )
                + " |"
            )
    lines += [
        "",
        "Median time per question in each part of the core (ms):",
        "",
        "| passages | lexical | encode | dense | lexical search | passages | sentences | rest |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in report["sizes"]:
        for engine, part in _variants(row):
            split = _get(part, "core", "split_p50_ms") or {}
            cells = [split.get(k) for k in ("encode", "dense", "lexical", "passages", "sentences")]
            cells.append(split.get("rest"))
            lines.append(
                f"| {_size(row)} | {engine} | " + " | ".join(_fmt(c) for c in cells) + " |"
            )
    lines += [
        "",
        "FAISS: IVF-SQ8 against exact search over the same vectors (recall@10, ms per question;",
        "re-scored: 20 candidates for 10, scored with the full vectors, as the service searches;",
        "* marks the service's nprobe at that size):",
        "",
        "| vectors | nlist | exact ms | nprobe | recall@10 | IVF ms | speed-up "
        "| re-scored recall@10 | re-scored ms |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in report["sizes"]:
        f = row.get("faiss") or {}
        for ivf in f.get("ivf", []):
            mark = "*" if ivf["nprobe"] == f.get("service_nprobe") else ""
            lines.append(
                f"| {f['vectors']} | {f['nlist']} | {f['exact_ms']} | {ivf['nprobe']}{mark} | "
                f"{ivf['recall_at_10']} | {ivf['ms']} | {ivf['speedup']} | "
                f"{_fmt(ivf.get('rescored_recall_at_10'))} | {_fmt(ivf.get('rescored_ms'))} |"
            )
    lines += [
        "",
        "The peer, txtai hybrid (same passages and vectors), in-process search; ratios ours/peer:",
        "",
        "| passages | txtai p50 | txtai p95 | txtai RSS MB | our core p50 / txtai | "
        "our RSS / txtai | txtai build s |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in report["sizes"]:
        p = row.get("peer") or {}
        if "skipped" in p:
            lines.append(f"| {_size(row)} | {p['skipped'][:80]} |||||")
            continue
        first: dict[str, Any] = next(iter(row["engines"].values()), {})
        lines.append(
            f"| {_size(row)} | {_fmt(_get(p, 'latency_ms', 'p50'))} | "
            f"{_fmt(_get(p, 'latency_ms', 'p95'))} | {_fmt(p.get('rss_after_mb'))} | "
            f"{_ratio(_get(first, 'core', 'latency_ms', 'p50'), _get(p, 'latency_ms', 'p50'))} | "
            f"{_ratio(_get(first, 'http', 'rss_after_mb'), p.get('rss_after_mb'))} | "
            f"{_fmt(p.get('build_s'))} |"
        )
    return "\n".join(lines)


def separate_row(
    http_ab: dict[str, Any], serve: dict[str, Any], measured: str, note: str
) -> dict[str, Any]:
    """The row of a point measured apart from a run of ``bench.query_bench``: ``/api/ask``
    over HTTP from a ``bench.scale_text http-ab --tier-ab`` report (its ``this`` server, the
    one served as by default), the in-process core from a ``bench.scale_text serve`` report.
    ``measured`` (a date) and ``note`` (how it differs from the run) mark it as separate."""
    passages = _get(http_ab, "tier_server", "passages")
    if passages is None:
        raise ValueError("the http-ab report has no tier_server.passages (run it with --tier-ab)")
    served = serve.get("impact_served") or {}
    if served.get("on"):
        engine = "impact index" + (f", tier {served['tier']:,}" if served.get("tier") else "")
    else:
        engine = "tantivy"
    core = serve["core"]
    return {
        "passages": int(passages),
        "separate": {"measured": measured, "note": note},
        "engines": {
            engine: {
                "core": {
                    k: core[k]
                    for k in ("latency_ms", "cold_latency_ms", "split_p50_ms")
                    if k in core
                },
                "http": {
                    "single": {"latency_ms": http_ab["this"]},
                    "rss_after_mb": http_ab.get("this_rss_mb"),
                    "startup_s": _get(http_ab, "up_s", "this"),
                },
            }
        },
        "peer": {"skipped": "txtai not built (measured by bench.scale_text, ours alone)"},
    }


def set_separate(figures: dict[str, Any], row: dict[str, Any]) -> dict[str, Any]:
    """``figures`` with ``row`` in place of its separate point of the same order of
    magnitude, if any (10,001,175 passages, the sets planted in 10M, replaces 10,000,000)."""

    def decade(r: dict[str, Any]) -> int:
        return round(math.log10(max(_size(r), 1)))

    kept = [r for r in figures["sizes"] if not ("separate" in r and decade(r) == decade(row))]
    return {**figures, "sizes": sorted([*kept, row], key=_size)}


def with_separate_points(report: dict[str, Any], figures: Path = FIGURES) -> dict[str, Any]:
    """``report`` (a run of ``bench.query_bench``) with the separate points of the committed
    figures file added, so that a new run's plot keeps the 10M point it did not measure."""
    try:
        saved = json.loads(figures.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return report
    points = [r for r in saved.get("sizes", []) if "separate" in r]
    return {**report, "sizes": sorted([*report["sizes"], *points], key=_size)}


@dataclass
class Line:
    """One series of the scaling plot: its panel (``latency`` or ``memory``), legend label,
    the figure it shows (``metric``, which colours a separate point like the run's line) and
    its points; ``separate`` for the points of a separate measurement, drawn unjoined."""

    panel: str
    label: str
    metric: str
    style: str
    xs: list[int] = field(default_factory=list)
    ys: list[float] = field(default_factory=list)
    separate: bool = False


_Series = tuple[tuple[str, tuple[str, ...], str, str], ...]  # panel, keys, metric, style
_OURS: _Series = (
    ("latency", ("http", "single", "latency_ms", "p50"), "HTTP p50", "o-"),
    ("latency", ("http", "single", "latency_ms", "p95"), "HTTP p95", "o--"),
    ("latency", ("core", "latency_ms", "p50"), "core p50", "s-"),
    ("memory", ("http", "rss_after_mb"), "server RSS", "o-"),
)
_PEER: _Series = (
    ("latency", ("latency_ms", "p50"), "txtai p50", "^-"),
    ("latency", ("latency_ms", "p95"), "txtai p95", "^--"),
    ("memory", ("rss_after_mb",), "txtai RSS", "^-"),
)


def plot_lines(report: dict[str, Any]) -> list[Line]:
    """The plot's series: each of ours per variant and the peer's over the run's sizes, then
    the separate points; a figure that is missing (null) is left out, never drawn as 0."""
    out: list[Line] = []
    for separate in (False, True):
        rows = [r for r in report["sizes"] if ("separate" in r) == separate]
        for variant in dict.fromkeys(label for r in rows for label, _ in _variants(r)):
            for panel, keys, metric, style in _OURS:
                line = Line(panel, f"ours ({variant}) {metric}", metric, style, separate=separate)
                for r in rows:
                    value = _get(dict(_variants(r)).get(variant, {}), *keys)
                    if value is not None:
                        line.xs.append(_size(r))
                        line.ys.append(value)
                if line.xs:  # a variant measured only in the core has no HTTP line
                    out.append(line)
        for panel, keys, metric, style in _PEER:
            line = Line(panel, metric, metric, style, separate=separate)
            for r in rows:
                value = _get(r.get("peer") or {}, *keys)
                if value is not None:
                    line.xs.append(_size(r))
                    line.ys.append(value)
            if line.xs:
                out.append(line)
    return out


def _footnote(report: dict[str, Any]) -> str:
    """What the separate points are, one paragraph a point."""
    notes = []
    for row in report["sizes"]:
        if "separate" in row:
            mark = row["separate"]
            notes.append(
                f"\u2605 {_size(row):,} passages, measured separately ({mark['measured']}): "
                f"{mark['note']}"
            )
    return "\n".join(textwrap.fill(n, 150) for n in notes)


def _megabytes(value: float, _: object = None) -> str:
    """A log axis's tick in MB, labelled at 1, 2, 3 and 5 of each power of ten only."""
    lead = value / 10 ** math.floor(math.log10(value)) if value > 0 else 0
    return f"{value:,.0f}" if round(lead, 6) in (1, 2, 3, 5) else ""


def plot(report: dict[str, Any], out: Path) -> None:
    """Latency p50/p95 and RSS against passages (log-log), ours and the peer's; a separate
    point is a star in its figure's colour, unjoined, explained under the plot."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import FuncFormatter
    except ImportError:
        print("no plot: pip install -e '.[bench]' for matplotlib", file=sys.stderr)
        return
    footnote = _footnote(report)
    tall = 0.16 * (footnote.count("\n") + 1) if footnote else 0.0
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 5.6 + tall))
    axes = {"latency": left, "memory": right}
    colours: dict[str, str] = {}
    for line in plot_lines(report):
        ax = axes[line.panel]
        if not line.separate:
            (drawn,) = ax.plot(line.xs, line.ys, line.style, label=line.label)
            colours.setdefault(line.metric, drawn.get_color())
            continue
        ax.plot(
            line.xs,
            line.ys,
            "*",
            markersize=13,
            markeredgecolor="black",
            markeredgewidth=0.6,
            color=colours.get(line.metric),
            label=f"{line.label}, separate run",
        )
    left.set(xscale="log", yscale="log", xlabel="passages", ylabel="ms per question")
    left.set_title("Latency (the goal at 100k: p50 25 ms, p95 60 ms)")
    left.axhline(25, color="grey", linewidth=0.8, linestyle=":")
    left.axhline(60, color="grey", linewidth=0.8, linestyle=":")
    right.set(xscale="log", yscale="log", xlabel="passages", ylabel="MB", title="Memory (RSS)")
    megabytes = FuncFormatter(_megabytes)
    right.yaxis.set_major_formatter(megabytes)
    right.yaxis.set_minor_formatter(megabytes)
    for ax in (left, right):  # the legends under the axes, clear of the lines
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2)
    if footnote:
        fig.text(0.01, 0.01, footnote, fontsize=7, va="bottom", ha="left")
    fig.tight_layout(rect=(0, (tall + 0.05) / (5.6 + tall) if footnote else 0, 1, 1))
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110, bbox_inches="tight")
    plt.close(fig)


def _read(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    """Print the tables of saved runs and redraw their plot, or set a separate point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "json",
        type=Path,
        nargs="*",
        help="runs, or docs/performance-scaling.json, to show together (default "
        "bench/out/query.json)",
    )
    parser.add_argument("--plot", type=Path, default=None)
    parser.add_argument(
        "--separate",
        type=Path,
        nargs=2,
        metavar=("HTTP_AB.json", "SERVE.json"),
        help="set the one figures file's separate point of that size from a "
        "`scale_text http-ab --tier-ab` and a `scale_text serve` report (replacing it)",
    )
    parser.add_argument("--measured", help="--separate: the date it was measured")
    parser.add_argument("--note", help="--separate: how it differs from the run")
    args = parser.parse_args(argv)
    if args.separate:
        if len(args.json) != 1 or not args.measured or not args.note:
            parser.error("--separate needs one figures file, --measured and --note")
        http_ab, serve = (_read(p) for p in args.separate)
        row = separate_row(http_ab, serve, args.measured, args.note)
        row["separate"]["from"] = [str(p) for p in args.separate]
        figures = set_separate(_read(args.json[0]), row)
        text = json.dumps(figures, indent=1, ensure_ascii=False) + "\n"
        args.json[0].write_text(text, encoding="utf-8")
    runs = [_read(p) for p in args.json or [OUT]]
    report = {**runs[0], "sizes": sorted((r for run in runs for r in run["sizes"]), key=_size)}
    print(markdown(report))
    if args.plot:
        plot(report, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
