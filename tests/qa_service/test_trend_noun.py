"""A figure's own noun, for a trend: an amount or count of another thing is another measure."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qa_service.trend import select
from qa_service.trend_noun import other_thing
from qa_service.trend_read import figures
from qa_service.trend_sentence import Asked
from tests.qa_service.test_trend import hit


def _other(question: str, text: str, value: float, weights: dict[str, float] | None = None) -> bool:
    asked = Asked.of(question, weights)
    [f] = [g for g in figures(text) if g.value == pytest.approx(value)]
    return other_thing(text, f, (0, len(text)), asked)


@pytest.mark.parametrize(
    ("question", "text", "value", "other"),
    [
        # an amount is of the noun it is written with
        (
            "children's services overspend",
            "The IRO and child protection chair service has a staffing budget of £612,000.",
            612000.0,
            True,
        ),
        ("public health grant", "It omitted £0.5 million of backdated fee increases.", 5e5, True),
        ("children's services overspend", "There was an overspend of £4.1 million.", 4.1e6, False),
        ("net revenue budget", "The net revenue budget of £318.6 million was set.", 318.6e6, False),
        # nouns joined by "and" are the amount's together
        ("savings in the budget", "Savings and additional income of £0.84 million.", 8.4e5, False),
        # a noun naming only a quantity says nothing of what it is
        ("community account balance", "The account held a total of £11,066.", 11066.0, False),
        ("standard weekly rate", "Packages cost an average of £1,450 a week.", 1450.0, False),
        # an amount without a noun of its own is left to the sentence
        (
            "children's services overspend",
            "Children's services overspent by £1.7 million.",
            1.7e6,
            False,
        ),
        # a count is of the words after it (one of another thing: the next test)
        ("prosecutions for fly-tipping", "The Council had brought 14 prosecutions.", 14.0, False),
        # ... unless the words before it say what it measures
        ("average social worker caseload", "The average caseload was 21 children.", 21.0, False),
        # ... or it is the question's phrase written otherwise
        ("number of children in care", "There were 531 looked after children.", 531.0, False),
        # a count with no words of its own is left to the sentence
        ("number of children in care", "The number rose to 531 at 31 March.", 531.0, False),
        # a count "of the" whole a later share is of is that whole, not the measure
        ("occupancy of the marina berths", "Occupancy of the 420 berths was 96%.", 420.0, True),
        ("marina berths", "Two of the 420 marina berths were empty.", 420.0, False),
        # shares are not read by their noun
        ("social worker vacancy rate", "Turnover fell to 19% of the workforce.", 19.0, False),
    ],
)
def test_an_amount_or_count_of_another_thing(
    question: str, text: str, value: float, other: bool
) -> None:
    assert _other(question, text, value) is other


def test_a_count_whose_sentence_names_the_rarest_word_may_call_it_otherwise() -> None:
    """ "38 Kelsworth residents" names none of "people medically fit for discharge but still
    in hospital", but its sentence names the question's rarest word: residents are people."""
    text = (
        "The Director said that an average of 38 Kelsworth residents a day had been medically"
        " fit for discharge but still in Kelsworth General Hospital in June 2022."
    )
    weights = {"peopl": 1.5, "medic": 4.0, "fit": 3.5, "disch": 4.4, "still": 2.6, "hospi": 3.1}
    question = "people medically fit for discharge but still in hospital"
    assert not _other(question, text, 38.0, weights)
    # a sentence not naming the rarest word ("prosecutions") gives no such licence
    weights = {"prose": 5.3, "fly": 3.9, "tippi": 3.9}
    assert _other(
        "prosecutions for fly-tipping",
        "There were 6,842 incidents of fly-tipping.",
        6842.0,
        weights,
    )


def test_a_figure_of_another_thing_gives_no_point() -> None:
    """The meeting's only sentence naming half of "children's services overspend" states a
    staffing budget: no point, where the budget was read before; an overspend is still read."""
    weights = {"child": 2.0, "servi": 2.1, "overs": 3.0}
    asked = Asked.of("children's services overspend", weights)
    budget = "12.1 The IRO and child protection chair service has a staffing budget of £612,000."
    assert select([hit(budget, "2022-10-12")], asked) == []  # type: ignore[list-item]
    overspend = "Children's services overspent by £1.7 million in the quarter."
    [point] = select([hit(overspend, "2023-09-19")], asked)  # type: ignore[list-item]
    assert point.figure.value == pytest.approx(1.7e6)


def test_a_whole_whose_parts_are_of_another_thing_is_still_read() -> None:
    """ "£12.1 million, including £3.6 million of Disabled Facilities Grant": the part is of
    another thing and dropped, and the whole is read (this raised an error before)."""
    asked = Asked.of("general fund balance")
    text = (
        "The general fund balance was £12.1 million, including £3.6 million of Disabled"
        " Facilities Grant."
    )
    [point] = select([hit(text, "2024-02-27")], asked)  # type: ignore[list-item]
    assert point.figure.value == pytest.approx(12.1e6)


def test_a_figure_on_the_other_side_of_a_contrast_is_another_measure() -> None:
    """The question's rarest word said only in a later clause of contrast with no figure
    ("but a similar number have left"): the sentence's figure is the other side of it."""
    weights = {"foste": 3.1, "house": 2.0, "left": 4.6, "year": 1.1}
    question = "fostering households that left in the year"
    text = (
        "Over the last three years the Council has approved an average of 21 new fostering"
        " households a year, but a similar number have left, largely through retirement."
    )
    assert _other(question, text, 21.0, weights)
    asked = Asked.of(question, weights)
    assert select([hit(text, "2019-03-12")], asked) == []  # type: ignore[list-item]
    # the word said before the contrast, or with a figure of its own, is not the other side
    said = "In 2023/24 26 households left the service, but the approvals rose to 30."
    assert not _other(question, said, 26.0, weights)
    both = "The service approved 19 households, but 23 households had left the service."
    assert not _other(question, both, 19.0, weights)


def test_the_cost_of_an_amount_names_a_quantity_not_a_thing() -> None:
    """ "the cost of £412,000" says only that it is money: what it costs is the sentence's."""
    text = (
        "There were six episodes of remand to youth detention accommodation, and the County"
        " Council met the cost of £412,000."
    )
    assert not _other("cost of remands to youth detention accommodation", text, 412000.0)
    # a noun naming a thing beside it still does
    text = "The service has a staffing cost of £612,000."
    assert _other("children's services overspend", text, 612000.0)


def test_a_figure_before_a_later_clause_naming_the_rarest_word_without_one() -> None:
    """The rarest word said only in a later clause joined by "and" that states no current
    figure (a bound, "more than 30", is none): the earlier figure is another measure's."""
    weights = {"newly": 5.3, "quali": 3.4, "socia": 2.7, "work": 2.9, "recru": 4.0}
    question = "newly qualified social workers recruited"
    text = (
        "Social workers held an average caseload of 28 children, and some newly qualified"
        " social workers were holding more than 30 cases."
    )
    assert _other(question, text, 28.0, weights)
    # a later clause stating a current figure of its own is not the other side
    text = (
        "Social workers held an average caseload of 28 children, and 17 newly qualified"
        " social workers had joined."
    )
    assert not _other(question, text, 28.0, weights)


def test_all_before_a_count_counts_the_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    import qa_service.trend_noun as trend_noun

    text = (
        "The conversion of all 32,000 street lights to LED had been completed in June 2022,"
        " three months later than planned."
    )
    asked = Asked.of("number of street lights to be converted to LED")
    [f] = figures(text)
    assert not other_thing(text, f, (0, len(text)), asked)
    monkeypatch.setattr(trend_noun, "ALL_IS_WHOLE", False)  # read as some that were completed
    assert other_thing(text, f, (0, len(text)), asked)


def test_an_amount_from_someone_named_is_of_the_noun_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import qa_service.trend_noun as trend_noun

    text = "Revised quote from Mark Bearcroft of £4,800 for essential works."
    asked = replace(Asked.of("quote for repairs to the village hall boundary wall"), any_unit=True)
    [f] = figures(text)
    assert not other_thing(text, f, (0, len(text)), asked)
    monkeypatch.setattr(trend_noun, "FROM_A_NAME", False)  # "Mark Bearcroft" read as its noun
    assert other_thing(text, f, (0, len(text)), asked)
