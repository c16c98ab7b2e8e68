"""The first pass in tight loops against main's kernels, in one run (issue 18, stop 30).

``index.impact_tight.maxscore_tight`` searches the impact index's first passes above
``index.impact.TIGHT`` postings a passage; with ``TIGHT`` = inf the index searches as
main does (``maxscore_windowed`` above ``DENSE``, ``maxscore`` below).  Both ways live in
one process, so they are measured interleaved:

1. ``replay``: the MaxScore calls ``bench/impact_stages.py`` recorded (per question: its
   lists, weights and k), each run as main, with the tight kernel and (``--threads N``)
   with it split over N threads, in a shuffled order per call, ``--loops`` times after a
   warm-up pass; medians per call, p50 / p95 / mean, the ratios to main, by how many
   postings the lists hold a passage; each call's top k compared with main's (row ids,
   and scores: equal, or within 1e-9 relative where main summed in floating point).
2. ``ask``: ``/api/ask`` in process (answer shaped and serialised) on each ``--pair
   NAME=INDEX:IMPACT``, every question of the three dev sets asked in each mode (main,
   tight, tight on threads) in a shuffled order per question, ``--loops`` times after a
   warm-up pass; per question the median of the ask, its lexical search and its MaxScore
   calls; the answers compared (the response JSON, and the passages shown in order).

    python bench/impact_tight.py replay --impact /tmp/p29/d/t/1000000/impact \\
        --stages /tmp/p30/stages1m-d.full.json --loops 3 --threads 2 --out R.json
    python bench/impact_tight.py ask --pair d=/tmp/p29/d/t/1000000:/tmp/p29/d/t/1000000/impact \\
        --loops 2 --threads 2 --out A.json

The indexes are only read.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
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

BINS = (0.0, 0.1, 0.5, 1.0, 2.0, 4.0, float("inf"))  # postings held a passage


def _modes(threads: int) -> list[tuple[str, float, int]]:
    """(name, TIGHT, threads): main's kernels, the tight kernel, and on threads."""
    from index import impact as impact_module

    out = [("main", float("inf"), 1), ("tight", impact_module.TIGHT, 1)]
    if threads > 1:
        out.append((f"tight x{threads}", impact_module.TIGHT, threads))
    return out


def _ratios(table: dict[str, dict[str, float]], base: str = "main") -> dict[str, Any]:
    return {
        m: {
            p: round(t[p] / table[base][p], 3) if table[base][p] else None
            for p in ("p50", "p95", "mean")
        }
        for m, t in table.items()
        if m != base
    }


def replay(impact_dir: Path, stages: Path, loops: int, threads: int, seed: int) -> dict[str, Any]:
    """See the module notes (1)."""
    from index import impact as impact_module
    from index.impact import ImpactIndex

    plain = ImpactIndex.load(impact_dir)
    ids = plain.words | plain.phrases
    rows = json.loads(stages.read_text(encoding="utf-8"))["per_question"]
    calls = [
        (
            Counter({ids[w]: int(n) for w, (_held, n) in c["lists"].items() if w in ids}),
            int(c["k"]),
        )
        for row in rows
        for c in row.get("calls", [])
    ]
    # (recorded on another index of the same questions, a word it lacks is left out)
    calls = [(counts, k) for counts, k in calls if counts]
    modes = _modes(threads)
    indexes = {name: replace(plain, threads=t) for name, _, t in modes}
    spent: dict[str, list[list[float]]] = {m: [[] for _ in calls] for m, _, _ in modes}
    same = {m: {"rows": 0, "scores_equal": 0, "scores_1e-9": 0} for m, _, _ in modes}
    # the tight kernel's ranges run one after another on this thread: the longest is what
    # as many idle cores would take (the threads' hand-off aside), the sum the work
    ranges: dict[str, list[list[float]]] = {w: [[] for _ in calls] for w in ("longest", "sum")}
    rng = random.Random(seed)
    tight = impact_module.TIGHT
    try:
        for loop in range(loops + 1):  # the first a warm-up
            for i, (counts, k) in enumerate(calls):
                order = list(modes)
                rng.shuffle(order)
                found = {}
                for name, line, _t in order:
                    impact_module.TIGHT = line
                    t0 = time.perf_counter()
                    found[name] = indexes[name].search_lists(counts, k)[0]
                    if loop:
                        spent[name][i].append((time.perf_counter() - t0) * 1000)
                if loop and threads > 1:
                    longest = total = spent["tight"][i][-1]  # not split below the line
                    if _held(plain, counts) > tight * max(plain.passages, 1):
                        longest, total = _ranges_timed(plain, counts, k, threads)
                    ranges["longest"][i].append(longest)
                    ranges["sum"][i].append(total)
                if loop == 1:
                    want = found["main"]
                    for name in found:
                        got = found[name]
                        same[name]["rows"] += [r for r, _ in got] == [r for r, _ in want]
                        same[name]["scores_equal"] += got == want
                        same[name]["scores_1e-9"] += all(
                            abs(a - b) <= 1e-9 * max(abs(b), 1e-12)
                            for (_, a), (_, b) in zip(got, want, strict=True)
                        ) and len(got) == len(want)
    finally:
        impact_module.TIGHT = tight
    held = np.array([_held(plain, c) for c, _ in calls]) / max(plain.passages, 1)
    medians = {m: np.array([float(np.median(t)) for t in spent[m]]) for m in spent}
    table = {m: percentiles(list(v)) for m, v in medians.items()}
    report: dict[str, Any] = {
        "impact": str(impact_dir),
        "calls": len(calls),
        "loops": loops,
        "seed": seed,
        "tight_line": tight,
        "ms": table,
        "ratios": _ratios(table),
        "ranges_one_after_another_ms": {
            w: percentiles([float(np.median(t)) for t in v])
            for w, v in ranges.items()
            if threads > 1
        },
        "same_as_main": same,
        "by_postings_held_a_passage": {},
    }
    for lo, hi in itertools.pairwise(BINS):
        sel = (held > lo) & (held <= hi)
        if sel.any():
            report["by_postings_held_a_passage"][f"{lo}-{hi}"] = {
                "calls": int(sel.sum()),
                **{m: round(float(medians[m][sel].mean()), 3) for m in medians},
            }
    report["load_avg_end"] = os.getloadavg()
    return report


def _held(plain: Any, counts: Counter[int]) -> int:
    lists = np.fromiter(counts, dtype=np.int64)
    return int(np.sum(plain.offsets[lists + 1] - plain.offsets[lists]))


def _ranges_timed(plain: Any, counts: Counter[int], k: int, threads: int) -> tuple[float, float]:
    """``maxscore_tight`` on each of ``threads`` ranges of row ids (as ``ImpactIndex``
    splits them), one after another: the longest range's time and the sum, ms."""
    from index.impact_tight import maxscore_tight

    lists = np.fromiter(counts, dtype=np.int64)
    weights = np.fromiter(counts.values(), dtype=np.float64)
    bounds = weights * plain.maxima[lists].astype(np.float64)
    order = np.argsort(bounds, kind="stable")
    arrays = (plain.offsets, plain.docids, plain.codes, plain.values, plain.bases)
    cuts = [0] + [plain.passages * t // threads for t in range(1, threads)] + [0xFFFFFFFF]
    took = []
    for t in range(threads):
        t0 = time.perf_counter()
        maxscore_tight(
            *arrays, lists[order], weights[order], bounds[order], k, cuts[t], cuts[t + 1]
        )
        took.append((time.perf_counter() - t0) * 1000)
    return max(took), sum(took)


ASK_KEYS = ("ask", "lexical", "maxscore", "held", "scored")


def interleaved(
    engines: dict[str, Any],
    impacts: dict[tuple[str, str], Any],
    runs: list[tuple[str, str, Any]],
    asked: list[str],
    loops: int,
    seed: int,
    clock: dict[str, float],
    knob: Callable[[Any], None],
    before: Callable[[str, str, int, int], None] | None = None,
) -> tuple[dict[tuple[str, str], dict[str, list[list[float]]]], dict[tuple[str, str], list[str]]]:
    """Each question asked of each run ``(set, mode, value)`` in a shuffled order, ``knob``
    given the run's value and the set's engine the mode's impact index first: the first
    loop a warm-up keeping the answers' JSON, then ``loops`` timed (``ASK_KEYS``: the ask
    and ``clock``'s counters, reset each ask).  Returns the times and the answers.
    ``before(set, mode, loop, question's index)``, if given, is called before each ask."""
    from qa_service.presenters import ask_response

    rng = random.Random(seed)
    spent: dict[tuple[str, str], dict[str, list[list[float]]]] = {
        (n, m): {k: [[] for _ in asked] for k in ASK_KEYS} for n, m, _ in runs
    }
    answers: dict[tuple[str, str], list[str]] = {(n, m): [""] * len(asked) for n, m, _ in runs}
    for loop in range(loops + 1):  # the first a warm-up
        for i, question in enumerate(asked):
            order = list(runs)
            rng.shuffle(order)
            for name, mode, value in order:
                engine = engines[name]
                engine.lexical.impact = impacts[name, mode]
                knob(value)
                if before is not None:
                    before(name, mode, loop, i)
                for key in clock:
                    clock[key] = 0
                t0 = time.perf_counter()
                body = ask_response(engine.ask(question)).model_dump_json()
                took = {"ask": (time.perf_counter() - t0) * 1000, **clock}
                if loop:
                    for key in ASK_KEYS:
                        spent[name, mode][key][i].append(float(took[key]))
                else:
                    answers[name, mode][i] = body
    return spent, answers


def ask(
    pairs: list[tuple[str, Path, Path]], loops: int, threads: int, seed: int, limit: int = 0
) -> dict[str, Any]:
    """See the module notes (2)."""
    from bench.tail_ask import _wrap_lexical, _wrap_maxscore
    from index import impact as impact_module
    from index.impact import ImpactIndex
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    clock: dict[str, float] = {"lexical": 0.0, "maxscore": 0.0, "held": 0, "scored": 0}
    modes = _modes(threads)
    engines: dict[str, Any] = {}
    impacts: dict[tuple[str, str], Any] = {}
    for name, index, impact_dir in pairs:
        settings = qb._settings(index, "tantivy")
        engine = Engine(index, make_query_embedder(settings), settings)
        loaded = ImpactIndex.load(impact_dir)
        for mode, _line, t in modes:
            impacts[name, mode] = replace(loaded, threads=t)
            _wrap_maxscore(impacts[name, mode], clock)
        _wrap_lexical(engine, clock)
        engines[name] = engine
    asked = [
        q for name in SETS for q in qb.questions(REPO.parent / "shared" / name / "questions.jsonl")
    ]
    asked = asked[:limit] if limit else asked
    runs = [(name, mode, line) for name, _, _ in pairs for mode, line, _ in modes]
    tight = impact_module.TIGHT
    try:
        spent, answers = interleaved(
            engines, impacts, runs, asked, loops, seed, clock,
            lambda line: setattr(impact_module, "TIGHT", line),
        )  # fmt: skip
    finally:
        impact_module.TIGHT = tight
        for engine in engines.values():
            engine.lexical.impact = None
            engine.close()
    report: dict[str, Any] = {
        "pairs": {n: {"index": str(i), "impact": str(p)} for n, i, p in pairs},
        "loops": loops,
        "seed": seed,
        "tight_line": tight,
        "questions": len(asked),
    }
    for name, _, _ in pairs:
        report[name] = summary(spent, answers, name, [m for m, _line, _t in modes])
    report["load_avg_end"] = os.getloadavg()
    return report


def summary(
    spent: dict[tuple[str, str], dict[str, list[list[float]]]],
    answers: dict[tuple[str, str], list[str]],
    name: str,
    modes: list[str],
) -> dict[str, Any]:
    """One set's ``interleaved`` run: per mode the percentiles of each question's median
    time (``ASK_KEYS``) and their ratios to mode "main"'s, and how many answers equal
    main's (whole JSON, and the passages shown)."""
    part: dict[str, Any] = {}
    for key in ASK_KEYS:
        table = {m: percentiles([float(np.median(t)) for t in spent[name, m][key]]) for m in modes}
        part[f"{key}_ms" if key in ("ask", "lexical", "maxscore") else key] = table
        part[f"{key}_ratios"] = _ratios(table)
    want = answers[name, "main"]
    part["same_answers_as_main"] = {
        m: {
            "json": sum(a == b for a, b in zip(answers[name, m], want, strict=True)),
            "shown": sum(
                _shown(a) == _shown(b) for a, b in zip(answers[name, m], want, strict=True)
            ),
        }
        for m in modes
    }
    return part


def _shown(body: str) -> list[str]:
    """The passages an answer shows, in order (their ids)."""
    return [str(p.get("passage_id") or p.get("id")) for p in json.loads(body)["passages"]]


def main(argv: list[str] | None = None) -> int:
    """Run and print (and with ``--out`` write) the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("replay", "ask"))
    parser.add_argument("--impact", type=Path, help="replay: the impact index")
    parser.add_argument("--stages", type=Path, help="replay: bench/impact_stages.py's full report")
    parser.add_argument("--pair", action="append", default=[], help="ask: NAME=INDEX:IMPACT")
    parser.add_argument("--loops", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="also the tight kernel on N threads")
    parser.add_argument("--seed", type=int, default=0, help="of the shuffled orders")
    parser.add_argument("--limit", type=int, default=0, help="ask: the first N questions only")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if args.step == "replay":
        if args.impact is None or args.stages is None:
            parser.error("replay needs --impact and --stages")
        report = replay(args.impact, args.stages, args.loops, args.threads, args.seed)
    else:
        if not args.pair:
            parser.error("ask needs --pair")
        pairs = []
        for given in args.pair:
            name, rest = given.split("=", 1)
            index, impact = rest.split(":", 1)
            pairs.append((name, Path(index), Path(impact)))
        report = ask(pairs, args.loops, args.threads, args.seed, args.limit)
    if args.out is not None:
        qb.write_report(report, args.out)
    else:
        print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
