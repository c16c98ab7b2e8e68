"""Window maxima for an impact index, built beside it (issue 18, stop 28).

``index.impact_windows``: each list's largest impact per window of ``1 << shift`` row
ids, so that MaxScore skips the windows that cannot hold a passage of the top k.  This
reads an impact index (plain row ids; every posting once) and writes the table to
``--out`` (a folder: ``window_maxima_SHIFT.npy``), so a read-only index can be measured
with it (``bench/impact_ask.py --windows FILE``); written into the impact folder itself,
``ImpactIndex.load`` attaches it (the service then searches with it).

    python bench/impact_windows.py --impact /tmp/p27/t/10000000/impact --shift 12 \\
        --out /tmp/p28/windows

Reported: the table's bytes and build time, and per shift how many windows of the lists
hold a posting (the table's non-zero share).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def replay(impact_dir: Path, stages: Path, tables: list[Path], loops: int) -> dict[str, Any]:
    """The MaxScore calls ``bench/impact_stages.py`` recorded (per question: its lists,
    weights and k), each run on the index as it is and with each window table, in a
    shuffled order per call, ``loops`` times; medians per call, p50 / p95, the ratios,
    whether every answer is the same row for row, and the windows skipped."""
    import random
    from collections import Counter
    from dataclasses import replace

    from index import impact as impact_module
    from index.impact import ImpactIndex
    from index.impact_windows import maxscore_ranges

    plain = ImpactIndex.load(impact_dir)
    ids = plain.words | plain.phrases
    modes: dict[str, ImpactIndex] = {"plain": plain}
    for table in tables:
        shift = int(table.stem.rsplit("_", 1)[1])
        modes[f"windows{shift}"] = replace(
            plain, windows=np.load(table, mmap_mode="r"), window_shift=shift
        )
    rows = json.loads(stages.read_text(encoding="utf-8"))["per_question"]
    calls = [
        (Counter({ids[w]: int(weight) for w, (_n, weight) in c["lists"].items()}), int(c["k"]))
        for row in rows
        for c in row.get("calls", [])
    ]
    rng = random.Random(0)
    spent: dict[str, list[list[float]]] = {m: [[] for _ in calls] for m in modes}
    same = {m: 0 for m in modes}
    for loop in range(loops + 1):  # the first a warm-up
        for i, (counts, k) in enumerate(calls):
            order = list(modes)
            rng.shuffle(order)
            found = {}
            for mode in order:
                t0 = time.perf_counter()
                found[mode] = modes[mode].search_lists(counts, k)[0]
                if loop:
                    spent[mode][i].append((time.perf_counter() - t0) * 1000)
            if loop == 1:
                for mode in modes:
                    same[mode] += found[mode] == found["plain"]
    median = {m: np.array([float(np.median(t)) for t in spent[m]]) for m in modes}
    out: dict[str, Any] = {"calls": len(calls), "loops": loops, "same_as_plain": same}
    dense = np.zeros(len(calls), dtype=bool)
    skipped: dict[str, list[float]] = {m: [] for m in modes if m != "plain"}
    for i, (counts, k) in enumerate(calls):
        lists = np.array(list(counts), dtype=np.int64)
        held = int(np.sum(plain.offsets[lists + 1] - plain.offsets[lists]))
        dense[i] = held > impact_module.DENSE * plain.passages
        weights = np.array(list(counts.values()), dtype=np.float64)
        bounds = weights * plain.maxima[lists].astype(np.float64)
        ranked = np.argsort(bounds, kind="stable")
        for mode in skipped:
            index = modes[mode]
            share = 0.0
            if dense[i]:
                assert index.windows is not None
                windows = maxscore_ranges(
                    plain.offsets, plain.docids, plain.codes, plain.values, plain.bases,
                    lists[ranked], weights[ranked], bounds[ranked], k, index.windows,
                    index.window_shift,
                )[3]  # fmt: skip
                share = int(windows) / index.windows.shape[1]
            skipped[mode].append(share)
    for mode in modes:
        out[mode] = {
            "all": _percentiles(median[mode]),
            "dense": _percentiles(median[mode][dense]),
        }
        if mode != "plain":
            ratio = median[mode] / np.maximum(median["plain"], 1e-9)
            out[mode]["ratio_p50_p95_all"] = [
                round(out[mode]["all"][p] / out["plain"]["all"][p], 3) for p in ("p50", "p95")
            ]
            out[mode]["ratio_p50_p95_dense"] = [
                round(out[mode]["dense"][p] / out["plain"]["dense"][p], 3) for p in ("p50", "p95")
            ]
            out[mode]["per_call_ratio_dense_median"] = round(float(np.median(ratio[dense])), 3)
            out[mode]["windows_skipped_share_dense"] = {
                "median": round(float(np.median(np.array(skipped[mode])[dense])), 4),
                "max": round(float(np.max(np.array(skipped[mode])[dense])), 4),
            }
    out["dense_calls"] = int(dense.sum())
    out["load_avg_end"] = list(os.getloadavg())
    return out


def _percentiles(values: np.ndarray) -> dict[str, float]:
    if not len(values):
        return {}
    return {
        "p50": round(float(np.percentile(values, 50)), 2),
        "p95": round(float(np.percentile(values, 95)), 2),
        "mean": round(float(values.mean()), 2),
        "n": len(values),
    }


def main(argv: list[str] | None = None) -> int:
    """Build and save the table (or replay recorded calls with tables); print the report."""
    from index.impact import WINDOW_FILE, ImpactIndex

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--impact", type=Path, required=True)
    parser.add_argument("--shift", type=int, action="append")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--replay", type=Path, help="bench/impact_stages.py's full report")
    parser.add_argument("--table", type=Path, action="append", default=[])
    parser.add_argument("--loops", type=int, default=3)
    args = parser.parse_args(argv)
    if args.replay is not None:
        result = replay(args.impact, args.replay, args.table, args.loops)
        text = json.dumps(result, indent=1)
        print(text)
        args.out.write_text(text + "\n", encoding="utf-8")
        return 0
    impact = ImpactIndex.load(args.impact)
    args.out.mkdir(parents=True, exist_ok=True)
    tables: list[dict[str, Any]] = []
    report = {"impact": str(args.impact), "passages": impact.passages, "tables": tables}
    for shift in args.shift or [12]:
        t0 = time.perf_counter()
        c0 = time.process_time()
        table = impact.with_windows(shift).windows
        assert table is not None
        path = args.out / WINDOW_FILE.format(shift=shift)
        np.save(path, table)
        tables.append(
            {
                "shift": shift,
                "file": str(path),
                "shape": list(table.shape),
                "bytes": int(table.nbytes),
                "nonzero_share": round(float(np.count_nonzero(table)) / table.size, 4),
                "build_s": round(time.perf_counter() - t0, 1),
                "cpu_s": round(time.process_time() - c0, 1),
            }
        )
    report["load_avg"] = list(os.getloadavg())
    text = json.dumps(report, indent=1)
    print(text)
    (args.out / "build.json").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
