"""bench/answer_sentence.py: the rank-1 hits' misses by cause, the rank-1 misses by where
the gold passage is, and a reading's weight fitted leaving one council out."""

from __future__ import annotations

import numpy as np

from bench.answer_sentence import (
    Asked,
    Passage,
    fit_one,
    hits_of,
    misses,
    oracle_kinds,
    primary,
    within,
)
from evaluation.questions import GoldEntry

TEXT = (
    "Garden waste collections were discussed by the committee. "
    "The Clerk reported on the scheme. "
    "38,950 households had subscribed by March."
)


def _spans(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for part in text.split(". "):
        end = start + len(part) + (0 if part.endswith(".") else 1)
        out.append((start, end))
        start = end + 1
    return out


def _asked(question: str, evidence: str, scores: list[float], council: str = "A") -> Asked:
    passage = Passage("a.pdf", TEXT, _spans(TEXT), np.array(scores), ordinal=3)
    gold = [GoldEntry(file="a.pdf", evidence=evidence)]
    return Asked("ask_heldout_real1", "real-dev-set", "q1", question, gold, (council,), [passage])


def test_the_sentences_are_cut_as_the_service_cuts_them_here() -> None:
    sentences = Passage("a.pdf", TEXT, _spans(TEXT), np.zeros(3)).sentences()
    assert sentences[2] == "38,950 households had subscribed by March."


def test_a_question_asking_no_kind_shown_the_topic_is_its_own_cause() -> None:
    # asks for no kind of answer: the closest sentence (the topic) is shown (the next only
    # introduces the item), the figure two on is missed
    asked = _asked(
        "What happened to the garden waste scheme?",
        "38,950 households had subscribed by March.",
        [0.8, 0.5, 0.2],
    )
    (hit,) = hits_of([asked])
    assert not hit.ok()
    assert primary(hit, hit.shown()) == "no kind asked (as read): the topic shown"
    out = misses([asked])
    assert "| cause: no kind asked (as read): the topic shown | 0 | 1 |" in out
    assert "| gold +2 from the span | 0 | 1 |" in out
    assert "| span of 1 sentences | 0 | 1 |" in out


def test_a_figure_asked_and_held_by_the_gold_sentence_alone_is_shown() -> None:
    asked = _asked(
        "How many households subscribed to garden waste?",
        "38,950 households had subscribed by March.",
        [0.8, 0.5, 0.6],
    )
    (hit,) = hits_of([asked])
    assert hit.ok()  # the kind bonus lifts the figure over the closer topic
    assert hit.shown() == [2]
    assert "| rank-1 hits | 0 | 1 |" in misses([asked])
    assert "misses |" not in misses([asked])


def test_a_rank1_miss_of_the_same_paper_is_told_from_another_paper() -> None:
    other = Passage("b.pdf", "Nothing here.", [(0, 13)], np.array([0.3]), ordinal=0)
    gold_next = Passage("a.pdf", "The answer is 42.", [(0, 17)], np.array([0.4]), ordinal=4)
    top = Passage("a.pdf", "The topic.", [(0, 10)], np.array([0.6]), ordinal=3)
    gold = [GoldEntry(file="a.pdf", evidence="The answer is 42.")]
    same = Asked("dev-set", "dev-set", "q1", "What is it?", gold, ("A",), [top, gold_next])
    apart = Asked(
        "ask_heldout_fict1",
        "dev-set",
        "q2",
        "What is it?",
        [GoldEntry(file="b.pdf", evidence="Nothing here.")],
        ("B",),
        [top, other],
    )
    out = within([same, apart])
    assert "| gold at 2-5, the same paper as rank 1 (the next passage) | 1 | 0 |" in out
    assert "| gold at 2-5, another paper | 0 | 1 |" in out


def test_a_reading_s_weight_is_chosen_on_the_other_councils() -> None:
    # the third sentence holds the figure asked, too far below the topic for the kind
    # bonus; a reading pointing to it moves the choice at 0.5 and 1: every fold (trained on
    # the other council's question) chooses the smaller
    asked = [
        _asked(
            "How many households subscribed to garden waste?",
            "38,950 households had subscribed by March.",
            [0.8, 0.5, 0.2],
            council=c,
        )
        for c in ("A", "B")
    ]
    hits = hits_of(asked)

    def last(h: object) -> np.ndarray:
        return np.array([0.0, 0.0, 1.0])

    weight, folds, parts = fit_one(hits, last, (0.0, 0.5, 1.0))
    assert weight == 0.5
    assert folds == [0.5, 0.5]
    assert parts["batches"] == (0, 2, 2)  # stored, in-sample, out of fold


def test_the_oracle_gives_a_question_asking_no_kind_the_kind_its_gold_sentence_holds() -> None:
    # read as asking no kind, the topic is shown; given the figure the gold sentence holds,
    # the kind bonus lifts it over the topic
    asked = _asked(
        "What happened to the garden waste scheme?",
        "38,950 households had subscribed by March.",
        [0.8, 0.5, 0.6],
    )
    rows = oracle_kinds(hits_of([asked]))
    assert "held by gold: batches 1 questions, right before 0, gained 1, lost 0" in rows
    assert "held by gold: sets 0 questions, right before 0, gained 0, lost 0" in rows
