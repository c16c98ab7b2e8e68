"""Reading a sentence's figure for a trend: current values, table rows, other wordings."""

from __future__ import annotations

import pytest

from qa_service.trend_current import change, current
from qa_service.trend_items import around, labelled
from qa_service.trend_read import (
    asked_unit,
    counted_periods,
    figures,
    in_unit,
    named_numbers,
    other_numbered,
    other_period,
    periods,
    readable,
)
from qa_service.trend_words import about, alternatives, named, stem, stems


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # of figures each given for a date, the latest
        ("There were 312 at 31 March 2015, 447 at 31 March 2018 and 468 at 31 December 2018.", 468),
        ("There were 203 approved households in March 2016 but only 188 in March 2018.", 188),
        ("It has risen from 241 in June 2019 and 258 in March 2021 to 296 in December 2023.", 296),
        # a compared value is not the current one
        ("The rate had fallen from 41% to 29%.", 29),
        ("Caseloads fell to 24, against a target of 18.", 24),
    ],
)
def test_the_current_figure(text: str, value: float) -> None:
    assert [f.value for f in current(text, figures(text))] == [value]


@pytest.mark.parametrize(
    "text",
    [
        "(2) the report be noted",
        "young people aged 13 and over",
        "care leavers aged 19 to 21",
        "care leavers aged 19, 20 and 21",
        "Table 1: Children in care",
        "Merlin Waste (Ch. No. 300097)",
        "The second visit, on 18 and 19 October 2022, looked at plans.",
        "The inspection took place from 4 to 8 March 2019.",
        # a numbered part of a year or a programme
        "people were still in hospital during quarter 2",
        "Phase 1, covering the Old Town, went live in September.",
        # a school year group
        "children in care in Year 6 had reached the expected standard",
        "young people in care in Years 12 and 13 were in education",
    ],
)
def test_list_markers_ages_and_labels_are_not_counts(text: str) -> None:
    assert figures(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Village Hall - Xmas Fayre 2nd December, Bingo 4th December.",
        "Village Hall - Maintenance Day held 23rd February with some new volunteers attending.",
        "The meeting was held in the Village Hall on Monday 20th May 2019 at 6.30pm.",
        "The 3rd quarter's report is attached.",
    ],
)
def test_an_ordinal_is_not_a_count(text: str) -> None:
    assert figures(text) == []


def test_a_count_beside_an_ordinal_is_still_read() -> None:
    found = figures("On 21st March 1,412 reports had been received.")
    assert [(f.value, f.unit) for f in found] == [(1412.0, "count")]


def test_a_period_of_school_or_calendar_days_is_not_a_count() -> None:
    """ "within ten school days" sets a period, in words or digits, even for a question
    counting something at school."""
    nouns = frozenset(["schoo", "place"])
    assert figures("offered a school place within ten school days", nouns=nouns) == []
    assert figures("to be held within 28 calendar days") == []


def test_a_count_before_a_comma_is_read() -> None:
    text = "the number had risen to 531, a rate of 84 per 10,000 children"
    assert [(f.value, f.unit) for f in figures(text)] == [(531.0, "count"), (84.0, "per 10,000")]


def test_a_sentence_holding_a_table_row_states_no_figure_of_its_own() -> None:
    row = "Children in care at end of quarter 262 266 270 272 - Rise mainly in those aged 13"
    assert readable(row, 0, len(row)) == []
    prose = "There were 272 children in care at 31 March 2022."
    assert [f.value for f in readable(prose, 0, len(prose))] == [272.0]


def test_a_sentence_stating_only_a_target_has_no_current_figure() -> None:
    text = "The plan sets a target to approve 25 new fostering households each year."
    assert current(text, figures(text)) == []


def test_the_asked_unit_is_required() -> None:
    text = "An overspend of £5.6 million, and 654 children in care."
    found = figures(text)
    assert [f.value for f in in_unit(found, "count")] == [654.0]
    assert in_unit(figures("It cost £3 million."), "count") == []


def test_another_wording_of_the_question_counts_as_naming_it() -> None:
    alts = alternatives("number of children in care")
    assert "care" in named("There were 486 looked after children.", alts)
    assert "care" not in named("There were 486 children in the borough.", alts)
    assert about("council tax rise", "The precept for 2020/21 was £4,000.")


def test_the_words_around_a_figure() -> None:
    text = "a target of 25 new homes a year, and there were 188 approved fostering households"
    f = figures(text)[1]
    assert around(text, f, 0, len(text), 2) == "there were 188 approved fostering"


@pytest.mark.parametrize(
    ("forms", "shared"),
    [
        (["smoke", "smoked", "smoking", "smokers"], True),
        (["house", "houses"], True),
        (["service", "services"], True),
        (["child", "children"], True),
        (["caseload", "caseloads"], True),
        (["hourly", "hour", "hours"], True),  # "an hourly rate" is a rate "an hour"
        (["weekly", "week", "weeks"], True),
        (["care", "car", "cars"], False),
        (["smoking", "social"], False),
        (["care", "caseload"], False),
    ],
)
def test_the_forms_of_a_word_share_a_stem(forms: list[str], shared: bool) -> None:
    assert (len({stem(w) for w in forms}) == 1) is shared


def test_a_sentence_names_a_question_word_in_another_form() -> None:
    question = "adult smoking rate"
    sentence = "The Director said that 16.1% of adults in Lindenport had smoked in 2021."
    assert stems(question) <= named(sentence)
    assert about(question, sentence)


def test_the_words_that_label_a_figure_in_a_list() -> None:
    text = "Amount spent to date on capital £6,436, revenue £4,630 making a total of £11,066."
    found = figures(text)
    capital, revenue, total = (labelled(text, f, found, 0, len(text)) for f in found)
    assert capital.rstrip(", ") == "Amount spent to date on capital £6,436"
    assert "revenue £4,630" in revenue and "total" not in revenue and "capital" not in revenue
    assert revenue.startswith("Amount spent to date on")  # a bare list shares its preamble
    assert "making a total of £11,066" in total and "revenue" not in total
    # an item with words of its own: the words before the first figure are its alone
    text = "The average caseload was 19 children and 22% of social worker posts were agency."
    found = figures(text)
    first, second = (labelled(text, f, found, 0, len(text)) for f in found)
    assert "caseload" in first and "social" not in first
    assert "caseload" not in second and "social worker" in second
    # up to the last break the words are the earlier figure's
    text = "61% of care leavers aged 19, 20 and 21 were in training, and 84% were housed."
    found = [f for f in figures(text) if f.unit == "%"]
    assert "training" in labelled(text, found[0], found, 0, len(text))
    assert "training" not in labelled(text, found[1], found, 0, len(text))


def test_function_words_are_not_key_words() -> None:
    # rare in the papers, "whose" and "own" would otherwise weigh most of the question
    assert stems("share of children whose supervision was on time") == {
        stem(w) for w in ("children", "supervision", "time")
    }
    assert stems("the Council's own carbon emissions") == {stem("Council's"), "carbo", "emiss"}


def test_a_short_form_with_a_slash_names_its_word() -> None:
    question = "community account balance"
    alts = alternatives(question)
    assert stem("account") in named("Financial Report: Community A/C £3,572.58.", alts)
    assert about(question, "Community A/C £3,572.58, BMM A/C £7,117.48.")
    # the first letter and the next consonant, not any two letters of the word
    assert stem("account") not in named("The hall's A/O reported.", alts)
    assert stem("account") not in named("Community AC units", alts)


def test_a_later_item_shares_what_the_earlier_was_of() -> None:
    text = (
        "The police had attended 97% of strategy meetings, "
        "but health had attended only 38% and education 41%."
    )
    found = figures(text)
    police, health, education = (labelled(text, f, found, 0, len(text)) for f in found)
    assert "health" in health and "strategy meetings" in health and "police" not in health
    assert "education" in education and "strategy meetings" in education
    assert "health" not in police
    # an item with words of its own after its figure keeps them alone
    text = "The average caseload was 19 children and 22% of social worker posts were agency."
    found = figures(text)
    assert "children" not in labelled(text, found[1], found, 0, len(text))


@pytest.mark.parametrize(
    ("text", "values"),
    [
        # an aim written as an infinitive clause is not a current value
        ("The priorities are:\n• to raise the share of interviews held in time to 85%;", []),
        ("• to reduce persistent absence to below 10%, with a focus on placements", []),
        # a current value reached "to" a figure, and "to date", are
        ("The share of assessments on time has improved to 71%.", [71]),
        ("To date, 1,140 staff have completed the training.", [1140]),
        # a target to do something runs to the end of its clause
        (
            "The plan sets a target to approve 25 new households each year and to achieve a"
            " net gain of at least 10 households a year.",
            [],
        ),
        ("Our aim is to approve 25 households, and 21 were approved last year.", [21]),
    ],
)
def test_an_aim_is_not_a_current_figure(text: str, values: list[float]) -> None:
    assert [f.value for f in current(text, figures(text))] == values


def test_a_timeliness_question_in_hours_asks_for_a_share() -> None:
    # "category 1" names the defects; the question asks for a share, not a count
    assert asked_unit("category 1 defects made safe within 24 hours") == "%"
    text = "92% of category 1 defects were made safe within 24 hours."
    wanted = asked_unit("category 1 defects made safe within 24 hours")
    assert [f.value for f in in_unit(figures(text), wanted)] == [92.0]


def test_a_clause_of_contrast_starts_the_later_item() -> None:
    text = (
        "The condition of principal roads had stayed broadly stable, with 4% of A roads in "
        "red condition, but the condition of unclassified residential roads had continued "
        "to decline, with 18% in need of structural maintenance."
    )
    found = figures(text)
    first, later = (labelled(text, f, found, 0, len(text)) for f in found)
    assert "unclassified" in later and "unclassified" not in first
    assert "principal" in first and "principal" not in later


@pytest.mark.parametrize(
    ("text", "values"),
    [
        # a forecast change from the current value: neither figure is the current one
        ("The proportion of red roads is forecast to rise from 19% to 24% by 2025.", []),
        # a forecast the paper gives as its current estimate is
        (
            "The block is forecast to overspend by £7.6 million, which would increase the "
            "cumulative deficit to £29.5 million at 31 March 2024.",
            [7.6e6, 29.5e6],
        ),
    ],
)
def test_a_forecast_change_is_not_a_current_figure(text: str, values: list[float]) -> None:
    assert [f.value for f in current(text, figures(text))] == values


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("council tax rise", "%"),
        ("rent increase?", "%"),
        # a change in something counts that something
        ("rise in the number of children in care", "count"),
        # a levied charge asked for as itself is an amount (a Band D council tax), its rate
        # or its change a share
        ("council tax", "£"),
        ("Band D council tax", "£"),
        ("council tax collection rate", "%"),
        ("council housing rent increase", "%"),
        ("garage rents", "£"),
    ],
)
def test_a_change_asked_for_as_itself_is_a_share(question: str, unit: str | None) -> None:
    assert asked_unit(question) == unit


@pytest.mark.parametrize(
    ("sentence", "other"),
    [
        ("81% of single assessments had been completed within 45 working days", True),
        ("every late review was held within ten working days of its due date", True),
        ("Only 62% of initial health assessments took place within 20 working days", False),
        # the asked period beside another one: still the asked measure's sentence
        ("81% within 45 working days and 62% within 20 working days", False),
        ("92% of plans were issued within 20 weeks", False),  # another kind of period
        ("62% of initial health assessments were on time", False),  # no period stated
    ],
)
def test_a_sentence_timing_another_period_measures_something_else(
    sentence: str, other: bool
) -> None:
    asked = periods("initial health assessments within 20 working days")
    assert other_period(sentence, asked) is other


@pytest.mark.parametrize(
    ("text", "values"),
    [
        # a bound the value is measured against is not the value
        ("Because the result was below 95%, the Council must publish an action plan.", []),
        ("As the result is below 85%, a 20% buffer must be added to the supply.", [20]),
        ("A child whose attendance falls below 90% is discussed at a panel.", []),
        # so is a floor or a ceiling
        ("The aim is a lead professional from outside in at least 60% of cases.", []),
        ("Caseloads should be at most 18 children.", []),
        # the value itself is
        ("The Housing Delivery Test result for 2021 was 79%.", [79]),
    ],
)
def test_a_bound_is_not_a_stated_value(text: str, values: list[float]) -> None:
    assert [f.value for f in current(text, figures(text))] == values


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        # a rate by the hour or week is a price, not a share
        ("standard hourly rate for home care", "£"),
        ("standard weekly rate for residential care for older people", "£"),
        # money asked for by name
        ("payment for mowing the village green", "£"),
        ("general fund balance", "£"),
        # "a direct payment" is a way of arranging care, not an amount
        ("people receiving community-based support who take a direct payment", None),
        ("agency social worker rate", "%"),
    ],
)
def test_money_asked_for_by_name(question: str, unit: str | None) -> None:
    assert asked_unit(question) == unit


def test_a_question_that_names_no_money_does_not_ask_for_it() -> None:
    question = "households subscribing to the garden waste service"
    text = "The service had 41,260 subscribers, and the charge rose to £48 a bin."
    assert [f.value for f in in_unit(figures(text), asked_unit(question))] == [41260.0]


def test_a_later_clause_shares_the_earlier_one_s_subject() -> None:
    text = (
        "61% of care leavers aged 19, 20 and 21 were in education, employment or training, "
        "and 84% were in suitable accommodation."
    )
    found = figures(text)
    first, later = (labelled(text, f, found, 0, len(text)) for f in found)
    assert "care leavers" in later and "suitable" in later
    assert "suitable" not in first
    # an apposition has no clause of its own: nothing is shared
    text = "38,950 households, 41% of those eligible, had subscribed by August."
    found = figures(text)
    assert "households" not in labelled(text, found[1], found, 0, len(text))


def test_a_question_counting_hours_reads_them_as_counts() -> None:
    question = "hours of home care a week that could not be arranged"
    text = "At the end of June, 1,350 hours of home care a week could not be arranged."
    assert figures(text) == []  # a period, for a question that does not count hours
    counted = counted_periods(question)
    assert [f.value for f in figures(text, counted=counted)] == [1350.0]
    # a timeliness question's period is still a period
    assert counted_periods("contacts screened within 24 hours") == frozenset()


def test_a_part_of_the_figure_before_is_of_what_it_was() -> None:
    text = (
        "486 households were in temporary accommodation on 30 September 2022, including 301 "
        "families with children, compared with 392 a year earlier."
    )
    found = figures(text)
    assert "temporary accommodation" in labelled(text, found[1], found, 0, len(text))
    text = "34 households were in temporary accommodation, 19 of them families with children."
    found = figures(text)
    assert "temporary accommodation" in labelled(text, found[1], found, 0, len(text))
    # a share "of those" is a rate, not a part
    text = "38,950 households, 41% of those eligible, had subscribed by August."
    found = figures(text)
    assert "households" not in labelled(text, found[1], found, 0, len(text))


def test_a_count_in_words_is_read_when_it_counts_what_is_asked() -> None:
    nouns = frozenset(stems("families with children in bed and breakfast"))
    text = "Twelve families with children, and two small hotels, had been used for six weeks."
    assert [(f.value, f.unit) for f in figures(text, nouns=nouns)] == [(12.0, "count")]
    text = "Twenty-two households and five families were in bed and breakfast."
    assert [f.value for f in figures(text, nouns=nouns)] == [5.0]
    # without what the question counts, words are not figures
    assert figures("Twelve families had been placed.") == []
    # "no family" is none of them
    text = "No family with children had been in bed and breakfast for more than six weeks."
    assert [f.value for f in figures(text, nouns=nouns)] == [0.0]


def test_a_count_keeps_the_words_of_what_it_counts() -> None:
    text = (
        "There were 38 children in external residential placements at an average weekly cost"
        " of £7,400, and four children with very complex needs were in unregistered homes."
    )
    nouns = frozenset(stems("number of children in external residential placements"))
    found = figures(text, nouns=nouns)
    assert [f.value for f in found] == [38.0, 7400.0, 4.0]
    assert "external residential" in labelled(text, found[0], found, 0, len(text))
    # an amount's label still precedes it
    assert "weekly cost" in labelled(text, found[1], found, 0, len(text))


def test_a_share_in_apposition_leaves_the_count_what_follows() -> None:
    text = "24,310 households, 58% of those in the district, subscribed in 2021/22."
    found = figures(text)
    count, share = (labelled(text, f, found, 0, len(text)) for f in found)
    assert "subscribed" in count and "households" in count
    assert "households" not in share


def test_a_period_in_words_is_not_a_count_even_when_the_question_names_it() -> None:
    """The question's own "two years" or "six weeks" says which plans or how soon; the
    sentence's are periods, as "20 weeks" in digits is, not the figure asked for."""
    nouns = frozenset(stems("child protection plans lasting two years or more"))
    text = "2.8% of plans ended during the year had lasted two years or more."
    assert [(f.value, f.unit) for f in figures(text, nouns=nouns)] == [(2.8, "%")]
    nouns = frozenset(stems("health advice returned within six weeks"))
    text = "89% of health advice was returned within the required six weeks."
    assert [(f.value, f.unit) for f in figures(text, nouns=nouns)] == [(89.0, "%")]
    # a question that counts the period still reads it ("hours of home care")
    nouns = frozenset(stems("hours of home care a week that could not be arranged"))
    text = "Twelve hours of home care a week could not be arranged."
    assert [f.value for f in figures(text, counted=frozenset(["hour"]), nouns=nouns)] == [12.0]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        (
            "A 4.99% increase would take the Band D council tax from £1,944.35 to £2,041.37, an"
            " increase of £97.02 a year.",
            [2041.37],
        ),
        ("The Band D council tax would rise by £5, from £198.41 to £203.41.", [203.41]),
        ("Requests had increased by 24% to 742, and plans rose by 434.", [742.0]),
        # a sentence stating only a change states no level
        ("The Band D council tax would rise by 7.49%.", []),
        # a difference stated after the figure
        (
            "In 2022/23, 1,388 households approached. This is 33% more than 1,046 in 2018/19.",
            [1388.0],
        ),
    ],
)
def test_the_size_of_a_change_is_not_a_level(text: str, values: list[float]) -> None:
    assert [f.value for f in current(text, figures(text)) if not change(text, f)] == values


def test_a_length_measured_in_years_is_a_figure_a_period_set_is_not() -> None:
    """A supply of 3.8 years is a quantity measured (a housing land supply), in its own
    unit; "within 20 weeks" or "two years" set a period, as before."""
    text = "The Council could demonstrate a supply of 3.8 years, and 91% of plans took 20 weeks."
    assert [(f.value, f.unit) for f in figures(text)] == [(3.8, "years"), (91.0, "%")]
    # a question asking no unit takes it; one asking a share does not
    assert [f.value for f in in_unit(figures(text), asked_unit("housing land supply"))] == [
        3.8,
        91.0,
    ]
    assert [f.value for f in in_unit(figures(text), "%")] == [91.0]
    assert figures("The average wait was 11 weeks, within 6 months.") == []


def test_money_is_asked_by_the_service_s_one_list_of_money_words() -> None:
    """Every money measure of ``answer_kind.MONEY_ASKED`` asks a trend for an amount
    ("public health grant", "funding for ..."); a charge levied does as itself and not as
    its change ("garage rents" £, "council housing rent increase" a share)."""
    from qa_service.answer_kind import MONEY_ASKED

    for forms in MONEY_ASKED.values():
        for form in forms:
            assert asked_unit(f"the council's {form}") == "£", form
    assert asked_unit("public health grant") == "£"
    assert asked_unit("garage rents") == "£"
    assert asked_unit("council housing rent increase") == "%"
    assert asked_unit("highway claims that resulted in a payment") is None


def test_a_rate_on_the_base_the_question_names_is_asked_for() -> None:
    """A rate of children in care per 10,000 children asks that rate, not a share: the
    sentence's "44% of the children who entered care" is another measure."""
    wanted = asked_unit("rate of children in care per 10,000 children")
    assert wanted == "per 10,000"
    text = "Children aged 13 and over made up 44% of the children who entered care."
    assert in_unit(figures(text), wanted) == []
    text = "There were 512 children in care, a rate of 60 per 10,000 children, and 17% of them …"
    assert [f.value for f in in_unit(figures(text), wanted)] == [60.0]
    assert asked_unit("agency social worker rate") == "%"


def test_but_ends_an_item_without_a_comma() -> None:
    """The service had approved 19 new fostering households but 23 households had left:
    what was approved is the 19's, not the 23's (as ", but" already was)."""
    text = "During 2014/15 the service had approved 19 new fostering households but 23 had left."
    found = figures(text)
    approved, left = (labelled(text, f, found, 0, len(text)) for f in found)
    assert "fostering households" in approved
    assert "fostering" not in left and "left" in left


def test_an_item_of_a_list_of_targets_is_an_aim() -> None:
    """Under a heading of targets, "Approve 30 new fostering households" and "Reduce the
    proportion … from 24% to 20%" say what is aimed at; a list under another heading says
    where things stand."""
    aims = (
        "Slide 8 - Our targets for 2025/26\n\n"
        "- Approve 30 new fostering households and achieve a net gain of at least 12\n"
        "- Reduce the proportion placed with agencies from 24% to 20%"
    )
    assert current(aims, [f for f in figures(aims) if f.value != 8]) == []
    stands = "Our foster carers\n\n- 2023/24: 18 households approved, 26 left"
    assert [f.value for f in current(stands, figures(stands))] == [18.0, 26.0]


def test_a_table_captioned_in_money_states_amounts_not_counts() -> None:
    """A table "(£ million)" read as text states amounts: a question naming no money does
    not read its cells as counts ("Waste collection rounds … 1.2" is £1.2 million)."""
    text = "Table A1: Savings in the budget (£ million) Saving Target Forecast Waste rounds 0.9 1.2"
    assert [(f.value, f.unit) for f in figures(text)] == [(900000.0, "£"), (1200000.0, "£")]
    assert in_unit(figures(text), asked_unit("residual household waste per household")) == []
    text = "Table A1: Savings proposals by directorate (£000) Reablement 900"
    assert [(f.value, f.unit) for f in figures(text)] == [(900000.0, "£")]


def test_a_term_stands_for_a_change_only_if_it_says_one() -> None:
    """The glossary's "precept" for "council tax rise" is the tax levied, not its rise: it
    names "council tax" only, while "council tax increase" names the whole phrase."""
    alts = alternatives("council tax rise")
    assert named("an adult social care precept of 2%", alts) >= {"counc", "tax"}
    assert "rise" not in named("an adult social care precept of 2%", alts)
    assert {"counc", "tax", "rise"} <= named("a council tax increase of 4.99%", alts)
    # a question asking the level keeps the term for all of it
    assert {"counc", "tax"} <= named("the parish precept", alternatives("council tax"))


def test_a_change_is_named_by_another_word_of_its_direction() -> None:
    """A "council tax rise" is written "an increase in … council tax", a "rent increase"
    "rents would rise"; a fall is not a rise."""
    assert "rise" in named(
        "an increase in the council tax of 4.99%", alternatives("council tax rise")
    )
    assert "incre" in named("Rents would rise by 2.7%.", alternatives("rent increase"))
    assert "reduc" in named("Waiting fell to 296.", alternatives("reduction in waiting"))
    assert "rise" not in named("Council tax fell by 1%.", alternatives("council tax rise"))


def test_another_of_what_the_question_numbers_is_another_measure() -> None:
    """ "Key Stage 1" names another key stage than the question's "Key Stage 2"; a sentence
    naming the question's own, or no key stage, is not ruled out."""
    names = named_numbers("children in care reaching the expected standard at Key Stage 2")
    assert other_numbered("Key Stage 1: expected standard in reading | 47% | 52%", names)
    assert not other_numbered("Key Stage 2: expected standard | 33% | 41%", names)
    assert not other_numbered("38% had reached the expected standard", names)
    assert not other_numbered("Key Stage 1 and Key Stage 2 results: 41% met it", names)


def test_a_payments_list_spaces_its_amounts_from_the_sign() -> None:
    """ "£   65.00" in a parish's list of invoices is an amount, not a count of 65."""
    text = "Fellrunner Village Bus  Donation requested, agreed to pay   £   65.00"
    assert [(f.value, f.unit) for f in figures(text)] == [(65.0, "£")]


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        # a charge asked with what it is levied for is an amount
        ("annual rent for a full allotment plot", "£"),
        ("charge for a garden waste bin", "£"),
        # its change or its rate is still a share
        ("council housing rent increase", "%"),
        ("council tax collection rate", "%"),
        # a donation is money given
        ("donation to the Church", "£"),
    ],
)
def test_a_charge_levied_for_something_and_a_donation_are_amounts(question: str, unit: str) -> None:
    assert asked_unit(question) == unit


def test_a_later_item_without_a_verb_shares_what_the_first_says() -> None:
    """ "… and 12.1% of children in Reception" is living with obesity too, as the first item
    says of children in Year 6; an item with its own verb does not share it."""
    text = (
        "The Director said that 26.3% of children in Year 6 had been living with obesity in"
        " 2021/22, compared with 23.4% in England, and 12.1% of children in Reception."
    )
    found = figures(text)
    reception = labelled(text, found[-1], found, 0, len(text))
    assert "Reception" in reception and "obesity" in reception and "Year 6" not in reception
    text = "26.3% of children in Year 6 were obese, and 12.1% in Reception were active daily."
    found = figures(text)
    assert "obese" not in labelled(text, found[-1], found, 0, len(text))


def test_capital_is_money_asked_by_name() -> None:
    """ "up to £210k be added to the capital programme … to carry out feasibility studies":
    capital asked for is an amount, so the £ is read though the question names no £."""
    question = "capital for feasibility studies at special school sites"
    text = "Agree that up to £210k be added to the capital programme for feasibility studies."
    assert asked_unit(question) == "£"
    assert [f.value for f in in_unit(figures(text), asked_unit(question))] == [210000.0]


def test_a_list_s_amount_that_ends_its_line_leaves_the_next_line_to_the_next() -> None:
    """In a list of invoices, one a line, the words of the next line (up to its comma) are
    the next amount's label, not the earlier's ("Fellrunner Village Bus" is the £65's)."""
    text = (
        "Stainless Steel Fixings   £  20.00   (cheque payable to John Eyles)\n"
        "Fellrunner Village Bus  Donation requested, agreed to pay   £   65.00"
    )
    found = figures(text)
    fixings, bus = (labelled(text, f, found, 0, len(text)) for f in found)
    assert "Fellrunner" in bus and "Fellrunner" not in fixings and "Fixings" in fixings
    # in a sentence wrapped over lines, the words before the break stay the earlier's
    text = "61% of care leavers were in work, and\n84% were in suitable accommodation."
    found = figures(text)
    assert "care leavers" in labelled(text, found[1], found, 0, len(text))


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("The rate was 27.4%, against a national average of 24%, and rising.", [27.4]),
        (
            "It rose to 57% in 2021, against a target of 70% and a national figure of around 60%.",
            [57],
        ),
        ("The England average was 22.4%, and ours 18.6%.", [18.6]),
        # a council's own figure named "national" by its subject is still its own
        ("National Insurance rises added 1.25% to pay costs.", [1.25]),
    ],
)
def test_the_national_figure_is_not_the_council_s(text: str, values: list[float]) -> None:
    assert [f.value for f in current(text, figures(text))] == values


def test_a_word_done_again_is_another_measure() -> None:
    """ "re-referrals" are not "referrals": a sentence on one measures something else."""
    from qa_service.trend_sentence import Asked

    assert stems("The re-referral rate") == {"re-refer"}
    assert stems("pre-referral checks") == {"pre", "refer", "check"}
    rate = Asked.of("re-referral rate")
    assert rate.about("The re-referral rate was 21.8%.")
    assert not rate.about("81% of urgent eating disorder referrals were seen within a week.")
    referred = Asked.of("contacts that progressed to a referral")
    assert not referred.about("The rate of re-referrals of contacts was 28%.")
    assert referred.about("Of 4,912 contacts, 23% progressed to a referral.")


def test_a_wait_asked_is_read_as_a_length() -> None:
    # "median wait for a Care Act assessment" asks how long: a length in the unit its
    # sentence states, in digits or words; not the count of people waiting, nor the
    # period a measure is timed by
    question = "median wait for a Care Act assessment"
    assert asked_unit(question) == "time"
    assert asked_unit("people waiting for a Care Act assessment") is None
    text = "The median wait was nine weeks, and the longest wait was 26 weeks."
    assert [(f.value, f.unit) for f in figures(text, lengths=True)] == [
        (9.0, "weeks"),
        (26.0, "weeks"),
    ]
    assert figures(text) == []
    text = "388 people were waiting, and the median wait was 22 days."
    assert [(f.value, f.unit) for f in in_unit(figures(text, lengths=True), "time")] == [
        (22.0, "days")
    ]
    timed = "People at high risk were allocated within five working days and within 10 days."
    assert figures(timed, lengths=True) == []


def test_a_rate_keeps_its_noun_between_the_number_and_its_base() -> None:
    text = "There were 46 missed bins per 100,000 collections."
    assert [(f.value, f.unit) for f in figures(text)] == [(46.0, "per 100,000")]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        # a peak passed is an earlier value, a threshold one held to
        ("Missed collections had peaked at 212 per 100,000 collections in July 2017.", []),
        ("Fly-tipping reached a peak of 640 incidents in August.", []),
        ("The service had set a threshold of 80 missed collections per 100,000.", []),
    ],
)
def test_a_peak_or_a_threshold_is_not_the_current_figure(text: str, values: list[float]) -> None:
    assert [f.value for f in current(text, figures(text))] == values


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("adults with learning disabilities in paid work", None),
        ("care leavers in paid employment", None),
        ("amount paid to the contractor", "£"),
        ("value of the pension fund's net assets", "£"),
        ("Chairman's Allowance", "£"),
        ("village hall room hire", "£"),
    ],
)
def test_assets_an_allowance_and_a_hire_are_money_paid_work_is_not(
    question: str, unit: str | None
) -> None:
    assert asked_unit(question) == unit


def test_an_amount_a_year_written_pa_is_read() -> None:
    text = "WVCC already pay the sum of £500pa for a Chairman's Allowance, and £156 pa."
    assert [(f.value, f.unit) for f in figures(text)] == [(500.0, "£"), (156.0, "£")]


def test_one_in_five_is_a_share_not_a_count() -> None:
    text = "Around one in five children who went missing did so five times or more."
    assert figures(text, nouns=frozenset(stems("children who went missing"))) == []
    assert [
        f.value for f in figures("Five children went missing.", nouns=frozenset(["child"]))
    ] == [5.0]


def test_a_draft_or_version_number_is_a_label() -> None:
    assert figures("Accounts Draft 1 - 2020/2021 were circulated; version 2 follows.") == []


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("The Council planted one million trees last year.", [1_000_000.0]),
        ("The parks hold two hundred thousand trees.", [200_000.0]),
        ("Only one child was placed out of county.", [1.0]),
        ("There were four children in the unit.", [4.0]),
        # "one of" and "one" as a pronoun count nothing
        ("One of the children was placed out of county.", []),
        ("The one children liked best was closed.", []),
        # nor does a number word inside a name
        ("The Tranche One trees were planted in March.", []),
    ],
)
def test_a_count_in_words_with_its_multiplier(text: str, values: list[float]) -> None:
    nouns = frozenset({stem("trees"), stem("child"), stem("children")})
    assert [f.value for f in figures(text, nouns=nouns)] == values


def test_a_number_word_of_the_question_names_its_digit() -> None:
    """ "more than six months" is written "Waiting over 6 months" in a table's header."""
    alts = alternatives("people who have waited more than six months for an assessment")
    assert stem("six") in named("Waiting over 6 months", alts)
    assert stem("six") not in named("Waiting on 6 June", alts)


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        # money named as itself, or as what is paid or given, as the head of the measure
        ("money for tackling damp and mould in council homes", "£"),
        ("pension fund money committed to renewable energy infrastructure", "£"),
        ("Safety Valve payments received from the Department for Education", "£"),
        ("section 106 contribution for school places from a housing development", "£"),
        # not the head: nothing asked by it
        ("children whose families received payments", None),
        ("pupils taking part in the money skills course", None),
    ],
)
def test_money_named_as_the_head_asks_an_amount(
    question: str, unit: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import qa_service.trend_read as trend_read

    assert asked_unit(question) == unit
    monkeypatch.setattr(trend_read, "MONEY_BY_NAME", False)  # stop 24's reading
    assert asked_unit(question) is None


def test_a_line_opened_by_a_whole_number_and_a_full_stop_numbers_its_minute(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import qa_service.trend_read as trend_read

    assert figures("83. CLIMATE EMERGENCY ACTION PLAN") == []
    assert figures("3479.   Discuss quotation for repairworks") == []
    assert figures("Minutes\n6.\nApologies") == []
    # not a line's opening, or a decimal, or a count before its noun: read as before
    assert [f.value for f in figures("The Council owned 83.")] == [83.0]
    assert [f.value for f in figures("83 homes were let.")] == [83.0]
    monkeypatch.setattr(trend_read, "MINUTE_NUMBERS", False)
    assert [f.value for f in figures("83. CLIMATE EMERGENCY ACTION PLAN")] == [83.0]


def test_an_age_bound_on_whom_a_sentence_speaks_of_is_no_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import qa_service.trend_read as trend_read

    text = "Trading Standards made 64 test purchases, and 17 shops sold vapes to people under 18."
    assert [f.value for f in figures(text)] == [64.0, 17.0]
    assert [f.value for f in figures("There were 40 children under 5 and 12 adults.")] == [40, 12]
    # a count after "over" with no plural noun before it, or with its own noun, counts
    assert [f.value for f in figures("Requests rose to over 500.")] == [500.0]
    assert [f.value for f in figures("Complaints over 500 were made.")] == [500.0]
    monkeypatch.setattr(trend_read, "AGE_BOUNDS", False)
    assert [f.value for f in figures(text)] == [64.0, 17.0, 18.0]


def test_a_whole_number_glued_to_letters_names_something(monkeypatch: pytest.MonkeyPatch) -> None:
    import qa_service.trend_read as trend_read

    assert figures("Cabinet agreed to make 20mph the default speed limit.") == []
    assert [f.value for f in figures("Speeds fell from 25.4 mph to 22.6 mph.")] == [25.4, 22.6]
    monkeypatch.setattr(trend_read, "GLUED_NAMES", False)
    assert [f.value for f in figures("Cabinet agreed to make 20mph the default speed limit.")] == [
        20.0
    ]


def test_an_and_clause_with_its_own_subject_and_verb_is_a_new_item(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import qa_service.trend_items as trend_items

    text = (
        "There were 38 children in external residential placements at an average weekly cost"
        " of £7,400, and four children with very complex needs were living in unregistered"
        " placements while registered homes were sought, at a cost of up to £22,000 a week each."
    )
    found = [f for f in figures(text) if f.unit == "£"]
    first, second = (labelled(text, f, found, 0, len(text)) for f in found)
    assert "unregistered" not in first and "unregistered" in second
    # ", and 84% were …" opens no clause of its own: the words up to the last break as before
    listed = "61% of care leavers were in employment, and 84% were in suitable accommodation."
    shares = figures(listed)
    assert "employment" in labelled(listed, shares[0], shares, 0, len(listed))
    monkeypatch.setattr(trend_items, "AND_CLAUSES", False)  # stop 24: the last break
    assert "unregistered" in labelled(text, found[0], found, 0, len(text))


def test_an_amount_in_brackets_after_one_in_its_unit_is_how_it_is_spread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import qa_service.trend_parts as trend_parts
    from qa_service.trend_sentence import Asked

    text = (
        "approves additional investment of £15 million over three years (£5 million a year"
        " from 2022/23 to 2024/25), to be known as the Fix Our Roads programme; and"
    )
    asked = Asked.of("additional investment in the Fix Our Roads programme")
    found = figures(text)
    assert [f.value for f in trend_parts.totals(text, found, asked)] == [15e6]
    # another unit in brackets is no spread of it ("£10.9 million (75%)")
    shares = figures("£10.9 million (75%) are on track")
    assert len(trend_parts.totals("£10.9 million (75%) are on track", shares, asked)) == 2
    monkeypatch.setattr(trend_parts, "BRACKETED_PARTS", False)
    assert [f.value for f in trend_parts.totals(text, found, asked)] == [15e6, 5e6]
