"""bench/rank1_reader.py: the top candidates' sentences labelled for a reader, and its
score as a signal re-ordering them."""

from __future__ import annotations

import numpy as np

from bench.rank1_capture import Cand, Row
from bench.rank1_reader import TOPK, fit_weight, pair_auc, rank_with, read_candidates, signal
from qa_service.rerank import Features


def _cand(source: str, ordinal: int, score: float, hit: bool, text: str = "A. B.") -> Cand:
    features = Features(fused=0.0, passage=score, sentence=0.0)
    spans = [(0, 2, 0.2), (3, 5, 0.6)] if text == "A. B." else [(0, len(text), 0.5)]
    return Cand(0, source, text, "", features, score, hit, 1, 1, 1, False, None, ordinal, "", spans)


def _row(*cands: Cand, gold: list[tuple[str, str]] | None = None) -> Row:
    return Row(
        "q1",
        "ask_heldout_real9",
        "real-dev-set",
        "Q?",
        "factoid",
        ("Anytown",),
        gold or [],
        list(cands),
    )


def test_the_top_candidates_sentences_are_read_and_the_gold_one_is_positive() -> None:
    row = _row(
        _cand("a.txt", 0, 1.0, False),
        _cand("a.txt", 1, 0.9, True, "The hall grant was refused."),
        _cand("b.txt", 0, 0.5, False),
        _cand("c.txt", 0, 0.1, False),
        gold=[("a.txt", "grant was refused")],
    )
    read = read_candidates(row)
    assert [i for i, _, _ in read] == [0, 1, 2]  # the top three, best first
    assert read[0][1] == ["A.", "B."] and read[0][2] == [False, False]
    assert read[1] == (1, ["The hall grant was refused."], [True])


def test_the_signal_is_the_best_score_or_the_closest_sentence_s() -> None:
    row = _row(_cand("a.txt", 0, 1.0, False))
    scores = np.array([0.9, 0.1])
    assert signal(row, scores, 0, "max") == 0.9
    assert signal(row, scores, 0, "closest") == 0.1  # the second sentence is the closer
    assert signal(row, np.zeros(0), 0, "max") == 0.0


def test_the_reader_reorders_the_top_candidates_only() -> None:
    row = _row(
        _cand("a.txt", 0, 1.0, False),
        _cand("a.txt", 1, 0.9, True),
        _cand("b.txt", 0, 0.8, False),
        _cand("c.txt", 0, 0.7, False),
    )
    assert TOPK == 3
    assert rank_with(row, {0: 0.0, 1: 0.5}, 0.0) == 2
    assert rank_with(row, {0: 0.0, 1: 0.5}, 1.0) == 1
    # a candidate below the top three is never lifted
    far = _row(
        _cand("a.txt", 0, 1.0, False),
        _cand("b.txt", 0, 0.9, False),
        _cand("c.txt", 0, 0.8, False),
        _cand("d.txt", 0, 0.7, True),
    )
    assert rank_with(far, {3: 1.0}, 2.0) == 4


def test_a_tie_keeps_no_weight() -> None:
    rows = [_row(_cand("a.txt", 0, 1.0, True)), _row(_cand("a.txt", 0, 1.0, True))]
    rows[1].group = ("Elsewhere",)
    ranks: dict[float, list[int | None]] = {
        w: [1, 1] for w in (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0)
    }
    chosen, oof, picks = fit_weight(rows, ranks)
    assert chosen == 0.0 and oof == [1, 1] and picks == {0.0: 2}


def test_the_pair_auc_counts_ties_half() -> None:
    assert pair_auc([True, False, False], [0.9, 0.1, 0.9]) == 0.75
    assert pair_auc([True, False], [0.9, 0.1]) == 1.0
