"""How many lists a filtered search of the on-disk dense index must probe (issue 18, stop 34).

A filter passing more than ``EXACT_FILTERED`` passages is searched through the inverted
lists with the filter's bitmap as FAISS's selector; the fewer passages it lets through, the
more lists are probed: ``dense_ondisk.filtered_probes``, the probes asked for over
``share ** FILTER_PROBE_POWER``.  For each filter and each power this measures, over the
first ``--questions`` questions of the three dev sets (encoded as the engine encodes them),
the search through the lists as ``OnDiskDenseIndex.search`` makes it (``search_lists``:
its quantizer's parameters, its candidates re-scored from the float16 vectors, the delta
searched beside) against exact search among the passing passages (``_search_subset`` over
all of them): recall@10, and the
search's p50 / p95 in ms on the engine's FAISS threads.

    python -m bench.filtered_probes --index /tmp/p34/t/10000000 --questions 60 \\
        --powers 0.25,0.5,1 --out /tmp/probes.json

The filters are date ranges and a document type on ``bench.scale_text``'s synthetic 10M
corpus (its dates run from 2012 to 2069, most years ~20k documents); ``--filter
NAME=FROM:TO`` adds a date range.  Exact search among 1.8M passages takes ~4 s a question.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from index.filters import Filters  # noqa: E402

FILTERS = {
    "2016-18": Filters(date_from="2016-01-01", date_to="2018-12-31"),
    "2017": Filters(date_from="2017-01-01", date_to="2017-12-31"),
    "2030-31": Filters(date_from="2030-01-01", date_to="2031-12-31"),
    "2030-39": Filters(date_from="2030-01-01", date_to="2039-12-31"),
    "report": Filters(doc_type=("report",)),
}


def recall_at(found: Sequence[int], truth: Sequence[int], k: int = 10) -> float:
    """Share of the exact top ``k`` (``truth``, fewer if fewer pass) in ``found``'s top k."""
    wanted = list(truth)[:k]
    if not wanted:
        return 1.0
    return len(set(list(found)[:k]) & set(wanted)) / len(wanted)


def measure(
    index: Path, questions: int, powers: Sequence[float], filters: dict[str, Filters]
) -> dict[str, Any]:
    """See the module notes."""
    import faiss

    from bench import query_bench as qb
    from bench.scale_text import _questions
    from index.base import Query
    from index.dense_ondisk import OnDiskDenseIndex, filtered_probes
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    settings = qb._settings(index, "tantivy")
    engine = Engine(index, make_query_embedder(settings), settings)
    try:
        dense = engine.dense
        if not isinstance(dense, OnDiskDenseIndex):
            raise SystemExit(f"{index}: the dense index is {dense.kind}, not on disk")
        n = max(settings.candidates, 15)  # the engine's candidates for top_k 5
        vectors = engine.embedder.encode(_questions()[:questions])
        nlist = faiss.extract_index_ivf(dense.index).nlist
        report: dict[str, Any] = {
            "index": str(index),
            "questions": len(vectors),
            "candidates": n,
            "refine_factor": dense.refine_factor,
            "nprobe": dense.nprobe,
            "nlist": nlist,
            "faiss_threads": faiss.omp_get_max_threads(),
            "delta": int(dense.delta.ntotal),
            "filters": {},
        }
        for name, given in filters.items():
            allowed = engine.store.allowed(given)
            if not allowed.count:
                continue
            share = allowed.count / dense.count()
            ids = allowed.ids()
            t0 = time.perf_counter()
            truth = [
                [i for i, _ in dense._search_subset(Query("", v), 10, ids, allowed.bitmap)]
                for v in vectors
            ]
            row: dict[str, Any] = {
                "passing": allowed.count,
                "share": round(share, 4),
                "exact_ms": round((time.perf_counter() - t0) * 1000 / len(vectors), 1),
            }
            for power in powers:
                nprobe = filtered_probes(nlist, dense.nprobe, share, power)
                recalls, spent = [], []
                for vector, exact in zip(vectors, truth, strict=True):
                    t1 = time.perf_counter()
                    found = [i for i, _ in dense.search_lists(vector, n, allowed.bitmap, nprobe)]
                    spent.append((time.perf_counter() - t1) * 1000)
                    recalls.append(recall_at(found, exact))
                row[f"power {power:g}"] = {
                    "nprobe": nprobe,
                    "recall@10": round(float(np.mean(recalls)), 4),
                    **qb.percentiles(spent),
                }
            report["filters"][name] = row
            print(name, json.dumps(row), file=sys.stderr, flush=True)
        return report
    finally:
        engine.close()


def main(argv: list[str] | None = None) -> int:
    """Run and print (and with ``--out`` write) the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--powers", default="0.25,0.5,1")
    parser.add_argument("--filter", action="append", default=[], help="NAME=FROM:TO")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    filters = dict(FILTERS)
    for spec in args.filter:
        name, _, span = spec.partition("=")
        start, _, end = span.partition(":")
        filters[name] = Filters(date_from=start or None, date_to=end or None)
    powers = [float(p) for p in args.powers.split(",") if p.strip()]
    report = measure(args.index, args.questions, powers, filters)
    text = json.dumps(report, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
