"""Whether the shown answer states the grade or the count a question asks for."""

from __future__ import annotations

import pytest

from qa_service.abstention_value import (
    STORED,
    Readings,
    asks_cost,
    asks_grade,
    asks_outcome,
    counted_thing,
    lacks_value,
    outcome_as_plan,
    outcome_planned,
    stated_as_plan,
    states_bound_count,
    states_count,
    states_grade,
    stored_readings,
    value_missed,
)


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("Ofsted judged the service to require improvement, and leadership was good.", True),
        ("The Regulator of Social Housing had given the Council a C2 grade.", True),
        ("The home was rated as G1 for governance.", True),
        ("Agenda item 6: Ofsted focused visit - letter (for information)", False),
        ("The Director presented the performance report for the first quarter.", False),
    ],
)
def test_a_grade_is_read_from_its_words_and_from_a_code_beside_its_noun(
    text: str, stated: bool
) -> None:
    assert states_grade(text) is stated


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("Seventeen newly qualified social workers joined in September 2016.", True),
        ("318 met the threshold for a referral.", True),
        ("Occupancy was 91% at the end of March.", True),  # a share answers "how many" too
        ("4.2 Adults and Health is forecast to overspend by £4.6 million.", False),  # money
        ("The rent rose to £52 from October 2023.", False),  # money and a date
        ("3.1 The panel met on 14 March 2023.", False),  # an item number and a date
    ],
)
def test_a_count_is_a_figure_other_than_money_a_date_or_an_item_number(
    text: str, stated: bool
) -> None:
    assert states_count(text) is stated


def test_only_a_grade_or_a_count_asked_for_is_looked_for() -> None:
    budget = "4.2 Adults and Health is forecast to overspend by £4.6 million."
    assert lacks_value("How many Year 6 children are obese?", budget)
    assert lacks_value("What rating did the CQC give adult social care?", budget)
    # money, a date, a decision, or a search of keywords: read elsewhere or not at all
    assert not lacks_value("How much is the council overspending?", "It met in May.")
    assert not lacks_value("When did the panel meet?", budget)
    assert not lacks_value("What did the cabinet decide about the libraries?", budget)
    assert not lacks_value("kelsworth obesity year 6", budget)
    # "how much" that measures a count asks for one
    assert lacks_value("How much have EHCP numbers gone up?", budget)


def test_value_missed_reads_the_shown_sentence_then_its_passage() -> None:
    question = "How many complaints did the council receive?"
    assert value_missed(question, "The council received 412 complaints.", "") == 0.0
    passage = "Complaints report. The council received 412 complaints. It is noted."
    assert value_missed(question, "It is noted.", passage) == 0.5  # the highlight missed it
    assert value_missed(question, "It is noted.", "Complaints report. It is noted.") == 1.0
    assert value_missed("What did the cabinet decide?", "It is noted.", "") == 0.0


def test_money_asked_by_the_verb_cost_is_looked_for() -> None:
    # "What did X cost" asks for money however long X is; amount_missed's reading
    # (answer_kind) stops at a subject of four words (docs/quality.md, "Abstention, stop 22")
    question = "What did the new trim trail in the old valley cost the town council in the end?"
    assert asks_cost(question)
    assert lacks_value(question, "Cllr Hodivala offered to open the trim trail.")
    assert not lacks_value(question, "The trim trail cost £18,400 in the end.")
    assert value_missed(question, "It was opened.", "It was opened. It cost £18,400.") == 0.5
    assert value_missed(question, "It was opened.", "It was opened.") == 1.0
    # read already by amount_missed ("how much", a money noun, a short subject), or no cost
    assert not asks_cost("How much did the trim trail cost?")
    assert not asks_cost("What did the new trim trail cost the town council?")
    assert not asks_cost("What was the cost of the trim trail?")
    assert not asks_cost("What did the cabinet decide about the trim trail?")
    # "cost" as a noun is not the verb asked by: the question asks for no amount
    assert not asks_cost("What did the cabinet and its partners do about the cost of living?")
    assert not asks_cost("What did the council's new scrutiny panel say on cost-of-living support?")
    assert not asks_cost("What did the scrutiny panel of the council say about the total cost?")
    # the stored reading without it
    assert not lacks_value(question, "It was opened.", Readings(cost=False))


def test_the_stricter_count_reading_leaves_out_names_and_the_pronoun_one() -> None:
    # measured in stop 22, kept in stop 23 (docs/quality.md): states_count's default is
    # the plain reading, value_missed's the stricter one
    standard = "The Committee notes the report under the International Standard on Auditing 260."
    difficult = "It was likely to be one of the most difficult periods in their life."
    assert states_count(standard) and states_count(difficult)
    assert not states_count(standard, named=True)
    assert not states_count(difficult, named=True)
    # a count stays one: a sentence's first word before it is no name, a unit follows it
    assert states_count("About 300 households were in temporary accommodation.", named=True)
    assert states_count("The Council received 412 complaints.", named=True)
    assert states_count("Occupancy was 91% in Ward 3 by March.", named=True)


def test_the_stricter_count_reading_reads_no_count_into_a_date() -> None:
    # a month before a year is a date's end, not a name: blanking it left the day as a count
    for text in (
        "The Committee last considered the LADO annual report on 13 September 2022.",
        "The Cabinet had approved the policy on 11 July 2023.",
        "The charge would rise from £42 to £48 per bin from 1 April 2022.",
    ):
        assert not states_count(text)
        assert not states_count(text, named=True)


def test_a_grade_asked_by_its_measure_however_long_its_name() -> None:
    # kept in stop 23 (``score``): "what <measure> score did ... give" asks for a grade
    question = "What Use of Resources score did the Audit Commission give the council for 2008/09?"
    assert not asks_grade(question)  # answer_kind reads "what score" side by side only
    assert asks_grade(question, score=True)
    assert asks_grade("How did Ofsted grade the care leavers service?", score=True)
    assert asks_grade("How was the adoption service rated by Ofsted?", score=True)
    # a charge, and a grade named without being asked for
    assert not asks_grade("What weekly rate did the council set for care homes?", score=True)
    assert not asks_grade("Ofsted said audit grades were too generous: what was done?", score=True)
    named = "The Committee notes the Council's Use of Resources score judgement for 2008/09."
    assert value_missed(question, named, named) == 1.0  # kept: the stored reading
    assert value_missed(question, named, named, Readings(score=False)) == 0.0
    for stated in ("The Council scored 3 out of 4.", "It was given a score of 2.", "rated good"):
        assert value_missed(question, stated, stated, Readings(score=True)) == 0.0


@pytest.mark.parametrize(
    "question",
    [
        "How did Ofsted grade care leavers services in different councils?",
        "How did the inspectors rate the council's fostering service?",
        "How did Ofsted judge Merton's children's services?",
        "How were the council's schools graded in 2023?",
    ],
)
def test_a_grade_asked_by_the_verb_of_grading(question: str) -> None:
    assert asks_grade(question, score=True)


@pytest.mark.parametrize(
    "question",
    [
        # "rate" and "score" as nouns: a figure or a process is asked, no grade
        "How did the council tax rate change between 2022 and 2024?",
        "How did the agency social worker rate compare with the target?",
        "How did the rate of exclusions change?",
        "How is the council tax rate set?",
        "How was the satisfaction score worked out?",
    ],
)
def test_rate_or_score_as_a_noun_asks_no_grade(question: str) -> None:
    assert not asks_grade(question, score=True)


def test_value_missed_reads_the_count_with_its_attribution() -> None:
    # kept in stop 23: a figure inside a name or "one" as a pronoun is no count asked for
    question = "How many complaints did the council receive in 2008/09?"
    standard = "The Committee notes the Annual Governance Report (ISA 260)."
    assert value_missed(question, standard, standard) == 1.0
    assert value_missed(question, standard, standard, Readings(named=False)) == 0.0
    told = "The council received 412 complaints in 2008/09."
    assert value_missed(question, standard, told) == 0.5


def test_a_number_word_inside_a_name_is_no_count_with_words() -> None:
    # measured in stop 23 (``words``): "Appendix two", "Tranche One" name a document or a stage
    for text in (
        "The plan, as set out at Appendix two to the report, be approved.",
        "The Cabinet approved the Tranche One proposals for consultation.",
    ):
        assert states_count(text, named=True)
        assert not states_count(text, named=True, words=True)
    # a count stays one: after a lower-case word, after a possessive, or opening a sentence
    for text in (
        "The panel refused two requests.",
        "The Council's two new homes opened in May.",
        "Two requests were refused.",
    ):
        assert states_count(text, named=True, words=True)


# --- an outcome asked, a plan shown (stop 24) ---


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("How many tickets were sold for the concert?", True),
        ("On what date was the civic reception held?", True),
        ("What did the village green transfer cost the parish council in legal fees?", True),
        ("How many people has the pilot moved into permanent homes?", True),
        # the question's own tense asks for the plan, or for no value
        ("When will the new school open?", False),
        ("What is the budget for next year?", False),
        ("What was the estimated total cost of staging the weekend?", False),
        ("How much were the proposals expected to deliver?", False),
        ("How many people are waiting?", False),
        ("Did the committee approve the application?", False),
    ],
)
def test_an_outcome_is_asked_in_a_past_or_perfect_form_with_no_plan_of_its_own(
    question: str, asked: bool
) -> None:
    assert bool(asks_outcome(question)) is asked


@pytest.mark.parametrize(
    ("sentence", "plan"),
    [
        ("(estimated to be approximately £750 plus VAT for both sides).", True),
        (
            "The estimated costs are as follows: - Fees (including 5% contingency) £95,200",
            True,
        ),
        ("The Council would receive £2.1 million over six years.", True),
        ("A further quote of £900 to supply and fit is awaited.", True),
        # the value stated as what happened, the plan in another clause or a parenthesis
        ("The sound system cost £1,480 once fitted.", False),
        (
            "61,300 potholes had been repaired in 2022/23, and that the forecast for 2023/24 "
            "was about 70,000.",
            False,
        ),
        ("One received so far for £1,500 just to supply, but further quotes are awaited.", False),
        (
            "Agree that up to £210k be added to the capital programme (this may include sites).",
            False,
        ),
        ("The Planning Policy Manager said 1,012 homes had been delivered.", False),  # a name
        ("212 contacts were awaiting a MASH decision.", False),  # active: the count is now
        ("Works commenced on 7th May 2019.", False),  # May the month, no modal
    ],
)
def test_a_value_is_stated_as_a_plan_only_where_every_clause_holding_it_is_written_before_the_fact(
    sentence: str, plan: bool
) -> None:
    assert stated_as_plan(sentence, ("number",)) is plan


def test_with_no_value_of_the_asked_kind_only_the_verb_s_form_makes_the_event_a_plan() -> None:
    held = "She confirmed that she would be hosting a civic reception to mark her achievement."
    assert stated_as_plan(held, ("date",))
    # a word of reckoning naming the plan as a thing, the outcome stated
    resolved = "There was a positive response to the proposal and the Councillors resolved."
    assert not stated_as_plan(resolved, ("date",))


def test_value_missed_reads_an_outcome_shown_as_a_plan_only_when_switched_on() -> None:
    question = "What did the village green transfer finally cost the parish council?"
    shown = "(estimated to be approximately £750 plus VAT for both sides)."
    assert outcome_as_plan(question, shown)
    assert value_missed(question, shown, shown) == 0.0  # the stored readings: an amount
    assert value_missed(question, shown, shown, Readings(outcome=True)) == 1.0
    paid = "The legal fees came to £812 including VAT."
    assert value_missed(question, paid, paid, Readings(outcome=True)) == 0.0
    # a question asking for the plan is not read as asking for what happened
    planned = "What is the estimated cost of the transfer?"
    assert value_missed(planned, shown, shown, Readings(outcome=True)) == 0.0


def test_the_narrowed_outcome_reading_skips_yes_or_no_questions_and_second_sentences() -> None:
    question = "How many tickets were sold for the concert?"
    plan = "The organisers expected to sell 3,000 tickets."
    assert outcome_planned(question, plan) == 1.0
    # a yes-or-no question asks for no value ("before" read as a date by answer_kinds)
    polar = "Did the councillors decide to put rough minutes online before they are signed off?"
    held = "Cllrs agreed they would prefer to stay at the current arrangement."
    assert outcome_as_plan(polar, held)
    assert outcome_planned(polar, held) == 0.0
    # only the highlight's first sentence, the answering one, is read
    sold = "In the end 2,412 tickets were sold. The next concert would cost more."
    assert outcome_planned(question, sold) == 0.0
    assert outcome_planned(question, "") == 0.0


def test_the_stored_readings_are_the_stored_fit_s() -> None:
    assert stored_readings() == STORED
    assert not STORED.planned and not STORED.measure  # judged in stop 25, switched off


@pytest.mark.parametrize(
    ("question", "thing", "initials"),
    [
        ("How many CLA did Northmoor have at the end of 2018?", ["cla"], ["CLA"]),
        (
            "How many of the 96 improvement plan actions were complete?",
            ["improvement", "plan", "actions"],
            [],
        ),
        ("How many families with kids are stuck in B&Bs?", ["families"], []),
        ("How many people were waiting for the counselling service?", ["people", "waiting"], []),
        ("How many potholes were actually repaired in 2022/23?", ["potholes", "repaired"], []),
        ("What did the scheme cost?", [], []),
    ],
)
def test_the_thing_a_count_is_asked_of(
    question: str, thing: list[str], initials: list[str]
) -> None:
    assert counted_thing(question) == (thing, initials)


def test_a_count_is_bound_to_the_thing_by_its_words_or_its_initials() -> None:
    cla = "How many CLA did Northmoor have at the end of 2018?"
    assert states_bound_count(cla, "There were 468 looked after children at 31 December 2018.")
    ehcps = "How many EHCPs did Kelsworth maintain in January 2023?"
    plans = "The Council maintained 2,946 education, health and care plans at January 2023."
    assert states_bound_count(ehcps, plans)
    waiting = "How many people were waiting for the counselling service?"
    assert states_bound_count(waiting, "There is currently a waiting list of 91 individuals.")
    # a count of another measure, in a sentence that does not name the thing counted
    refused = "How many EHCP needs assessment requests did Southend refuse in 2021?"
    other = "There were 272 children in care. The plan was agreed at its meeting."
    assert not states_bound_count(refused, other)
    assert states_count(other, named=True)
    # a sentence naming the thing without a count does not bind another sentence's count
    split = "Requests were discussed at length. There were 272 children in care."
    assert not states_bound_count(refused, split)


def test_value_missed_reads_the_bound_count_only_when_switched_on() -> None:
    question = "How many EHCP needs assessment requests did Southend refuse in 2021?"
    shown = "That the Implementation Plan, as set out at Appendix 2 with 14 actions, be agreed."
    passage = shown + " Requests for assessment rose to 1,120 in 2021."
    assert value_missed(question, shown, passage) == 0.0  # the stored readings: a count
    assert value_missed(question, shown, passage, Readings(measure=True)) == 0.5
    assert value_missed(question, shown, shown, Readings(measure=True)) == 1.0
