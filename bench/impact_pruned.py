"""A pruned tier searched first, against main's first pass, in one run (issue 18, stop 31).

``index.impact_pruned``: each list's ``n`` highest impacts, searched first; its top k is
certified exact or not.  Modes: ``main`` (the first pass as main serves it:
``maxscore_tight`` above ``TIGHT``), and per tier ``tierN`` (exact: an uncertified search
falls back to the whole index, ``PRUNED_EXACT``) and ``tierN~`` (the approximation: the
tier's answer kept).

1. ``build``: a tier of ``--impact`` for each ``--n``, saved in ``--out``/tier_N (the
   index is only read), with its postings and build time.
2. ``replay``: the MaxScore calls ``bench/impact_stages.py`` recorded, each run in every
   mode in a shuffled order per call, ``--loops`` times after a warm-up pass; medians per
   call, p50 / p95 / mean and the ratios to main, by postings held a passage; per tier the
   share of calls certified (over all calls, and over those above ``TIGHT``, which use the
   tier), the postings read, and each mode's top k against main's (row for row; and the
   overlap of the sets, mean and worst).
3. ``ask``: ``/api/ask`` in process on each ``--pair NAME=INDEX:IMPACT``, every question of
   the three dev sets asked in each mode in a shuffled order per question, ``--loops``
   times after a warm-up; per question the median of the ask, its lexical search and its
   MaxScore calls; the response bodies compared with main's (JSON byte for byte, and the
   passages shown); and the first passes' top k against main's in the warm-up loop
   (``first_pass_recall``: recall@10, by rows and by score, and @k over the calls above
   ``TIGHT``).
4. ``project``: from ``replay``'s reports, each tier's first-pass p95 with every list
   ``--scale`` times as long (``project``'s notes).
5. ``quality``: ``bench/quality_all.py`` with the impact index on and a tier of
   ``--fraction`` x the passages as the approximation (``quality``'s notes); the other
   arguments are quality_all's.

    python bench/impact_pruned.py build --impact /tmp/p29/d/t/1000000/impact --n 16384 \\
        --out /tmp/p31/tiers/d
    python bench/impact_pruned.py replay --impact /tmp/p29/d/t/1000000/impact \\
        --tiers /tmp/p31/tiers/d --stages /tmp/p31/stages1m-d.full.json --loops 3 --out R.json
    python bench/impact_pruned.py ask --pair d=/tmp/p29/d/t/1000000:/tmp/p29/d/t/1000000/impact \\
        --tiers /tmp/p31/tiers/d --loops 2 --out A.json
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
from bench.impact_tight import BINS, _held, _ratios, interleaved, summary  # noqa: E402


def build(impact_dir: Path, sizes: list[int], out: Path) -> dict[str, Any]:
    """See the module notes (1)."""
    from index.impact import ImpactIndex, save_tier

    plain = ImpactIndex.load(impact_dir)
    report: dict[str, Any] = {"impact": str(impact_dir), "postings": int(plain.offsets[-1])}
    for n in sizes:
        t0 = time.perf_counter()
        tier = save_tier(plain, n, out)
        report[f"tier{n}"] = {
            "seconds": round(time.perf_counter() - t0, 1),
            "postings": int(tier.offsets[-1]),
            "share_of_postings": round(int(tier.offsets[-1]) / int(plain.offsets[-1]), 4),
            "lists_cut": int(np.count_nonzero(tier.cuts)),
            "bytes": int(tier.docids.nbytes + tier.codes.nbytes + tier.offsets.nbytes),
        }
    return report


def _tiers(folder: Path) -> dict[int, Any]:
    from index.impact_pruned import TIER_FILE, Tier

    return {
        int(p.name.split("_")[1]): Tier.load(p)
        for p in sorted(folder.glob(TIER_FILE.format(n="*")), key=lambda p: int(p.name[5:]))
    }


def _modes(tiers: dict[int, Any], exact: list[int] | None) -> list[tuple[str, int | None, bool]]:
    """(name, tier size or None, exact): main, each tier's approximation, and the exact
    search of the tiers in ``exact`` (None: every tier)."""
    out: list[tuple[str, int | None, bool]] = [("main", None, True)]
    for n in tiers:
        if exact is None or n in exact:
            out.append((f"tier{n}", n, True))
        out.append((f"tier{n}~", n, False))
    return out


def replay(
    impact_dir: Path, tier_dir: Path, stages: Path, loops: int, seed: int,
    exact_tiers: list[int] | None = None, tier_line: float | None = None,
) -> dict[str, Any]:  # fmt: skip
    """See the module notes (2); ``tier_line``: the tier modes search the tier above this
    many postings a passage instead of ``TIGHT`` (main keeps ``TIGHT``)."""
    from index import impact as impact_module
    from index.impact import ImpactIndex
    from index.impact_pruned import search

    plain = ImpactIndex.load(impact_dir)
    tiers = _tiers(tier_dir)
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
    calls = [(counts, k) for counts, k in calls if counts]
    modes = _modes(tiers, exact_tiers)
    indexes = {name: replace(plain, tier=None if n is None else tiers[n]) for name, n, _ in modes}
    spent: dict[str, list[list[float]]] = {m: [[] for _ in calls] for m, _, _ in modes}
    read: dict[str, list[int]] = {m: [0] * len(calls) for m, _, _ in modes}
    found: dict[str, list[list[int]]] = {m: [[] for _ in calls] for m, _, _ in modes}
    rng = random.Random(seed)
    exact = impact_module.PRUNED_EXACT
    served_line = impact_module.TIGHT
    line = served_line if tier_line is None else tier_line
    try:
        for loop in range(loops + 1):  # the first a warm-up
            for i, (counts, k) in enumerate(calls):
                order = list(modes)
                rng.shuffle(order)
                for name, n, is_exact in order:
                    impact_module.PRUNED_EXACT = is_exact
                    impact_module.TIGHT = served_line if n is None else line
                    t0 = time.perf_counter()
                    hits, scored = indexes[name].search_lists(counts, k)
                    if loop:
                        spent[name][i].append((time.perf_counter() - t0) * 1000)
                    else:
                        read[name][i] = scored
                        found[name][i] = [r for r, _ in hits]
    finally:
        impact_module.PRUNED_EXACT = exact
        impact_module.TIGHT = served_line
    held = np.array([_held(plain, c) for c, _ in calls]) / max(plain.passages, 1)
    above = held > line
    certified: dict[int, list[bool]] = {}
    for n, tier in tiers.items():
        flags = []
        for counts, k in calls:
            lists = np.fromiter(counts, dtype=np.int64)
            weights = np.fromiter(counts.values(), dtype=np.float64)
            bounds = weights * plain.maxima[lists].astype(np.float64)
            o = np.argsort(bounds, kind="stable")
            arrays = (plain.offsets, plain.docids, plain.codes, plain.values, plain.bases)
            flags.append(search(tier, *arrays, lists[o], weights[o], bounds[o], k)[3])
        certified[n] = flags
    medians = {m: np.array([float(np.median(t)) for t in spent[m]]) for m in spent}
    table = {m: percentiles(list(v)) for m, v in medians.items()}
    want = found["main"]
    report: dict[str, Any] = {
        "impact": str(impact_dir),
        "calls": len(calls),
        "calls_above_tight": int(above.sum()),
        "tier_line": line,
        "loops": loops,
        "seed": seed,
        "ms": table,
        "ratios": _ratios(table),
        "postings_read": {m: percentiles([float(r) for r in read[m]]) for m in read},
        "certified": {
            f"tier{n}": {
                "above_tight": int(np.sum(np.array(f) & above)),
                "share_above_tight": round(float(np.mean(np.array(f)[above])), 3)
                if above.any()
                else None,
            }
            for n, f in certified.items()
        },
        "same_as_main": {},
        "by_postings_held_a_passage": {},
    }
    for m in found:
        overlap = [
            len(set(g) & set(w)) / max(len(w), 1) for g, w in zip(found[m], want, strict=True) if w
        ]
        report["same_as_main"][m] = {
            "rows": sum(g == w for g, w in zip(found[m], want, strict=True)),
            "overlap_mean": round(float(np.mean(overlap)), 4),
            "overlap_p5": round(float(np.quantile(overlap, 0.05)), 4),
            "overlap_min": round(float(np.min(overlap)), 4),
        }
    for lo, hi in itertools.pairwise(BINS):
        sel = (held > lo) & (held <= hi)
        if sel.any():
            report["by_postings_held_a_passage"][f"{lo}-{hi}"] = {
                "calls": int(sel.sum()),
                **{m: round(float(medians[m][sel].mean()), 3) for m in medians},
            }
    report["per_call"] = [
        {
            "k": k,
            "above_tight": bool(above[c]),
            "lengths": [int(plain.offsets[i + 1] - plain.offsets[i]) for i in counts],
            "ms": {m: round(float(medians[m][c]), 4) for m in medians},
            "read": {m: int(read[m][c]) for m in read},
        }
        for c, (counts, k) in enumerate(calls)
    ]
    report["load_avg_end"] = os.getloadavg()
    return report


def project(replays: list[Path], scale: float, anchor: float) -> dict[str, Any]:
    """Each tier's first pass with every list ``scale`` times as long (module notes (4)),
    per replayed call: main's time times ``scale`` (it reads its lists' postings, which
    grow so: stop 29); a tier's measured time times its postings then over now (each list
    ``scale`` times as long, at most ``n``: the tier's reads are bounded, its candidates'
    look-ups grow by a few galloping steps and are scaled with the postings, an
    overestimate); a call below ``TIGHT`` keeps main's.  The p95 against main's, and times
    ``anchor`` (main's first-pass p95 in ms at that scale, measured or projected elsewhere).
    The per-posting cost is taken the same at both scales, so it cancels in the ratio."""
    report: dict[str, Any] = {"scale": scale, "anchor_ms": anchor}
    for path in replays:
        rows = json.loads(path.read_text(encoding="utf-8"))["per_call"]
        tiers = sorted({int(m[4:].rstrip("~")) for m in rows[0]["ms"] if m.endswith("~")})
        main_then = np.array([r["ms"]["main"] * scale for r in rows])
        part: dict[str, Any] = {}
        for n in tiers:
            then = []
            for r, main in zip(rows, main_then, strict=True):
                lengths = np.array(r["lengths"], dtype=np.float64)
                now = max(float(np.minimum(lengths, n).sum()), 1.0)
                later = float(np.minimum(lengths * scale, n).sum())
                then.append(r["ms"][f"tier{n}~"] * later / now if r["above_tight"] else main)
            ratio = float(np.percentile(then, 95) / np.percentile(main_then, 95))
            part[f"tier{n}~"] = {
                "p50_ratio_to_main": round(
                    float(np.percentile(then, 50) / np.percentile(main_then, 50)), 3
                ),
                "p95_ratio_to_main": round(ratio, 3),
                "p95_ms_at_anchor": round(ratio * anchor, 1),
            }
        report[str(path)] = part
    return report


def ask(
    pairs: list[tuple[str, Path, Path]], tier_dirs: list[Path], loops: int, seed: int,
    exact_tiers: list[int] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """See the module notes (3)."""
    from bench.tail_ask import _wrap_lexical, _wrap_maxscore
    from index import impact as impact_module
    from index.impact import ImpactIndex
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    clock: dict[str, float] = {"lexical": 0.0, "maxscore": 0.0, "held": 0, "scored": 0}
    engines: dict[str, Any] = {}
    impacts: dict[tuple[str, str], Any] = {}
    modes_of: dict[str, list[tuple[str, int | None, bool]]] = {}
    for (name, index, impact_dir), tier_dir in zip(pairs, tier_dirs, strict=True):
        settings = qb._settings(index, "tantivy")
        engine = Engine(index, make_query_embedder(settings), settings)
        loaded = ImpactIndex.load(impact_dir)
        tiers = _tiers(tier_dir)
        modes_of[name] = _modes(tiers, exact_tiers)
        for mode, n, _exact in modes_of[name]:
            impacts[name, mode] = replace(loaded, tier=None if n is None else tiers[n])
            _wrap_maxscore(impacts[name, mode], clock)
        _wrap_lexical(engine, clock)
        engines[name] = engine
    asked = [
        q for name in SETS for q in qb.questions(REPO.parent / "shared" / name / "questions.jsonl")
    ]
    runs = [(name, mode, exact) for name, _, _ in pairs for mode, _n, exact in modes_of[name]]
    # the first passes of the warm-up loop, per (set, mode, question): (above TIGHT, hits)
    seen: dict[tuple[str, str, int], list[tuple[bool, list[tuple[int, float]]]]] = {}
    where: dict[str, tuple[str, str, int] | None] = {"key": None}
    for impact in impacts.values():
        _record_first_passes(impact, seen, where)

    def before(name: str, mode: str, loop: int, i: int) -> None:
        where["key"] = (name, mode, i) if loop == 0 else None

    exact_before = impact_module.PRUNED_EXACT
    try:
        spent, answers = interleaved(
            engines, impacts, runs, asked, loops, seed, clock,
            lambda exact: setattr(impact_module, "PRUNED_EXACT", exact), before,
        )  # fmt: skip
    finally:
        impact_module.PRUNED_EXACT = exact_before
        for engine in engines.values():
            engine.lexical.impact = None
            engine.close()
    report: dict[str, Any] = {
        "pairs": {n: {"index": str(i), "impact": str(p)} for n, i, p in pairs},
        "tiers": [str(t) for t in tier_dirs],
        "loops": loops,
        "seed": seed,
        "questions": len(asked),
    }
    for name, _, _ in pairs:
        modes = [m for m, _n, _e in modes_of[name]]
        report[name] = summary(spent, answers, name, modes)
        main = [seen.get((name, "main", i), []) for i in range(len(asked))]
        report[name]["first_pass_recall"] = {
            m: first_pass_recall(main, [seen.get((name, m, i), []) for i in range(len(asked))])
            for m in modes
            if m != "main"
        }
    report["load_avg_end"] = os.getloadavg()
    return report


def _record_first_passes(
    impact: Any,
    seen: dict[tuple[str, str, int], list[tuple[bool, list[tuple[int, float]]]]],
    where: dict[str, tuple[str, str, int] | None],
) -> None:
    """Keep each ``impact.search_lists`` call's hits (row, score), and whether its lists
    hold more than ``TIGHT`` postings a passage (a call the tier serves), under
    ``where['key']``."""
    from index import impact as impact_module

    search_lists = impact.search_lists

    def recorded(counts: Any, k: int) -> Any:
        found, read = search_lists(counts, k)
        if where["key"] is not None:
            lists = np.fromiter(counts, dtype=np.int64)
            held = int(np.sum(impact.offsets[lists + 1] - impact.offsets[lists]))
            above = held > impact_module.TIGHT * max(impact.passages, 1)
            hits = [(int(r), float(s)) for r, s in found]
            seen.setdefault(where["key"], []).append((above, hits))
        return found, read

    object.__setattr__(impact, "search_lists", recorded)


def first_pass_recall(
    main: list[list[tuple[bool, list[tuple[int, float]]]]],
    other: list[list[tuple[bool, list[tuple[int, float]]]]],
    depth: int = 10,
) -> dict[str, Any]:
    """Each question's first passes (``(above TIGHT, hits)`` a call, in call order; hits
    (row, score) best first) against main's, over the calls above ``TIGHT`` (those a tier
    serves; the others are main's by construction): recall@``depth`` (main's top ``depth``
    rows found in the other's top ``depth``), the same by score (the other's top ``depth``
    whose score reaches main's ``depth``-th: a passage tied with main's, as copies are,
    counts; the tier's scores are exact ones) and recall@k (the whole top k): mean, 5th
    percentile and minimum; and how many calls keep main's top ``depth`` rows.  Questions
    whose calls do not pair (another count of calls) are counted and left out."""
    by_rows: list[float] = []
    by_score: list[float] = []
    at_k: list[float] = []
    unpaired = 0
    for mine, theirs in zip(main, other, strict=True):
        if len(mine) != len(theirs):
            unpaired += 1
            continue
        for (above, want), (_above, got) in zip(mine, theirs, strict=True):
            if not above or not want:
                continue
            top = [r for r, _ in want[:depth]]
            theta = min(s for _, s in want[:depth])
            by_rows.append(len(set(top) & {r for r, _ in got[:depth]}) / len(top))
            reach = sum(s >= theta - 1e-9 * abs(theta) for _, s in got[:depth])
            by_score.append(min(reach, len(top)) / len(top))
            rows = {r for r, _ in want}
            at_k.append(len(rows & {r for r, _ in got}) / len(rows))

    def stats(values: list[float]) -> dict[str, float | None]:
        if not values:
            return {"mean": None, "p5": None, "min": None}
        return {
            "mean": round(float(np.mean(values)), 4),
            "p5": round(float(np.quantile(values, 0.05)), 4),
            "min": round(float(np.min(values)), 4),
        }

    return {
        "calls_above_tight": len(by_rows),
        f"recall@{depth}": stats(by_rows),
        f"recall@{depth}_by_score": stats(by_score),
        "recall@k": stats(at_k),
        f"same_top{depth}": sum(v == 1.0 for v in by_rows),
        "questions_unpaired": unpaired,
    }


def quality(fraction: float, rest: list[str]) -> int:
    """``bench/quality_all.py`` (``rest``: its arguments) with ``CQA_IMPACT_INDEX`` on, each
    set's impact index opened as it is (its generation unchecked: the three sets' copies
    are not stamped) and, with ``fraction`` > 0, a tier of ``fraction`` x its passages
    (at least 1) searched as the approximation (``PRUNED_EXACT`` off)."""
    import math

    from bench import quality_all
    from index import impact as impact_module

    os.environ["CQA_IMPACT_INDEX"] = "1"
    os.environ["CQA_IMPACT_TIER_ABOVE"] = "0"  # the tier is this bench's (served_tier)

    def opened(index_dir: Path, generation: int) -> Any:
        folder = index_dir / impact_module.FOLDER
        if not (folder / "words.json").exists():
            return None
        found = impact_module.ImpactIndex.load(folder)
        if fraction > 0:
            found = found.with_tier(max(1, math.ceil(fraction * found.passages)))
        print(f"impact index {folder}: tier {found.tier and found.tier.n}", file=sys.stderr)
        return found

    impact_module.open_current = opened
    impact_module.PRUNED_EXACT = False
    return quality_all.main(rest)


def main(argv: list[str] | None = None) -> int:
    """Run and print (and with ``--out`` write) the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("build", "replay", "ask", "project", "quality"))
    parser.add_argument("--replay", type=Path, action="append", default=[], help="project")
    parser.add_argument("--scale", type=float, default=10.0, help="project: times the passages")
    parser.add_argument(
        "--anchor", type=float, default=150.0, help="project: main's first-pass p95 there, ms"
    )
    parser.add_argument("--impact", type=Path, help="build, replay: the impact index")
    parser.add_argument("--n", type=int, action="append", default=[], help="build: a tier size")
    parser.add_argument("--tiers", type=Path, action="append", default=[], help="tiers' folder")
    parser.add_argument("--stages", type=Path, help="replay: bench/impact_stages.py's full report")
    parser.add_argument("--pair", action="append", default=[], help="ask: NAME=INDEX:IMPACT")
    parser.add_argument(
        "--exact", type=int, action="append", help="replay, ask: the exact mode of these tiers only"
    )
    parser.add_argument("--loops", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="of the shuffled orders")
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--tier-line", type=float, help="replay: the tier searched above this (default TIGHT)"
    )
    parser.add_argument("--fraction", type=float, default=0.0, help="quality: the tier's share")
    args, rest = parser.parse_known_args(argv)
    if args.step == "quality":
        return quality(args.fraction, rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.step == "build":
        if args.impact is None or not args.n or args.out is None:
            parser.error("build needs --impact, --n and --out")
        report = build(args.impact, args.n, args.out)
        # (into an impact index's own folder, where the engine maps a served tier: beside
        # its build.json, not over it)
        served = (args.out / "words.json").exists()
        args.out = args.out / ("tier-build.json" if served else "build.json")
    elif args.step == "project":
        report = project(args.replay, args.scale, args.anchor)
    elif args.step == "replay":
        if args.impact is None or args.stages is None or len(args.tiers) != 1:
            parser.error("replay needs --impact, --stages and one --tiers")
        report = replay(
            args.impact, args.tiers[0], args.stages, args.loops, args.seed, args.exact,
            args.tier_line,
        )  # fmt: skip
    else:
        if not args.pair or len(args.tiers) != len(args.pair):
            parser.error("ask needs --pair and a --tiers for each")
        pairs = []
        for given in args.pair:
            name, rest = given.split("=", 1)
            index, impact = rest.split(":", 1)
            pairs.append((name, Path(index), Path(impact)))
        report = ask(pairs, args.tiers, args.loops, args.seed, args.exact)
    qb.write_report(report, args.out) if args.out is not None else print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
