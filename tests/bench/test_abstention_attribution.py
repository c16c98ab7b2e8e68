"""The attribution readings of bench/abstention_attribution.py (measured, not kept): each
fires on the near miss it reads and not on an answer."""

from __future__ import annotations

from bench.abstention_attribution import (
    asks_outcome,
    named_things,
    other_named,
    plan_for_outcome,
    plan_form,
)

SOUND = "How much did the new sound system at Llandogo Hall end up costing once it was fitted?"


def test_a_plan_is_read_from_modal_future_and_reckoning_forms() -> None:
    assert plan_form("The total cost is estimated to be £125,000.")
    assert plan_form("The Council would receive £2.1 million.")
    assert plan_form("Further quotes to supply and fit are awaited.")
    assert not plan_form("The works cost £1,480 and were finished in May.")
    assert not plan_form("Site 2 works commenced on 7th May 2019.")  # a month, not a modal


def test_an_outcome_is_asked_in_the_past_without_a_plan_of_its_own() -> None:
    assert asks_outcome(SOUND)
    assert asks_outcome("On what date was the civic reception held?")
    # the question asks for the plan itself, or for no value
    assert not asks_outcome("How much did Glasgow budget for adult social care?")
    assert not asks_outcome("How much were the proposals expected to deliver?")
    assert not asks_outcome("When will the school open?")
    assert not asks_outcome("Did the committee approve the application?")


def test_plan_for_outcome_fires_on_a_quote_shown_for_a_cost_paid() -> None:
    quote = "One received so far for £1,500 just to supply, but further quotes awaited."
    assert plan_for_outcome(SOUND, quote) == 1.0
    assert plan_for_outcome(SOUND, "The sound system cost £1,480 once fitted.") == 0.0
    assert plan_for_outcome("How much will it cost?", quote) == 0.0


def test_other_named_reads_whose_the_value_is() -> None:
    question = "What ground rent does Wye Valley Community Council pay for Tintern Village Hall?"
    assert named_things(question) == ["Tintern Village Hall"]  # the council is the filter
    passage = (
        "Councillors discussed declaring Llandogo Hall an asset of community value. "
        "Currently MCC take no responsibility for the Hall and ground rent is £40 pa."
    )
    shown = "Currently MCC take no responsibility for the Hall and ground rent is £40 pa."
    assert other_named(question, shown, passage) == 1.0
    # the asked one named before it, or in the sentence itself
    same = passage.replace("Llandogo Hall", "Tintern Village Hall")
    assert other_named(question, shown, same) == 0.0
    assert other_named(question, "Tintern Village Hall's ground rent is £40.", passage) == 0.0


def test_fit_attribution_replaces_value_missed_and_adds_pieces() -> None:
    from bench.abstention_modes import Row
    from bench.fit_attribution import VALUE, _value, figures, vector
    from qa_service.abstention import ANSWERED, NOT_IN_PAPERS, Evidence

    question = "What did the new trim trail in the old valley cost the town council in the end?"
    row = Row("real-dev-set", "q", question, False, ("a",), Evidence(*[0.0] * 9))
    row.shown, row.passages = "It was opened.", ["It was opened."]
    got = vector(row, (_value(False, True), (lambda r: 0.5,))).vector()
    assert got[VALUE] == 1.0 and got[-1] == 0.5 and len(got) == 10
    assert vector(row, (None, ())).vector()[VALUE] == 0.0  # the stored evidence kept
    rows = [row, Row("real-dev-set", "r", "q?", True, ("a",), Evidence(*[0.0] * 9))]
    assert figures(rows, [NOT_IN_PAPERS, ANSWERED]).endswith("| 1/1, 0/1 | 0")
