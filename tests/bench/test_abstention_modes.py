"""The candidate abstention evidence of bench/abstention_modes.py on made-up rows: no index,
no model.  Each candidate fires on the mode it was built for and not on an answer."""

from __future__ import annotations

from bench.abstention_modes import (
    Row,
    asked_in_past,
    capital_lacking,
    day_missed,
    figures,
    grade_missed,
    kind_unnamed,
    label_shown,
    modal_shown,
    outcome_over_plan,
    rarest_absent,
    scoped_lacking,
    sibling_shown,
    tentative_shown,
    year_unnamed,
)
from qa_service.abstention import ANSWERED, NOT_IN_PAPERS, WEAK
from qa_service.rerank import YearPreference


def _row(question: str, **kw: object) -> Row:
    row = Row("dev-set", "q", question, True, ("a",), None)
    for key, value in kw.items():
        setattr(row, key, value)
    return row


def test_scoped_lacking_counts_concepts_the_searched_papers_never_name() -> None:
    weights = {("trim",): 3.0, ("trail",): 1.0}
    assert (
        scoped_lacking(_row("q", weights=weights, in_scope={("trim",): 0, ("trail",): 2})) == 0.75
    )
    assert scoped_lacking(_row("q", weights=weights, in_scope={("trim",): 1, ("trail",): 2})) == 0.0
    # only the rarest concept, or the two rarest, weighted
    assert rarest_absent(_row("q", weights=weights, in_scope={("trim",): 0})) == 1.0
    assert rarest_absent(_row("q", weights=weights, in_scope={("trim",): 4, ("trail",): 0})) == 0.0
    assert rarest_absent(_row("q", weights=weights, in_scope={("trim",): 4}), 2) == 0.25


def test_kind_unnamed_needs_the_rare_concept_and_the_kind_in_one_sentence() -> None:
    weights = {("complaints",): 3.0, ("council",): 1.0}
    question = "How many complaints did the council receive?"
    answered = [["The council received 412 complaints in the year."]]
    apart = [["Complaints are reported each year.", "The council met 12 times."]]
    assert kind_unnamed(_row(question, weights=weights, sentences=answered)) == 0.0
    assert kind_unnamed(_row(question, weights=weights, sentences=apart)) == 1.0
    # a question asking for no kind of answer never fires
    assert (
        kind_unnamed(_row("Did members discuss complaints?", weights=weights, sentences=apart))
        == 0.0
    )


def test_year_unnamed_needs_the_year_and_the_rare_concept_in_one_sentence() -> None:
    year = YearPreference(frozenset({"2023/24"}), "2023-01-01", "2024-12-31")
    weights = {("council",): 1.0, ("tax",): 3.0, ("2023",): 5.0}
    together = [["Council tax rose by 4.99% in 2023/24."]]
    apart = [["The Council overspent in 2023/24.", "Council tax rose by 4.99%."]]
    row = _row("council tax 2023/24", weights=weights, preferred=year, sentences=together)
    assert year_unnamed(row) == 0.0
    assert year_unnamed(_row("q", weights=weights, preferred=year, sentences=apart)) == 1.0
    # no year asked about: never fires
    assert year_unnamed(_row("q", weights=weights, sentences=apart)) == 0.0


def test_outcome_over_plan_reads_the_question_and_the_shown_sentence() -> None:
    question = "What did the new trail cost in the end?"
    assert outcome_over_plan(_row(question, shown="The cost is estimated at £750.")) == 1.0
    assert outcome_over_plan(_row(question, shown="The trail cost £750.")) == 0.0
    # the question itself about a plan: "would end up"
    shown = "People would pay £5 more."
    assert outcome_over_plan(_row("Who would end up paying more?", shown=shown)) == 0.0


def test_day_grade_and_capital_lacking() -> None:
    asked = "On what date was the reception held?"
    assert day_missed(_row(asked, shown="A reception was held in 2018.")) == 1.0
    assert day_missed(_row(asked, shown="It was held on 4 December 2018.")) == 0.0
    grade = "What rating did the CQC give the service?"
    assert grade_missed(_row(grade, passages=["The Committee noted the judgement."])) == 1.0
    assert grade_missed(_row(grade, passages=["The CQC rated it good overall."])) == 0.0
    named = "What did Cardiff Council decide?"
    assert capital_lacking(_row(named, lacking=["cardiff"])) == 1.0
    assert capital_lacking(_row("what did cardiff decide?", lacking=["cardiff"])) == 0.0


def test_figures_count_each_set_and_class() -> None:
    rows = [
        Row("dev-set", "1", "q", False, ("a",), None),
        Row("dev-set", "2", "q", False, ("a",), None),
        Row("dev-set", "3", "q", True, ("a",), None),
    ]
    got = [NOT_IN_PAPERS, ANSWERED, WEAK]
    assert figures(rows, got).startswith("1/2, 1/1 | 0/0, 0/0")


def test_modal_shown_needs_a_past_question_and_a_modal_sentence() -> None:
    past = "On what date was the civic reception held?"
    plan = "The Lord Mayor confirmed that she would host a civic reception."
    done = "The civic reception was held on 12 November 2018."
    assert modal_shown(_row(past, shown=plan)) == 1.0
    assert modal_shown(_row(past, shown=done)) == 0.0
    # a question asked of the future is answered by a plan
    assert modal_shown(_row("When will the civic reception be held?", shown=plan)) == 0.0


def test_tentative_shown_also_reads_a_figure_reckoned_before_the_fact() -> None:
    past = "What did the transfer cost in legal fees?"
    assert asked_in_past(past)
    assert (
        tentative_shown(_row(past, shown="(estimated to be approximately £750 plus VAT).")) == 1.0
    )
    assert tentative_shown(_row(past, shown="The legal fees came to £812.")) == 0.0
    assert modal_shown(_row(past, shown="(estimated to be approximately £750 plus VAT).")) == 0.0


def test_sibling_shown_fires_when_the_nearest_name_is_another() -> None:
    passage = (
        "Councillors discussed Llandogo Hall. Currently MCC take no responsibility for the "
        "Hall and ground rent is £40 pa. Repairs to Tintern Village Hall were discussed."
    )
    shown = "Currently MCC take no responsibility for the Hall and ground rent is £40 pa."
    asked = "What ground rent does Wye Valley pay for Tintern Village Hall?"
    assert sibling_shown(_row(asked, shown=shown, passages=[passage])) == 1.0
    own = "What ground rent does Wye Valley pay for Llandogo Hall?"
    assert sibling_shown(_row(own, shown=shown, passages=[passage])) == 0.0


def test_label_shown_reads_a_heading_as_no_answer() -> None:
    assert label_shown(_row("q", shown="ANNUAL COMPLAINTS REPORT")) == 1.0
    assert label_shown(_row("q", shown="The council received 412 complaints.")) == 0.0
