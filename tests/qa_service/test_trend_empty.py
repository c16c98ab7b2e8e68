"""A question the trend reader reads nothing for, read again (``trend.chosen``, stop 30): in
any unit, when the unit its words guess gives nothing and a sentence names its measure's head;
then at a lower share of its key words' weight (``trend.EMPTY_SHARE``). Each test checks the
reading with its rule off too."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from qa_service import trend
from qa_service.trend import chosen, select
from qa_service.trend_read import asked_unit
from qa_service.trend_sentence import Asked
from tests.switches import off


def hit(text: str, date: str) -> SimpleNamespace:
    """A hit as ``trend.select`` reads it."""
    meta = SimpleNamespace(council="Eastwold Council", meeting_date=date)
    document = SimpleNamespace(meta=meta, source=f"{date}.html")
    passage = SimpleNamespace(text=text, document=document, heading_path=())
    return SimpleNamespace(passage=passage, highlights=[], core=[])


def test_a_unit_guessed_wrong_gives_way_when_nothing_is_read_in_it() -> None:
    """ "prices" makes the question ask money; the papers state the rise as a share."""
    question = "rise in the prices of residential placements"
    assert asked_unit(question) == "£"
    hits = [
        hit("Prices of residential placements have risen by around 12% in two years.", "2019-02-26")
    ]
    asked = Asked.of(question)
    assert select(hits, asked) == []  # type: ignore[arg-type]
    [point] = chosen(hits, asked)  # type: ignore[arg-type]
    assert (point.figure.value, point.figure.unit) == (12.0, "%")
    with off("trend", "EMPTY_ANY_UNIT"):
        assert chosen(hits, asked) == []  # type: ignore[arg-type]


def test_a_figure_in_another_unit_must_name_the_measure_s_head() -> None:
    """Read in any unit, a sentence must still name what is measured ("budget")."""
    hits = [hit("Placements for children in care rose by 5% in the year.", "2023-03-07")]
    assert chosen(hits, Asked.of("budget for placements for children in care")) == []  # type: ignore[arg-type]


def test_a_question_with_a_point_is_not_read_again() -> None:
    """A question that has a point in its unit keeps it: nothing in another unit is added."""
    question = "rise in the prices of residential placements"
    hits = [
        hit("Prices of residential placements rose by £120 a week to £4,200.", "2019-02-26"),
        hit(
            "Prices of residential placements have risen by around 12% in two years.", "2020-02-26"
        ),
    ]
    points = chosen(hits, Asked.of(question))  # type: ignore[arg-type]
    assert {p.figure.unit for p in points} == {"£"}


def test_a_question_nothing_is_read_for_is_read_at_a_lower_share(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The sentence names 0.47 of the key words' weight ("footways", "council"; not "length",
    "maintains"): under half, so nothing at first; over ``EMPTY_SHARE``, so a point."""
    question = "length of footways the council maintains"
    weights = {"footw": 2.0, "counc": 0.2, "lengt": 1.4, "maint": 1.1}
    text = (
        "The County Council is the highway authority for 5,260 km of roads and 3,900 km of "
        "footways."
    )
    hits = [hit(text, "2022-01-12")]
    asked = Asked.of(question, weights)
    assert trend.EMPTY_SHARE < 0.47 < 0.5
    assert select(hits, asked) == []  # type: ignore[arg-type]
    [point] = chosen(hits, asked)  # type: ignore[arg-type]
    assert point.figure.value == 3900.0
    monkeypatch.setattr(trend, "EMPTY_SHARE", 0.5)  # stop 29's reading
    assert chosen(hits, asked) == []  # type: ignore[arg-type]


def test_a_question_read_at_the_half_bar_is_not_read_lower() -> None:
    """A meeting with a sentence naming half gives its point; another meeting's sentence
    naming 0.47 gives none: the lower share is only for a question read nothing for."""
    question = "length of footways the council maintains"
    weights = {"footw": 2.0, "counc": 0.2, "lengt": 1.4, "maint": 1.1}
    hits = [
        hit("The council maintains 3,850 km of footways.", "2021-01-12"),
        hit("The County Council is the highway authority for 3,900 km of footways.", "2022-01-12"),
    ]
    points = chosen(hits, Asked.of(question, weights))  # type: ignore[arg-type]
    assert [p.figure.value for p in points] == [3850.0]
