"""The dense search beside the lexical one: the same answers as one after the other, on a
pool thread, and no deadlock with a one-worker pool."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from index.embedder import HashingEmbedder
from index.store import Filters
from qa_service.retriever import Engine

QUESTIONS = [
    "what did the committee agree about the inspection findings",
    "Ravensholt inspection outcome 2023",
    "school transport budget",
]


def _answers(engine: Engine) -> list[list[tuple[int, float]]]:
    return [
        [(h.passage.rowid, round(h.score, 6)) for h in engine.ask(q, 5).hits] for q in QUESTIONS
    ] + [
        [(h.passage.rowid, round(h.score, 6)) for h in engine.ask(q, 5, Filters()).hits]
        for q in QUESTIONS[:1]
    ]


def test_beside_gives_the_same_answers_as_one_after_the_other(small_index: Path) -> None:
    engine = Engine(small_index, HashingEmbedder())
    try:
        assert engine.dense_beside_lexical
        beside = _answers(engine)
        engine.dense_beside_lexical = False
        assert _answers(engine) == beside
    finally:
        engine.close()


def test_the_dense_search_runs_on_the_pool(small_index: Path) -> None:
    engine = Engine(small_index, HashingEmbedder())
    threads: list[str] = []
    search = engine.dense.search

    def recording(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return search(*args, **kwargs)

    engine.dense.search = recording  # type: ignore[method-assign]
    try:
        engine.ask(QUESTIONS[0])
        engine.dense_beside_lexical = False
        engine.ask(QUESTIONS[0])
    finally:
        engine.close()
    assert threads[0].startswith("cqa-encode")
    assert threads[1] == threading.current_thread().name


def test_one_worker_does_not_deadlock(small_index: Path) -> None:
    engine = Engine(small_index, HashingEmbedder())
    engine._encoder.shutdown()
    engine._encoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cqa-encode")
    try:
        beside = _answers(engine)
    finally:
        engine.close()
    serial = Engine(small_index, HashingEmbedder())
    serial.dense_beside_lexical = False
    try:
        assert _answers(serial) == beside
    finally:
        serial.close()
