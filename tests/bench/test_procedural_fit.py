"""bench/procedural_fit.py: a question about the meeting itself re-scored from a capture."""

from __future__ import annotations

from dataclasses import replace

from bench.procedural_fit import features_of, rank
from bench.rank1_capture import Cand, Row
from qa_service.rerank import Features, Weights


def _cand(heading: str, ordinal: int, score: float, hit: bool) -> Cand:
    features = Features(fused=0.0, passage=score, sentence=0.0)
    text = f"{ordinal}.\n\n{heading}\n\nMinutes:\n\nThe item's words."
    return Cand(
        0, "minutes.txt", text, heading, features, score, hit, 1, 1, 1, False, None, ordinal
    )


def _row(question: str) -> Row:
    cands = [_cand("5. Official Announcements", 6, 1.0, False), _cand("2. Apologies", 3, 0.6, True)]
    return Row("q1", "batch", "set", question, "factoid", ("Anytown",), [], cands)


def test_the_asked_items_passage_is_marked_and_moves_up_with_the_weight() -> None:
    row = _row("Who sent apologies to the meeting where the novelist was congratulated?")
    features = features_of(row)
    assert [f.procedural for f in features] == [0.0, 1.0]
    assert rank(row, features, replace(Weights(), procedural=0.0)) == 2
    assert rank(row, features, replace(Weights(), procedural=0.75)) == 1


def test_a_question_about_the_business_keeps_its_captured_features() -> None:
    row = _row("What did the Lord Mayor announce?")
    assert features_of(row) == [c.features for c in row.cands]
