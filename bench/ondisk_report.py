"""The on-disk dense index's serving points side by side: a table and a plot.

Reads the JSON that ``python -m bench.scale_ondisk serve`` prints, one file per size, and
draws latency by filter, start-up and RSS, and recall@10 at the service's defaults against
the passages (docs/performance.md, "The serving point"):

python -m bench.ondisk_report SERVE.json ... [--plot docs/performance-ondisk.png]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cqa_core.limits import DEFAULT_NPROBE
from index.dense_ondisk import REFINE_FACTOR

FILTERS = ("none", "council", "dates", "council+dates")


def load(paths: list[Path]) -> list[dict[str, Any]]:
    """The serving points, smallest first; a file without a serve report's figures raises
    KeyError naming the first one missing."""
    points = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    for point in points:
        for key in ("passages", "startup_s", "rss_after_mb", "search_ms"):
            if key not in point:
                raise KeyError(key)
    return sorted(points, key=lambda p: int(p["passages"]))


def default_recall(point: dict[str, Any]) -> float | None:
    """Recall@10 over all passages at the service's nprobe and re-scoring factor, if the
    run measured that pair."""
    for row in point.get("recall", []):
        if row["nprobe"] == DEFAULT_NPROBE and row["refine"] == REFINE_FACTOR:
            return float(row["all"])
    return None


def markdown(points: list[dict[str, Any]]) -> str:
    """One row per size: start-up, RSS, p50 / p95 per filter, recall at the defaults."""
    head = (
        "| passages | start-up s | RSS after MB | "
        + " | ".join(f"{f} p50 / p95 ms" for f in FILTERS)
        + f" | recall@10 (nprobe {DEFAULT_NPROBE}, {REFINE_FACTOR} × k) |"
    )
    lines = [head, "| " + " | ".join(["---:"] * (len(FILTERS) + 4)) + " |"]
    for p in points:
        ms = p["search_ms"]
        cells = [f"{ms[f]['p50']:g} / {ms[f]['p95']:g}" if f in ms else "–" for f in FILTERS]
        recall = default_recall(p)
        lines.append(
            f"| {int(p['passages']):,} | {p['startup_s']:g} | {p['rss_after_mb']:,.0f} | "
            + " | ".join(cells)
            + f" | {'–' if recall is None else f'{recall:.3f}'} |"
        )
    return "\n".join(lines)


def plot(points: list[dict[str, Any]], out: Path) -> bool:
    """Three panels against passages (log x); False when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("no plot: pip install -e '.[bench]' for matplotlib", file=sys.stderr)
        return False
    xs = [int(p["passages"]) for p in points]
    fig, (lat, mem, rec) = plt.subplots(1, 3, figsize=(14, 4.2))
    for name, colour in zip(FILTERS, ("C0", "C1", "C2", "C3"), strict=True):
        have = [(x, p["search_ms"][name]) for x, p in zip(xs, points, strict=True)]
        have = [(x, m) for x, m in have if m]
        lat.plot([x for x, _ in have], [m["p50"] for _, m in have], "o-", color=colour,
                 label=f"{name} p50")  # fmt: skip
        lat.plot([x for x, _ in have], [m["p95"] for _, m in have], "o--", color=colour,
                 label=f"{name} p95")  # fmt: skip
    lat.axhline(100, color="grey", linewidth=0.8, linestyle=":")
    lat.set(xscale="log", yscale="log", xlabel="passages", ylabel="ms a search")
    lat.set_title("Dense search by filter (the /api/ask goal: p95 100 ms)")
    mem.plot(xs, [p["rss_after_mb"] / 1024 for p in points], "o-", label="RSS after, GB")
    mem.plot(xs, [p["startup_s"] for p in points], "s-", label="start-up, s")
    mem.axhline(8, color="C0", linewidth=0.8, linestyle=":")
    mem.axhline(30, color="C1", linewidth=0.8, linestyle=":")
    mem.set(xscale="log", xlabel="passages", title="Memory and start-up (goals 8 GB, 30 s)")
    recalls = [(x, default_recall(p)) for x, p in zip(xs, points, strict=True)]
    shown = [(x, r) for x, r in recalls if r is not None]
    rec.plot([x for x, _ in shown], [r for _, r in shown], "o-", label="recall@10, all")
    rec.axhline(0.95, color="grey", linewidth=0.8, linestyle=":")
    rec.set(xscale="log", xlabel="passages", ylim=(0.9, 1.0))
    rec.set_title(f"Recall@10 (nprobe {DEFAULT_NPROBE}, {REFINE_FACTOR} × k re-scored)")
    for ax in (lat, mem, rec):
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return True


def main(argv: list[str] | None = None) -> int:
    """Print the table of the given serving points and, with ``--plot``, draw them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", type=Path, nargs="+", help="JSON printed by scale_ondisk serve")
    parser.add_argument("--plot", type=Path, default=None)
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.runs if not p.is_file()]
    if missing:
        print(f"no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        points = load(args.runs)
    except (ValueError, KeyError) as exc:
        print(f"not a scale_ondisk serve report: {exc}", file=sys.stderr)
        return 2
    print(markdown(points))
    if args.plot:
        plot(points, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
