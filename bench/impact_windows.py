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


def main(argv: list[str] | None = None) -> int:
    """Build and save the table; print the report."""
    from index.impact import WINDOW_FILE, ImpactIndex

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--impact", type=Path, required=True)
    parser.add_argument("--shift", type=int, action="append")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
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
