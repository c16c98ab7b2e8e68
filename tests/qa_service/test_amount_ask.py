"""Reading "how much" as money or as a count (qa_service/amount_ask.py)."""

from __future__ import annotations

import pytest

from qa_service.amount_ask import asks_change, asks_count, asks_count_change, asks_money
from qa_service.answer_kind import MONEY_ASKED, asks_amount


@pytest.mark.parametrize(
    "question",
    [
        "How much have EHCP numbers gone up in Hillingdon over the last four years?",
        "By how much did the number of children in care fall?",
        "How much has the number of looked-after children risen since 2019?",
        "How much of a rise in the number of referrals has there been?",
        "How much have pupil numbers actually fallen?",
        "How much have referrals to social care risen?",
        "How much has the population grown?",
        "how much have the numbers of pupils in care gone up",
    ],
)
def test_how_much_measuring_a_count_is_not_money(question: str) -> None:
    assert asks_count_change(question)
    assert not asks_money(question)


@pytest.mark.parametrize(
    "question",
    [
        "How much are council rents going up in Lindenport in 2025/26?",  # money plural
        "How much have fees gone up?",
        "How much have subsidies dropped?",
        "How much have Lindenport's reserves fallen?",
        "How much did councils increase rents?",  # the verb's object is measured
        "How much has spending on agency workers increased?",  # head before its modifier
        "How much extra money do schools get for each kid in care?",
        "How much more will my council tax be in lindenport next year",
        "By how much did Lindenport raise council tax in 2023/24?",
        "How much did the council save by closing library branches?",
    ],
)
def test_how_much_asking_for_money_stays_money(question: str) -> None:
    assert not asks_count_change(question)
    assert asks_money(question)


@pytest.mark.parametrize(
    "question",
    ["How many pupils are there?", "When did the numbers of pupils go up?", ""],
)
def test_no_figure_of_money_asked(question: str) -> None:
    assert not asks_money(question)


@pytest.mark.parametrize("noun", sorted(MONEY_ASKED))
def test_a_money_measure_a_question_asks_for_is_money_not_a_count(noun: str) -> None:
    """One list: each noun a question asks for money with (``answer_kind.MONEY_ASKED``)
    is money as a subject too, in the plural as well ("How much have fees gone up?")."""
    plural = noun[:-1] + "ies" if noun.endswith("y") and noun != "pay" else noun + "s"
    for subject in (noun, plural):
        question = f"How much have {subject} gone up?"
        assert asks_amount(question)
        assert not asks_count_change(question)
        assert asks_money(question)


@pytest.mark.parametrize(
    ("question", "change"),
    [
        ("How much are council rents going up next year?", True),
        ("By how much did the council raise council tax in 2023/24?", True),
        ("how much more will my council tax be next year", True),
        ("how much did each council put council tax up by", True),
        ("what does the council pay for home care, per hour", False),
        ("How much will the premium raise in total?", False),
        ("What is the total cost of the 20mph programme?", False),
    ],
)
def test_asks_change(question: str, change: bool) -> None:
    assert asks_change(question) is change


@pytest.mark.parametrize(
    ("question", "count"),
    [
        (
            "How many people were waiting for the counselling service when it applied for a grant?",
            True,
        ),
        ("how many ev charge points has the council installed", True),
        # money asked for besides, or the count is of money
        ("How many homes is the council buying, and at what cost?", False),
        ("How many pounds did the scheme cost?", False),
        ("how much did the council spend on agency staff", False),
    ],
)
def test_how_many_asks_for_a_count_unless_money_is_asked_for_too(
    question: str, count: bool
) -> None:
    assert asks_count(question) is count
