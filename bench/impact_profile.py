"""The served first pass on tantivy-py against the impact index's MaxScore (issue 18).

``index.impact`` holds each word's whole served score per passage (the three fields'
weighted BM25, as tantivy computes it) and ``index.impact_maxscore`` finds the exact top k
of a question's first pass without scoring every passage that holds one of its words.
This measures it against the served search on the same passages:

1. ``build``: the impact index of ``--index``'s store (every passage, through
   ``index.lexical_rows.store_texts`` and the served analyzer), saved in ``--out``; its
   build time, bytes and peak RSS in ``--out``/build.json.
2. ``compare``: the lexical searches recorded by ``bench/scale_pisa.py capture`` (the
   three dev sets' questions through ``Engine.ask``), each one's first pass (its words
   OR-ed over the three fields, k, or ``RESCORE_FETCH`` x k when it holds a multiword
   term) on tantivy (``TantivyIndex._hits``, as served) and on the impact index,
   interleaved in a shuffled order per search, ``--loops`` times; medians per search, then
   p50 / p95 and the ratios; the lists compared (row ids, scores within 1e-4 relative,
   the row ids where scores tie with the last kept aside); the postings each engine
   scores.  A search with a multiword term then has the served second pass (its phrases
   scored by tantivy among the first pass's candidates, ``TantivyIndex._among``) timed on
   each engine's candidates, for the whole lexical search per engine and that pass's
   share of it.  The 2 searches with a date filter are timed on their first pass alone,
   like the others (the filter is tantivy's either way).

    python bench/scale_pisa.py capture --index /tmp/p24/t/1000000 --searches S.json
    python bench/impact_profile.py build --index /tmp/p24/t/1000000 --out /tmp/p24/impact
    python bench/impact_profile.py compare --index /tmp/p24/t/1000000 \\
        --impact /tmp/p24/impact --searches S.json --loops 3 --out R.json

The service index is only read.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
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


def _rss_mb() -> dict[str, float]:
    """The process's resident memory now (and its file-backed part) and at its peak, MB."""
    out = {"max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(("VmRSS:", "RssFile:", "RssAnon:")):
                out[line.split(":")[0]] = round(int(line.split()[1]) / 1024, 1)
    return out


def glossary_phrases() -> list[str]:
    """The multiword terms the reader adds to a question (``qa_service.query``): the
    glossary's long forms and everyday phrases' terms, the vocabulary listed as phrases."""
    from index.lexical_tantivy import _WORD
    from qa_service import glossary

    forms = [f for v in glossary.ABBREVIATIONS.values() for f in v]
    forms += [f for v in glossary.EVERYDAY.values() for f in v]
    return sorted({f for f in forms if len(_WORD.findall(f)) > 1})


def build_step(
    index: Path, out: Path, range_passages: int | None = None, blocks: bool = False
) -> dict[str, Any]:
    """Build and save the impact index of ``index``'s store (see the module notes): at
    once (``index.impact.build``) or, with ``range_passages``, in ranges
    (``index.impact.build_ranges``) with the glossary's phrase lists; with ``blocks``,
    its row ids block-compressed with block maxima (``index.impact_blocks``)."""
    from index.impact import ImpactIndex, build, build_ranges, phrase_lists, save_served_tier
    from index.lexical_folder import FOLDER, _open_index, analyzer
    from index.lexical_tantivy import TantivyIndex, store_texts
    from index.store import Store
    from qa_service.config import Settings

    store = Store.open(index)
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    extra: dict[str, Any] = {}
    if range_passages is None:
        impact = build(store_texts(store), analyzer(), blocks=blocks)
        built = time.perf_counter() - t0
        t0 = time.perf_counter()
        impact.save(out)
    else:
        served = TantivyIndex(index, store, _open_index(index / FOLDER, create=False))
        phrases = list(glossary_phrases())
        timed: dict[str, float] = {"phrases_s": 0.0}

        def listed() -> Any:
            started = time.perf_counter()
            for item in phrase_lists(served, phrases, analyzer()):
                timed["phrases_s"] += time.perf_counter() - started
                yield item
                started = time.perf_counter()

        extra = dict(
            build_ranges(
                store_texts(store),
                analyzer(),
                out,
                listed(),
                range_passages,
                generation=store.generation(),
                blocks=blocks,
            )
        )
        extra["range_passages"] = range_passages
        extra["blocks"] = blocks
        extra["phrase_lists_s"] = round(timed["phrases_s"], 1)
        built = time.perf_counter() - t0
        t0 = time.perf_counter()
        impact = ImpactIndex.load(out)
    saved_s = round(time.perf_counter() - t0, 1)
    # above CQA_IMPACT_TIER_ABOVE, the tier the engine serves, saved so start-up maps it
    settings = Settings()
    t1 = time.perf_counter()
    tier = save_served_tier(out, settings.impact_tier_above, settings.impact_tier_share)
    extra["served_tier"] = {"n": tier, "s": round(time.perf_counter() - t1, 1)}
    report = {
        "index": str(index),
        "passages": impact.passages,
        "words": len(impact.words),
        "phrases": len(impact.phrases),
        "postings": int(impact.offsets[-1]),
        "build_s": round(built, 1),
        "cpu_s": round(time.process_time() - cpu0, 1),
        "save_s": saved_s,
        **extra,
        "bytes": {p.name: p.stat().st_size for p in sorted(out.iterdir())},
        "load_avg": os.getloadavg(),
        **_rss_mb(),
    }
    (out / "build.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


def percentiles(values: list[float]) -> dict[str, float]:
    """Median, 95th percentile, mean and count of ``values`` (ms); {} for none."""
    a = np.asarray(values, dtype=np.float64)
    if not len(a):
        return {}
    return {
        "p50": round(float(np.percentile(a, 50)), 2),
        "p95": round(float(np.percentile(a, 95)), 2),
        "mean": round(float(a.mean()), 2),
        "n": len(values),
    }


def _tie_groups(scores: list[float], rel: float = 1e-6) -> list[int]:
    """Each position's group of scores tied within ``rel`` (float32 against float64 sums
    can order two such passages either way)."""
    groups, group = [], 0
    for i, score in enumerate(scores):
        if i and abs(scores[i - 1] - score) > rel * max(abs(score), 1e-9):
            group += 1
        groups.append(group)
    return groups


def _agree(want: list[tuple[int, float]], got: list[tuple[int, float]]) -> dict[str, Any]:
    """``got`` against the served list: identical (row ids, and scores to 1e-4), the same
    but for the order of tied passages (scores within 1e-6) and which of those tying the
    last kept were kept, and the largest relative score difference position by
    position."""
    same_len = len(want) == len(got)
    rel = [abs(a[1] - b[1]) / max(abs(a[1]), 1e-9) for a, b in zip(want, got, strict=False)]
    worst = max(rel, default=0.0)
    scores_ok = same_len and worst <= 1e-4
    groups = _tie_groups([s for _, s in want])
    last = groups[-1] if groups else 0
    tied = scores_ok and sorted(
        (g, r) for g, (r, _) in zip(groups, want, strict=True) if g != last
    ) == sorted((g, r) for g, (r, _) in zip(groups, got, strict=False) if g != last)
    return {
        "identical": scores_ok and [r for r, _ in want] == [r for r, _ in got],
        "equal_but_ties": tied,
        "top10_rowids_shared": len({r for r, _ in want[:10]} & {r for r, _ in got[:10]})
        / max(1, min(10, len(want))),
        "score_rel_max": worst,
    }


def compare(index: Path, impact_dir: Path, searches: Path, loops: int, seed: int = 0) -> dict:
    """Each recorded search's first pass on both engines, interleaved; see the notes."""
    from index.impact import ImpactIndex
    from index.lexical_folder import FOLDER, _open_index, analyzer
    from index.lexical_tantivy import _WORD, RESCORE_FETCH, TantivyIndex, query_text
    from index.store import Store

    report: dict[str, Any] = {"rss_start": _rss_mb()}
    store = Store.open(index)
    served = TantivyIndex(index, store, _open_index(index / FOLDER, create=False))
    searcher = served._searcher
    t0 = time.perf_counter()
    impact = ImpactIndex.load(impact_dir)
    report["impact_open_s"] = round(time.perf_counter() - t0, 3)
    report["rss_after_open"] = _rss_mb()
    words = analyzer()
    recorded = json.loads(searches.read_text(encoding="utf-8"))
    queries = []
    for call in recorded:
        terms = call["terms"]
        multiword = any(len(_WORD.findall(t)) > 1 for t in terms)
        fetch = call["k"] * (RESCORE_FETCH if multiword else 1)
        first = served._parse(query_text(terms, "words" if multiword else "phrase"))
        tokens = impact.tokens(terms, words)
        if tokens is None:
            raise SystemExit(f"a clause of {terms} is not one token")
        phrased = served._parse(query_text(terms)) if multiword else None
        queries.append((first, tokens, fetch, phrased, call["k"]))
    # a first call compiles the kernel (numba), outside the timing
    t0 = time.perf_counter()
    impact.search_tokens(queries[0][1], 1)
    report["numba_first_call_s"] = round(time.perf_counter() - t0, 2)

    modes = ("tantivy", "impact")
    spent: dict[str, list[list[float]]] = {m: [[] for _ in queries] for m in modes}
    found: dict[str, list[list[tuple[int, float]]]] = {m: [[] for _ in queries] for m in modes}
    read: list[int] = [0] * len(queries)
    rng = random.Random(seed)
    for _loop in range(loops):
        for i, (first, tokens, fetch, _phrased, _k) in enumerate(queries):
            order = list(modes)
            rng.shuffle(order)
            for mode in order:
                t0 = time.perf_counter()
                if mode == "tantivy":
                    hits = served._hits(searcher, first, fetch)
                else:
                    hits, read[i] = impact.search_tokens(tokens, fetch)
                spent[mode][i].append((time.perf_counter() - t0) * 1000)
                found[mode][i] = hits
    report["load_avg_after_first_pass"] = os.getloadavg()
    median = {m: [float(np.median(s)) for s in spent[m]] for m in modes}
    multi = [q[3] is not None for q in queries]
    report["searches"] = len(queries)
    report["loops"] = loops
    report["first_pass_ms"] = {m: percentiles(median[m]) for m in modes}
    report["first_pass_ratio"] = _ratio(report["first_pass_ms"])
    for name, keep in (("no_multiword", False), ("multiword", True)):
        part = {m: percentiles([t for t, w in zip(median[m], multi, strict=True) if w == keep])
                for m in modes}  # fmt: skip
        report[f"first_pass_ms_{name}"] = part
    agreement = [_agree(w, g) for w, g in zip(found["tantivy"], found["impact"], strict=True)]
    report["agreement"] = {
        "identical": sum(a["identical"] for a in agreement),
        "equal_but_ties": sum(a["equal_but_ties"] for a in agreement),
        "top10_rowids_shared": round(
            float(np.mean([a["top10_rowids_shared"] for a in agreement])), 4
        ),
        "score_rel_max": float(max(a["score_rel_max"] for a in agreement)),
    }
    # postings: what tantivy scores (every posting of the words in the three fields)
    # against what MaxScore scores
    fields = ("heading", "body", "context")
    walked = []
    for first, tokens, *_ in queries:
        del first
        unique = set(tokens)
        walked.append(sum(int(searcher.doc_freq(f, t)) for t in unique for f in fields))
    report["postings"] = {
        "tantivy_three_fields": percentiles([float(w) for w in walked]),
        "impact_lists": percentiles([float(_list_postings(impact, q[1])) for q in queries]),
        "impact_scored": percentiles([float(r) for r in read]),
        "scored_share_of_tantivy": round(float(np.sum(read) / max(1, np.sum(walked))), 4),
    }

    # the second pass of the multiword searches, on each engine's candidates
    times: dict[str, list[list[float]]] = {m: [[] for _ in queries] for m in modes}
    for _loop in range(loops):
        for i, (_first, _tokens, _fetch, phrased, k) in enumerate(queries):
            if phrased is None:
                continue
            order = list(modes)
            rng.shuffle(order)
            for mode in order:
                rowids = [r for r, _ in found[mode][i]]
                t0 = time.perf_counter()
                served._among(searcher, phrased, rowids, k)
                times[mode][i].append((time.perf_counter() - t0) * 1000)
    seconds = {m: [float(np.median(t)) if t else 0.0 for t in times[m]] for m in modes}

    # the second pass from lists instead (see _phrase_lists): timed on the impact
    # engine's candidates, its lists held against the served second pass's
    report["second_from_lists"] = _second_from_lists(
        served, searcher, impact, words, queries, recorded, found["impact"], loops
    )
    whole = {m: [median[m][i] + seconds[m][i] for i in range(len(queries))] for m in modes}
    report["second_pass_ms"] = {
        m: percentiles([s for s, w in zip(seconds[m], multi, strict=True) if w]) for m in modes
    }
    report["lexical_ms"] = {m: percentiles(whole[m]) for m in modes}
    listed = iter(report["second_from_lists"].pop("per_search_ms"))
    from_lists = [
        median["impact"][i] + (next(listed) if multi[i] else 0.0) for i in range(len(queries))
    ]
    report["lexical_ms"]["impact_and_lists"] = percentiles(from_lists)
    report["lexical_ratio_impact_and_lists"] = {
        p: round(
            report["lexical_ms"]["impact_and_lists"][p] / report["lexical_ms"]["tantivy"][p], 3
        )
        for p in ("p50", "p95", "mean")
    }
    report["lexical_ratio"] = _ratio(report["lexical_ms"])
    report["second_pass_share"] = {
        m: round(sum(seconds[m]) / max(1e-9, sum(whole[m])), 3) for m in modes
    }
    slowest = sorted(range(len(queries)), key=lambda i: -whole["impact"][i])[:16]
    report["impact_slowest"] = [
        {"multiword": multi[i], "first_ms": round(median["impact"][i], 2),
         "second_ms": round(seconds["impact"][i], 2), "tokens": len(queries[i][1]),
         "fetch": queries[i][2]}
        for i in slowest
    ]  # fmt: skip
    report["per_search"] = [
        {"multiword": multi[i], "fetch": queries[i][2],
         **{f"{m}_first": round(median[m][i], 3) for m in modes},
         **{f"{m}_second": round(seconds[m][i], 3) for m in modes},
         "impact_scored": read[i], "tantivy_postings": walked[i]}
        for i in range(len(queries))
    ]  # fmt: skip
    if impact.phrases:
        report["whole"] = _whole(served, searcher, impact, words, queries, recorded, loops, rng)
    report["load_avg_end"] = os.getloadavg()
    report["rss_end"] = _rss_mb()
    return report


def _whole(
    served: Any, searcher: Any, impact: Any, words: Any, queries: list, recorded: list,
    loops: int, rng: random.Random,
) -> dict[str, Any]:  # fmt: skip
    """Each search's whole lexical search (unfiltered, as the first-pass timings), as
    served (``TantivyIndex._top``: the first pass and, with a multiword term, the second
    and its fall-back) against ``ImpactIndex.search`` (both passes from the lists;
    tantivy's ``_top`` when a clause has no list), interleaved in a shuffled order per
    search; medians of ``loops``; the lists compared."""
    from index.lexical_tantivy import query_text

    spent: dict[str, list[float]] = {"tantivy": [], "impact": []}
    verdicts, unlisted = [], 0
    for i, (first, _tokens, _fetch, phrased, k) in enumerate(queries):
        terms = recorded[i]["terms"]
        parsed = phrased if phrased is not None else served._parse(query_text(terms))
        words_first = first if phrased is not None else None
        took: dict[str, list[float]] = {m: [] for m in spent}
        got: dict[str, Any] = {}
        for _ in range(loops):
            order = list(spent)
            rng.shuffle(order)
            for mode in order:
                t0 = time.perf_counter()
                if mode == "tantivy":
                    hits = served._top(searcher, parsed, k, words_first)
                else:
                    hits = impact.search(terms, words, k)
                    if hits is None:
                        hits = served._top(
                            searcher, parsed, k, first if phrased is not None else None
                        )
                took[mode].append((time.perf_counter() - t0) * 1000)
                got[mode] = hits
        unlisted += impact.search(terms, words, k) is None
        for mode in spent:
            spent[mode].append(float(np.median(took[mode])))
        verdicts.append(_agree(got["tantivy"], got["impact"]))
    figures = {m: percentiles(spent[m]) for m in spent}
    multi = [q[3] is not None for q in queries]
    return {
        "ms": figures,
        "ratio": _ratio(figures),
        "ms_multiword": {
            m: percentiles([t for t, w in zip(spent[m], multi, strict=True) if w]) for m in spent
        },
        "unlisted_left_to_tantivy": unlisted,
        "identical": sum(v["identical"] for v in verdicts),
        "equal_but_ties": sum(v["equal_but_ties"] for v in verdicts),
        "score_rel_max": float(max(v["score_rel_max"] for v in verdicts)),
        "per_search_ms": {m: [round(t, 3) for t in spent[m]] for m in spent},
    }


def engines(
    index: Path, impact_dirs: list[Path], searches: Path, loops: int, seed: int = 0
) -> dict:
    """Each recorded search on tantivy and on each impact index of ``impact_dirs`` (as
    built: plain row ids or block-compressed), all in the same run, interleaved in a
    shuffled order per search, medians of ``loops``: the first pass (the words, k or
    ``RESCORE_FETCH`` x k; tantivy's ``_hits`` against ``search_tokens``) and the whole
    unfiltered lexical search (``TantivyIndex._top`` against ``ImpactIndex.search``,
    tantivy's ``_top`` where a phrase has no list); p50 / p95 and the ratios to tantivy;
    each engine's lists against tantivy's, and each impact index's against the first's
    (row for row); the postings each scores."""
    from index.impact import ImpactIndex
    from index.lexical_folder import FOLDER, _open_index, analyzer
    from index.lexical_tantivy import _WORD, RESCORE_FETCH, TantivyIndex, query_text
    from index.store import Store

    store = Store.open(index)
    served = TantivyIndex(index, store, _open_index(index / FOLDER, create=False))
    searcher = served._searcher
    names = [p.name for p in impact_dirs]
    if len(set(names)) < len(names):
        names = [f"{p.parent.name}/{p.name}" for p in impact_dirs]
    impacts = dict(zip(names, (ImpactIndex.load(p) for p in impact_dirs), strict=True))
    words = analyzer()
    recorded = json.loads(searches.read_text(encoding="utf-8"))
    report: dict[str, Any] = {
        "index": str(index),
        "impacts": {n: {"folder": str(p), "blocks": impacts[n].blocks is not None,
                        "bytes": impacts[n].nbytes()}
                    for n, p in zip(names, impact_dirs, strict=True)},
        "loops": loops,
        "load_avg_start": os.getloadavg(),
    }  # fmt: skip
    import index.impact as impact_module

    dense = impact_module.DENSE
    for name, impact in impacts.items():  # numba's first calls, outside the timing
        t0 = time.perf_counter()
        for impact_module.DENSE in (0.0, float("inf")):  # both kernels
            impact.search(["children", "looked after children"], words, 5)
            impact.search(["children", "care"], words, 5)
        impact_module.DENSE = dense
        report["impacts"][name]["first_call_s"] = round(time.perf_counter() - t0, 2)
    modes = ["tantivy", *names]
    steps = ("first", "whole")
    spent = {s: {m: [] for m in modes} for s in steps}  # type: dict[str, dict[str, list[float]]]
    verdicts: dict[str, dict[str, list[dict[str, Any]]]] = {
        s: {m: [] for m in names} for s in steps
    }
    same_as_first: dict[str, int] = {f"{s}:{m}": 0 for s in steps for m in names}
    read: dict[str, list[float]] = {m: [] for m in names}
    rng = random.Random(seed)
    for call in recorded:
        terms, k = call["terms"], call["k"]
        multiword = any(len(_WORD.findall(t)) > 1 for t in terms)
        fetch = k * (RESCORE_FETCH if multiword else 1)
        first = served._parse(query_text(terms, "words" if multiword else "phrase"))
        phrased = served._parse(query_text(terms)) if multiword else first
        tokens = impacts[names[0]].tokens(terms, words)
        if tokens is None:
            raise SystemExit(f"a clause of {terms} is not one token")
        for step in steps:
            took: dict[str, list[float]] = {m: [] for m in modes}
            got: dict[str, Any] = {}
            for _ in range(loops):
                order = list(modes)
                rng.shuffle(order)
                for mode in order:
                    hits: Any
                    t0 = time.perf_counter()
                    if mode == "tantivy":
                        hits = (
                            served._hits(searcher, first, fetch)
                            if step == "first"
                            else served._top(searcher, phrased, k, first if multiword else None)
                        )
                    elif step == "first":
                        hits, scored = impacts[mode].search_tokens(tokens, fetch)
                    else:
                        hits = impacts[mode].search(terms, words, k)
                        if hits is None:
                            hits = served._top(searcher, phrased, k, first if multiword else None)
                    took[mode].append((time.perf_counter() - t0) * 1000)
                    got[mode] = hits
                    if step == "first" and mode != "tantivy":
                        got[f"read:{mode}"] = scored
            for mode in modes:
                spent[step][mode].append(float(np.median(took[mode])))
            for mode in names:
                verdicts[step][mode].append(_agree(got["tantivy"], got[mode]))
                same_as_first[f"{step}:{mode}"] += got[mode] == got[names[0]]
                if step == "first":
                    read[mode].append(float(got[f"read:{mode}"]))
    report["searches"] = len(recorded)
    for step in steps:
        figures = {m: percentiles(spent[step][m]) for m in modes}
        report[f"{step}_ms"] = figures
        report[f"{step}_ratio"] = {
            m: {p: round(figures[m][p] / figures["tantivy"][p], 3) for p in ("p50", "p95", "mean")}
            for m in names
        }
        report[f"{step}_agreement"] = {
            m: {
                "identical": sum(v["identical"] for v in verdicts[step][m]),
                "equal_but_ties": sum(v["equal_but_ties"] for v in verdicts[step][m]),
                "score_rel_max": float(max(v["score_rel_max"] for v in verdicts[step][m])),
                f"row_for_row_as_{names[0]}": same_as_first[f"{step}:{m}"],
            }
            for m in names
        }
    report["postings_scored"] = {m: percentiles(read[m]) for m in names}
    report["per_search_ms"] = {
        s: {m: [round(t, 3) for t in spent[s][m]] for m in modes} for s in steps
    }
    report["load_avg_end"] = os.getloadavg()
    report["rss_end"] = _rss_mb()
    return report


def _phrase_lists(served: Any, searcher: Any, phrases: list[str]) -> dict[str, tuple]:
    """Each phrase's served clause (quoted, over the three fields with their weights)
    scored by tantivy on every passage that holds it: (row ids ascending, scores).  An
    index-time list per phrase of the reader's finite vocabulary (``qa_service.glossary``)
    would hold the same; here only the recorded searches' phrases are listed."""
    from index.lexical_tantivy import _phrase

    out = {}
    for phrase in phrases:
        parsed = served._parse(_phrase(phrase))
        count = int(searcher.search(parsed, 1, count=True).count or 0)
        hits = served._hits(searcher, parsed, max(count, 1)) if count else []
        ranked = sorted(hits)
        out[phrase] = (
            np.array([r for r, _ in ranked], dtype=np.int64),
            np.array([s for _, s in ranked], dtype=np.float64),
        )
    return out


def _rescore(
    candidates: np.ndarray, clauses: list[tuple[np.ndarray, np.ndarray]], k: int
) -> list[tuple[int, float]]:
    """The best ``k`` of ``candidates`` by the summed clause scores (row ids and scores of
    each clause's list), those matching no clause left out: ``TantivyIndex._among``."""
    total = np.zeros(len(candidates), dtype=np.float64)
    for docids, scores in clauses:
        at = np.searchsorted(docids, candidates)
        at = np.minimum(at, len(docids) - 1)
        held = docids[at] == candidates if len(docids) else np.zeros(len(candidates), bool)
        total += np.where(held, scores[at] if len(docids) else 0.0, 0.0)
    keep = np.flatnonzero(total > 0)
    order = np.lexsort((candidates[keep], -total[keep]))[:k]
    return [(int(candidates[keep][i]), float(total[keep][i])) for i in order]


def _second_from_lists(
    served: Any, searcher: Any, impact: Any, words: Any, queries: list, recorded: list,
    firsts: list, loops: int,
) -> dict[str, Any]:  # fmt: skip
    """The multiword searches' second pass scored from lists, no tantivy: each clause of
    the served query (``query_text(terms)``, identical clauses once) a word's impact list
    or a phrase's list (``_phrase_lists``), looked up for the first pass's candidates;
    against ``TantivyIndex._among`` on the same candidates (lists, time)."""
    from index.lexical_tantivy import _WORD, _phrase

    phrases = sorted({t for call in recorded for t in call["terms"] if len(_WORD.findall(t)) > 1})
    t0 = time.perf_counter()
    lists = {} if impact.phrases else _phrase_lists(served, searcher, phrases)
    built = time.perf_counter() - t0
    word_lists: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def word_list(token: str) -> tuple[np.ndarray, np.ndarray]:
        if token not in word_lists:
            i = impact.words.get(token)
            word_lists[token] = (
                np.asarray(impact.list_docids(i) if i is not None else [], dtype=np.int64),
                impact.list_impacts(i).astype(np.float64) if i is not None else np.zeros(0),
            )
        return word_lists[token]

    spent, same, ties, worst, fallbacks, unlisted = [], 0, 0, 0.0, 0, 0
    for i, (_first, _tokens, fetch, phrased, k) in enumerate(queries):
        if phrased is None:
            continue
        terms = recorded[i]["terms"]
        clauses = []
        for literal in dict.fromkeys(_phrase(t) for t in terms):
            inner = literal[1:-1]
            tokens = words.analyze(inner)
            if len(tokens) == 1:
                clauses.append(word_list(tokens[0]))
            elif len(tokens) > 1 and lists:
                original = next(t for t in terms if _phrase(t) == literal)
                clauses.append(lists[original])
        candidates = np.array([r for r, _ in firsts[i]], dtype=np.int64)
        took = []
        indexed = impact.clauses(terms, words) if impact.phrases else None
        if impact.phrases and indexed is None:
            unlisted += 1  # a phrase outside the index's lists: tantivy's pass, as served
        for _ in range(loops):
            t0 = time.perf_counter()
            if indexed is not None:  # the index's own lists (stop 25)
                got = impact.among(impact.clauses(terms, words), candidates, k)
            else:
                got = _rescore(candidates, clauses, k)
            took.append((time.perf_counter() - t0) * 1000)
        spent.append(float(np.median(took)))
        want = served._among(searcher, phrased, [int(c) for c in candidates], k)
        if len(want) < k and len(candidates) == fetch:
            fallbacks += 1  # the served search then searches the phrases everywhere
        verdict = _agree(want, got)
        same += verdict["identical"]
        ties += verdict["equal_but_ties"]
        worst = max(worst, verdict["score_rel_max"])
    return {
        "phrases": len(phrases),
        "from_the_index": bool(impact.phrases),
        "unlisted_left_to_tantivy": unlisted,
        "phrase_lists_build_s": round(built, 2),
        "phrase_list_postings": int(sum(len(d) for d, _ in lists.values())),
        "searches": len(spent),
        "identical": same,
        "equal_but_ties": ties,
        "score_rel_max": worst,
        "served_fallbacks": fallbacks,
        "ms": percentiles(spent),
        "per_search_ms": [round(x, 3) for x in spent],
    }


def tiled(index: Path, impact_dir: Path, searches: Path, loops: int, times: int) -> dict:
    """An estimate at ``times`` the size: each recorded first pass on its words' impact
    lists repeated ``times`` times (row ids shifted by the passages' count each time: the
    synthetic corpus copied ``times`` times over, with its statistics, as the 10M index
    is the 1M one's copies), both kernels, against tantivy's first pass on the index as it
    is, interleaved in a shuffled order per search; medians of ``loops``."""
    from index.impact import DENSE, ImpactIndex
    from index.impact_maxscore import maxscore, maxscore_windowed
    from index.lexical_folder import FOLDER, _open_index, analyzer
    from index.lexical_tantivy import _WORD, RESCORE_FETCH, TantivyIndex, query_text
    from index.store import Store

    store = Store.open(index)
    served = TantivyIndex(index, store, _open_index(index / FOLDER, create=False))
    searcher = served._searcher
    impact = ImpactIndex.load(impact_dir)
    words = analyzer()
    span = int(impact.blocks.last.max() if impact.blocks is not None else impact.docids.max()) + 1
    kernels = {"plain": maxscore, "windowed": maxscore_windowed}
    spent: dict[str, list[float]] = {m: [] for m in ("tantivy", *kernels)}
    chosen: list[float] = []  # the kernel index.impact.DENSE picks at this size
    rng = random.Random(0)
    for call in json.loads(searches.read_text(encoding="utf-8")):
        terms = call["terms"]
        multiword = any(len(_WORD.findall(t)) > 1 for t in terms)
        fetch = call["k"] * (RESCORE_FETCH if multiword else 1)
        first = served._parse(query_text(terms, "words" if multiword else "phrase"))
        counts = Counter(t for t in impact.tokens(terms, words) or [] if t in impact.words)
        offsets, docs, codes, tables, bases = [0], [], [], [], [0]
        for token in counts:
            i = impact.words[token]
            lo, hi = int(impact.offsets[i]), int(impact.offsets[i + 1])
            d = np.asarray(impact.list_docids(i), np.int64)
            docs.append((d[None, :] + span * np.arange(times)[:, None]).ravel())
            codes.append(np.tile(np.asarray(impact.codes[lo:hi]), times))  # its codes, as built
            tables.append(np.asarray(impact.values[impact.bases[i] : impact.bases[i + 1]]))
            bases.append(bases[-1] + len(tables[-1]))
            offsets.append(offsets[-1] + len(docs[-1]))
        if not counts:
            continue
        docids = np.concatenate(docs).astype(np.uint32)
        weights = np.array(list(counts.values()), dtype=np.float64)
        bounds = weights * np.array([t.max() for t in tables], dtype=np.float64)
        order = np.argsort(bounds, kind="stable")
        lists = np.arange(len(counts), dtype=np.int64)[order]
        arrays = (
            np.array(offsets, np.int64),
            docids,
            np.concatenate(codes),
            np.concatenate(tables),
            np.array(bases, np.int64),
        )
        got = {}
        took: dict[str, list[float]] = {m: [] for m in spent}
        for _ in range(loops):
            modes = list(spent)
            rng.shuffle(modes)
            for mode in modes:
                t0 = time.perf_counter()
                if mode == "tantivy":
                    served._hits(searcher, first, fetch)
                else:
                    got[mode] = kernels[mode](*arrays, lists, weights[order], bounds[order], fetch)
                took[mode].append((time.perf_counter() - t0) * 1000)
        if [int(d) for d in got["plain"][0]] != [int(d) for d in got["windowed"][0]]:
            raise SystemExit(f"the kernels differ on {terms}")
        for mode in spent:
            spent[mode].append(float(np.median(took[mode])))
        dense = len(docids) > DENSE * impact.passages * times
        chosen.append(spent["windowed" if dense else "plain"][-1])
    scaled = [t * times for t in spent["tantivy"]]
    report: dict[str, Any] = {
        "times": times,
        "loops": loops,
        "searches": len(scaled),
        "tantivy_as_is_ms": percentiles(spent["tantivy"]),
        "tantivy_scaled_ms": percentiles(scaled),
    }
    spent["by_density"] = chosen
    for mode in (*kernels, "by_density"):
        report[f"{mode}_ms"] = percentiles(spent[mode])
        report[f"{mode}_ratio_to_scaled"] = {
            p: round(report[f"{mode}_ms"][p] / report["tantivy_scaled_ms"][p], 3)
            for p in ("p50", "p95", "mean")
        }
    report["load_avg_end"] = os.getloadavg()
    return report


def packed_sizes(impact_dir: Path, block: int = 128) -> dict[str, Any]:
    """What the index's row ids would take as gaps bit-packed in blocks of ``block`` (each
    block: its first and last row id, a byte offset and a bit width, 17 bytes, then the
    gaps after the first at the width of its largest): not built, an estimate of the
    compressed lists (docs/performance.md, stop 25)."""
    from index.impact import ImpactIndex

    impact = ImpactIndex.load(impact_dir)
    packed = headers = 0
    widths = np.zeros(33, dtype=np.int64)
    for i in range(len(impact.offsets) - 1):
        docs = np.asarray(impact.list_docids(i), np.int64)
        for lo in range(0, len(docs), block):
            part = docs[lo : lo + block]
            width = int(np.diff(part).max(initial=0)).bit_length()
            widths[width] += 1
            packed += (width * (len(part) - 1) + 7) // 8
            headers += 17
    postings = int(impact.offsets[-1])
    return {
        "postings": postings,
        "docids_bytes": 4 * postings,
        "packed_bytes": packed + headers,
        "bytes_a_posting": round((packed + headers) / max(postings, 1), 3),
        "codes_bytes": int(impact.codes.nbytes),
        "values_bytes": int(impact.values.nbytes),
        "blocks_by_width": {w: int(c) for w, c in enumerate(widths) if c},
    }


def _list_postings(impact: Any, tokens: list[str]) -> int:
    """The postings of the impact lists of ``tokens`` (each list once)."""
    ids = [impact.words[t] for t in set(tokens) if t in impact.words]
    return sum(int(impact.offsets[i + 1] - impact.offsets[i]) for i in ids)


def _ratio(figures: dict[str, dict[str, float]]) -> dict[str, float]:
    base, other = figures["tantivy"], figures["impact"]
    return {p: round(other[p] / base[p], 3) for p in ("p50", "p95", "mean")}


def main(argv: list[str] | None = None) -> int:
    """``build`` or ``compare``; prints (and with ``--out`` writes) the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("build", "compare", "tiled", "packed", "engines"))
    parser.add_argument("--times", type=int, default=10, help="tiled: copies of the lists")
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--impact", type=Path, action="append", help="a build's folder (engines: one or more)"
    )
    parser.add_argument("--searches", type=Path)
    parser.add_argument("--loops", type=int, default=3)
    parser.add_argument(
        "--range-passages", type=int, help="build: in ranges of this many passages, with phrases"
    )
    parser.add_argument(
        "--blocks", action="store_true", help="build: row ids block-compressed, block maxima"
    )
    args = parser.parse_args(argv)
    if args.step == "engines":
        if args.impact is None or args.searches is None:
            parser.error("engines needs --impact (one or more) and --searches")
        report = engines(args.index, args.impact, args.searches, args.loops)
        if args.out is not None:
            args.out.write_text(json.dumps(report, indent=1), encoding="utf-8")
        report = {k: v for k, v in report.items() if k != "per_search_ms"}
    elif args.step == "packed":
        if args.impact is None:
            parser.error("packed needs --impact")
        report = packed_sizes(args.impact[0])
    elif args.step == "build":
        if args.out is None:
            parser.error("build needs --out")
        report = build_step(args.index, args.out, args.range_passages, args.blocks)
    elif args.step == "tiled":
        if args.impact is None or args.searches is None:
            parser.error("tiled needs --impact and --searches")
        report = tiled(args.index, args.impact[0], args.searches, args.loops, args.times)
        if args.out is not None:
            args.out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    else:
        if args.impact is None or args.searches is None:
            parser.error("compare needs --impact and --searches")
        report = compare(args.index, args.impact[0], args.searches, args.loops)
        if args.out is not None:
            args.out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "per_search"}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
