"""bench/highlight_misses.py: the kept rank-1 hits chosen again and scored."""

import numpy as np

from bench.highlight_misses import Kept, replay
from evaluation.questions import GoldEntry


def _kept(question: str, shown: str, evidence: str) -> Kept:
    text = "Garden waste was discussed. 38,950 households had subscribed. The charge is £40."
    spans = [(0, 27), (28, 61), (62, len(text))]
    return Kept(
        "batch",
        "q1",
        question,
        text,
        spans,
        np.array([0.7, 0.6, 0.65]),
        [GoldEntry(file="a.pdf", evidence=evidence)],
        shown,
    )


def test_replay_counts_the_answers_now_and_as_captured_and_lists_the_moved() -> None:
    kept = _kept(
        "How many households subscribed?",
        "The charge is £40.",
        "38,950 households had subscribed.",
    )
    out = replay([kept])
    assert "| batch | 1 | 1 | 0 |" in out
    assert "ok  batch q1  (was miss)" in out
    assert "HG [1]" in out


def test_replay_lists_a_miss_with_the_gold_sentence() -> None:
    kept = _kept("How many households subscribed?", "x", "The charge is £40.")
    out = replay([kept])
    assert "| batch | 1 | 0 | 0 |" in out
    assert "MISS batch q1" in out
    assert " G [2]" in out
