"""The trend reader's stop-26 readings: a bound stated as the figure, a target asked, an aim
in the past tense. Each test switches its rule off and checks stop 25's reading too."""

from __future__ import annotations

from contextlib import AbstractContextManager
from types import SimpleNamespace

from qa_service.trend import select
from qa_service.trend_current import current
from qa_service.trend_read import figures
from qa_service.trend_sentence import Asked
from tests import switches


def off(name: str) -> AbstractContextManager[None]:
    """Switch ``trend_current.<name>`` off for the block."""
    return switches.off("trend_current", name)


def values(text: str) -> list[float]:
    return [f.value for f in current(text, figures(text))]


def test_a_bound_opening_its_clause_is_the_figure_stated() -> None:
    text = "7.1 More than 1,400 practitioners attended exploitation awareness training."
    assert values(text) == [1400.0]
    assert values("Requests had risen to more than 500 a month.") == [500.0]
    with off("BOUNDS_STATED"):
        assert values(text) == []


def test_a_bound_compared_or_set_as_a_criterion_is_no_figure_stated() -> None:
    # another figure compared with it, a ceiling set, a criterion of whom is counted
    assert 30.0 not in values("There were 42 complaints, 12 more than 30 a year earlier.")
    assert values("Vacancies should be no more than 10%.") == []
    assert values("Some social workers were holding more than 30 cases.") == []
    assert values("The film has been viewed more than 3,000 times.") == []


def hit(text: str, date: str) -> SimpleNamespace:
    """A hit as ``trend.select`` reads it."""
    meta = SimpleNamespace(council="Eastwold Council", meeting_date=date)
    document = SimpleNamespace(meta=meta, source=f"{date}.pdf")
    passage = SimpleNamespace(text=text, document=document, heading_path=())
    return SimpleNamespace(passage=passage, highlights=[], core=[])


FOSTERING = (
    "Over the last three years the Council has approved an average of 21 new fostering "
    "households a year, but a similar number have left. The foster carer recruitment plan "
    "sets a target to approve 25 new fostering households each year and to achieve a net "
    "gain of at least ten households a year by 2021/22."
)


def test_a_question_asking_a_target_reads_what_is_aimed_at() -> None:
    question = "target for new foster carer households approved each year"
    [point] = select([hit(FOSTERING, "2019-02-26")], Asked.of(question))  # type: ignore[list-item]
    assert point.figure.value == 25.0
    with off("TARGET_ASKED"):  # the target's sentence is chosen, and nothing read from it
        assert select([hit(FOSTERING, "2019-02-26")], Asked.of(question)) == []  # type: ignore[list-item]


def test_a_question_asking_the_level_still_reads_no_target() -> None:
    question = "new fostering households approved each year"
    [point] = select([hit(FOSTERING, "2019-02-26")], Asked.of(question))  # type: ignore[list-item]
    assert point.figure.value == 21.0


def test_an_aim_in_the_past_tense_is_aimed_at() -> None:
    text = "The campaign aimed to recruit 40 new fostering households by March 2016."
    assert values(text) == []
    assert [f.value for f in current(text, figures(text), aims=True)] == [40.0]
    with off("AIMED_PAST"):
        assert values(text) == [40.0]


def test_a_noun_named_only_with_another_noun_before_it_is_another_of_its_kind() -> None:
    from qa_service import trend
    from qa_service.trend import _modified_otherwise

    asked = Asked.of("people waiting for a Care Act assessment")
    other = "More than 900 children and young people were waiting for an EHC needs assessment."
    assert _modified_otherwise(asked, other)
    # the question's word named, or the noun after no noun of its own: the same kind
    assert not _modified_otherwise(asked, "1,934 people were waiting for a Care Act assessment.")
    assert not _modified_otherwise(asked, "1,934 people were waiting for an assessment.")
    budget = Asked.of("overspend on the council's revenue budget")
    assert _modified_otherwise(budget, "The children's services budget is forecast to overspend.")
    assert not _modified_otherwise(budget, "The new budget is forecast to overspend.")  # adjective
    grants = Asked.of("government Covid-19 grants received")
    assert _modified_otherwise(
        grants, "The Council received £1.1 million from the Local Stop Smoking Support Grant."
    )
    assert not _modified_otherwise(grants, "Grants of £29.6 million were received.")
    assert not _modified_otherwise(budget, "Designated Officer. The budget was overspent.")
    hits = [hit(other, "2023-09-26")]
    assert select(hits, asked) == []  # type: ignore[arg-type]
    saved = trend.OTHER_MODIFIER
    trend.OTHER_MODIFIER = False
    try:
        [point] = select(hits, asked)  # type: ignore[arg-type]
        assert point.figure.value == 900.0
    finally:
        trend.OTHER_MODIFIER = saved


def test_a_question_asking_a_target_reads_an_aim_before_a_level_named_as_well() -> None:
    """Of a meeting's passages, the one aiming at a figure comes first for a target asked,
    though another names a little more of the question."""
    aims = hit(
        "Our targets for 2025/26\n\n- Approve 30 new fostering households this year",
        "2025-01-23",
    )
    level = hit("New scheme: 6 new fostering households recruited so far", "2025-01-23")
    question = "target for recruiting new fostering households"
    [point] = select([level, aims], Asked.of(question))  # type: ignore[list-item]
    assert point.figure.value == 30.0
    with off("TARGET_ASKED"):
        [point] = select([level, aims], Asked.of(question))  # type: ignore[list-item]
        assert point.figure.value == 6.0


def test_a_figure_compared_for_another_thing_is_that_thing_s_current_one() -> None:
    text = (
        "The average weekly cost of an independent fostering agency placement is £810, "
        "compared with £390 for an in-house foster placement."
    )
    assert values(text) == [810.0, 390.0]
    # another time or the country, not another thing
    assert values("It was 81%, compared with 58% for the same period last year.") == [81.0]
    assert values("It was 81%, compared with 58% in 2014/15.") == [81.0]
    question = "average weekly cost of an in-house foster placement"
    [point] = select([hit(text, "2019-02-26")], Asked.of(question))  # type: ignore[list-item]
    assert point.figure.value == 390.0
    with off("THINGS_COMPARED"):
        assert values(text) == [810.0]


def test_an_irregular_participle_ends_the_measure_s_noun_phrase() -> None:
    from qa_service import trend_head
    from qa_service.trend_head import measure_head
    from qa_service.trend_read import asked_unit

    question = "money put into extra Care Act assessment capacity"
    assert measure_head(question) == "money" and asked_unit(question) == "£"
    assert measure_head("revenue spent to date") == "revenue"
    trend_head.IRREGULAR_ENDS = False
    try:
        assert measure_head(question) == "put" and asked_unit(question) is None
    finally:
        trend_head.IRREGULAR_ENDS = True
