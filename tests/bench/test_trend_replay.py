"""The replayed engine of bench/trend_replay: answers asked once, then read from the cache."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from bench.trend_replay import Replayed


class Engine:
    """An engine counting the questions it is asked."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, Any]] = []
        self.settings = SimpleNamespace(answer_threshold=0.5)

    def ask(self, question: str, top_k: int = 5, filters: Any = None) -> str:
        self.calls.append((question, top_k, filters))
        return f"{question}/{top_k}/{filters}"


def test_an_answer_is_asked_once_then_replayed_and_the_rest_is_the_engine_s() -> None:
    engine = Engine()
    replayed = Replayed(engine, {})
    first = replayed.ask("children in care", 30, ("Eastwold",), query=object())
    again = replayed.ask(" children in care ", 30, ("Eastwold",))
    assert first == again and len(engine.calls) == 1 and replayed.asked == 1
    assert replayed.ask("children in care", 5, ("Eastwold",)) != first  # another depth
    assert replayed.understand("children in care") == (None, None)
    assert replayed.settings.answer_threshold == 0.5
    kept = Replayed(Engine(), replayed.answers)
    assert kept.ask("children in care", 30, ("Eastwold",)) == first and kept.asked == 0
