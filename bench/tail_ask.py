"""/api/ask in process on several indexes at once, each with its impact index on and off.

``bench/impact_ask.py`` compares the impact index with tantivy on one index.  This opens
one engine per ``--pair NAME=INDEX:IMPACT`` (e.g. the copied 1M text and the 1M text with
the vocabulary's tail, ``bench/scale_text.py build --tail``) in one process, and asks
each question of the three dev sets in every mode (each index with the impact index on
and off) in a shuffled order per question, ``--loops`` times after a warm-up pass of all;
per question the median of the ask (response shaped and serialised, as ``/api/ask`` does
in process), of its lexical search, and of the impact index's MaxScore calls
(``ImpactIndex.search_lists``: the first pass, and a phrased query's fall-back) with the
postings they held and scored; then p50 / p95 and each mode's ratios to the first pair's
same mode (same run, same load).

    python bench/tail_ask.py --pair copies=/tmp/p29/c/t/1000000:/tmp/p29/c/t/1000000/impact \\
        --pair tail=/tmp/p29/d/t/1000000:/tmp/p29/d/t/1000000/impact --loops 2 --out J

The indexes are only read.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import query_bench as qb  # noqa: E402
from bench.impact_ask import SETS  # noqa: E402
from bench.impact_profile import percentiles  # noqa: E402


def run(
    pairs: list[tuple[str, Path, Path]], loops: int, seed: int = 0, tantivy: bool = True
) -> dict[str, Any]:
    """See the module notes (``tantivy`` False: each index with its impact index only)."""
    from index.impact import ImpactIndex
    from qa_service.presenters import ask_response
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    clock: dict[str, float] = {"lexical": 0.0, "maxscore": 0.0, "held": 0, "scored": 0}
    engines: dict[str, Any] = {}
    impacts: dict[str, Any] = {}
    for name, index, impact_dir in pairs:
        settings = qb._settings(index, "tantivy")
        engine = Engine(index, make_query_embedder(settings), settings)
        impact = ImpactIndex.load(impact_dir)
        _wrap_maxscore(impact, clock)
        _wrap_lexical(engine, clock)
        engines[name], impacts[name] = engine, impact
    modes = [(name, on) for name, _, _ in pairs for on in ((True, False) if tantivy else (True,))]
    label = {m: f"{m[0]}:{'impact' if m[1] else 'tantivy'}" for m in modes}
    asked = [
        q for name in SETS for q in qb.questions(REPO.parent / "shared" / name / "questions.jsonl")
    ]
    rng = random.Random(seed)
    keys = ("ask", "lexical", "maxscore", "held", "scored")
    spent: dict[str, dict[str, list[list[float]]]] = {
        label[m]: {k: [[] for _ in asked] for k in keys} for m in modes
    }
    try:
        for question in asked:  # warm-up, every mode
            for name, on in modes:
                engines[name].lexical.impact = impacts[name] if on else None
                engines[name].ask(question)
        for _ in range(loops):
            for i, question in enumerate(asked):
                order = list(modes)
                rng.shuffle(order)
                for mode in order:
                    name, on = mode
                    engine = engines[name]
                    engine.lexical.impact = impacts[name] if on else None
                    for key in clock:
                        clock[key] = 0
                    t0 = time.perf_counter()
                    answer = engine.ask(question)
                    ask_response(answer).model_dump_json()
                    took = {"ask": (time.perf_counter() - t0) * 1000, **clock}
                    for key in keys:
                        spent[label[mode]][key][i].append(float(took[key]))
    finally:
        for engine in engines.values():
            engine.lexical.impact = None
            engine.close()
    report: dict[str, Any] = {
        "pairs": {n: {"index": str(i), "impact": str(p)} for n, i, p in pairs},
        "loops": loops,
        "seed": seed,
        "questions": len(asked),
    }
    first = pairs[0][0]
    for key in keys:
        table: dict[str, Any] = {}
        medians = {lab: [float(np.median(t)) for t in spent[lab][key]] for lab in spent}
        for lab, values in medians.items():
            table[lab] = percentiles(values)
        for name, _, _ in pairs[1:]:
            for way in ("impact", "tantivy") if tantivy else ("impact",):
                this, base = table[f"{name}:{way}"], table[f"{first}:{way}"]
                if base.get("p50"):
                    table[f"ratio {name}/{first}:{way}"] = {
                        p: round(this[p] / base[p], 3) if base[p] else None
                        for p in ("p50", "p95", "mean")
                    }
        report[f"{key}_ms" if key in ("ask", "lexical", "maxscore") else key] = table
    report["load_avg_end"] = os.getloadavg()
    return report


def _wrap_maxscore(impact: Any, clock: dict[str, float]) -> None:
    """Time ``impact.search_lists`` (a frozen dataclass's method, replaced on the instance)
    and count the postings its lists hold and those it scored."""
    search_lists = impact.search_lists

    def timed(counts: Any, k: int) -> Any:
        t0 = time.perf_counter()
        found, read = search_lists(counts, k)
        clock["maxscore"] += (time.perf_counter() - t0) * 1000
        lists = np.fromiter(counts, dtype=np.int64)
        clock["held"] += int(np.sum(impact.offsets[lists + 1] - impact.offsets[lists]))
        clock["scored"] += int(read)
        return found, read

    object.__setattr__(impact, "search_lists", timed)


def _wrap_lexical(engine: Any, clock: dict[str, float]) -> None:
    search = engine.lexical.search

    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return search(*args, **kwargs)
        finally:
            clock["lexical"] += (time.perf_counter() - t0) * 1000

    engine.lexical.search = timed


def main(argv: list[str] | None = None) -> int:
    """Run and print (and with ``--out`` write) the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pair", action="append", required=True, help="NAME=INDEX:IMPACT, the first the base"
    )
    parser.add_argument("--loops", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="of the shuffled orders")
    parser.add_argument(
        "--no-tantivy", action="store_true", help="each index with its impact index only"
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    pairs = []
    for given in args.pair:
        name, rest = given.split("=", 1)
        index, impact = rest.split(":", 1)
        pairs.append((name, Path(index), Path(impact)))
    report = run(pairs, args.loops, args.seed, not args.no_tantivy)
    if args.out is not None:
        qb.write_report(report, args.out)
    else:
        print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
