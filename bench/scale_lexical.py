"""tantivy at millions of passages: one index or one per shard, and the writer's threads.

tantivy-py cannot merge indexes, so an index built from the Ray ingest's shards is either
one index written by tantivy's multi-threaded writer, or one index per shard searched in
parallel and merged by score.  This measures both, in one run, on the same passages:

- **build**: passages a second into one index with the writer on 1 thread (today's rebuild)
  and on ``--threads`` threads, and into ``S`` shard indexes (``--shards``), one after the
  other and in parallel threads;
- **search**: the 318 dev-set questions' BM25 top ``k`` (the service's 60 candidates) from
  the one index, and from the ``S`` shards searched one after the other and in parallel
  threads, then merged by score; p50/p95 ms, and how many of the one index's top 10 the
  merged top 10 keeps (each shard scores with its own term statistics).

The passages are the texts of an index built by ``bench.scale`` / ``bench.scale_text``
(heading, body and document facts, as the service indexes them), repeated under new ids
up to ``--passages``, as ``bench.scale``'s copies do.

    python -m bench.scale_lexical --index /tmp/18/text/20000 --passages 1000000 \\
        --out /tmp/18/lex

``--dates`` measures instead date-range filters inside tantivy (issue 18) on a whole index
(``bench.scale_text``'s 3M), whose store it opens read-only (``immutable``): it builds a
tantivy index with today's schema (the meeting date as an integer field) from that store
into ``--out``, then asks every question with each filter of ``DATE_FILTERS`` of both that
index (``TantivyIndex.search``: a date range is a range query inside the search) and the
index's own tantivy folder, written before the date field (opened with its own schema,
so ``search`` filters dates as before: an over-fetched top list, else the set of passing
ids), alternating the two question by question; p50/p95 ms, their ratios, and how many
questions got the same ranked ids from both (``same_ranking``), and the same but for which
passages tied at the last score were cut (``same_but_ties_cut``: tantivy breaks those
ties by segment order, which differs between two builds of one store).

    python -m bench.scale_lexical --dates --index /tmp/18/text/3000000 --out /tmp/18l/dates
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.query_bench import percentiles, questions  # noqa: E402
from cqa_core.text import query_terms  # noqa: E402
from index.base import LexicalText, Query  # noqa: E402
from index.lexical_tantivy import (  # noqa: E402
    _FIELDS,
    FOLDER,
    WEIGHTS,
    TantivyIndex,
    _current,
    _open_index,
    _open_writable,
    _phrase,
    store_texts,
)
from index.store import DB_NAME, Filters, Store  # noqa: E402

SHARED = REPO_ROOT.parent / "shared"
K = 60  # the candidates the service takes from each side (Settings.candidates)
HEAP_PER_THREAD = 64 * 1024 * 1024  # today's writer heap, given to each thread


def texts(index: Path) -> list[LexicalText]:
    """The lexical texts of every passage of ``index``."""
    store = Store.open(index)
    try:
        return [text for _, text in store_texts(store)]
    finally:
        store.close()


def build_one(
    folder: Path, source: Sequence[LexicalText], first: int, count: int, threads: int
) -> float:
    """Index passages ``first .. first + count`` (texts cycled) into ``folder``; seconds."""
    import tantivy

    shutil.rmtree(folder, ignore_errors=True)
    index = _open_index(folder, create=True)
    started = time.perf_counter()
    writer = index.writer(heap_size=HEAP_PER_THREAD * threads, num_threads=threads)
    for rowid in range(first + 1, first + count + 1):
        heading, body, context = source[(rowid - 1) % len(source)]
        writer.add_document(
            tantivy.Document(rowid=rowid, heading=heading, body=body, context=context)
        )
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - started


def _parsed(index: Any, question: str) -> Any:
    terms = [t for t in query_terms(question) if t.strip()]
    text = " OR ".join(_phrase(t) for t in terms) or '""'
    boosts = dict(zip(_FIELDS, WEIGHTS, strict=True))
    return index.parse_query(text, list(_FIELDS), field_boosts=boosts)


def _top(index: Any, searcher: Any, question: str, k: int) -> list[tuple[int, float]]:
    hits = searcher.search(_parsed(index, question), k, count=False).hits
    rowids = searcher.fast_field_values("rowid", [address for _, address in hits])
    return [(int(r), float(s)) for (s, _), r in zip(hits, rowids, strict=True)]


def timed(
    asked: Sequence[str], search: Callable[[str], list[tuple[int, float]]], loops: int
) -> tuple[dict[str, float], dict[str, list[int]]]:
    """Latency of ``search`` over the questions, and each question's top 10."""
    spent: list[float] = []
    tops: dict[str, list[int]] = {}
    for _ in range(loops):
        for question in asked:
            t0 = time.perf_counter()
            found = search(question)
            spent.append((time.perf_counter() - t0) * 1000)
            tops[question] = [rowid for rowid, _ in found[:10]]
    return percentiles(spent), tops


def run(
    index: Path, passages: int, shards: int, threads: int, out: Path, loops: int
) -> dict[str, Any]:
    """Every measurement (see the module notes)."""
    source = texts(index)
    asked = [
        q
        for name in ("dev-set", "dev-set-2", "real-dev-set")
        for q in questions(SHARED / name / "questions.jsonl")
    ]
    report: dict[str, Any] = {"passages": passages, "shards": shards, "build_s": {}}
    size = -(-passages // shards)
    parts = [(s * size, min(size, passages - s * size)) for s in range(shards)]
    build = report["build_s"]
    build["one_1thread"] = build_one(out / "one", source, 0, passages, 1)
    print(build, file=sys.stderr, flush=True)
    build[f"one_{threads}threads"] = build_one(out / "one-mt", source, 0, passages, threads)
    shutil.rmtree(out / "one-mt")
    print(build, file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(shards) as pool:
        list(pool.map(lambda s: build_one(out / f"shard{s}", source, *parts[s], 1), range(shards)))
    build[f"{shards}shards_parallel"] = time.perf_counter() - t0
    print(build, file=sys.stderr, flush=True)
    report["rates_per_s"] = {key: round(passages / s, 1) for key, s in build.items()}

    one = _open_index(out / "one", create=False)
    one_searcher = one.searcher()
    sharded = [_open_index(out / f"shard{s}", create=False) for s in range(shards)]
    searchers = [i.searcher() for i in sharded]
    report["segments"] = {
        "one": one_searcher.num_segments,
        "shards": [s.num_segments for s in searchers],
    }

    def merged(found: list[list[tuple[int, float]]]) -> list[tuple[int, float]]:
        return sorted((h for part in found for h in part), key=lambda h: -h[1])[:K]

    def sequential(q: str) -> list[tuple[int, float]]:
        return merged([_top(i, s, q, K) for i, s in zip(sharded, searchers, strict=True)])

    with ThreadPoolExecutor(shards) as pool:

        def parallel(q: str) -> list[tuple[int, float]]:
            return merged(
                list(
                    pool.map(lambda p: _top(p[0], p[1], q, K), zip(sharded, searchers, strict=True))
                )
            )

        timed(asked, parallel, 1)  # warm the pages of every index
        timed(asked, lambda q: _top(one, one_searcher, q, K), 1)
        one_ms, one_tops = timed(asked, lambda q: _top(one, one_searcher, q, K), loops)
        seq_ms, _ = timed(asked, sequential, loops)
        par_ms, par_tops = timed(asked, parallel, loops)

    # copies of one text tie exactly: compare which texts, not which copies, are kept
    def text_of(rowids: list[int]) -> set[int]:
        return {(r - 1) % len(source) for r in rowids}

    kept = sum(len(text_of(one_tops[q]) & text_of(par_tops[q])) for q in asked)
    report["search_ms"] = {
        "one": one_ms,
        f"{shards}shards_sequential": seq_ms,
        f"{shards}shards_parallel": par_ms,
    }
    whole = sum(len(text_of(t)) for t in one_tops.values())
    report["shards_top10_kept"] = round(kept / max(1, whole), 4)
    return report


# The filters of ``--dates``; on bench.scale_text's 3M (dates of 149 copies spread over 31
# years) the 2016-2018 range passes 6.5% of the passages, as in docs/performance.md.
DATE_FILTERS = {
    "none": None,
    "dates 2016-2018": Filters(date_from="2016-01-01", date_to="2018-12-31"),
    "dates 2010-2020": Filters(date_from="2010-01-01", date_to="2020-12-31"),
    "dates one month": Filters(date_from="2017-03-01", date_to="2017-03-31"),
    "from 2019": Filters(date_from="2019-01-01"),
}


def agree(a: list[tuple[int, float]], b: list[tuple[int, float]]) -> bool:
    """Whether two rankings hold the same scores and the same ids, but for which of the
    passages tied at the last score were cut: tantivy keeps those in segment order, which
    differs between two builds of one store."""
    if [round(s, 4) for _, s in a] != [round(s, 4) for _, s in b]:
        return False
    last = a[-1][1] if a else 0.0
    return [i for i, s in a if s > last + 1e-4] == [i for i, s in b if s > last + 1e-4]


def read_only_store(index: Path) -> Store:
    """The index's store opened ``immutable``: nothing, not even a WAL file, is written."""
    uri = f"file:{index / DB_NAME}?immutable=1"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return Store(conn, index / DB_NAME)


def dates(
    index: Path, out: Path, loops: int, threads: int, only: Sequence[str] = ()
) -> dict[str, Any]:
    """Date-range filters inside tantivy against the filter outside it (``--dates``), then a
    council filter alone and with dates; ``only``: these filters by name, else all."""
    store = read_only_store(index)
    report: dict[str, Any] = {"index": str(index), "passages": store.stats().passages}
    if not _current(out, store):
        t0 = time.perf_counter()
        built = TantivyIndex(out, store, _open_writable(out))
        built.rebuild(threads=threads)
        built.close()
        report["build_s"] = round(time.perf_counter() - t0, 1)
        print(report, file=sys.stderr, flush=True)
    new = TantivyIndex(out, store, _open_index(out / FOLDER, create=False))
    old = TantivyIndex(index, store, _open_index(index / FOLDER, create=False, own_schema=True))
    report["old_schema"] = not old.dated
    old.dated = False  # its filters outside tantivy, as before, whatever its schema
    report["mb"] = {
        "new": round(sum(f.stat().st_size for f in (out / FOLDER).iterdir()) / 1e6, 3),
        "old": round(sum(f.stat().st_size for f in (index / FOLDER).iterdir()) / 1e6, 3),
    }
    asked = [
        q
        for name in ("dev-set", "dev-set-2", "real-dev-set")
        for q in questions(SHARED / name / "questions.jsonl")
    ]
    report["questions"] = len(asked)
    report["filters"] = {}
    # a council, alone and with dates: not a range, so both indexes filter it by the id set
    council = store.conn.execute("SELECT council FROM documents LIMIT 1").fetchone()[0]
    chosen = {
        **DATE_FILTERS,
        "council": Filters(council=(council,)),
        "council + dates 2014-2020": Filters(
            council=(council,), date_from="2014-01-01", date_to="2020-12-31"
        ),
    }
    for name, given in chosen.items():
        if only and name not in only:
            continue
        passing = store.allowed(given).count if given is not None else report["passages"]
        spent: dict[str, list[float]] = {"old": [], "new": []}
        same = agreed = 0
        for loop in range(loops + 1):  # the first loop warms the pages and is not counted
            for question in asked:
                got = {}
                for side, lexical in (("old", old), ("new", new)):
                    t0 = time.perf_counter()
                    got[side] = lexical.search(Query(text=question), K, given)
                    if loop:
                        spent[side].append((time.perf_counter() - t0) * 1000)
                if loop == 1:
                    same += [i for i, _ in got["old"]] == [i for i, _ in got["new"]]
                    agreed += agree(got["old"], got["new"])
        old_ms, new_ms = percentiles(spent["old"]), percentiles(spent["new"])
        report["filters"][name] = {
            "passing": passing,
            "old_ms": old_ms,
            "new_ms": new_ms,
            "ratio_p50": round(new_ms["p50"] / old_ms["p50"], 3),
            "ratio_p95": round(new_ms["p95"] / old_ms["p95"], 3),
            "same_ranking": same,
            "same_but_ties_cut": agreed,
        }
        print(name, json.dumps(report["filters"][name]), file=sys.stderr, flush=True)
    return report


def main(argv: list[str] | None = None) -> int:
    """Build and search; prints and writes the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="an index to take texts from")
    parser.add_argument("--passages", type=int, default=1_000_000)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2, help="the multi-threaded writer's")
    parser.add_argument("--loops", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("/tmp/scale-lexical"))
    parser.add_argument("--keep", action="store_true", help="keep the indexes built")
    parser.add_argument("--dates", action="store_true", help="date ranges inside tantivy")
    parser.add_argument("--only", default="", help="with --dates: only these filters (a,b)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.dates:
        only = [name.strip() for name in args.only.split(",") if name.strip()]
        found = dates(args.index, args.out, args.loops, args.threads, only)
        text = json.dumps(found, indent=1)
        name = "dates.json" if not only else "dates-some.json"
        (args.out / name).write_text(text, encoding="utf-8")
        print(text)
        return 0
    report = run(args.index, args.passages, args.shards, args.threads, args.out, args.loops)
    text = json.dumps(report, indent=1)
    (args.out / f"lexical-{args.passages}.json").write_text(text, encoding="utf-8")
    print(text)
    if not args.keep:
        for folder in ["one", *(f"shard{s}" for s in range(args.shards))]:
            shutil.rmtree(args.out / folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
