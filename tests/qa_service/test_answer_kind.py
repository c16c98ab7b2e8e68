"""What a question asks for, and which sentences hold that kind of answer."""

from __future__ import annotations

import pytest

from qa_service.answer_kind import Kind, asked_kinds, holds, is_heading, restates


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many people were waiting for an assessment?", Kind.NUMBER),
        ("what percentage of plans were issued in 20 weeks", Kind.NUMBER),
        ("How much was budgeted for the new framework?", Kind.NUMBER),
        ("When did the council declare a climate emergency?", Kind.DATE),
        ("Who called in the decision?", Kind.PERSON),
        ("which committee approved the plan", Kind.PERSON),
        ("what grade did the regulator give the service", Kind.GRADE),
        ("How was the service rated by inspectors?", Kind.GRADE),
        ("what did cabinet decide about the depot", Kind.DECISION),
    ],
)
def test_asked_kinds(question: str, kind: Kind) -> None:
    assert kind in asked_kinds(question)


def test_a_topic_asks_for_no_kind() -> None:
    assert asked_kinds("recruitment freeze to control an overspend") == ()


@pytest.mark.parametrize(
    ("sentence", "kind", "expected"),
    [
        ("The Director said that 412 people were waiting.", Kind.NUMBER, True),
        ("Spending rose by 4.2% to £3.1 million.", Kind.NUMBER, True),
        ("Members asked about the waiting list.", Kind.NUMBER, False),
        ("The motion was carried on 17 July 2019.", Kind.DATE, True),
        ("Councillor Ann Lee called the decision in.", Kind.PERSON, True),
        ("The service was judged to require improvement.", Kind.GRADE, True),
        ("RESOLVED - That the plan be approved.", Kind.DECISION, True),
        ("The report set out the options.", Kind.DECISION, False),
    ],
)
def test_holds(sentence: str, kind: Kind, expected: bool) -> None:
    assert holds(sentence, kind) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("HOUSING DELIVERY TEST 2019 RESULT AND ACTION PLAN", True),
        ("Exceptional Financial Support", True),
        ("The Board received the progress report on the plan.", False),
        ("Agreed.", False),
        ("Table 1: Supervision compliance by team, April to June 2020", True),
        ("Team | Children allocated | Held within 28 days | Comment", True),
        ("Safeguarding South | 212 | 148 | 70%", False),
    ],
)
def test_is_heading(sentence: str, expected: bool) -> None:
    assert is_heading(sentence) is expected


def test_restates_a_reported_question_or_the_questions_own_words() -> None:
    words = {"how", "many", "people", "waiting", "assessment"}
    assert restates("Members asked how many people were waiting.", words)
    assert restates("People waiting for assessment", words)
    assert not restates("The Director said that 412 residents had been placed.", words)
