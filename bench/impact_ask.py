"""/api/ask in process with the impact index against tantivy alone, in the same run.

One engine on ``--index`` (as ``bench/ask_profile.py`` opens it); each question of the
three dev sets is asked with ``engine.lexical.impact`` set to the ``--impact`` index
(``CQA_IMPACT_INDEX``: ``TantivyIndex`` takes its unfiltered searches and filters'
over-fetched lists from ``ImpactIndex.search``) and unset (tantivy alone), in a shuffled
order per question, ``--loops`` times after a warm-up pass of both; per question the
median of the ask with its response shaped and serialised (as ``/api/ask`` does in
process) and of its lexical search; then p50 / p95 and the ratios, and how many answers
are the same (the passages shown, in order, and the answer state).

    python bench/impact_ask.py --index /tmp/p24/t/1000000 --impact /tmp/p25/impact1m-coded \\
        --loops 2 --out /tmp/p25/ask1m.json

With ``--impact`` given more than once (stop 26: an index of plain row ids beside a
block-compressed one), each is a mode of its own (named by its folder), asked in the same
shuffled order as tantivy alone; the ratios are each one's to tantivy, and the answers
each one's against tantivy's and against the first impact index's.

The index is only read (the impact index is opened as it is, its generation unchecked, and
searched without any tier saved in its folder: main's exact first pass).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import query_bench as qb  # noqa: E402
from bench.impact_profile import percentiles  # noqa: E402

SETS = ("dev-set", "dev-set-2", "real-dev-set")


def run(
    index: Path,
    impact_dir: Path | list[Path],
    loops: int,
    seed: int = 0,
    windows: list[Path] | None = None,
    tantivy: bool = True,
) -> dict[str, Any]:
    """See the module notes."""
    from index.impact import ImpactIndex
    from qa_service.presenters import ask_response
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    settings = qb._settings(index, "tantivy")
    engine = Engine(index, make_query_embedder(settings), settings)
    dirs = impact_dir if isinstance(impact_dir, list) else [impact_dir]
    names = ["impact"] if len(dirs) == 1 else [p.name for p in dirs]
    if len(set(names)) < len(names):
        names = [f"{p.parent.name}/{p.name}" for p in dirs]
    # main's first pass: without the tier a folder may hold (``tier_N``, stop 33), which
    # ``load`` takes and, unserved, would search exact (stop 31's two-tier search)
    impacts = {
        n: replace(ImpactIndex.load(p), tier=None, approximate=False)
        for n, p in zip(names, dirs, strict=True)
    }
    for table in windows or []:  # stop 28: the first index with window maxima beside it
        shift = int(table.stem.rsplit("_", 1)[1])
        name = f"windows{shift}"
        impacts[name] = replace(
            impacts[names[0]], windows=np.load(table, mmap_mode="r"), window_shift=shift
        )
        names.append(name)
    modes = ("tantivy", *names) if tantivy else tuple(names)
    base = "tantivy" if tantivy else names[0]
    lexical_ms: list[float] = []
    search = engine.lexical.search

    returned: list[Any] = []

    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            found = search(*args, **kwargs)
            returned.append(found)
            return found
        finally:
            lexical_ms.append((time.perf_counter() - t0) * 1000)

    engine.lexical.search = timed  # type: ignore[method-assign]
    asked = [
        q for name in SETS for q in qb.questions(REPO.parent / "shared" / name / "questions.jsonl")
    ]
    rng = random.Random(seed)
    total: dict[str, list[list[float]]] = {m: [[] for _ in asked] for m in modes}
    lexical: dict[str, list[list[float]]] = {m: [[] for _ in asked] for m in modes}
    shown: dict[str, list[Any]] = {m: [None] * len(asked) for m in modes}
    searched: dict[str, list[Any]] = {m: [None] * len(asked) for m in modes}
    try:
        for question in asked:  # warm-up, both ways
            for mode in modes:
                engine.lexical.impact = impacts.get(mode)
                engine.ask(question)
        for _ in range(loops):
            for i, question in enumerate(asked):
                order = list(modes)
                rng.shuffle(order)
                for mode in order:
                    engine.lexical.impact = impacts.get(mode)
                    lexical_ms.clear()
                    returned.clear()
                    t0 = time.perf_counter()
                    answer = engine.ask(question)
                    ask_response(answer).model_dump_json()
                    total[mode][i].append((time.perf_counter() - t0) * 1000)
                    lexical[mode][i].append(sum(lexical_ms))
                    shown[mode][i] = (
                        answer.state,
                        [h.passage.passage_id for h in answer.hits],
                    )
                    searched[mode][i] = list(returned)
    finally:
        engine.lexical.impact = None
        engine.close()
    report: dict[str, Any] = {"index": str(index), "loops": loops}
    report["impact"] = str(dirs[0]) if len(dirs) == 1 else {
        n: {"folder": str(p), "blocks": impacts[n].blocks is not None}
        for n, p in zip(names, dirs, strict=True)
    }  # fmt: skip
    report["questions"] = len(asked)
    for name, spent in (("ask_ms", total), ("lexical_ms", lexical)):
        median = {m: [float(np.median(t)) for t in spent[m]] for m in modes}
        report[name] = {m: percentiles(median[m]) for m in modes}
        for mode in modes:
            if mode == base:
                continue
            report[name]["ratio" if len(modes) == 2 else f"ratio:{mode}"] = {
                p: round(report[name][mode][p] / report[name][base][p], 3)
                for p in ("p50", "p95", "mean")
            }
        if len(modes) > 1:  # each question's own ratio to the base, its median and p95
            for mode in modes:
                if mode != base:
                    own = np.array(median[mode]) / np.maximum(np.array(median[base]), 1e-9)
                    report[name][f"per_question_ratio:{mode}"] = {
                        "p50": round(float(np.median(own)), 3),
                        "p95": round(float(np.percentile(own, 95)), 3),
                    }
    per_loop = {m: [percentiles([t[j] for t in total[m]]) for j in range(loops)] for m in modes}
    report["ask_ms_per_loop"] = per_loop
    for mode in names:
        if mode == base:
            continue
        pairs = list(zip(shown[base], shown[mode], strict=True))
        suffix = "" if len(modes) == 2 else f":{mode}"
        report[f"same_answers{suffix}"] = sum(a == b for a, b in pairs)
        report[f"same_state{suffix}"] = sum(a[0] == b[0] for a, b in pairs)
        if mode != names[0]:
            same = zip(shown[names[0]], shown[mode], strict=True)
            report[f"same_answers_as_{names[0]}{suffix}"] = sum(a == b for a, b in same)
            lists = zip(searched[names[0]], searched[mode], strict=True)
            report[f"same_lexical_lists_as_{names[0]}{suffix}"] = sum(a == b for a, b in lists)
    if windows:
        report["windows"] = [str(p) for p in windows]
    report["load_avg_end"] = os.getloadavg()
    return report


def main(argv: list[str] | None = None) -> int:
    """Run and print (and with ``--out`` write) the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument(
        "--impact", type=Path, required=True, action="append", help="one or more builds"
    )
    parser.add_argument("--loops", type=int, default=2)
    parser.add_argument(
        "--windows",
        type=Path,
        action="append",
        help="window maxima (window_maxima_SHIFT.npy, bench/impact_windows.py) for the first "
        "impact index: one more mode each",
    )
    parser.add_argument("--no-tantivy", action="store_true", help="leave tantivy alone out")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    report = run(
        args.index, args.impact, args.loops, windows=args.windows, tantivy=not args.no_tantivy
    )
    if args.out is not None:
        qb.write_report(report, args.out)
    else:
        print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
