"""bench/rank1_within.py: a paper's passages compared, the misses sorted by what ranked
first, and a cue tried as a signal within the paper."""

from __future__ import annotations

from bench.rank1_capture import Cand, Row
from bench.rank1_within import best_sentence, compare, cues, first_hit, order, pairs, relative
from qa_service.rerank import Features


def _cand(
    source: str, ordinal: int, score: float, hit: bool, text: str = "text", sentence: float = 0.0
) -> Cand:
    features = Features(fused=0.0, passage=score, sentence=sentence)
    spans = [(0, len(text), sentence)] if text != "text" else []
    return Cand(0, source, text, "", features, score, hit, 1, 1, 1, False, None, ordinal, "", spans)


def _row(question: str, *cands: Cand) -> Row:
    return Row("q1", "batch", "set", question, "factoid", ("Anytown",), [], list(cands))


def test_the_best_sentence_is_the_closest_span() -> None:
    cand = _cand("a.txt", 0, 0.5, False, "Apologies were received. Nothing else.")
    cand.sentences = [(0, 24, 0.3), (25, 38, 0.6)]
    assert best_sentence(cand) == "Nothing else."
    assert best_sentence(_cand("a.txt", 0, 0.5, False)) == "text"


def test_a_miss_of_the_gold_paper_is_paired_with_what_ranked_first() -> None:
    row = _row(
        "Who sent apologies?",
        _cand("item.txt", 0, 1.0, False),
        _cand("item.txt", 3, 0.8, True),
        _cand("other.txt", 0, 0.7, False),
    )
    found = pairs([row], margin=0.5)
    assert [(g.ordinal, o.ordinal) for _, g, o in found["misses"]] == [(3, 0)]
    assert found["near hits"] == []
    assert first_hit(row, order(row)) == 2


def test_a_near_hit_is_paired_with_its_papers_next_passage_within_the_margin() -> None:
    near = _row("Why?", _cand("item.txt", 2, 1.0, True), _cand("item.txt", 0, 0.7, False))
    far = _row("Why?", _cand("item.txt", 2, 1.0, True), _cand("item.txt", 0, 0.2, False))
    assert len(pairs([near], margin=0.5)["near hits"]) == 1
    assert pairs([far], margin=0.5)["near hits"] == []


def test_cues_read_the_best_sentence_against_the_question() -> None:
    row = _row("Who sent apologies to the meeting?")
    said = _cand("a.txt", 0, 0.4, True, "Apologies were sent by Councillor Smith 2018.", 0.7)
    read = cues(row, said)
    assert round(read["held"], 6) == round(2 / 3, 6)  # "sent", "apologies" of three
    assert read["figure"] == 1.0
    assert round(read["lead"], 6) == 0.3
    first = _cand("a.txt", 0, 0.6, False, "The meeting opened.", 0.5)
    signs = compare(row, said, first)
    assert signs["sentence"] == 1 and signs["passage"] == -1 and signs["earlier"] == 0


def test_relative_is_measured_from_the_best_of_each_paper() -> None:
    row = _row(
        "Why?", _cand("a.txt", 0, 1, False), _cand("a.txt", 1, 1, True), _cand("b", 0, 1, False)
    )
    assert relative(row, [0.2, 0.5, 0.1]) == [-0.3, 0.0, 0.0]
