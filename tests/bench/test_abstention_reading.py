"""Readings of the shown answer against the question (bench/abstention_reading.py), on made-up
rows (no index, no model)."""

from __future__ import annotations

import numpy as np
import pytest

from bench.abstention_reading import (
    BATCHES,
    Papers,
    Row,
    Shown,
    asked_head,
    capped_out_of_fold,
    choose_cut,
    council_lacking,
    head_shown,
    held_row,
    kind_in_clause,
    names_shown,
    shown_text,
    widened,
    word_share,
)
from qa_service.abstention import Evidence

EVIDENCE = Evidence(0.6, 0.7, 0.0, 1.0, 0.0, 0.0, 1.3, 0.5, 0.0)


def shown(text: str, council: str = "Tintern Community Council") -> Shown:
    return Shown(text, "", council, [(0, len(text))], [(0, len(text))], [0.5], 0.4, 0.5)


def row(question: str, answer: str, answerable: bool = True, **kw: object) -> Row:
    weights = kw.pop("weights", {("trees",): 3.0, ("planted",): 2.0})
    return Row(
        "dev-set",
        question,
        answerable,
        kw.pop("councils", ("Tintern Community Council",)),  # type: ignore[arg-type]
        EVIDENCE,
        0.5,
        None,
        weights,  # type: ignore[arg-type]
        ("Tintern Community Council",),
        "dev-set",
        [shown(answer)],
        **kw,  # type: ignore[arg-type]
    )


def test_the_held_out_pair_is_never_read() -> None:
    names = {p.name for p in BATCHES}
    assert len(BATCHES) == 10 and all(p.is_file() for p in BATCHES)
    assert not names & {"ask_heldout_real7.jsonl", "ask_heldout_fict7.jsonl"}


@pytest.mark.parametrize(
    ("question", "head"),
    [
        ("How many trees has Kelsworth planted so far?", ["trees"]),
        ("What was the average weekly cost of a placement?", ["average", "weekly", "cost"]),
        ("How much profit did the village fete make in 2019?", ["profit"]),
        ("Who chaired the committee in 2016?", []),
    ],
)
def test_the_asked_head_is_the_thing_asked_for(question: str, head: list[str]) -> None:
    assert asked_head(question) == head


def test_the_shown_answer_is_the_top_hits_highlight() -> None:
    r = row("How many trees were planted?", "In 2023, 400 trees were planted. Other text.")
    r.hits[0].highlights = [(0, 32)]
    assert shown_text(r) == "In 2023, 400 trees were planted."


def test_head_and_words_shown() -> None:
    r = row("How many trees has the council planted?", "The council planted 400 oaks.")
    assert head_shown(r, "sentence") == 0.0  # "trees" is not shown
    # "council" is a word of the council asked about: trees and planted are counted
    assert word_share(r, "sentence") == pytest.approx(1 / 2)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("In 2023, 400 trees were planted.", 1.0),  # a figure beside the rare concept
        ("A figure of 400; the trees were planted.", 0.5),  # a figure, in another clause
        ("The trees were planted.", 0.0),  # no figure
    ],
)
def test_the_kind_asked_in_the_clause_naming_it(answer: str, expected: float) -> None:
    assert kind_in_clause(row("How many trees were planted?", answer)) == expected


def test_names_shown_leave_out_the_council_and_months() -> None:
    r = row("Was the Walmley play area in Tintern mended in March?", "Mere Green play area.")
    assert names_shown(r, "sentence") == 0.0  # Walmley only: Tintern and March left out


def test_council_lacking_reads_the_asked_councils_papers() -> None:
    papers = Papers({"dev-set": {"Tintern Community Council": ["Trees were planted."]}})
    weights = {("trees",): 3.0, ("orchard",): 1.0}
    assert council_lacking(row("q", "a", weights=weights), papers) == pytest.approx(0.25)


def test_a_withheld_row_is_an_unanswerable_copy_with_its_own_hits() -> None:
    r = row("How many trees?", "400 trees.", held_hits=[shown("Another passage.")])
    held = held_row(r)
    assert held is not None and not held.answerable and shown_text(held) == "Another passage."
    assert held_row(row("q", "a")) is None


def test_widened_evidence_appends_its_readings() -> None:
    wide = widened(EVIDENCE, [0.25, 1.0])
    assert np.allclose(wide.vector(), [*EVIDENCE.vector(), 0.25, 1.0])


def test_a_cap_cut_catches_more_than_it_refuses_or_is_none() -> None:
    rows = [row("q", "a", answerable=a) for a in (False, False, True, True, True)]
    states = ["answered"] * 5
    assert choose_cut(rows, [0.1, 0.2, 0.3, 0.9, 0.8], states, 1) == pytest.approx(0.2)
    assert choose_cut(rows, [0.9, 0.8, 0.1, 0.2, 0.3], states, 1) is None


def test_the_cap_is_chosen_without_the_councils_own_questions() -> None:
    rows = [
        row("q", "a", answerable=a, councils=(c,))
        for c, a in [("A", False), ("A", True), ("B", False), ("B", True), ("C", False)]
    ]
    values = [0.1, 0.9, 0.1, 0.9, 0.1]
    capped = capped_out_of_fold(rows, values, ["answered"] * 5, 1)
    assert capped == ["weak_match", "answered", "weak_match", "answered", "weak_match"]
