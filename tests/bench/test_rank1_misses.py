"""bench/rank1_misses.py: which stage put the wrong passage first, and the signals it won on."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from bench.rank1_capture import Cand, Row
from bench.rank1_misses import losses, main, stage
from qa_service.rerank import Features, Weights


def _cand(
    source: str,
    score: float,
    hit: bool,
    dense: int | None,
    lexical: int | None,
    fused: int,
    **signals: float,
) -> Cand:
    features = Features(fused=0.0, passage=score, sentence=0.0, **signals)
    return Cand(
        1, source, "the text", "", features, score, hit, dense, lexical, fused, False, None, 0
    )


def test_a_passage_fused_above_the_gold_one_is_the_first_pass_s_naming_each_list() -> None:
    top = _cand("a.txt", 1.0, False, dense=1, lexical=None, fused=1)
    gold = _cand("b.txt", 0.9, True, dense=2, lexical=1, fused=2)
    assert stage(top, gold) == "first pass (dense), kept by the second stage"
    both = _cand("a.txt", 1.0, False, dense=1, lexical=1, fused=1)
    absent = _cand("b.txt", 0.9, True, dense=None, lexical=None, fused=2)
    assert stage(both, absent) == "first pass (dense+lexical), kept by the second stage"


def test_a_gold_passage_first_after_fusion_was_passed_by_the_second_stage() -> None:
    top = _cand("a.txt", 1.0, False, dense=3, lexical=3, fused=2)
    gold = _cand("b.txt", 0.9, True, dense=1, lexical=1, fused=1)
    assert stage(top, gold) == "second stage (gold first after fusion)"


def test_losses_lists_the_weighted_signals_the_gold_passage_trails_on_largest_first() -> None:
    weights = Weights(passage=1.0, coverage=2.0, year=0.5)
    top = _cand("a.txt", 0.9, False, 1, 1, 1, coverage=0.5, year=1.0)
    gold = _cand("b.txt", 0.8, True, 2, 2, 2, coverage=0.1, year=1.0)
    # coverage 2.0 x 0.4 = 0.80, passage 1.0 x 0.1 = 0.10; year is level, so not listed
    assert losses(top, gold, weights) == "coverage +0.80, passage +0.10"
    assert losses(gold, top, weights) == ""


def test_main_prints_only_the_misses_ranked_two_to_five(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    top = _cand("a.txt", 1.0, False, 1, 1, 1)
    gold = _cand("b.txt", 0.5, True, 2, 2, 2)
    rows = [
        Row("q1", "real1", "real-dev-set", "How many?", "factoid", (), [], [top, gold], 2),
        Row("q2", "real1", "real-dev-set", "Who?", "factoid", (), [], [gold, top], 1),
        Row("q3", "real1", "real-dev-set", "When?", "factoid", (), [], [top, gold], None),
    ]
    capture = tmp_path / "capture.pkl"
    capture.write_bytes(pickle.dumps(rows))
    assert main([str(capture)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("q1 [real1] rank 2; other paper; gap 0.50; first pass (dense+lexical)")
    assert "q2" not in out and "q3" not in out
