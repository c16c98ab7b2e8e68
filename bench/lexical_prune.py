"""A lexical first pass without the commonest words, against the served search (issue 18).

``index.lexical_prune``: with ``TantivyIndex.first_max_df`` = S, the first pass of
``rescore`` leaves out the question's words held by more than a share S of the passages,
and the whole query then scores its candidates.  For the dev sets' questions, each asked
once through ``Engine.ask`` on ``--index`` to record its lexical search
(``bench.lexical_profile``), every search is made ``--loops`` times as served and with each
share of ``--shares`` (``SxF``: the pruned first pass gives F × k candidates, 3 unless
given; ``SxFf``: those candidates scored from the forward index, ``index.forward``, instead
of tantivy's union sought to each), the ways interleaved in a shuffled order per search,
and reported:

- the first pass's time (every call of ``TantivyIndex._plain_hits``: a first pass that
  falls back to the whole words is counted with its fallback) and the whole search's,
  medians per search then p50 / p95 over the searches, and their ratios to the served;
- the first pass's postings (its words' document frequencies summed over its fields; a
  fallback adds the served first pass's), summed and at p50 / p95, and their ratio;
- how many searches left words out, and how many of those fell back (their remaining
  words matched too few passages);
- the ranked lists against the served: identical (row ids), identical scores, recall@10
  (the served top 10's row ids found in the top 10), and recall@10 with ties (the share of
  the top 10 scoring at least the served 10th score: at 1M each passage has 50 copies whose
  scores tie, so the copies kept may differ);
- with ``--scale X``, an estimate of each search at X times the passages (same shares):
  its first pass X times as long, its second pass (the candidates scored by the whole
  query) as long as measured: assumed, since tantivy's union, sought to each candidate,
  scores its postings in the next 4,096 documents (as many postings at any size; at 1M 180
  random row ids cost 0.62 of the whole query, 180 x 4,096 being 0.74 of the passages).

    python bench/lexical_prune.py --index /tmp/p18/t/1000000 --shares 0.05,0.1,0.2x10,0.2x10f \\
        [--loops 3] [--sets dev-set] [--out bench/out/lexical_prune.json]

The index is only read (an ``f`` mode needs its forward index: ``python -m index.forward
build INDEX``).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.lexical_profile import SETS, _capture, _stats  # noqa: E402
from bench.query_bench import write_report  # noqa: E402
from cqa_core.text import query_terms  # noqa: E402
from index.forward import ForwardIndex  # noqa: E402
from index.lexical_folder import _FIELDS, analyzer  # noqa: E402
from index.lexical_tantivy import _WORD, RESCORE_FETCH, query_words  # noqa: E402

_TIE = 1e-4  # scores within this of the served 10th count as tied with it


def _postings(lexical: Any, words: list[str], cache: dict[str, int]) -> int:
    """The postings of ``words`` over the first pass's fields."""
    searcher = lexical._searcher
    fields = lexical.first_fields or _FIELDS
    total = 0
    for word in words:
        if word not in cache:
            cache[word] = sum(
                int(searcher.doc_freq(f, token))
                for token in analyzer().analyze(word)
                for f in fields
            )
        total += cache[word]
    return total


def _recall(base: list[tuple[int, float]], other: list[tuple[int, float]]) -> tuple[float, float]:
    """Recall@10 of ``other`` against ``base``: by row id, and with ties (see the notes)."""
    if not base:
        return 1.0, 1.0
    top = base[:10]
    ids = len({i for i, _ in top} & {i for i, _ in other[:10]}) / len(top)
    tenth = top[-1][1]
    tied = min(1.0, sum(1 for _, s in other[:10] if s >= tenth - _TIE) / len(top))
    return ids, tied


def measure(
    index: Path,
    shares: list[tuple[float, int, bool]],
    loops: int,
    sets: tuple[str, ...],
    scale: float = 0.0,
    seed: int = 0,
) -> dict[str, Any]:
    """The served search and each share's, interleaved (see the module notes)."""
    engine, calls = _capture(index, sets)
    lexical = engine.lexical
    forward = ForwardIndex.open(index) if any(f for _, _, f in shares) else None
    if forward is not None:
        if lexical._matching(forward) is None:
            raise SystemExit(f"the forward index of {index} does not match its store")
    elif any(f for _, _, f in shares):
        raise SystemExit(f"{index} has no forward index (python -m index.forward build)")
    modes: list[tuple[float, int, bool] | None] = [None, *shares]
    names = ["served", *(f"S={s}x{f}" + ("+forward" if w else "") for s, f, w in shares)]
    first_ms: dict[str, list[list[float]]] = {n: [[] for _ in calls] for n in names}
    whole_ms: dict[str, list[list[float]]] = {n: [[] for _ in calls] for n in names}
    found: dict[str, list[list[tuple[int, float]]]] = {n: [[] for _ in calls] for n in names}
    postings: dict[str, list[int]] = {n: [0] * len(calls) for n in names}
    left_out = {n: [False] * len(calls) for n in names}
    fell_back = {n: [False] * len(calls) for n in names}
    spent = [0.0]
    plain_hits = lexical._plain_hits

    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return plain_hits(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t0

    lexical._plain_hits = timed
    cache: dict[str, int] = {}
    rng = random.Random(seed)
    try:
        for loop in range(loops):
            for i, (query, k, filters) in enumerate(calls):
                order = list(zip(names, modes, strict=True))
                rng.shuffle(order)
                for name, mode in order:
                    share, lexical.pruned_fetch, exact = mode or (None, RESCORE_FETCH, False)
                    lexical.first_max_df = share
                    lexical.forward = forward if exact else None
                    spent[0] = 0.0
                    t0 = time.perf_counter()
                    hits = lexical.search(query, k, filters)
                    whole_ms[name][i].append((time.perf_counter() - t0) * 1000)
                    first_ms[name][i].append(spent[0] * 1000)
                    if loop:
                        continue
                    found[name][i] = hits
                    terms = [t for t in (list(query.terms) or query_terms(query.text)) if t.strip()]
                    every = query_words(terms)
                    pruned = lexical._first_words(terms) if share is not None else None
                    left_out[name][i] = pruned is not None
                    fell_back[name][i] = pruned is not None and lexical.first_words is None
                    walked = _postings(lexical, pruned if pruned is not None else every, cache)
                    if fell_back[name][i]:
                        walked += _postings(lexical, every, cache)
                    postings[name][i] = walked
    finally:
        lexical._plain_hits = plain_hits
        lexical.first_max_df = None
        engine.close()
    report: dict[str, Any] = {
        "index": str(index),
        "forward_bytes": forward.size() if forward is not None else None,
        "passages": int(lexical.count()),
        "searches": len(calls),
        "loops": loops,
    }
    medians = {
        n: (
            [float(np.median(t)) for t in first_ms[n]],
            [float(np.median(t)) for t in whole_ms[n]],
        )
        for n in names
    }
    base_first, base_whole = (_stats(v) for v in medians["served"])
    base_postings = np.asarray(postings["served"], dtype=np.float64)
    for name in names:
        first, whole = (_stats(v) for v in medians[name])
        counts = np.asarray(postings[name], dtype=np.float64)
        recalls = [_recall(a, b) for a, b in zip(found["served"], found[name], strict=True)]
        report[name] = {
            "first_pass_ms": first,
            "search_ms": whole,
            "ratio_first_p50_p95": [
                round(first["p50"] / max(base_first["p50"], 1e-9), 3),
                round(first["p95"] / max(base_first["p95"], 1e-9), 3),
            ],
            "ratio_search_p50_p95": [
                round(whole["p50"] / max(base_whole["p50"], 1e-9), 3),
                round(whole["p95"] / max(base_whole["p95"], 1e-9), 3),
            ],
            "postings": _stats(list(counts)),
            "postings_ratio_sum": round(float(counts.sum() / max(base_postings.sum(), 1)), 3),
            "postings_ratio_p95": round(
                float(np.percentile(counts, 95) / max(np.percentile(base_postings, 95), 1)), 3
            ),
            "left_out": int(sum(left_out[name])),
            "fell_back": int(sum(fell_back[name])),
            "identical": round(
                float(
                    np.mean(
                        [
                            [i for i, _ in a] == [i for i, _ in b]
                            for a, b in zip(found["served"], found[name], strict=True)
                        ]
                    )
                ),
                3,
            ),
            "identical_scores": round(
                float(
                    np.mean(
                        [
                            np.allclose([s for _, s in a], [s for _, s in b], atol=_TIE)
                            if len(a) == len(b)
                            else False
                            for a, b in zip(found["served"], found[name], strict=True)
                        ]
                    )
                ),
                3,
            ),
            # a passage in both lists scores the same in both (the second pass is exact)
            "shared_hits_same_score": round(
                float(
                    np.mean(
                        [
                            all(abs(dict(a)[i] - s) <= 0.0 for i, s in b if i in dict(a))
                            for a, b in zip(found["served"], found[name], strict=True)
                        ]
                    )
                ),
                3,
            ),
            "recall10": round(float(np.mean([r for r, _ in recalls])), 4),
            "recall10_ties": round(float(np.mean([t for _, t in recalls])), 4),
            "recall10_ties_min": round(float(min(t for _, t in recalls)), 3),
        }
    if scale:
        # each search at ``scale`` times the passages: its first pass ``scale`` times as long
        # (its postings are), its second pass as long (see the module notes)
        scaled = {
            n: [scale * f + max(w - f, 0.0) for f, w in zip(*medians[n], strict=True)]
            for n in names
        }
        base_scaled = _stats(scaled["served"])
        for name in names:
            est = _stats(scaled[name])
            report[name][f"search_ms_at_x{scale:g}"] = est
            report[name][f"ratio_search_at_x{scale:g}_p50_p95"] = [
                round(est["p50"] / max(base_scaled["p50"], 1e-9), 3),
                round(est["p95"] / max(base_scaled["p95"], 1e-9), 3),
            ]
    # the searches of plain words (the forward index can score their second pass) and those
    # holding a phrase (tantivy's union scores it), apart
    plain = [
        not any(
            len(_WORD.findall(t)) > 1
            for t in (list(query.terms) or query_terms(query.text))
            if t.strip()
        )
        for query, _k, _filters in calls
    ]
    report["plain_searches"] = int(sum(plain))
    for name in names:
        for kind, wanted in (("plain", True), ("phrase", False)):
            chosen = [i for i, p in enumerate(plain) if p == wanted]
            if not chosen:
                continue
            report[name][f"search_ms_{kind}"] = _stats([medians[name][1][i] for i in chosen])
            report[name][f"recall10_ties_{kind}"] = round(
                float(np.mean([_recall(found["served"][i], found[name][i])[1] for i in chosen])),
                4,
            )
    report["per_search_ms"] = {
        n: [[round(f, 2), round(w, 2)] for f, w in zip(*medians[n], strict=True)] for n in names
    }
    return report


def main(argv: list[str] | None = None) -> int:
    """Record the searches, measure, print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument(
        "--shares",
        default="0.05,0.1,0.2",
        help="values of S (or SxF, SxFf: scored from the forward index), comma-separated",
    )
    parser.add_argument("--loops", type=int, default=3)
    parser.add_argument(
        "--scale",
        type=float,
        default=0.0,
        help="estimate each search at this many times the passages",
    )
    parser.add_argument("--sets", default=",".join(SETS), help="the dev sets asked")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "lexical_prune.json")
    args = parser.parse_args(argv)
    shares = [
        (float(share), int(fetch.removesuffix("f") or RESCORE_FETCH), fetch.endswith("f"))
        for share, _, fetch in (s.partition("x") for s in args.shares.split(",") if s)
    ]
    sets = tuple(s for s in args.sets.split(",") if s)
    write_report(measure(args.index, shares, args.loops, sets, args.scale), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
