"""The asked kind not shown, measured (bench/abstention_asked_kind.py), on made-up rows (no
index, no model)."""

from __future__ import annotations

from bench.abstention_asked_kind import (
    BATCHES,
    FORM,
    FORMS,
    Form,
    Held,
    asked_kinds,
    capped,
    kind_unshown,
    reading,
    tally,
    variants_table,
)
from bench.abstention_reading import Row
from qa_service import asked_kind_shown
from qa_service.answer_kind import Kind

QUESTIONS = [
    "Which councillor, as Leader, signed off the Allocations Policy?",
    "Who talks to runaway children once they are back home?",
    "When does the consultation on the charging options close?",
    "When did the council decide to adopt the policy?",
    "How many flats were in the tower blocks?",
    "What rating did the CQC give the service?",
]
SHOWN = [
    "That the Allocations Policy be approved.",
    "The charity allocates the same worker to each child.",
    "Members were directed to the options for the consultation.",
    "That the policy be adopted.",
    "The blocks are to be demolished.",
    "The Director presented the performance report.",
]


def test_the_batches_are_the_consumed_ones_and_leave_the_held_out_pair_out() -> None:
    names = {p.name for p in BATCHES}
    assert len(BATCHES) == 14 and all(p.is_file() for p in BATCHES)
    assert "ask_heldout_real9.jsonl" in names
    assert not names & {"ask_heldout_real8.jsonl", "ask_heldout_fict8.jsonl"}


def test_the_settled_form_is_the_service_check() -> None:
    """At 1 the bench's settled form fires exactly where the service's check does."""
    for question, shown in zip(QUESTIONS, SHOWN, strict=True):
        for passage in (shown, f"{shown} Councillor Ann Lee said 180 flats, rated good, in May."):
            bench = kind_unshown(question, shown, passage, FORM) == 1.0
            assert bench == (asked_kind_shown.kind_unshown(question, shown, passage) == 1.0)
        assert asked_kinds(question, FORM) == asked_kind_shown.asked_kinds(question)


def test_the_forms_differ_in_what_they_read() -> None:
    every = Form(plain_who=True)
    assert asked_kinds(QUESTIONS[1], every) == [Kind.PERSON]
    assert asked_kinds(QUESTIONS[1], FORM) == []
    always = Form(plain_who=True, meeting_date=False)
    assert asked_kinds(QUESTIONS[3], always) == [Kind.DATE]
    assert asked_kinds(QUESTIONS[3], FORM) == []
    assert FORM in FORMS and len(set(FORMS)) == len(FORMS)
    # the passage holding what the shown sentence lacks: 0.5, not 1
    assert kind_unshown(QUESTIONS[4], SHOWN[4], f"{SHOWN[4]} They held 180 flats.") == 0.5
    assert kind_unshown(QUESTIONS[4], SHOWN[4], SHOWN[4]) == 1.0


def _row(question: str, shown: str, answerable: bool, name: str = "dev-set") -> Row:
    hit = Held(shown, "", "C", [(0, len(shown))], [], [], 0.5, 0.5, core=[(0, len(shown))])
    return Row(name, question, answerable, ("C",), None, 0.5, None, {}, ("C",), name, [hit])


def test_a_cap_makes_an_answered_question_a_weak_match_where_the_reading_fires() -> None:
    rows = [
        _row(QUESTIONS[0], SHOWN[0], False),  # fires: caught
        _row(QUESTIONS[1], SHOWN[1], True),  # a bare "who": not read
        _row(QUESTIONS[4], SHOWN[4], False, "ask_heldout_real9"),  # fires: caught
        _row(QUESTIONS[4], "The blocks held 180 flats.", True, "ask_heldout_real9"),
    ]
    values = [reading(r.question, r.hits) for r in rows]
    assert values == [1.0, 0.0, 1.0, 0.0]
    assert reading(QUESTIONS[0], None) is None
    states = ["answered"] * 4
    after = capped(states, values, 1.0)
    assert after == ["weak_match", "answered", "weak_match", "answered"]
    assert tally(rows, after, [0, 1]) == (1, 1, 0, 1)
    table = variants_table(rows, [("main", states), ("cap", after)])
    assert "| cap | 1/1, 0/1 | 0/0, 0/0 | 0/0, 0/0 | 1/1, 0/1 | 0 | 0 |" in table
    assert "| main | 0/1, 0/1 | 0/0, 0/0 | 0/0, 0/0 | 0/1, 0/1 | 1 | 1 |" in table
