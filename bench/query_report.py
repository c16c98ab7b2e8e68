"""Tables and the scaling plot from ``bench/out/query.json`` (written by ``bench.query_bench``).

python -m bench.query_report [RUN.json ...] [--plot docs/performance-scaling.png]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]


OUT = REPO_ROOT / "bench" / "out" / "query.json"


def _size(row: dict[str, Any]) -> int:
    return int(row.get("passages", row["size"]))


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
                        row.get("passages", row["size"]),
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
                f"| {row.get('passages', row['size'])} | {engine} | "
                + " | ".join(_fmt(c) for c in cells)
                + " |"
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
            lines.append(f"| {row.get('passages', row['size'])} | {p['skipped'][:80]} |||||")
            continue
        first: dict[str, Any] = next(iter(row["engines"].values()), {})
        lines.append(
            f"| {row.get('passages', row['size'])} | {_fmt(_get(p, 'latency_ms', 'p50'))} | "
            f"{_fmt(_get(p, 'latency_ms', 'p95'))} | {_fmt(p.get('rss_after_mb'))} | "
            f"{_ratio(_get(first, 'core', 'latency_ms', 'p50'), _get(p, 'latency_ms', 'p50'))} | "
            f"{_ratio(_get(first, 'http', 'rss_after_mb'), p.get('rss_after_mb'))} | "
            f"{_fmt(p.get('build_s'))} |"
        )
    return "\n".join(lines)


def plot(report: dict[str, Any], out: Path) -> None:
    """Latency p50/p95 (log-log) and RSS against passages (log x), ours and the peer's."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("no plot: pip install -e '.[bench]' for matplotlib", file=sys.stderr)
        return
    rows = report["sizes"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    labels = dict.fromkeys(label for r in rows for label, _ in _variants(r))
    for engine in labels:

        def series(*keys: str, eng: str = engine) -> tuple[list[int], list[float]]:
            xs, ys = [], []
            for r in rows:
                value = _get(dict(_variants(r)).get(eng, {}), *keys)
                if value is not None:
                    xs.append(r.get("passages", r["size"]))
                    ys.append(value)
            return xs, ys

        for keys, label, style in (
            (("http", "single", "latency_ms", "p50"), "HTTP p50", "o-"),
            (("http", "single", "latency_ms", "p95"), "HTTP p95", "o--"),
            (("core", "latency_ms", "p50"), "core p50", "s-"),
        ):
            xs, ys = series(*keys)
            if xs:  # a variant measured only in the core has no HTTP line
                left.plot(xs, ys, style, label=f"ours ({engine}) {label}")
        xs, ys = series("http", "rss_after_mb")
        if xs:
            right.plot(xs, ys, "o-", label=f"ours ({engine}) server RSS")
    peers = [r for r in rows if "latency_ms" in (r.get("peer") or {})]
    if peers:
        xs = [r.get("passages", r["size"]) for r in peers]
        left.plot(xs, [r["peer"]["latency_ms"]["p50"] for r in peers], "^-", label="txtai p50")
        left.plot(xs, [r["peer"]["latency_ms"]["p95"] for r in peers], "^--", label="txtai p95")
        right.plot(xs, [r["peer"]["rss_after_mb"] for r in peers], "^-", label="txtai RSS")
    left.set(xscale="log", yscale="log", xlabel="passages", ylabel="ms per question")
    left.set_title("Latency (the goal at 100k: p50 25 ms, p95 60 ms)")
    left.axhline(25, color="grey", linewidth=0.8, linestyle=":")
    left.axhline(60, color="grey", linewidth=0.8, linestyle=":")
    right.set(xscale="log", xlabel="passages", ylabel="MB", title="Memory (RSS)")
    for ax in (left, right):
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    """Print the tables of a saved run and redraw its plot."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "json", type=Path, nargs="*", help="runs to show together (default bench/out/query.json)"
    )
    parser.add_argument("--plot", type=Path, default=None)
    args = parser.parse_args(argv)
    runs = [json.loads(p.read_text(encoding="utf-8")) for p in args.json or [OUT]]
    report = {**runs[0], "sizes": sorted((r for run in runs for r in run["sizes"]), key=_size)}
    print(markdown(report))
    if args.plot:
        plot(report, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
