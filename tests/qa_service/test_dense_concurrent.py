"""``dense_concurrent``: the dense search runs on the encoding thread beside the keyword
search, and every answer is the same as with it off (docs/performance.md, stop 32)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from index.embedder import HashingEmbedder
from index.filters import Filters
from qa_service.config import Settings
from qa_service.presenters import ask_response
from qa_service.retriever import Engine

QUESTIONS = (
    "looked after children placements",
    "what did the cabinet decide about the budget?",
    "fostering allowances in 2019",
    "special educational needs transport",
)


def _engine(index: Path, on: bool) -> Engine:
    return Engine(index, HashingEmbedder(), Settings(index=index, dense_concurrent=on))


def _threads(engine: Engine) -> list[str]:
    """Record the thread each dense search runs on."""
    seen: list[str] = []
    search = engine.dense.search

    def recorded(*args: Any, **kwargs: Any) -> Any:
        seen.append(threading.current_thread().name)
        return search(*args, **kwargs)

    engine.dense.search = recorded  # type: ignore[method-assign]
    return seen


@pytest.mark.parametrize("on", [True, False])
def test_the_dense_search_runs_beside_the_keyword_search_only_when_asked(
    small_index: Path, on: bool
) -> None:
    engine = _engine(small_index, on)
    try:
        seen = _threads(engine)
        assert engine.ask(QUESTIONS[0]).hits
        assert seen
        assert all(name.startswith("cqa-encode") == on for name in seen)
    finally:
        engine.close()


def test_the_answers_are_the_same_with_the_dense_search_beside(small_index: Path) -> None:
    engines = {on: _engine(small_index, on) for on in (True, False)}
    try:
        for question in QUESTIONS:
            for filters in (None, Filters(date_from="2019-01-01")):
                bodies = {
                    on: ask_response(e.ask(question, 5, filters)).model_dump_json()
                    for on, e in engines.items()
                }
                assert bodies[True] == bodies[False]
    finally:
        for engine in engines.values():
            engine.close()


def test_concurrent_asks_with_the_dense_search_beside_do_not_wait_on_each_other(
    small_index: Path,
) -> None:
    """More asks at once than encoding workers: each dense task is queued after the
    encoding it waits for, so none waits forever."""
    engine = _engine(small_index, True)
    expected = {q: ask_response(engine.ask(q)).model_dump_json() for q in QUESTIONS}
    got: dict[int, str] = {}

    def asked(i: int) -> None:
        got[i] = ask_response(engine.ask(QUESTIONS[i % len(QUESTIONS)])).model_dump_json()

    try:
        threads = [threading.Thread(target=asked, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads)
        assert all(got[i] == expected[QUESTIONS[i % len(QUESTIONS)]] for i in range(12))
    finally:
        engine.close()
