"""bench/ask_profile.py's clock: each wrapped step adds its time to its stage."""

from __future__ import annotations

import threading

import pytest

from bench.ask_profile import Clock


def test_a_wrapped_call_adds_its_time_and_passes_through() -> None:
    clock = Clock()
    timed = clock.wrap("lexical", lambda x, k=1: x * k)
    assert timed(3, k=2) == 6
    assert timed(1) == 1
    assert set(clock.spent) == {"lexical"} and clock.spent["lexical"] >= 0.0


def test_a_failing_call_is_timed_and_raises() -> None:
    clock = Clock()

    def fail() -> None:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        clock.wrap("dense", fail)()
    assert "dense" in clock.spent


def test_calls_on_other_threads_add_to_the_same_clock() -> None:
    clock = Clock()
    timed = clock.wrap("encode", lambda: None)
    worker = threading.Thread(target=timed)
    worker.start()
    worker.join()
    timed()
    assert "encode" in clock.spent
