"""The attribution readings of bench/abstention_attribution.py (measured, not kept): each
fires on the near miss it reads and not on an answer."""

from __future__ import annotations

import pytest

from bench.abstention_attribution import (
    asks_outcome,
    named_things,
    other_named,
    plan_for_outcome,
    plan_form,
)
from bench.fit_attribution import Tally, judge, mean_tally, tally

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
    from qa_service.abstention import ANSWERED, FEATURES, NOT_IN_PAPERS, Evidence

    question = "What did the new trim trail in the old valley cost the town council in the end?"
    row = Row("real-dev-set", "q", question, False, ("a",), Evidence(*[0.0] * 9))
    row.shown, row.passages = "It was opened.", ["It was opened."]
    got = vector(row, (_value(False, True), (lambda r: 0.5,))).vector()
    assert got[VALUE] == 1.0 and got[-1] == 0.5 and len(got) == len(FEATURES) + 1
    assert vector(row, (None, ())).vector()[VALUE] == 0.0  # the stored evidence kept
    rows = [row, Row("real-dev-set", "r", "q?", True, ("a",), Evidence(*[0.0] * 9))]
    assert figures(rows, [NOT_IN_PAPERS, ANSWERED]).endswith("| 1/1, 0/1 | 0")


def _tally(caught: dict[str, float], refused: dict[str, float]) -> Tally:
    unans = {"dev-set": 7, "dev-set-2": 43, "real-dev-set": 21}
    ans = {"dev-set": 65, "dev-set-2": 114, "real-dev-set": 68}
    return Tally(caught, unans, refused, ans)


BASE = _tally(
    {"dev-set": 5.0, "dev-set-2": 35.6, "real-dev-set": 8.2},
    {"dev-set": 3.0, "dev-set-2": 2.4, "real-dev-set": 2.0},
)


def test_the_stop_23_rule_judges_means_and_lets_a_question_on_the_cut_pass() -> None:
    # dev-set-2 loses 0.4 of a question on average (one question at 4 seeds of 10): on the cut
    form = _tally(
        {"dev-set": 5.0, "dev-set-2": 35.2, "real-dev-set": 10.0},
        {"dev-set": 2.0, "dev-set-2": 2.0, "real-dev-set": 2.5},
    )
    assert judge(BASE, form) == []
    assert form.mistakes == pytest.approx(2 + 7.8 + 11 + 2 + 2 + 2.5)


@pytest.mark.parametrize(
    ("caught", "refused", "failed"),
    [
        ({"real-dev-set": 8.2}, {}, "caught on real-dev-set does not rise"),
        ({"real-dev-set": 9.0, "dev-set-2": 35.0}, {}, "caught on dev-set-2 falls by 0.6"),
        ({"real-dev-set": 9.0}, {"real-dev-set": 3.5}, "refuses 3.5/68 on real-dev-set"),
        ({"real-dev-set": 9.0}, {"dev-set": 3.9}, "pooled mistakes do not fall"),
    ],
)
def test_the_stop_23_rule_names_the_clause_a_form_fails(
    caught: dict[str, float], refused: dict[str, float], failed: str
) -> None:
    form = _tally({**BASE.caught, **caught}, {**BASE.refused, **refused})
    assert failed in judge(BASE, form)


def test_tallies_count_per_set_and_average_over_seeds() -> None:
    from bench.abstention_modes import Row
    from qa_service.abstention import ANSWERED, NOT_IN_PAPERS, WEAK, Evidence

    ev = Evidence(*[0.0] * 9)
    rows = [
        Row("dev-set", "a", "q?", False, ("x",), ev),
        Row("dev-set", "b", "q?", True, ("x",), ev),
        Row("dev-set-2", "c", "q?", True, ("y",), ev),
        Row("real-dev-set", "d", "q?", False, ("z",), ev),
    ]
    one = tally(rows, [WEAK, ANSWERED, NOT_IN_PAPERS, ANSWERED])
    two = tally(rows, [ANSWERED, ANSWERED, ANSWERED, ANSWERED])
    assert one.caught == {"dev-set": 1, "dev-set-2": 0, "real-dev-set": 0}
    assert one.refused["dev-set-2"] == 1 and one.mistakes == 2
    mean = mean_tally([one, two])
    assert mean.caught["dev-set"] == 0.5 and mean.refused["dev-set-2"] == 0.5
    assert mean.mistakes == 2.0
