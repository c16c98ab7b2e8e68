"""The head of the measure a question asks for, and what a number question counts."""

from __future__ import annotations

import pytest

from qa_service.trend_head import counted_head, measure_head


@pytest.mark.parametrize(
    ("question", "head", "counted"),
    [
        ("number of posts to be cut in the budget", "number", "posts"),
        ("How many posts were cut in the budget?", "number", "posts"),
        ("number of licensed taxi and private hire vehicles", "number", "vehicles"),
        ("number of initial child protection conferences held", "number", "conferences"),
        ("number of children subject to a child protection plan", "number", "children"),
        ("number of council homes the council owns", "number", "homes"),
        ("additional investment in children's social care", "investment", ""),
        ("What was the overspend on home to school transport", "overspend", ""),
        ("comments received on the Local Plan consultation", "comments", ""),
        ("annual tree planting target", "target", ""),
    ],
)
def test_the_head_of_the_measure_and_what_it_counts(question: str, head: str, counted: str) -> None:
    assert measure_head(question) == head
    assert counted_head(question) == counted


@pytest.mark.parametrize(
    ("question", "head"),
    [
        ("employers participating in the pension fund", "employers"),
        ("shops caught selling vapes to under-18s in test purchases", "shops"),
        ("fully electric vehicles in the council's fleet", "vehicles"),
        ("general fund balance", ""),
    ],
)
def test_the_plural_a_question_asking_no_unit_counts(question: str, head: str) -> None:
    from qa_service.trend_head import plural_head

    assert plural_head(question) == head
