"""bench/rank1_fit.py: the opening read from a capture, and its weight's effect on ranks."""

from __future__ import annotations

from bench.rank1_capture import Cand, Row
from bench.rank1_fit import opening_of, rank
from qa_service.rerank import Features, Weights


def _cand(source: str, ordinal: int, score: float, hit: bool, title_block: float = 0.0) -> Cand:
    features = Features(fused=0.0, passage=score, sentence=0.0, title_block=title_block)
    return Cand(0, source, "text", "", features, score, hit, 1, 1, 1, False, None, ordinal)


def _row(*cands: Cand) -> Row:
    return Row("q1", "batch", "set", "Why?", "factoid", ("Anytown",), [], list(cands))


def test_the_opening_is_read_from_the_candidates_of_its_paper() -> None:
    row = _row(
        _cand("item.txt", 0, 1.0, False),
        _cand("item.txt", 1, 0.8, True),
        _cand("alone.txt", 0, 0.5, False),
        _cand("cover.txt", 0, 0.4, False, title_block=1.0),
        _cand("cover.txt", 3, 0.3, False),
    )
    assert opening_of(row) == [1.0, 0.0, 0.0, 0.0, 0.0]


def test_the_weight_moves_the_continuation_above_its_opening() -> None:
    row = _row(_cand("item.txt", 0, 1.0, False), _cand("item.txt", 1, 0.8, True))
    opening = opening_of(row)
    assert rank(row, opening, 0.0, Weights()) == 2
    assert rank(row, opening, -0.5, Weights()) == 1
