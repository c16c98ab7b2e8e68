"""Reading "how much" as money or as a count (qa_service/amount_ask.py)."""

from __future__ import annotations

import pytest

from qa_service.amount_ask import asks_count_change, asks_money


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
