"""The three shared sets planted in a 1M-passage haystack: what stop 31's approximate tier
costs in quality and what it saves in time, against the exact first pass (issue 18, stop 32).

Stop 31's tier (``index.impact_pruned``, ``PRUNED_EXACT`` off) bounds the lexical first
pass at any size but changes its top k; on synthetic questions 15-30% of the answers
changed, unjudged.  Here the sets' own papers (their real text and the bundled model's
vectors) sit among 1M synthetic passages, and the sets' labelled questions are judged.

1. ``plant``: a copy of a 1M index (``--haystack``: stop 29's ``d``, distinct text; its
   store, tantivy and the dense base's generation file copied, the base hard-linked) with
   ``--set``'s corpus ingested into it by the service's own writer (``IndexWriter.ingest``:
   the set's passages get row ids above the haystack's, their vectors in the on-disk dense
   index's delta, their sentence vectors in the writer's codec), then its impact index
   built (``bench/impact_profile.py``'s ``build_step``, ranges of 100k) at the store's
   generation; in ``--out``/<set>.
2. ``quality``: every set's questions asked with their labelled filters on its planted
   index (``--index-root``/<set>), ``CQA_IMPACT_INDEX`` on, in each mode: ``exact`` (the
   first pass as served) and ``tierN`` for each ``--n`` (a tier of each list's ``n``
   highest impacts searched as the approximation above ``TIGHT``); judged as
   ``bench/quality_all.py`` judges them (in-sample with the served abstention, and out of
   fold: the abstention classifier and the highlight's rule refitted across councils on the
   three sets' pooled questions of that mode, the classifier's withheld rows included, the
   gold looked for among the planted passages only; a comparison question naming fewer
   than two councils compared across the set's councils, as on its own index, not the
   haystack's thousands; ``--no-label-filters``: asked as typed, the filters the question's
   words name still inferred); per question, the first-pass calls that went to the tier
   (above ``TIGHT``, unfiltered: a filtered search never reaches it); and each mode's
   answers against exact's (rank-1 passage, top 5, answered or not).
3. ``ask``: ``/api/ask`` in process on each planted index, its set's questions (no
   labelled filters, as ``bench/impact_pruned.py ask``), each in every mode in a shuffled
   order per question, ``--loops`` timed after a warm-up; medians per question, p50 / p95
   of the ask, its lexical search and its MaxScore calls, per set and pooled; the response
   bodies compared with exact's.  ``--beside``: also each mode with the dense search
   run beside the keyword search (``Settings.dense_concurrent``, ``exact-beside``,
   ``tier<N>-beside``), a lever that changes no answer.
4. ``plant --into INDEX`` (stop 33, 10M: no room for a copy of the haystack a set): the
   three sets' corpora ingested IN PLACE into ``INDEX`` in one ingest (one new generation;
   ``PLANTED`` in the index folder says it is done), its impact index (and any saved tier)
   deleted and built again at the new generation, and ``--out``/<set> made a link to
   ``INDEX`` for each set, so that ``quality`` and ``ask`` take ``--index-root`` as
   before.  Every set is then among the others' passages too (1,175 real passages among
   10M); a set's councils, withheld gold and planted passages are read by its documents'
   paths, and one engine serves every set that links to the same index.  This changes the
   index: run it after whatever measures the index as built.

A tier saved in an impact folder (``tier_N``, ``bench/impact_pruned.py build``) is mapped
for the mode of that size instead of being built; the exact mode never searches one.

    python bench/planted.py plant --set dev-set --out /tmp/p33/pl
    python bench/planted.py plant --into /tmp/p34/t/10000000 --out /tmp/p34/pl   # (4)
    python bench/planted.py quality --index-root /tmp/p33/pl --n 6554 --n 26214 --n 65536 \\
        --out /tmp/p33/quality.json
    python bench/planted.py ask --index-root /tmp/p33/pl --n 6554 --n 26214 --n 65536 \\
        --loops 2 --out /tmp/p33/ask.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import query_bench as qb  # noqa: E402
from bench.impact_profile import percentiles  # noqa: E402

SHARED = REPO.parent / "shared"
SETS = ("dev-set", "dev-set-2", "real-dev-set")
HAYSTACK = Path("/tmp/p29/d/t/1000000")
FIGURES = (
    "recall_at_1", "recall_at_5", "mrr_at_10", "answer_at_1", "abstention_accuracy",
    "false_abstention", "compare_coverage",
)  # fmt: skip


def plant(name: str, haystack: Path, out: Path) -> dict[str, Any]:
    """See the module notes (1)."""
    from bench.impact_profile import build_step
    from index.embedder import SentenceTransformerEmbedder
    from index.store import Store
    from indexing.writer import IndexWriter

    target = out / name
    started = time.perf_counter()
    if not (target / "meta.sqlite").exists():
        target.mkdir(parents=True)
        store = Store.open(haystack)
        dense_file = store.get_meta("dense_file")
        store.close()
        for base in haystack.glob("dense-base-*"):
            shutil.copytree(base, target / base.name, copy_function=os.link)
        shutil.copytree(haystack / "lexical", target / "lexical")
        for part in ("lexical.state", str(dense_file)):
            shutil.copyfile(haystack / part, target / part)
        shutil.copyfile(haystack / "meta.sqlite", target / "meta.sqlite.part")
        (target / "meta.sqlite.part").rename(target / "meta.sqlite")
    first = _passages(target)
    with IndexWriter(target, SentenceTransformerEmbedder(lazy=True)).open() as writer:
        summary = writer.ingest([SHARED / name / "corpus"])
    ingested = time.perf_counter() - started
    report = build_step(target, target / "impact", range_passages=100_000)
    return {
        "set": name,
        "haystack": str(haystack),
        "haystack_passages": first,
        "passages": summary.passages_total,
        "documents": summary.documents_total,
        "ingest_s": round(ingested, 1),
        "impact": report,
    }


PLANTED = "planted.json"  # in an index folder: the sets ingested in place (plant_into)


def plant_into(index: Path, sets: Sequence[str], out: Path) -> dict[str, Any]:
    """See the module notes (4); resumable: the ingest is skipped once ``PLANTED`` is
    written (an interrupted one is taken up again by the writer, incremental by content
    hash), the impact index built unless it is of the store's generation."""
    from bench.impact_profile import build_step
    from index.embedder import SentenceTransformerEmbedder
    from index.impact import FOLDER
    from indexing.writer import IndexWriter

    marker = index / PLANTED
    if marker.exists():
        report: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))
    else:
        first = _passages(index)
        started = time.perf_counter()
        with IndexWriter(index, SentenceTransformerEmbedder(lazy=True)).open() as writer:
            summary = writer.ingest([SHARED / name / "corpus" for name in sets])
        report = {
            "index": str(index),
            "sets": list(sets),
            "haystack_passages": first,
            "passages": summary.passages_total,
            "documents": summary.documents_total,
            "ingest_s": round(time.perf_counter() - started, 1),
            "planted": {name: len(planted_rows(index, name)) for name in sets},
        }
        marker.write_text(json.dumps(report, indent=1), encoding="utf-8")
    if not _impact_is_current(index):
        shutil.rmtree(index / FOLDER, ignore_errors=True)
        report["impact"] = build_step(index, index / FOLDER, range_passages=100_000)
        marker.write_text(json.dumps(report, indent=1), encoding="utf-8")
    link_sets(index, sets, out)
    return report


def _impact_is_current(index: Path) -> bool:
    """Whether ``index`` holds an impact index of its store's generation."""
    from index.impact import FOLDER, built_from
    from index.store import Store

    store = Store.open(index)
    try:
        generation = store.generation()
    finally:
        store.close()
    return built_from(index / FOLDER) == generation and (index / FOLDER / "build.json").exists()


def link_sets(index: Path, sets: Sequence[str], out: Path) -> None:
    """``out``/<set> a link to ``index`` for each set (an index root of planted indexes)."""
    out.mkdir(parents=True, exist_ok=True)
    for name in sets:
        link = out / name
        if link.is_symlink() and link.resolve() != index.resolve():
            link.unlink()
        if not link.exists():
            link.symlink_to(index.resolve(), target_is_directory=True)


def _passages(index: Path) -> int:
    db = sqlite3.connect(index / "meta.sqlite")
    try:
        return int(db.execute("SELECT count(*) FROM passage_rows").fetchone()[0])
    finally:
        db.close()


def planted_rows(index: Path, name: str) -> list[int]:
    """The row ids of the planted set's passages (its documents' paths name its corpus),
    ascending: in an index where the three sets were planted together too."""
    db = sqlite3.connect(index / "meta.sqlite")
    try:
        rows = db.execute(
            "SELECT r.id FROM passage_rows r JOIN documents d ON r.doc_rowid = d.doc_rowid "
            "WHERE d.path LIKE ? ORDER BY r.id",
            (f"%/{name}/corpus/%",),
        ).fetchall()
    finally:
        db.close()
    return [int(r) for (r,) in rows]


def with_tier(impact: Any, n: int | None, folder: Path | None = None) -> Any:
    """``impact`` without a tier (``n`` None: the exact first pass, whatever tier its folder
    held when loaded) or with the tier of ``n`` postings a list: the one loaded, else the
    saved ``tier_N`` in ``folder`` (its impact folder; mapped), else built now."""
    from dataclasses import replace as changed

    from index.impact_pruned import TIER_FILE, Tier

    if n is None:
        return changed(impact, tier=None, approximate=False)
    if impact.tier is not None and impact.tier.n == n:
        return impact
    saved = None if folder is None else folder / TIER_FILE.format(n=n)
    if saved is not None and (saved / "n").exists():
        return changed(impact, tier=Tier.load(saved))
    return impact.with_tier(n)


def _impact_hook(sizes: dict[str, int | None]) -> Any:
    """``index.impact.open_current`` serving each index's impact index with the tier of
    ``sizes['n']`` (None: none, whatever tier the folder holds; ``with_tier``), once per
    index (links resolved) and size."""
    from index import impact as impact_module

    made: dict[tuple[str, int | None], Any] = {}
    current = impact_module.open_current

    def opened(index_dir: Path, generation: int) -> Any:
        n = sizes["n"]
        key = (str(Path(index_dir).resolve()), n)
        if key not in made:
            found = current(index_dir, generation)
            if found is None:
                raise RuntimeError(f"{index_dir}: no impact index of generation {generation}")
            made[key] = with_tier(found, n, Path(index_dir) / impact_module.FOLDER)
        return made[key]

    return opened


def run_planted(
    name: str, index_root: Path, embedder: Any, withheld: bool, labels: bool = True
) -> Any:
    """``bench/quality_all.py``'s ``run_set`` on a planted index: nothing ingested, the
    councils and the withheld gold read among the planted documents only."""
    from bench import abstention_borrowed as ab
    from bench.quality_all import SetRun
    from evaluation.crossval import question_councils
    from evaluation.questions import load_questions
    from evaluation.runner import run_question
    from qa_service.config import Settings
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    index = index_root / name
    rows = planted_rows(index, name)
    settings = Settings(index=index)
    engine = Engine(index, make_query_embedder(settings, embedder), settings)
    questions = load_questions(SHARED / name / "questions.jsonl")
    db = sqlite3.connect(index / "meta.sqlite")
    councils = {
        Path(path).name: council or ""
        for path, council in db.execute(
            "SELECT path, council FROM documents WHERE path LIKE ?", (f"%/{name}/corpus/%",)
        )
    }
    db.close()
    _compare_planted(engine, sorted(set(councils.values())))
    reached = _count_tier_calls(engine)
    engine.ask("warm up the model", 1)  # as run_questions does
    pairs = []
    for q in questions:
        reached["calls"] = 0
        pairs.append(run_question(engine, q, labels, depth=10))
        TIER_CALLS[name, q.id] = reached["calls"]

    def named(text: str) -> list[str]:
        return list(engine.reader.councils_named(text)[0])

    groups = [question_councils(q, councils, named, name) for q in questions]
    held: list[Any] = []
    if withheld:
        store = engine.store
        every = store.passages(rows)
        original = store.allowed
        try:
            for q in questions:
                if not q.answerable:
                    held.append(None)
                    continue
                gone = ab.withheld_ids(q, every)
                store.allowed = partial(ab._without, original, gone)  # type: ignore[method-assign]
                asked = ab.question_filters(q) if labels else None
                answer = engine.ask(q.question, 10, asked)
                if any(h.passage.rowid in gone for h in answer.hits):
                    raise RuntimeError(f"{q.id}: a withheld passage was returned")
                held.append(answer.evidence)
        finally:
            store.allowed = original  # type: ignore[method-assign]
    engine.close()
    return SetRun(name, [r for r, _ in pairs], [a for _, a in pairs], councils, groups, held)


def _compare_planted(engine: Any, planted: list[str]) -> None:
    """``engine.compare`` with its columns, where the question names fewer than two
    councils, the planted set's councils (its own index's every council), not the
    haystack's thousands."""
    compare = engine.compare

    def planted_compare(
        question: str, councils: list[str] | None = None, per_council: int = 3, filters: Any = None
    ) -> Any:
        if councils is None and len(engine.reader.read(question.strip()).councils) < 2:
            councils = planted
        return compare(question, councils, per_council, filters)

    engine.compare = planted_compare


# (set, question id) -> the first-pass calls of its ask (and comparison) that went to the
# tier (held above ``TIGHT`` postings a passage, unfiltered): where a tier can change it
TIER_CALLS: dict[tuple[str, str], int] = {}


def _count_tier_calls(engine: Any) -> dict[str, int]:
    """Count ``engine``'s impact searches above ``TIGHT`` (the ones a tier serves)."""
    from index import impact as impact_module

    reached = {"calls": 0}
    impact = engine.lexical.impact
    if impact is None:
        return reached
    search_lists = impact.search_lists

    def counted(counts: Any, k: int) -> Any:
        lists = np.fromiter(counts, dtype=np.int64)
        held = int(np.sum(impact.offsets[lists + 1] - impact.offsets[lists]))
        reached["calls"] += held > impact_module.TIGHT * max(impact.passages, 1)
        return search_lists(counts, k)

    object.__setattr__(impact, "search_lists", counted)
    return reached


def _detail(run: Any, answered: list[bool]) -> list[dict[str, Any]]:
    out = []
    for result, said in zip(run.results, answered, strict=True):
        out.append(
            {
                "id": result.question.id,
                "answerable": result.question.answerable,
                "top5": [(r.source, r.text[:60]) for r in result.ranked[:5]],
                "answered_in_sample": result.answered,
                "answered_oof": said,
                "tier_calls": TIER_CALLS.get((run.name, result.question.id), 0),
            }
        )
    return out


def judge(
    index_root: Path, sets: Sequence[str], withheld: bool, labels: bool = True
) -> dict[str, Any]:
    """One mode (the impact hook's current tier): every set run, scored in-sample and out
    of fold, as ``bench/quality_all.py``'s ``main``."""
    from bench.quality_all import (
        _with_highlight,
        out_of_fold_abstention,
        out_of_fold_highlights,
    )
    from evaluation.scoring import score
    from index.embedder import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder(lazy=True)
    t0 = time.perf_counter()
    runs = [run_planted(name, index_root, embedder, withheld, labels) for name in sets]
    oof = out_of_fold_abstention(runs)
    shown = out_of_fold_highlights(runs)
    report: dict[str, Any] = {"seconds": round(time.perf_counter() - t0, 1)}
    pooled_in: list[Any] = []
    pooled_out: list[Any] = []
    councils: dict[str, str] = {}
    for run, answered, lit in zip(runs, oof, shown, strict=True):
        folded = [
            _with_highlight(replace(r, answered=a), h)
            for r, a, h in zip(run.results, answered, lit, strict=True)
        ]
        inside, outside = score(run.results, run.councils), score(folded, run.councils)
        pooled_in += run.results
        pooled_out += folded
        councils.update(run.councils)
        report[run.name] = {
            "in_sample": _figures(inside.overall),
            "out_of_fold": _figures(outside.overall),
            "questions": _detail(run, answered),
            "misses_oof": [m.id for m in outside.misses],
        }
    report["pooled"] = {
        "in_sample": _figures(score(pooled_in, councils).overall),
        "out_of_fold": _figures(score(pooled_out, councils).overall),
    }
    return report


def _figures(figures: Any) -> dict[str, Any]:
    return {k: getattr(figures, k) for k in (*FIGURES, "questions", "answerable")}


def changed(base: dict[str, Any], other: dict[str, Any], sets: Sequence[str]) -> dict[str, int]:
    """How many questions' answers differ from ``base``'s: the rank-1 passage, the top 5
    (in order), and the answered state out of fold."""
    counts = {"questions": 0, "rank1": 0, "top5": 0, "answered_oof": 0}
    for name in sets:
        for a, b in zip(base[name]["questions"], other[name]["questions"], strict=True):
            counts["questions"] += 1
            counts["rank1"] += a["top5"][:1] != b["top5"][:1]
            counts["top5"] += a["top5"] != b["top5"]
            counts["answered_oof"] += a["answered_oof"] != b["answered_oof"]
    return counts


def quality(
    index_root: Path,
    sizes: list[int],
    sets: Sequence[str],
    withheld: bool = True,
    labels: bool = True,
) -> dict[str, Any]:
    """See the module notes (2)."""
    from index import impact as impact_module

    os.environ["CQA_IMPACT_INDEX"] = "1"
    os.environ["CQA_IMPACT_TIER_ABOVE"] = "0"  # the tier is this bench's (served_tier)
    current: dict[str, int | None] = {"n": None}
    impact_module.open_current = _impact_hook(current)
    exact_before = impact_module.PRUNED_EXACT
    impact_module.PRUNED_EXACT = False
    report: dict[str, Any] = {
        "index_root": str(index_root),
        "sets": list(sets),
        "label_filters": labels,
        "withheld": withheld,
    }
    try:
        for n in [None, *sizes]:
            current["n"] = n
            mode = "exact" if n is None else f"tier{n}"
            report[mode] = judge(index_root, sets, withheld, labels)
            print(mode, json.dumps(report[mode]["pooled"]), file=sys.stderr, flush=True)
    finally:
        impact_module.PRUNED_EXACT = exact_before
    for n in sizes:
        report[f"tier{n}"]["changed"] = changed(report["exact"], report[f"tier{n}"], sets)
    return report


def ask_modes(sizes: Sequence[int], beside: bool = False) -> dict[str, int | None]:
    """``ask``'s modes and the tier each searches (None: the exact first pass); with
    ``beside``, each again as ``<mode>-beside``, the dense search run beside the keyword
    search (``Settings.dense_concurrent``)."""
    tiers: dict[str, int | None] = {"exact": None, **{f"tier{n}": n for n in sizes}}
    if beside:
        tiers |= {f"{mode}-beside": n for mode, n in tiers.items()}
    return tiers


def ask(
    index_root: Path,
    sizes: list[int],
    sets: Sequence[str],
    loops: int,
    seed: int,
    beside: bool = False,
) -> dict[str, Any]:
    """See the module notes (3)."""
    from bench.tail_ask import _wrap_lexical, _wrap_maxscore
    from index import impact as impact_module
    from index.impact import ImpactIndex
    from qa_service.presenters import ask_response
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    clock: dict[str, float] = {"lexical": 0.0, "maxscore": 0.0, "held": 0, "scored": 0}
    tiers = ask_modes(sizes, beside)
    modes = list(tiers)
    engines: dict[str, Any] = {}  # by set; one engine (and its impact indexes) an index
    impacts: dict[tuple[str, str], Any] = {}
    opened: dict[Path, str] = {}  # an index (links resolved) -> the first set that opened it
    asked: list[tuple[str, str]] = []
    for name in sets:
        index = index_root / name
        first = opened.setdefault(index.resolve(), name)
        if first != name:
            engines[name] = engines[first]
            for mode in modes:
                impacts[name, mode] = impacts[first, mode]
        else:
            settings = qb._settings(index, "tantivy")
            engine = Engine(index, make_query_embedder(settings), settings)
            loaded = ImpactIndex.load(index / impact_module.FOLDER)
            for mode, n in tiers.items():
                impacts[name, mode] = with_tier(loaded, n, index / impact_module.FOLDER)
                _wrap_maxscore(impacts[name, mode], clock)
            _wrap_lexical(engine, clock)
            engines[name] = engine
        asked += [(name, q) for q in qb.questions(SHARED / name / "questions.jsonl")]
    keys = ("ask", "lexical", "maxscore")
    spent: dict[str, dict[str, list[list[float]]]] = {
        m: {k: [[] for _ in asked] for k in keys} for m in modes
    }
    bodies = {m: [""] * len(asked) for m in modes}
    rng = random.Random(seed)
    exact_before = impact_module.PRUNED_EXACT
    impact_module.PRUNED_EXACT = False
    try:
        for loop in range(loops + 1):  # the first a warm-up
            for i, (name, question) in enumerate(asked):
                order = list(modes)
                rng.shuffle(order)
                for mode in order:
                    engine = engines[name]
                    engine.lexical.impact = impacts[name, mode]
                    engine.settings = engine.settings.model_copy(
                        update={"dense_concurrent": mode.endswith("-beside")}
                    )
                    for key in clock:
                        clock[key] = 0.0
                    t0 = time.perf_counter()
                    body = ask_response(engine.ask(question)).model_dump_json()
                    took = {"ask": (time.perf_counter() - t0) * 1000, **clock}
                    if loop:
                        for key in keys:
                            spent[mode][key][i].append(float(took[key]))
                    else:
                        bodies[mode][i] = body
    finally:
        impact_module.PRUNED_EXACT = exact_before
        for engine in {id(e): e for e in engines.values()}.values():
            engine.lexical.impact = None
            engine.close()
    report: dict[str, Any] = {
        "index_root": str(index_root),
        "indexes": {name: str((index_root / name).resolve()) for name in sets},
        "loops": loops,
        "seed": seed,
        "questions": len(asked),
        "load_avg_end": os.getloadavg(),
    }
    for part in (*sets, "pooled"):
        rows = [i for i, (name, _) in enumerate(asked) if part in (name, "pooled")]
        section: dict[str, Any] = {}
        for mode in modes:
            medians = {
                k: [float(np.median(spent[mode][k][i])) for i in rows] for k in keys
            }  # fmt: skip
            section[mode] = {k: percentiles(v) for k, v in medians.items()}
            section[mode]["same_body_as_exact"] = sum(
                bodies[mode][i] == bodies["exact"][i] for i in rows
            )
            if mode != "exact":
                base = section["exact"]
                section[mode]["ratio"] = {
                    k: {
                        p: round(section[mode][k][p] / base[k][p], 3) if base[k][p] else None
                        for p in ("p50", "p95")
                    }
                    for k in keys
                }
        report[part] = section
    return report


def main(argv: list[str] | None = None) -> int:
    """Run and print (and with ``--out`` write) the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("plant", "quality", "ask"))
    parser.add_argument("--set", choices=SETS, action="append", default=[])
    parser.add_argument("--haystack", type=Path, default=HAYSTACK, help="plant: a 1M index")
    parser.add_argument(
        "--into", type=Path, help="plant: the sets ingested in place into this index (notes (4))"
    )
    parser.add_argument("--index-root", type=Path, help="quality, ask: the planted indexes")
    parser.add_argument("--n", type=int, action="append", default=[], help="a tier's size")
    parser.add_argument("--no-withheld", action="store_true", help="quality: no withheld rows")
    parser.add_argument(
        "--no-label-filters",
        action="store_true",
        help="quality: the questions asked without their labelled filters (as typed)",
    )
    parser.add_argument(
        "--beside", action="store_true", help="ask: also each mode with dense_concurrent on"
    )
    parser.add_argument("--loops", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    sets = args.set or list(SETS)
    if args.step == "plant":
        if args.out is None:
            parser.error("plant needs --out")
        if args.into is not None:
            report: dict[str, Any] = plant_into(args.into, sets, args.out)
        else:
            report = {s: plant(s, args.haystack, args.out) for s in sets}
        args.out = args.out / f"plant-{'-'.join(sets)}.json"
    elif args.index_root is None:
        parser.error(f"{args.step} needs --index-root")
    elif args.step == "quality":
        report = quality(
            args.index_root, args.n, sets, not args.no_withheld, not args.no_label_filters
        )
    else:
        report = ask(args.index_root, args.n, sets, args.loops, args.seed, args.beside)
    qb.write_report(report, args.out) if args.out is not None else print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
