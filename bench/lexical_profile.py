"""Where the lexical search's time goes, per question, on a large index (issue 18).

Each question of the three dev sets is asked once through ``Engine.ask`` with the
lexical search wrapped, which records the search exactly as the engine makes it (the
parsed terms, the candidate count, the filters read from the question).  Then those
searches are timed alone, ``--loops`` times each, in each of ``--modes``: ``rescore``, the
served search (``index.lexical_tantivy``), ``rescore#N`` the same asking for N candidates
instead of the engine's, and ``other/...`` either over ``--other``'s index (the same
passages written another way), the modes interleaved in a shuffled order per search so
that they share the page cache's state.  Each search is related to its number of terms, of
multiword terms (phrases) and to its terms' document frequency (in the body field, the
largest and the sum, as a share of the passages); each mode is compared with the first by
the overlap of their top lists.  (The other ways of searching that stops 18-22 measured
through this script were removed in stop 23: docs/performance.md, "Switches removed, stop
23".)

    python bench/lexical_profile.py --index /tmp/18t/10000000 [--loops 3] \\
        [--modes rescore,rescore#30] [--out bench/out/lexical_profile.json]
    python bench/lexical_profile.py --index /tmp/18t/10000000 --ask \\
        --modes rescore,other/rescore --other DIR    # the whole Engine.ask per mode instead

The index is only read.
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
from cqa_core.text import query_terms  # noqa: E402
from index.lexical_folder import analyzer  # noqa: E402

SETS = ("dev-set", "dev-set-2", "real-dev-set")


def _capture(index: Path, sets: tuple[str, ...] = SETS) -> tuple[Any, list[tuple[Any, int, Any]]]:
    """The engine on ``index`` and every lexical search the ``sets``' questions make."""
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    settings = qb._settings(index, "tantivy")
    engine = Engine(index, make_query_embedder(settings), settings)
    calls: list[tuple[Any, int, Any]] = []
    search = engine.lexical.search

    def recording(query: Any, k: int, filters: Any = None) -> Any:
        calls.append((query, k, filters))
        return search(query, k, filters)

    engine.lexical.search = recording  # type: ignore[method-assign]
    for name in sets:
        for question in qb.questions(REPO.parent / "shared" / name / "questions.jsonl"):
            engine.ask(question)
    engine.lexical.search = search  # type: ignore[method-assign]
    return engine, calls


def _alternative(engine: Any, folder: Path | None) -> Any:
    """A second tantivy index over the engine's store (``folder``/lexical: the same passages
    written another way, e.g. in fewer segments), or None."""
    if folder is None:
        return None
    from index.lexical_folder import FOLDER, _open_index
    from index.lexical_tantivy import TantivyIndex

    return TantivyIndex(folder, engine.store, _open_index(folder / FOLDER, create=False))


def _pick(main: Any, other: Any, mode: str) -> tuple[Any, str]:
    """The index a mode searches (``other/...``: the alternative) and the mode itself."""
    if mode.startswith("other/"):
        if other is None:
            raise SystemExit("an other/ mode needs --other")
        return other, mode.removeprefix("other/")
    return main, mode


def _count(mode: str) -> int | None:
    """The candidates a mode asks for: ``rescore`` (the served search) the engine's (None),
    ``rescore#20`` 20."""
    way, _, count = mode.partition("#")
    if way != "rescore":
        raise SystemExit(f"unknown mode {mode!r}: rescore or rescore#N (stop 23)")
    return int(count) if count else None


def ask_ab(
    index: Path, modes: list[str], warm: int = 10, seed: int = 0, other: Path | None = None
) -> dict[str, Any]:
    """The whole ``Engine.ask`` per mode: each question once in every mode, the modes in a
    shuffled order per question, after ``warm`` questions."""
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    settings = qb._settings(index, "tantivy")
    engine = Engine(index, make_query_embedder(settings), settings)
    main, alt = engine.lexical, _alternative(engine, other)
    asked = [
        q for name in SETS for q in qb.questions(REPO.parent / "shared" / name / "questions.jsonl")
    ]
    rng = random.Random(seed)
    spent: dict[str, list[float]] = {m: [] for m in modes}
    try:
        for question in asked[:warm]:
            engine.ask(question)
        for question in asked:
            order = list(modes)
            rng.shuffle(order)
            for mode in order:
                engine.lexical, way = _pick(main, alt, mode)
                _count(way)  # refuses a mode removed in stop 23
                t0 = time.perf_counter()
                engine.ask(question)
                spent[mode].append((time.perf_counter() - t0) * 1000)
    finally:
        engine.close()
    return {"index": str(index), "ask_ms": {m: qb.percentiles(v) for m, v in spent.items()}}


def _features(lexical: Any, query: Any) -> dict[str, Any]:
    """Terms, multiword terms and the body document frequency of the terms' words."""
    terms = [t for t in (list(query.terms) or query_terms(query.text)) if t.strip()]
    tokens = {tok for t in terms for tok in analyzer().analyze(t)}
    total = max(int(lexical._searcher.num_docs), 1)
    dfs = [int(lexical._searcher.doc_freq("body", tok)) / total for tok in tokens]
    return {
        "terms": len(terms),
        "phrases": sum(1 for t in terms if len(analyzer().analyze(t)) > 1),
        "df_max": round(max(dfs, default=0.0), 4),
        "df_sum": round(sum(dfs), 4),
    }


def profile(
    index: Path, loops: int, modes: list[str], seed: int = 0, other: Path | None = None
) -> dict[str, Any]:
    """The searches' times per mode, split by their shape, and the modes' agreement."""
    engine, calls = _capture(index)
    lexical = engine.lexical
    alt = _alternative(engine, other)
    rng = random.Random(seed)
    spent: dict[str, list[list[float]]] = {m: [[] for _ in calls] for m in modes}
    tops: dict[str, list[list[int]]] = {m: [[] for _ in calls] for m in modes}
    scores: dict[str, list[list[float]]] = {m: [[] for _ in calls] for m in modes}
    try:
        for _ in range(loops):
            for i, (query, k, filters) in enumerate(calls):
                order = list(modes)
                rng.shuffle(order)
                for mode in order:
                    searched, way = _pick(lexical, alt, mode)
                    asked = _count(way) or k
                    t0 = time.perf_counter()
                    found = searched.search(query, asked, filters)
                    spent[mode][i].append((time.perf_counter() - t0) * 1000)
                    tops[mode][i] = [rowid for rowid, _ in found]
                    scores[mode][i] = [score for _, score in found]
        features = [_features(lexical, query) for query, _, _ in calls]
        filtered = [filters is not None and filters != type(filters)() for _, _, filters in calls]
    finally:
        engine.close()
    median = {m: [float(np.median(t)) for t in spent[m]] for m in modes}
    report: dict[str, Any] = {
        "index": str(index),
        "passages": int(lexical.count()),
        "segments": int(lexical._searcher.num_segments),
        "searches": len(calls),
        "loops": loops,
        "modes": {m: qb.percentiles(median[m]) for m in modes},
    }
    base = modes[0]
    shapes: dict[str, dict[str, Any]] = {}
    for mode in modes:
        rows = {
            "no phrase": [i for i, f in enumerate(features) if f["phrases"] == 0],
            "phrase(s)": [i for i, f in enumerate(features) if f["phrases"] > 0],
            "terms<=4": [i for i, f in enumerate(features) if f["terms"] <= 4],
            "terms>4": [i for i, f in enumerate(features) if f["terms"] > 4],
            "df_max<0.1": [i for i, f in enumerate(features) if f["df_max"] < 0.1],
            "df_max>=0.1": [i for i, f in enumerate(features) if f["df_max"] >= 0.1],
            "filtered": [i for i, f in enumerate(filtered) if f],
        }
        shapes[mode] = {
            name: qb.percentiles([median[mode][i] for i in idx])
            for name, idx in rows.items()
            if idx
        }
    report["by_shape"] = shapes
    columns = ("terms", "phrases", "df_max", "df_sum")
    report["spearman"] = {
        mode: {c: round(_spearman([f[c] for f in features], median[mode]), 3) for c in columns}
        for mode in modes
    }
    for mode in modes[1:]:
        report[f"{mode}_vs_{base}"] = _agreement(tops[base], tops[mode])
        report[f"{mode}_vs_{base}"]["identical_scores"] = round(
            float(np.mean([a == b for a, b in zip(scores[base], scores[mode], strict=True)])), 3
        )
    report["slowest"] = [
        {
            "terms": list(calls[i][0].terms),
            **features[i],
            **{m: round(median[m][i], 1) for m in modes},
        }
        for i in sorted(range(len(calls)), key=lambda i: -median[base][i])[:8]
    ]
    return report


def _spearman(x: list[float], y: list[float]) -> float:
    rx = np.argsort(np.argsort(np.asarray(x, dtype=np.float64)))
    ry = np.argsort(np.argsort(np.asarray(y, dtype=np.float64)))
    if rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def _agreement(base: list[list[int]], other: list[list[int]]) -> dict[str, float]:
    """How much of the base's top lists another mode finds: its top 10 overlap, and
    whether the first hit is the same, and whether the whole list is."""
    top10 = [
        len(set(a[:10]) & set(b[:10])) / max(1, len(a[:10]))
        for a, b in zip(base, other, strict=True)
    ]
    first = [bool(a) and bool(b) and a[0] == b[0] for a, b in zip(base, other, strict=True)]
    same = [a == b for a, b in zip(base, other, strict=True)]
    return {
        "identical": round(float(np.mean(same)), 3),
        "top10_overlap": round(float(np.mean(top10)), 3),
        "same_first": round(float(np.mean(first)), 3),
    }


def main(argv: list[str] | None = None) -> int:
    """Profile, print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--loops", type=int, default=3)
    parser.add_argument("--modes", default="rescore")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "lexical_profile.json")
    parser.add_argument("--ask", action="store_true", help="time the whole Engine.ask instead")
    parser.add_argument(
        "--other",
        type=Path,
        help="a folder whose lexical/ holds the same passages' tantivy index written another "
        "way, searched by the modes named other/MODE",
    )
    args = parser.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    report = (
        ask_ab(args.index, modes, other=args.other)
        if args.ask
        else profile(args.index, args.loops, modes, other=args.other)
    )
    qb.write_report(report, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
