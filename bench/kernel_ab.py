"""The MaxScore kernels of another checkout against this one's, in one process (stop 29).

The kernels of ``index.impact_maxscore``, ``index.impact_windows`` and
``index.impact_blocks`` are copied from ``--old`` (a checkout or ``git archive`` of another
commit) into a package of their own, so both versions run side by side on the same
synthetic lists: ``--passages`` row ids, 40 words of five densities (0.1% to 50% of the
passages), their impacts strong in stretches of row ids; ``--calls`` questions of 2-6 of
them (k 10, 60 or 300).  Per kernel and call the two versions run in a shuffled order,
``--loops`` times after a warm-up, timed in the thread's CPU time (what another process
on a loaded machine does not move; wall time moved several % between runs of the same
code here), and their answers (row ids, score bytes, postings read, windows skipped) must
be the same.  Printed per kernel: p50 / p95 / sum of the per-call medians, and the
median per-call ratio new / old.  Run with the old checkout as both sides (``--old``
and ``PYTHONPATH`` the same) for the noise of a run: docs/performance.md, "Repeated
kernel code, stop 29".

    git archive main | tar -x -C /tmp/base
    python bench/kernel_ab.py --old /tmp/base --passages 2000000 --calls 100 --loops 5
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MODULES = ("impact_maxscore", "impact_windows", "impact_blocks")
OLD = "oldkernels"


def old_kernels(root: Path, into: Path) -> dict[str, ModuleType]:
    """``root``'s kernel modules, imported as package ``OLD`` (their imports of each other
    pointed at it)."""
    import importlib

    package = into / OLD
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    for name in MODULES:
        text = (root / "index" / f"{name}.py").read_text(encoding="utf-8")
        text = re.sub(r"\bfrom index\.(impact_\w+) import", rf"from {OLD}.\1 import", text)
        (package / f"{name}.py").write_text(text, encoding="utf-8")
    sys.path.insert(0, str(into))
    return {name: importlib.import_module(f"{OLD}.{name}") for name in MODULES}


def lists(passages: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """40 synthetic lists: offsets, row ids, impacts (on a grain of 1/500, so that a list
    holds fewer distinct impacts than ``index.impact.code_impacts`` can code)."""
    rng = np.random.default_rng(seed)
    offsets, docids, impacts = [0], [], []
    for word in range(40):
        share = (0.001, 0.01, 0.05, 0.2, 0.5)[word % 5]
        held = np.flatnonzero(rng.random(passages) < share)
        strong = np.where((held // 7000) % 5 == word % 5, 9, 1)
        values = np.round(rng.random(len(held)) * strong * 500) / 500 + 0.01
        docids.append(held)
        impacts.append(values.astype(np.float32))
        offsets.append(offsets[-1] + len(held))
    return (
        np.array(offsets, np.int64),
        np.concatenate(docids).astype(np.uint32),
        np.concatenate(impacts).astype(np.float32),
    )


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return all(
        x.tobytes() == y.tobytes() if isinstance(x, np.ndarray) else x == y
        for x, y in zip(a, b, strict=True)
    )


def _figures(ms: np.ndarray) -> dict[str, float]:
    return {
        "p50": round(float(np.percentile(ms, 50)), 3),
        "p95": round(float(np.percentile(ms, 95)), 3),
        "sum": round(float(ms.sum()), 1),
    }


def run(old_root: Path, passages: int, calls: int, loops: int) -> dict[str, Any]:
    """Each kernel's two versions on the same calls (see the module notes)."""
    from index import impact_blocks, impact_maxscore, impact_windows
    from index.impact import code_impacts

    with tempfile.TemporaryDirectory() as tmp:
        old = old_kernels(old_root, Path(tmp))
        offsets, docids, impacts = lists(passages)
        coded = code_impacts(impacts, offsets)
        blocks = impact_blocks.pack(offsets, docids, impacts)
        table = impact_windows.window_maxima(offsets, docids, *coded, passages, 12)
        rng = np.random.default_rng(1)
        asked = []
        for _ in range(calls):
            chosen = rng.choice(40, size=int(rng.integers(2, 7)), replace=False)
            weights = rng.integers(1, 3, size=len(chosen)).astype(np.float64)
            tops = [impacts[offsets[t] : offsets[t + 1]].max(initial=0.0) for t in chosen]
            bounds = weights * np.array(tops, dtype=np.float64)
            order = np.argsort(bounds, kind="stable")
            k = int(rng.choice([10, 60, 300]))
            asked.append((chosen[order].astype(np.int64), weights[order], bounds[order], k))
        plain = (offsets, docids, *coded)
        packed = (offsets, *blocks, *coded)
        kernels: dict[str, tuple[str, str, Callable[[Any, Any], Any]]] = {
            "maxscore": ("impact_maxscore", "maxscore", lambda f, c: f(*plain, *c)),
            "maxscore_windowed": (
                "impact_maxscore", "maxscore_windowed", lambda f, c: f(*plain, *c)
            ),
            "maxscore_ranges": (
                "impact_windows", "maxscore_ranges", lambda f, c: f(*plain, *c, table, 12)
            ),
            "maxscore_blocks": ("impact_blocks", "maxscore_blocks", lambda f, c: f(*packed, *c)),
            "maxscore_blocks_windowed": (
                "impact_blocks", "maxscore_blocks_windowed", lambda f, c: f(*packed, *c)
            ),
        }  # fmt: skip
        new = {"impact_maxscore": impact_maxscore, "impact_windows": impact_windows,
               "impact_blocks": impact_blocks}  # fmt: skip
        order_rng = random.Random(0)
        report: dict[str, Any] = {"passages": passages, "postings": len(docids),
                                  "calls": calls, "loops": loops}  # fmt: skip
        for name, (module, function, call) in kernels.items():
            sides = {"old": getattr(old[module], function), "new": getattr(new[module], function)}
            for f in sides.values():  # compiled (or read from numba's cache) outside the timing
                call(f, asked[0])
            spent: dict[str, list[list[float]]] = {s: [[] for _ in asked] for s in sides}
            same = True
            for loop in range(loops + 1):
                for i, c in enumerate(asked):
                    got = {}
                    for side in order_rng.sample(list(sides), 2):
                        t0 = time.thread_time()
                        got[side] = call(sides[side], c)
                        if loop:
                            spent[side][i].append((time.thread_time() - t0) * 1000)
                    same = same and _same(got["old"], got["new"])
            medians = {s: np.array([np.median(t) for t in spent[s]]) for s in sides}
            report[name] = {s: _figures(medians[s]) for s in sides}
            ratio = float(np.median(medians["new"] / np.maximum(medians["old"], 1e-9)))
            report[name]["ratio_per_call_median"] = round(ratio, 3)
            report[name]["ratio_sum"] = round(
                report[name]["new"]["sum"] / max(report[name]["old"]["sum"], 1e-9), 3
            )
            report[name]["same_answers"] = same
        report["load_avg_end"] = list(os.getloadavg())
        return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", type=Path, required=True, help="the other checkout's root")
    for flag, default in (("--passages", 2_000_000), ("--calls", 100), ("--loops", 5)):
        parser.add_argument(flag, type=int, default=default)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    report = run(args.old, args.passages, args.calls, args.loops)
    text = json.dumps(report, indent=1)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0 if all(v["same_answers"] for v in report.values() if isinstance(v, dict)) else 1


if __name__ == "__main__":
    raise SystemExit(main())
