"""/api/ask stage by stage with the impact index set, per question (issue 18, stop 28).

``bench/ask_profile.py`` splits ``Engine.ask`` into its steps on one engine; this runs
the same split with ``engine.lexical.impact`` set (``CQA_IMPACT_INDEX``: the unfiltered
search and a filter's over-fetched list from ``ImpactIndex.search``) and splits further:

- the lexical search into the MaxScore calls (``ImpactIndex.search_lists``: a first pass,
  or the whole phrased query when too few candidates match the phrases), the look-up
  second pass (``ImpactIndex.among``), tantivy's own searches (``TantivyIndex._hits``: a
  phrase outside the lists, a narrow filter, a date range), the filter's row-id check
  (``_passing``) and the rest (analysing, parsing the query, the filter's set);
- the sentences' read into the SQL and the codes' decoding (``sentence_codec.decode``);
- ``keep_best`` into the near-duplicates' folding and the highlight (``answer_span``).

Each timed wrapper adds its wall time to its stage and returns what it was given, so the
answers are the served ones.  Per question it keeps which way the lexical search went
(``path``: ``impact`` unfiltered, ``over-fetch`` a filter's longer impact list then its
check, ``tantivy`` a tantivy search), each MaxScore call's k, lists (their lengths) and
postings scored.  Each question of the three dev sets is asked ``--loops`` times after a
warm-up pass (``--no-warm``: none, so the first loop is read from a colder page cache);
per question the median of each stage; then p50 / p95 over the questions, each stage's
share of the summed time, the slowest 5% (the tail) with their split, and each loop's
p50 / p95 of the whole ask (page-cache effects: the first loop against the others).

    python bench/impact_stages.py --index /tmp/p27/t/10000000 \\
        --impact /tmp/p27/t/10000000/impact --loops 2 --out /tmp/p28/stages.json

The index is only read (the impact index opened as it is, its generation unchecked).
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

from bench import ask_profile as ap  # noqa: E402
from bench import query_bench as qb  # noqa: E402

SETS = ("dev-set", "dev-set-2", "real-dev-set")
# inside "lexical"
LEXICAL = ("lex_maxscore", "lex_among", "lex_tantivy", "lex_passing", "lex_rest")
# inside "sentence_scores" (the read) and "keep_best"
INSIDE = ("sentence_sql", "sentence_decode", "fold", "highlight")


class _Recorder:
    """What the lexical search did for the question being asked."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.path = "none"


def _instrument_lexical(engine: Any, clock: Any, rec: _Recorder) -> None:
    """Wrap the lexical search's inner steps and the impact index's calls (instances)."""
    lexical = engine.lexical
    impact = lexical.impact
    offsets = np.asarray(impact.offsets)
    names = {i: w for w, i in impact.words.items()} | {i: p for p, i in impact.phrases.items()}
    search_lists = impact.search_lists

    def maxscore(counts: Any, k: int) -> Any:
        t0 = time.perf_counter()
        found, read = search_lists(counts, k)
        spent = time.perf_counter() - t0
        clock.add("lex_maxscore", spent)
        rec.calls.append(
            {
                "k": k,
                "ms": round(spent * 1000, 2),
                "read": read,
                "lists": {
                    names[int(i)]: [int(offsets[i + 1] - offsets[i]), int(w)]
                    for i, w in counts.items()
                },
            }
        )
        return found, read

    object.__setattr__(impact, "search_lists", maxscore)
    object.__setattr__(impact, "among", clock.wrap("lex_among", impact.among))
    best = lexical._best

    def best_(terms: Any, searcher: Any, query: Any, k: int, words: Any) -> Any:
        rec.path = "impact" if k <= engine.settings.candidates * 3 else "over-fetch"
        return best(terms, searcher, query, k, words)

    hits = lexical._hits

    def hits_(searcher: Any, query: Any, k: int) -> Any:
        if rec.path == "none":
            rec.path = "tantivy"
        elif rec.path in ("impact", "over-fetch") and not rec.calls:
            rec.path += "+tantivy"  # a phrase outside the lists
        t0 = time.perf_counter()
        try:
            return hits(searcher, query, k)
        finally:
            clock.add("lex_tantivy", time.perf_counter() - t0)

    lexical._best = best_
    lexical._hits = hits_
    lexical._passing = clock.wrap("lex_passing", lexical._passing)


def _instrument_inside(clock: Any) -> None:
    """Wrap the sentence codes' decoding and ``keep_best``'s folding and highlight."""
    from index import sentences
    from qa_service import second_stage

    sentences.sentence_codec = _CodecClock(sentences.sentence_codec, clock)  # type: ignore[assignment]
    second_stage.fold_near_duplicates = clock.wrap("fold", second_stage.fold_near_duplicates)
    second_stage.answer_span = clock.wrap("highlight", second_stage.answer_span)


class _CodecClock:
    """``index.sentence_codec`` with ``decode`` timed."""

    def __init__(self, codec: Any, clock: Any) -> None:
        self._codec = codec
        self.decode = clock.wrap("sentence_decode", codec.decode)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._codec, name)


def run(index: Path, impact_dir: Path, loops: int, warm: bool = True) -> dict[str, Any]:
    """See the module notes."""
    from index.impact import ImpactIndex
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    t_open = time.perf_counter()
    settings = qb._settings(index, "tantivy")
    engine = Engine(index, make_query_embedder(settings), settings)
    engine.lexical.impact = ImpactIndex.load(impact_dir)
    opened_s = time.perf_counter() - t_open
    clock = ap.Clock()
    rec = _Recorder()
    ap._instrument(engine, clock)
    _instrument_lexical(engine, clock, rec)
    _instrument_inside(clock)
    asked = [
        q for name in SETS for q in qb.questions(REPO.parent / "shared" / name / "questions.jsonl")
    ]
    stages = (*ap.TOP, "rest", *ap.INNER, *LEXICAL, *INSIDE, *ap.AFTER, "total")
    per: list[dict[str, list[float]]] = [{s: [] for s in stages} for _ in asked]
    detail: list[dict[str, Any]] = [{} for _ in asked]
    try:
        if warm:
            for question in asked:
                engine.ask(question)
        for _ in range(loops):
            for i, question in enumerate(asked):
                rec.calls, rec.path = [], "none"
                answer, spent = ap.timed_ask(engine, clock, question)
                spent["lex_rest"] = spent.get("lexical", 0.0) - sum(
                    spent.get(s, 0.0) for s in LEXICAL[:-1]
                )
                spent["sentence_sql"] = spent.get("sentence_vectors", 0.0) - spent.get(
                    "sentence_decode", 0.0
                )
                for stage in stages:
                    per[i][stage].append(spent.get(stage, 0.0) * 1000)
                detail[i] = {
                    "path": rec.path,
                    "calls": rec.calls,
                    "filters": _filters(answer.filters),
                    "state": answer.state,
                    "shown": [h.passage.passage_id for h in answer.hits],
                }
    finally:
        engine.lexical.impact = None
        engine.close()
    return _report(index, impact_dir, loops, warm, opened_s, asked, stages, per, detail)


def _filters(filters: Any) -> dict[str, Any]:
    """The filters applied, without their defaults."""
    from dataclasses import fields

    return {
        f.name: getattr(filters, f.name)
        for f in fields(filters)
        if getattr(filters, f.name) not in (None, (), [], False)
    }


def _report(
    index: Path,
    impact_dir: Path,
    loops: int,
    warm: bool,
    opened_s: float,
    asked: list[str],
    stages: tuple[str, ...],
    per: list[dict[str, list[float]]],
    detail: list[dict[str, Any]],
) -> dict[str, Any]:
    median = {s: np.array([float(np.median(p[s])) for p in per]) for s in stages}
    total = median["total"]
    tail = np.argsort(-total)[: max(1, len(asked) // 20)]
    summed = float(total.sum())
    paths: dict[str, list[int]] = {}
    for i, d in enumerate(detail):
        paths.setdefault(d["path"], []).append(i)
    report: dict[str, Any] = {
        "index": str(index),
        "impact": str(impact_dir),
        "questions": len(asked),
        "loops": loops,
        "warm_up": warm,
        "open_s": round(opened_s, 2),
        "total_ms": qb.percentiles(total.tolist()),
        "per_loop_total_ms": [qb.percentiles([p["total"][j] for p in per]) for j in range(loops)],
        "stage_ms": {
            s: {
                **qb.percentiles(median[s].tolist()),
                "share": round(float(median[s].sum()) / summed, 4) if summed else 0.0,
                "tail_mean": round(float(median[s][tail].mean()), 2),
                "tail_share": round(float(median[s][tail].sum() / total[tail].sum()), 4),
            }
            for s in stages
        },
        "paths": {
            p: {
                "questions": len(ids),
                "total_ms": qb.percentiles(total[ids].tolist()),
                "lexical_ms": qb.percentiles(median["lexical"][ids].tolist()),
            }
            for p, ids in paths.items()
        },
        "slowest": [
            {
                "question": asked[i],
                **{s: round(float(median[s][i]), 1) for s in stages if median[s][i] >= 1.0},
                **detail[i],
            }
            for i in tail
        ],
        "per_question": [
            {
                "question": asked[i],
                **{s: round(float(median[s][i]), 2) for s in stages},
                **detail[i],
            }
            for i in range(len(asked))
        ],
        "load_avg_end": os.getloadavg(),
    }
    return report


def _ties(hits: list[tuple[int, float]], rel: float = 1e-6) -> list[int]:
    """A tie-group number for each rank (scores within ``rel`` of the group's first)."""
    groups: list[int] = []
    head = None
    for _rowid, score in hits:
        if head is None or abs(score - head) > rel * max(abs(head), 1e-12):
            head = score
            groups.append(len(groups) and groups[-1] + 1)
        else:
            groups.append(groups[-1])
    return groups


def differ(index: Path, impact_dir: Path) -> dict[str, Any]:
    """Each question asked with the impact index and without; for the answers that differ
    (passages shown or state), why: the lexical lists compared (scores rank by rank, the
    row ids that differ and whether they tie), and the shown passages both ways (copies:
    the same text in another document)."""
    from index.impact import ImpactIndex
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    settings = qb._settings(index, "tantivy")
    engine = Engine(index, make_query_embedder(settings), settings)
    impact = ImpactIndex.load(impact_dir)
    searched: list[tuple[Any, ...]] = []
    search = engine.lexical.search

    def kept(query: Any, k: int, filters: Any = None) -> Any:
        found = search(query, k, filters)
        searched.append((tuple(query.terms), k, _filters(filters) if filters else {}, found))
        return found

    engine.lexical.search = kept  # type: ignore[method-assign]
    asked = [
        q for name in SETS for q in qb.questions(REPO.parent / "shared" / name / "questions.jsonl")
    ]
    out: list[dict[str, Any]] = []
    try:
        for question in asked:
            both = {}
            for mode in ("tantivy", "impact"):
                engine.lexical.impact = impact if mode == "impact" else None
                searched.clear()
                answer = engine.ask(question)
                both[mode] = (answer, list(searched))
            a, b = both["tantivy"][0], both["impact"][0]
            ids_a = [h.passage.passage_id for h in a.hits]
            ids_b = [h.passage.passage_id for h in b.hits]
            if ids_a == ids_b and a.state == b.state:
                continue
            lists = []
            for (terms, k, flt, la), (_t, _k, _f, lb) in zip(
                both["tantivy"][1], both["impact"][1], strict=True
            ):
                ga, gb = _ties(la), _ties(lb)
                same_scores = len(la) == len(lb) and all(
                    abs(x[1] - y[1]) <= 1e-4 * max(abs(x[1]), 1e-9)
                    for x, y in zip(la, lb, strict=True)
                )
                last = ga[-1] if ga else -1
                only_a = sorted({r for r, _ in la} - {r for r, _ in lb})
                only_b = sorted({r for r, _ in lb} - {r for r, _ in la})
                at_last = {r for (r, _), g in zip(la, ga, strict=True) if g == last} | {
                    r for (r, _), g in zip(lb, gb, strict=True) if g == last
                }
                lists.append(
                    {
                        "terms": terms,
                        "k": k,
                        "filters": flt,
                        "lengths": [len(la), len(lb)],
                        "same_scores": same_scores,
                        "same_rowids_in_order": [r for r, _ in la] == [r for r, _ in lb],
                        "rowids_differ": [len(only_a), len(only_b)],
                        "differ_only_in_last_tie": set(only_a + only_b) <= at_last,
                        "last_tie_size": [ga.count(last), gb.count(last) if gb else 0],
                    }
                )
            texts = engine.store.passages(
                [h.passage.rowid for h in a.hits] + [h.passage.rowid for h in b.hits]
            )

            def show(hits: Any, texts: Any = texts) -> list[dict[str, Any]]:
                return [
                    {
                        "id": h.passage.passage_id,
                        "rowid": h.passage.rowid,
                        "text": hash(texts[h.passage.rowid].text) % 10**8,
                        "council": h.passage.document.meta.council,
                        "date": h.passage.document.meta.meeting_date,
                        "score": round(h.score, 5),
                    }
                    for h in hits
                ]

            out.append(
                {
                    "question": question,
                    "state": [a.state, b.state],
                    "filters": [_filters(a.filters), _filters(b.filters)],
                    "same_texts_in_order": [hash(texts[h.passage.rowid].text) for h in a.hits]
                    == [hash(texts[h.passage.rowid].text) for h in b.hits],
                    "lexical": lists,
                    "tantivy": show(a.hits),
                    "impact": show(b.hits),
                }
            )
    finally:
        engine.lexical.impact = None
        engine.close()
    return {"index": str(index), "questions": len(asked), "differ": len(out), "answers": out}


def main(argv: list[str] | None = None) -> int:
    """Run and write the report (and print its summary)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--impact", type=Path, required=True)
    parser.add_argument("--loops", type=int, default=2)
    parser.add_argument("--no-warm", action="store_true", help="no warm-up pass")
    parser.add_argument(
        "--differ", action="store_true", help="only the answers that differ from tantivy's, why"
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.differ:
        qb.write_report(differ(args.index, args.impact), args.out)
        return 0
    report = run(args.index, args.impact, args.loops, warm=not args.no_warm)
    qb.write_report({k: v for k, v in report.items() if k != "per_question"}, args.out)
    full = args.out.with_suffix(".full.json")
    full.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
