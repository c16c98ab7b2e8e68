"""What a question asks for, and which sentences hold that kind of answer."""

from __future__ import annotations

import pytest

from cqa_core.text import words
from qa_service.answer_kind import (
    REASON,
    Kind,
    answer_kinds,
    asked_kinds,
    asks_amount,
    gives_reason_field,
    holds_answer,
    holds_place,
    is_heading,
    is_label,
    names_other_years,
    reports_question,
    restates,
    role_asked,
    states_amount,
    years_named,
)


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
def test_holds_answer_of_each_kind(sentence: str, kind: Kind, expected: bool) -> None:
    assert holds_answer(sentence, kind) is expected


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


def test_a_request_is_not_a_reported_question() -> None:
    words = {"what", "did", "children", "ask", "board", "support"}
    assert restates("A Member asked about the volume of notifications.", set())
    assert restates("Councillor Brindley asked when the Committee had last met.", set())
    assert not restates("The young people asked the Board to adopt a revised Pledge.", words)
    assert not restates("Councillors asked to look at the report by the next meeting.", set())


@pytest.mark.parametrize(
    ("question", "present", "absent"),
    [
        ("Why did the accounts need extra audit work?", (REASON,), ()),
        ("What prompted the council to write a policy?", (REASON,), ()),
        ("Whose quote did the council accept?", (Kind.PERSON,), ()),
        ("Who chaired the committee on 8 October 2015?", (Kind.PERSON,), ()),
        ("Do young people who grew up in care pay council tax?", (), (Kind.PERSON,)),
        ("What was the estimated total cost of staging the concert?", (Kind.NUMBER,), ()),
        ("What is Sellbridge's public health grant for 2024/25?", (Kind.NUMBER,), ()),
        ("How old can a taxi be before it stops being licensed?", (Kind.NUMBER,), ()),
        ("Oakhaven childrens services overspend forecast 2023/24", (Kind.NUMBER,), ()),
        ("What did the inspectors find?", (), (Kind.NUMBER,)),
        ("net zero target dates - compare councils", (Kind.DATE,), (Kind.NUMBER,)),
        ("Do care leavers pay council tax?", (), (Kind.NUMBER,)),
    ],
)
def test_answer_kinds_read_the_question_more_fully(
    question: str, present: tuple[str, ...], absent: tuple[str, ...]
) -> None:
    kinds = answer_kinds(question)
    assert all(k in kinds for k in present), kinds
    assert not any(k in kinds for k in absent), kinds


@pytest.mark.parametrize(
    ("sentence", "kind", "expected"),
    [
        ("There were 312 looked after children at 31 March 2015.", Kind.NUMBER, True),
        ("Background\n3.1 The number of children looked after has risen.", Kind.NUMBER, False),
        ("Milburn Parish Council - 7th January 2020", Kind.NUMBER, False),
        ("13/24 Implementation of the revised policy", Kind.NUMBER, False),
        ("The year 2019/20 was the first of the plan.", Kind.NUMBER, False),
        ("It was deferred owing to the length of the agenda.", REASON, True),
        ("The consideration of performance was deferred.", REASON, False),
        ("Councillor Ann Lee called the decision in.", Kind.PERSON, True),
    ],
)
def test_holds_answer(sentence: str, kind: str, expected: bool) -> None:
    assert holds_answer(sentence, kind) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("REVIEW OF THE HACKNEY CARRIAGE AND PRIVATE HIRE LICENSING POLICY", True),
        ("3479.", True),
        ("Special Educational Needs and Disabilities (SEND) update pdf icon PDF 97 KB", True),
        ("The report ran to 97 pages and was published as a PDF.", False),
        ("Exceptional Financial Support", True),
        ("The Board received the progress report on the plan.", False),
        ("SEND and EHCP waiting times fell by a third in the year.", False),
    ],
)
def test_is_label(sentence: str, expected: bool) -> None:
    assert is_label(sentence) is expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How much did the new sound system end up costing?", True),
        ("What did the village green transfer cost the parish in legal fees?", True),
        ("What precept did the parish council set for 2019/20?", True),
        ("Oakhaven library budget 2023/24", True),  # a search of keywords asks for figures
        ("How many households were in temporary accommodation?", False),  # a count
        ("When did the council agree its budget?", False),  # a date, not a figure
        ("Who approved the fees policy?", False),
        ("Why did the council close the library?", False),  # a reason
    ],
)
def test_asks_amount(question: str, expected: bool) -> None:
    assert asks_amount(question) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("One quote was received so far for £1,500 just to supply.", True),
        ("The overspend is forecast at 2.4m by year end.", True),
        ("A saving of 40 thousand was agreed.", True),
        ("Ground rent is 40 pounds a year.", True),
        ("The Committee notes the Use of Resources score for 2008/09.", False),
        ("Three quotations were received and 12 residents attended.", False),  # no money
        ("Agreed to pay the legal fees incurred in the transfer.", False),
    ],
)
def test_states_amount(sentence: str, expected: bool) -> None:
    assert states_amount(sentence) is expected


@pytest.mark.parametrize(
    ("question", "date_asked"),
    [
        ("When did the council declare a climate emergency?", True),
        ("What happened, and when was it agreed?", True),
        ("what year was the depot opened", True),
        # "when" that joins a clause asks for no date
        ("What did Ofsted find when they revisited the service in 2021?", False),
        ("how many contacts were waiting when the inspectors arrived", False),
    ],
)
def test_when_asks_for_a_date_only_where_it_opens_a_clause(question: str, date_asked: bool) -> None:
    assert (Kind.DATE in answer_kinds(question)) is date_asked


def test_a_joining_when_does_not_make_a_search_of_keywords_ask_for_figures() -> None:
    assert answer_kinds("people stuck in hospital when they're well enough to leave") == ()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Members asked what grade the Regulator had given.", True),
        ("Councillor Venn queried the cost of the scheme.", True),
        ("The Cabinet Member said that the Council had been given a C2 grade.", False),
        ("The young people asked the Board to adopt a revised Pledge.", False),
    ],
)
def test_reports_question(sentence: str, expected: bool) -> None:
    assert reports_question(sentence) is expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Revised quote from Mark Bearcroft of £4,800.", True),
        ("Discuss repairworks to The Pound, Tintern.", False),  # a determiner, not a name
        ("This Council notes the report.", False),
    ],
)
def test_a_name_is_not_a_determiner_before_a_capitalised_word(
    sentence: str, expected: bool
) -> None:
    assert holds_answer(sentence, Kind.PERSON) is expected


def test_the_head_of_a_set_of_minutes_is_a_label() -> None:
    head = (
        "Milburn Parish Council - 7th January 2020\n Present\nCouncillors D Richardson (Chair), "
        "R Healey and P Moran\n20.01.01  Apologies\nCouncillor M Armstrong"
    )
    assert is_label(head)
    assert not is_label("After discussion it was resolved to apply for £4000.00.")


@pytest.mark.parametrize(
    ("question", "decision_asked"),
    [
        ("Will the parish council cover the cost of the replacement pads?", True),
        ("Were the councillors happy with the plan to extend the works?", True),
        ("has the planning committee refused a housing scheme against advice", True),
        # a yes-or-no question on something other than what a council did or will do
        ("Did the man chairing the audit committee have any work ties?", False),
        ("is the council pension pot still invested in oil and gas", False),
        ("Are reviews for children in care held on time?", False),
    ],
)
def test_a_yes_or_no_question_on_what_a_council_did_asks_for_a_decision(
    question: str, decision_asked: bool
) -> None:
    assert (Kind.DECISION in answer_kinds(question)) is decision_asked


@pytest.mark.parametrize(
    ("question", "date_asked"),
    [
        ("Has a house ever been given planning permission on the site before?", True),
        ("has the council had to bring in spending controls before", True),
        ("Did the council previously consult on the plan?", True),
        # not a yes-or-no question, or nothing about before
        ("What was agreed before the meeting closed?", False),
        ("Has the council agreed the budget?", False),
    ],
)
def test_a_question_whether_something_happened_before_asks_for_a_date(
    question: str, date_asked: bool
) -> None:
    assert (Kind.DATE in answer_kinds(question)) is date_asked


@pytest.mark.parametrize("word", ["Thirteen", "fifteen", "Seventeen", "nineteen"])
def test_a_number_from_thirteen_to_nineteen_written_out_is_a_figure(word: str) -> None:
    sentence = f"{word} newly qualified social workers had joined the academy in September."
    assert holds_answer(sentence, Kind.NUMBER)


@pytest.mark.parametrize(
    ("question", "place_asked"),
    [
        ("Where did the councillors want the old mine moved to?", True),
        ("where does the rubbish that can't be recycled end up", True),
        ("What time was the annual meeting called for, and where?", True),
        # a "where" that joins a clause asks for no place
        ("How many areas are there where dogs are banned?", False),
        ("When did the council declare a climate emergency?", False),
    ],
)
def test_where_asks_for_a_place_only_where_it_opens_a_clause(
    question: str, place_asked: bool
) -> None:
    assert (Kind.PLACE in answer_kinds(question)) is place_asked


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Cllr Hayward suggested it be re-sited on Fryer\u2019s Wharf.", True),
        ("The meeting will be held at 6.30pm in Tintern Village Hall.", True),
        ("92% of the residual waste was sent to the Marsh Lane facility.", True),
        # a time is not a place, nor is a place the question already names
        ("The Clerk contacted the Charity on 14th May.", False),
        ("The meeting was held on Monday in March.", False),
        ("An email gave an update on the Public Spaces Protection Order.", False),
        ("Reply received saying the owners want it moved as soon as possible.", False),
    ],
)
def test_holds_place(sentence: str, expected: bool) -> None:
    question = "Where will dogs be banned under the new Public Spaces Protection Order?"
    assert holds_place(sentence, set(words(question))) is expected


@pytest.mark.parametrize(
    "title",
    [
        "Minutes of Meeting of the Education, Children and Adult Services Committee held in "
        "the Council Chamber, Council Headquarters, Inverness on Thursday, 8 October 2015 at "
        "10.05 am.",
        "MINUTES of a meeting of the Place Scrutiny Panel held in Committee Room 2, Town Hall, "
        "on Monday, 5 July 2021.",
        "Minutes of the meeting held on Wednesday 6 March 2024 at 10 am in the Council Chamber.",
    ],
)
def test_the_title_of_a_set_of_minutes_is_a_label(title: str) -> None:
    assert is_label(title)
    # not a resolution that names earlier minutes
    assert not is_label(
        "RESOLVED - That the minutes of the meeting held on 12 December 2023 be approved."
    )


@pytest.mark.parametrize(
    ("sentence", "field"),
    [
        ("Reason: To adopt the final Carbon Neutrality Action Plan 2020-2030.", True),
        ("Reasons for the decision: The policy is out of date.", True),
        ("  REASON FOR DECISION: to meet the savings target.", True),
        ("The reason given was the cost of £2,150.", False),
        ("Reasonable adjustments: ramps at both doors.", False),
        ("Approve the final Carbon Neutrality Action Plan 2020-2030.", False),
    ],
)
def test_a_decisions_reason_field(sentence: str, field: bool) -> None:
    assert gives_reason_field(sentence) is field


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("overspend forecast 2023/24", {"fy2023"}),
        ("in 2019 and 2022-23", {"2019", "fy2022"}),
        ("the Carbon Neutrality Action Plan 2020-2023", {"2020", "2021", "2022", "2023"}),
        ("contacts had risen by 31% since 2019/20", set()),
        ("the Council's operations carbon neutral by 2030", set()),
        ("no year at all, 402 to 517", set()),
    ],
)
def test_years_named(text: str, keys: set[str]) -> None:
    assert years_named(text) == keys


@pytest.mark.parametrize(
    ("sentence", "other"),
    [
        ("following overspends of £3.1 million in 2021/22 and £4.4 million in 2022/23.", True),
        ("At the end of November 2023 the forecast outturn was £55.0 million.", False),
        ("The net budget for 2023/24 is £48.2 million.", False),
        ("Rates in 2024 rose by 2%.", False),  # 2024 falls in 2023/24
        ("The number had risen by 31% since 2019/20.", False),  # counted from, not stated for
        ("The overspend is to be cut to £2 million by 2026.", False),  # a target, set now
        ("The overspend is £6.8 million.", False),  # names no year
    ],
)
def test_names_other_years(sentence: str, other: bool) -> None:
    assert names_other_years(sentence, years_named("overspend forecast 2023/24")) is other
    assert not names_other_years(sentence, frozenset())


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("Who chaired Highland Council's Education Committee on 8 October 2015?", "chaired"),
        ("Who was the Chair of the board in 2019?", "chair"),
        ("Who substituted for Councillor Dear at the meeting?", "substituted"),
        ("When did Oakhaven adopt Signs of Safety and who made the decision?", "made"),
        # a "who" that qualifies a noun asks no person
        ("Are 16 and 17 year olds who end up homeless getting help?", ""),
        ("How many people were waiting?", ""),
    ],
)
def test_role_asked(question: str, role: str) -> None:
    assert role_asked(question) == role


@pytest.mark.parametrize(
    ("question", "decision_asked"),
    [
        # a word of deciding after "how many / how much" in its clause says what is counted
        ("How many 20mph schemes has the county approved under its policy?", False),
        ("How much capital was approved for the three new children's homes?", False),
        ("how many contacts were waiting for a MASH decision", False),
        # in a clause of its own it asks what was decided as well
        ("When did the parish council last agree its precept, and for how much?", True),
        ("What was the result of the vote on the climate emergency motion?", True),
        ("What did the cabinet decide about the depot?", True),
    ],
)
def test_a_word_of_deciding_that_says_what_is_counted_asks_for_no_decision(
    question: str, decision_asked: bool
) -> None:
    assert (Kind.DECISION in answer_kinds(question)) is decision_asked
