"""The first pass's k for a multiword question, measured (issue 18, stop 31).

A question with a multiword term is searched in two passes (``index.lexical_tantivy``,
``RESCORE_FETCH``): the best ``RESCORE_FETCH`` x k passages by the question's words
alone (MaxScore over the impact index when ``CQA_IMPACT_INDEX`` is on: the first pass,
k = 3 x 60 = 180 as served), then those re-scored by the phrased query and the best k
kept (falling back to the whole phrased query when fewer than k of a full first list match
it).  MaxScore prunes less the larger k is (theta is the k-th score), so a smaller share
may shorten the tail; it may also change the answers.  Both measured, each share in one
process beside 3's:

1. ``replay``: the MaxScore calls ``bench/impact_stages.py`` recorded, the multiword
   first passes (k = ``RESCORE_FETCH`` x ``--k``, 180) run at ``rescore_fetch(k, share)``
   for each ``--share``, the other calls at their own k (the same in every mode), in a
   shuffled order per call, ``--loops`` times after a warm-up pass; medians per call,
   p50 / p95 / mean over all calls and over the first passes, ratios to share 3; each
   first pass's top k' against share 3's top 180 (how many of its rows are among them).
2. ``ask``: ``/api/ask`` in process on each ``--pair NAME=INDEX[:IMPACT]`` (without
   IMPACT: tantivy, as the three sets are served), every question of the three dev sets
   asked with each share in a shuffled order per question, ``--loops`` timed passes after
   a warm-up (``--loops 0``: answers only); per question the median of the ask, its
   lexical search and its MaxScore calls; against share 3: the response JSON (top 5
   passages, highlights, verdict) byte for byte, the passages shown in order, and the
   lexical candidate list; how many questions' lexical search fell back to the whole
   phrased query.  ``--lexical-loops N``: then each question's lexical search alone (as
   its ask called it: query, k, filters), every share in a shuffled order, N loops after
   a warm-up; medians per question, p50 / p95, ratios to share 3.
3. ``run``: another bench (``bench/quality_all.py``, ``bench/ask_heldout.py``) run with
   ``RESCORE_FETCH`` set to ``--share`` (one share; the quality at that share).

    python bench/first_pass_k.py replay --impact /tmp/p29/d/t/1000000/impact \\
        --stages /tmp/p30/stages1m-d.full.json --loops 3 --out R.json
    python bench/first_pass_k.py ask --pair d=/tmp/p29/d/t/1000000:/tmp/p29/d/t/1000000/impact \\
        --loops 1 --out A.json
    python bench/first_pass_k.py run --share 1.5 bench/quality_all.py \\
        --index-root /tmp/lead29/v15/itl --out Q.json

The indexes are only read.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
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
from bench.impact_tight import _ratios, _shown  # noqa: E402
from index.lexical_tantivy import RESCORE_FETCH, rescore_fetch  # noqa: E402

SHARES = (1.0, 1.5, 2.0, 3.0)


def _label(share: float) -> str:
    return f"{share:g}"


def recorded_calls(
    stages: Path, ids: dict[str, int], k: int
) -> list[tuple[Counter[int], int, bool]]:
    """The recorded MaxScore calls as (list counts, k, is a multiword first pass): a call
    at ``RESCORE_FETCH`` x ``k``; a word the index lacks left out, a call left empty
    dropped."""
    rows = json.loads(stages.read_text(encoding="utf-8"))["per_question"]
    out = []
    for row in rows:
        for c in row.get("calls", []):
            counts = Counter({ids[w]: int(n) for w, (_held, n) in c["lists"].items() if w in ids})
            if counts:
                out.append((counts, int(c["k"]), int(c["k"]) == RESCORE_FETCH * k))
    return out


def replay(
    impact_dir: Path,
    stages: Path,
    shares: list[float],
    k: int,
    loops: int,
    seed: int,
    tight: float | None = None,
) -> dict[str, Any]:
    """See the module notes (1); ``tight``: ``index.impact.TIGHT`` for the run (inf: the
    kernels before stop 30's, ``maxscore_windowed`` / ``maxscore``)."""
    from index import impact as impact_module
    from index.impact import ImpactIndex

    line = impact_module.TIGHT
    if tight is not None:
        impact_module.TIGHT = tight
    try:
        return _replay(ImpactIndex.load(impact_dir), impact_dir, stages, shares, k, loops, seed)
    finally:
        impact_module.TIGHT = line


def _replay(
    index: Any, impact_dir: Path, stages: Path, shares: list[float], k: int, loops: int, seed: int
) -> dict[str, Any]:
    from index import impact as impact_module

    calls = recorded_calls(stages, index.words | index.phrases, k)
    modes = [_label(s) for s in shares]
    base = _label(float(RESCORE_FETCH))
    if base not in modes:
        raise ValueError(f"the shares must include {RESCORE_FETCH}")
    ks = {
        _label(s): [rescore_fetch(k, s) if first else kk for _c, kk, first in calls] for s in shares
    }
    spent: dict[str, list[list[float]]] = {m: [[] for _ in calls] for m in modes}
    kept: dict[str, list[float]] = {m: [] for m in modes}
    scored: dict[str, list[int]] = {m: [] for m in modes}
    rng = random.Random(seed)
    for loop in range(loops + 1):  # the first a warm-up
        for i, (counts, _k, first) in enumerate(calls):
            order = list(modes)
            rng.shuffle(order)
            found = {}
            read = {}
            for mode in order:
                t0 = time.perf_counter()
                found[mode], read[mode] = index.search_lists(counts, ks[mode][i])
                if loop:
                    spent[mode][i].append((time.perf_counter() - t0) * 1000)
            if loop == 1 and first:
                want = {r for r, _ in found[base]}
                for mode in modes:
                    got = [r for r, _ in found[mode]]
                    kept[mode].append(sum(r in want for r in got) / max(len(got), 1))
                    scored[mode].append(int(read[mode]))
    medians = {m: np.array([float(np.median(t)) for t in spent[m]]) for m in modes}
    firsts = np.array([first for _c, _k, first in calls])
    table = {m: percentiles(list(v)) for m, v in medians.items()}
    table_first = {m: percentiles(list(v[firsts])) for m, v in medians.items()}
    return {
        "impact": str(impact_dir),
        "stages": str(stages),
        "calls": len(calls),
        "first_passes": int(firsts.sum()),
        "k_first_pass": {m: rescore_fetch(k, s) for m, s in zip(modes, shares, strict=True)},
        "loops": loops,
        "seed": seed,
        "tight_line": impact_module.TIGHT,
        "ms_all_calls": table,
        "ratios_all_calls": _ratios(table, base),
        "ms_first_passes": table_first,
        "ratios_first_passes": _ratios(table_first, base),
        "first_pass_rows_in_share3_top": {m: round(float(np.mean(v)), 4) for m, v in kept.items()},
        "first_pass_postings_scored": {
            m: percentiles([float(x) for x in v]) for m, v in scored.items()
        },
        "load_avg_end": os.getloadavg(),
    }


def ask(
    pairs: list[tuple[str, Path, Path | None]],
    shares: list[float],
    loops: int,
    seed: int,
    limit: int = 0,
    lexical_loops: int = 0,
) -> dict[str, Any]:
    """See the module notes (2)."""
    from index.impact import ImpactIndex
    from qa_service.presenters import ask_response
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    clock: dict[str, Any] = {"lexical": 0.0, "maxscore": 0.0, "calls": 0, "list": None}
    clock["args"] = None
    engines: dict[str, Any] = {}
    searches: dict[str, Any] = {}
    for name, index, impact_dir in pairs:
        settings = qb._settings(index, "tantivy")
        engine = Engine(index, make_query_embedder(settings), settings)
        if impact_dir is not None:
            impact = ImpactIndex.load(impact_dir)
            search_lists = impact.search_lists

            def timed_lists(counts: Any, kk: int, _s: Any = search_lists) -> Any:
                t0 = time.perf_counter()
                try:
                    return _s(counts, kk)
                finally:
                    clock["maxscore"] += (time.perf_counter() - t0) * 1000
                    clock["calls"] += 1

            object.__setattr__(impact, "search_lists", timed_lists)
            engine.lexical.impact = impact
        search = engine.lexical.search
        searches[name] = search

        def timed(*args: Any, _s: Any = search, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                found = _s(*args, **kwargs)
                clock["list"] = [r for r, _ in found]
                clock["args"] = (args, kwargs)
                return found
            finally:
                clock["lexical"] += (time.perf_counter() - t0) * 1000

        engine.lexical.search = timed
        engines[name] = engine
    asked = [
        q for name in SETS for q in qb.questions(REPO.parent / "shared" / name / "questions.jsonl")
    ]
    asked = asked[:limit] if limit else asked
    modes = [_label(s) for s in shares]
    base = _label(float(RESCORE_FETCH))
    runs = [
        (name, mode, share)
        for name, _, _ in pairs
        for mode, share in zip(modes, shares, strict=True)
    ]
    rng = random.Random(seed)
    keys = ("ask", "lexical", "maxscore")
    spent = {(n, m): {key: [[] for _ in asked] for key in keys} for n, m, _ in runs}
    answers: dict[tuple[str, str], list[str]] = {(n, m): [""] * len(asked) for n, m, _ in runs}
    lists: dict[tuple[str, str], list[Any]] = {(n, m): [None] * len(asked) for n, m, _ in runs}
    calls: dict[tuple[str, str], list[int]] = {(n, m): [0] * len(asked) for n, m, _ in runs}
    searched: dict[str, list[Any]] = {n: [None] * len(asked) for n, _, _ in pairs}
    alone: dict[tuple[str, str], list[list[float]]] = {
        (n, m): [[] for _ in asked] for n, m, _ in runs
    }
    try:
        for loop in range(loops + 1):  # the first a warm-up, and the answers
            for i, question in enumerate(asked):
                order = list(runs)
                rng.shuffle(order)
                for name, mode, share in order:
                    engine = engines[name]
                    engine.lexical.rescore_fetch = share
                    clock.update(lexical=0.0, maxscore=0.0, calls=0, list=None)
                    t0 = time.perf_counter()
                    body = ask_response(engine.ask(question)).model_dump_json()
                    took = {"ask": (time.perf_counter() - t0) * 1000, **clock}
                    if loop:
                        for key in keys:
                            spent[name, mode][key][i].append(float(took[key]))
                    else:
                        answers[name, mode][i] = body
                        lists[name, mode][i] = clock["list"]
                        calls[name, mode][i] = int(clock["calls"])
                        searched[name][i] = clock["args"]
        # the lexical search alone, as each question's ask called it, per share
        for loop in range(lexical_loops + 1 if lexical_loops else 0):
            for i in range(len(asked)):
                order = list(runs)
                rng.shuffle(order)
                for name, mode, share in order:
                    if searched[name][i] is None:
                        continue
                    engines[name].lexical.rescore_fetch = share
                    args, kwargs = searched[name][i]
                    t0 = time.perf_counter()
                    searches[name](*args, **kwargs)
                    if loop:
                        alone[name, mode][i].append((time.perf_counter() - t0) * 1000)
    finally:
        for engine in engines.values():
            engine.lexical.impact = None
            engine.close()
    report: dict[str, Any] = {
        "pairs": {n: {"index": str(i), "impact": str(p)} for n, i, p in pairs},
        "shares": shares,
        "loops": loops,
        "seed": seed,
        "questions": len(asked),
    }
    for name, _, _ in pairs:
        part: dict[str, Any] = {}
        if loops:
            for key in keys:
                table = {
                    m: percentiles([float(np.median(t)) for t in spent[name, m][key]])
                    for m in modes
                }
                part[f"{key}_ms"] = table
                part[f"{key}_ratios"] = _ratios(table, base)
        if lexical_loops:
            table = {
                m: percentiles([float(np.median(t)) for t in alone[name, m][:] if t]) for m in modes
            }
            part["lexical_alone_ms"] = table
            part["lexical_alone_ratios"] = _ratios(table, base)
        want = answers[name, base]
        part["same_as_share3"] = {
            m: {
                "json": sum(a == b for a, b in zip(answers[name, m], want, strict=True)),
                "shown": sum(
                    _shown(a) == _shown(b) for a, b in zip(answers[name, m], want, strict=True)
                ),
                "lexical_list": sum(
                    a == b for a, b in zip(lists[name, m], lists[name, base], strict=True)
                ),
            }
            for m in modes
        }
        part["maxscore_calls_per_question"] = {
            m: dict(sorted(Counter(calls[name, m]).items())) for m in modes
        }
        part["differ"] = {
            m: [str(asked[i]) for i in range(len(asked)) if answers[name, m][i] != want[i]][:400]
            for m in modes
            if m != base
        }
        report[name] = part
    report["load_avg_end"] = os.getloadavg()
    return report


def run_with_share(share: float, script: Path, args: list[str]) -> int:
    """``script`` run as ``__main__`` with ``args``, every multiword first pass taking
    ``share`` x k (``index.lexical_tantivy.RESCORE_FETCH``, read at each search)."""
    import runpy

    from index import lexical_tantivy

    kept, argv = lexical_tantivy.RESCORE_FETCH, sys.argv
    lexical_tantivy.RESCORE_FETCH = share  # type: ignore[assignment]
    sys.argv = [str(script), *args]
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as done:
        return int(done.code or 0)
    finally:
        lexical_tantivy.RESCORE_FETCH, sys.argv = kept, argv
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run and print (and with ``--out`` write) the report."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["run"]:
        runner = argparse.ArgumentParser(description="another bench at one share")
        runner.add_argument("--share", type=float, required=True)
        runner.add_argument("script", type=Path)
        known, rest = runner.parse_known_args(argv[1:])
        return run_with_share(known.share, known.script, rest)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("replay", "ask"))
    parser.add_argument("--impact", type=Path, help="replay: the impact index")
    parser.add_argument("--stages", type=Path, help="replay: bench/impact_stages.py's full report")
    parser.add_argument("--pair", action="append", default=[], help="ask: NAME=INDEX[:IMPACT]")
    parser.add_argument(
        "--share", action="append", type=float, default=[], help=f"default {SHARES}"
    )
    parser.add_argument("--k", type=int, default=60, help="replay: the lexical candidates")
    parser.add_argument(
        "--tight", type=float, default=None, help="replay: index.impact.TIGHT (inf: pre-stop-30)"
    )
    parser.add_argument("--loops", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="of the shuffled orders")
    parser.add_argument("--limit", type=int, default=0, help="ask: the first N questions only")
    parser.add_argument(
        "--lexical-loops",
        type=int,
        default=0,
        help="ask: then each question's lexical search alone, N loops after a warm-up",
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    shares = sorted(set(args.share or SHARES) | {float(RESCORE_FETCH)})
    if args.step == "replay":
        if args.impact is None or args.stages is None:
            parser.error("replay needs --impact and --stages")
        report = replay(args.impact, args.stages, shares, args.k, args.loops, args.seed, args.tight)
    else:
        if not args.pair:
            parser.error("ask needs --pair")
        pairs: list[tuple[str, Path, Path | None]] = []
        for given in args.pair:
            name, rest = given.split("=", 1)
            index, _, impact = rest.partition(":")
            pairs.append((name, Path(index), Path(impact) if impact else None))
        report = ask(pairs, shares, args.loops, args.seed, args.limit, args.lexical_loops)
    if args.out is not None:
        qb.write_report(report, args.out)
    else:
        print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
