"""Whether the lexical search runs beside other work on a second core (issue 18).

tantivy-py releases the GIL while it searches (``Searcher.search`` runs under pyo3's
``detach``), so two searches on two threads could take the time of one, and the ask's
dense search could run while the lexical one does, where today it waits for it
(``Engine._retrieve``: the question is encoded on a pool thread while the lexical search
runs, then the dense search follows).  For the dev sets' questions asked once through
``Engine.ask`` on ``--index`` (recording each lexical and dense search, and the question
as read), each measured ``--loops`` times, the ways interleaved in a shuffled order:

- ``pairs``: two consecutive lexical searches one after the other, against the two on two
  threads at once (wall time of the pair; ratio < 1: they overlapped);
- ``ask``: as served (encode on a thread | lexical search; then the dense search), against
  the dense search moved onto the encoding thread (encode, then dense | lexical search);
  wall time from the start to both result lists.

    python bench/lexical_threads.py --index /tmp/p18/t/1000000 [--loops 3] [--out FILE]

The index is only read; time comparisons hold within a run only (a shared machine).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import query_bench as qb  # noqa: E402
from bench.lexical_profile import SETS, _stats  # noqa: E402
from bench.query_bench import write_report  # noqa: E402


def _record(index: Path, sets: tuple[str, ...]) -> tuple[Any, list[dict[str, Any]]]:
    """The engine, and for each question its reading and its lexical and dense searches."""
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    engine = Engine(
        index, make_query_embedder(qb._settings(index, "tantivy")), qb._settings(index, "tantivy")
    )
    asked: list[dict[str, Any]] = []
    lexical_search, dense_search, read = (
        engine.lexical.search,
        engine.dense.search,
        engine.reader.read,
    )
    current: dict[str, Any] = {}

    def lexical(query: Any, k: int, filters: Any = None) -> Any:
        current.setdefault("lexical", (query, k, filters))
        return lexical_search(query, k, filters)

    def dense(query: Any, k: int, filters: Any = None) -> Any:
        current.setdefault("dense", (query, k, filters))
        return dense_search(query, k, filters)

    def reading(question: str) -> Any:
        current.setdefault("understood", read(question))
        return current["understood"]

    engine.lexical.search = lexical  # type: ignore[method-assign]
    engine.dense.search = dense  # type: ignore[method-assign]
    engine.reader.read = reading  # type: ignore[method-assign]
    for name in sets:
        for question in qb.questions(REPO.parent / "shared" / name / "questions.jsonl"):
            current.clear()
            engine.ask(question)
            if {"lexical", "dense", "understood"} <= current.keys():
                asked.append(dict(current))
    engine.lexical.search = lexical_search  # type: ignore[method-assign]
    engine.dense.search = dense_search  # type: ignore[method-assign]
    engine.reader.read = read  # type: ignore[method-assign]
    return engine, asked


def measure(index: Path, loops: int, sets: tuple[str, ...], seed: int = 0) -> dict[str, Any]:
    """The pairs and the ask's two searches, each way, interleaved (see the module notes)."""
    engine, asked = _record(index, sets)
    lexical, dense = engine.lexical, engine.dense
    pool = ThreadPoolExecutor(max_workers=1)
    rng = random.Random(seed)
    pairs = list(range(0, len(asked) - 1, 2))
    ways: dict[str, list[list[float]]] = {
        w: [[] for _ in asked]
        for w in ("pair_sequential", "pair_threads", "ask_served", "ask_overlapped")
    }

    def search(i: int) -> Any:
        query, k, filters = asked[i]["lexical"]
        return lexical.search(query, k, filters)

    def dense_search(i: int) -> Any:
        query, k, filters = asked[i]["dense"]
        return dense.search(query, k, filters)

    def encode(i: int) -> Any:
        return engine._encode(asked[i]["understood"])

    def encode_then_dense(i: int) -> Any:
        encode(i)
        return dense_search(i)

    def run(way: str, i: int) -> float:
        t0 = time.perf_counter()
        if way == "pair_sequential":
            search(i), search(i + 1)
        elif way == "pair_threads":
            other = pool.submit(search, i + 1)
            search(i)
            other.result()
        elif way == "ask_served":
            pending = pool.submit(encode, i)
            search(i)
            pending.result()
            dense_search(i)
        else:
            both = pool.submit(encode_then_dense, i)
            search(i)
            both.result()
        return (time.perf_counter() - t0) * 1000

    try:
        for _ in range(loops):
            for i in range(len(asked)):
                order = ["ask_served", "ask_overlapped"]
                if i in pairs:
                    order += ["pair_sequential", "pair_threads"]
                rng.shuffle(order)
                for way in order:
                    ways[way][i].append(run(way, i))
    finally:
        pool.shutdown()
        engine.close()
    medians = {w: [float(np.median(t)) for t in per if t] for w, per in ways.items()}
    report: dict[str, Any] = {"index": str(index), "questions": len(asked), "loops": loops}
    for w, values in medians.items():
        report[w] = _stats(values)
    for a, b in (("pair_threads", "pair_sequential"), ("ask_overlapped", "ask_served")):
        report[f"ratio_{a}_p50_p95"] = [
            round(report[a]["p50"] / max(report[b]["p50"], 1e-9), 3),
            round(report[a]["p95"] / max(report[b]["p95"], 1e-9), 3),
        ]
        report[f"ratio_{a}_median_each"] = round(
            float(np.median(np.asarray(medians[a]) / np.asarray(medians[b]))), 3
        )
    return report


def main(argv: list[str] | None = None) -> int:
    """Record the searches, measure, print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--loops", type=int, default=3)
    parser.add_argument("--sets", default=",".join(SETS), help="the dev sets asked")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "lexical_threads.json")
    args = parser.parse_args(argv)
    sets = tuple(s for s in args.sets.split(",") if s)
    write_report(measure(args.index, args.loops, sets), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
