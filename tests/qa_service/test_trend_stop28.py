"""The trend reader's stop-28 readings: a date range's first day, a number opening a title
line, a count in words before "new", and more irregular participles ending the measure.
Each test switches its rule off and checks stop 27's reading too."""

from __future__ import annotations

from qa_service.trend_head import measure_head
from qa_service.trend_read import asked_unit, figures
from tests.switches import off


def test_a_range_s_first_day_is_no_count() -> None:
    text = "Ofsted inspected the service between 16 and 27 September 2019 and judged it good."
    assert figures(text) == []
    with off("trend_read", "DATE_RANGES"):
        assert [f.value for f in figures(text)] == [16.0]


def test_a_number_opening_a_title_line_numbers_its_minute() -> None:
    text = (
        "31 Ofsted Inspection of Local Authority Children's Services (ILACS) - Outcome\n\n"
        "The Director gave a presentation."
    )
    assert figures(text) == []
    # a count opening a sentence is still a count
    assert [f.value for f in figures("31 shops signed up to the scheme.")] == [31.0]
    assert [f.value for f in figures("12 Councillors attended the meeting.")] == [12.0]
    with off("trend_read", "TITLE_NUMBERS"):
        assert [f.value for f in figures(text)] == [31.0]


def test_a_count_in_words_before_new_counts_the_noun_after() -> None:
    text = "Its main features are eight new find-and-fix teams, which will repair all defects."
    nouns = frozenset({"find", "fix", "team"})
    assert [f.value for f in figures(text, nouns=nouns)] == [8.0]
    with off("trend_read", "WORDS_ADDED"):
        assert figures(text, nouns=nouns) == []


def test_an_irregular_participle_after_the_noun_ends_the_measure() -> None:
    assert measure_head("money made by the car boot sale for the fete") == "money"
    assert asked_unit("money made by the car boot sale for the fete") == "£"
    assert measure_head("recommendations made by Ofsted at the inspection") == "recommendations"
    with off("trend_head", "MORE_PARTICIPLES"):
        assert measure_head("money made by the car boot sale for the fete") == "made"
