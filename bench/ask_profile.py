"""Where one ``/api/ask`` spends its time, stage by stage, on a large index (issue 18).

``bench.query_bench.core`` splits ``Engine.ask`` into five stages; this splits it into
every step ``Engine.ask`` and the route make, by wrapping them on one engine in process:
reading the question, the filters read from it, the lexical search, the wait for the
question's vector, the dense search, the fusion, the candidates' store reads, their
missing cosines, the sentence vectors (read and decoded) and their scores, the decision
set, the re-scoring, ``keep_best``, the abstention's evidence and verdict, and the
response's shaping and JSON (``presenters.ask_response``, pydantic's ``model_dump_json``).
Each question of the three dev sets is asked ``--loops`` times (after one warm-up pass);
per question the median of each stage is kept, then the p50/p95 over the questions, and
the mean split of the slowest 5% (the tail) beside the mean split of all.

    python bench/ask_profile.py --index /tmp/18t/10000000 [--loops 2] \\
        [--out bench/out/ask_profile.json]

The index is only read.
"""

from __future__ import annotations

import argparse
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

from bench import query_bench as qb  # noqa: E402

SETS = ("dev-set", "dev-set-2", "real-dev-set")
# Stages called by Engine.ask itself (their sum and "rest" make the whole); the others
# run inside one of these and are shown beside them.
TOP = (
    "read",
    "filters",
    "lexical",
    "vector_wait",
    "dense",
    "fusion",
    "passages",
    "similarity",
    "sentence_scores",
    "decisions",
    "score",
    "keep_best",
    "evidence",
    "abstention",
)
INNER = ("allowed", "sentence_vectors", "encode")
AFTER = ("response", "json")


# wall time per stage for the question being asked (the query bench's clock)
Clock = qb.StageClock


def _instrument(engine: Any, clock: Clock) -> None:
    """Wrap the engine's steps (instances and the retriever module's names)."""
    from concurrent.futures import Future

    from qa_service import retriever

    for name, stage in (
        ("filters_from_question", "filters"),
        ("reciprocal_rank_fusion", "fusion"),
        ("sentence_scores", "sentence_scores"),
        ("decision_passages", "decisions"),
        ("score_candidates", "score"),
        ("keep_best", "keep_best"),
        ("evidence_of", "evidence"),
    ):
        setattr(retriever, name, clock.wrap(stage, getattr(retriever, name)))
    pairs = (
        (engine.reader, "read", "read"),
        (engine.lexical, "search", "lexical"),
        (engine.dense, "search", "dense"),
        (engine.dense, "similarity", "similarity"),
        (engine.store, "passages", "passages"),
        (engine.store, "sentence_vectors", "sentence_vectors"),
        (engine.store, "allowed", "allowed"),
        (engine.embedder, "encode", "encode"),
        (engine.abstention_model, "state", "abstention"),
    )
    for owner, attr, stage in pairs:
        # object.__setattr__: the abstention model is a frozen dataclass
        object.__setattr__(owner, attr, clock.wrap(stage, getattr(owner, attr)))
    result = Future.result

    def waited(self: Any, timeout: float | None = None) -> Any:
        t0 = time.perf_counter()
        try:
            return result(self, timeout)
        finally:
            clock.add("vector_wait", time.perf_counter() - t0)

    Future.result = waited  # type: ignore[method-assign]


def timed_ask(engine: Any, clock: Clock, question: str) -> tuple[Any, dict[str, float]]:
    """One question through ``Engine.ask`` and the response the API makes of it, timed:
    the answer, and seconds by stage (the clock's, the ask's "rest" beside ``TOP``, the
    response's shaping and JSON, and the total)."""
    from qa_service.presenters import ask_response

    clock.spent = {}
    t0 = time.perf_counter()
    answer = engine.ask(question)
    asked_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    shaped = ask_response(answer)
    t2 = time.perf_counter()
    shaped.model_dump_json()
    t3 = time.perf_counter()
    spent = dict(clock.spent)
    spent["rest"] = asked_s - sum(spent.get(s, 0.0) for s in TOP)
    spent["response"] = t2 - t1
    spent["json"] = t3 - t2
    spent["total"] = t3 - t0
    return answer, spent


def profile(index: Path, loops: int) -> dict[str, Any]:
    """Per-question stage medians, their p50/p95, and the tail's split."""
    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    settings = qb._settings(index, "tantivy")
    engine = Engine(index, make_query_embedder(settings), settings)
    clock = Clock()
    _instrument(engine, clock)
    asked = [
        q for name in SETS for q in qb.questions(REPO.parent / "shared" / name / "questions.jsonl")
    ]
    stages = (*TOP, "rest", *INNER, *AFTER, "total")
    per: list[dict[str, list[float]]] = [{s: [] for s in stages} for _ in asked]
    try:
        for question in asked:  # warm-up pass
            engine.ask(question)
        for _ in range(loops):
            for i, question in enumerate(asked):
                _, spent = timed_ask(engine, clock, question)
                for stage in stages:
                    per[i][stage].append(spent.get(stage, 0.0) * 1000)
    finally:
        engine.close()
    median = {s: np.array([float(np.median(p[s])) for p in per]) for s in stages}
    total = median["total"]
    tail = np.argsort(-total)[: max(1, len(asked) // 20)]
    report: dict[str, Any] = {
        "index": str(index),
        "questions": len(asked),
        "loops": loops,
        "total_ms": qb.percentiles(total.tolist()),
        "stage_ms": {
            s: {
                **qb.percentiles(median[s].tolist()),
                "tail_mean": round(float(median[s][tail].mean()), 2),
            }
            for s in stages
        },
        "slowest": [
            {
                "question": asked[i],
                **{s: round(float(median[s][i]), 1) for s in stages if median[s][i] >= 1.0},
            }
            for i in tail
        ],
    }
    return report


def main(argv: list[str] | None = None) -> int:
    """Profile, print and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--loops", type=int, default=2)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "ask_profile.json")
    args = parser.parse_args(argv)
    report = profile(args.index, args.loops)
    qb.write_report(report, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
