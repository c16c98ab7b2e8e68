"""The trend reader's stop-27 readings: the unit asked (a charge per a base, a value, things
counted that money pays for), the base a figure is stated on, the verbs a paper words
otherwise, a whole a sentence opens with, and a money table's cells read within a longer span.
Each test switches its rule off and checks stop 26's reading too."""

from __future__ import annotations

from types import SimpleNamespace

from qa_service.trend import select
from qa_service.trend_read import asked_unit
from qa_service.trend_sentence import Asked
from tests.switches import off


def hit(text: str, date: str = "2021-05-18") -> SimpleNamespace:
    """A hit as ``trend.select`` reads it."""
    meta = SimpleNamespace(council="Eastwold Council", meeting_date=date)
    document = SimpleNamespace(meta=meta, source=f"{date}.pdf")
    passage = SimpleNamespace(text=text, document=document, heading_path=())
    return SimpleNamespace(passage=passage, highlights=[], core=[])


def values(text: str, question: str) -> list[float]:
    return [p.figure.value for p in select([hit(text)], Asked.of(question))]  # type: ignore[list-item]


def test_a_charge_asked_per_a_base_asks_an_amount() -> None:
    assert asked_unit("nightly charge per metre for visiting boats") == "£"
    assert asked_unit("residual household waste per household") is None
    with off("trend_read", "PER_BASE"):
        assert asked_unit("nightly charge per metre for visiting boats") is None


def test_a_measure_whose_head_is_a_value_asks_an_amount() -> None:
    assert asked_unit("yearly value of the contract for the new carers' hub") == "£"
    with off("trend_read", "VALUE_IS_MONEY"):
        assert asked_unit("yearly value of the contract for the new carers' hub") is None


def test_things_counted_that_money_pays_for_ask_no_amount() -> None:
    question = "extra social work posts paid for by the council's investment"
    assert asked_unit(question) is None
    assert asked_unit("bus routes that would be withdrawn or reduced by the budget") is None
    # money still asked: its head is money, or the plural is a name's word or a modifier
    assert asked_unit("children's services overspend") == "£"
    assert asked_unit("Pupil Premium Plus funding for each child in care") == "£"
    assert asked_unit("savings expected from the transformation programme") == "£"
    with off("trend_read", "COUNTED_THINGS"):
        assert asked_unit(question) == "£"


BERTHS = (
    "The Port Business Manager said that annual berthing charges would rise by 3.5% from 1 "
    "July 2021, taking the charge for a 10-metre boat from £3,140 to £3,250 a year. Visitor "
    "berths would cost £2.90 per metre per night."
)


def test_a_figure_stated_on_the_base_asked_comes_first() -> None:
    question = "nightly charge per metre for visiting boats"
    assert values(BERTHS, question) == [2.9]
    with off("trend_read", "PER_BASE"):  # no amount asked: the 10-metre boat's 10
        assert values(BERTHS, question) == [10.0]


def test_the_verbs_of_a_question_are_not_words_a_sentence_must_name() -> None:
    asked = Asked.of("how many people the Summer concert venue can hold")
    sentence = "The maximum capacity of the venue for the event is for 7,500 people."
    assert asked.about(sentence)
    # its other key words are still asked for
    assert not asked.about("Each coach can hold 50 people.")
    with off("trend_sentence", "VERBS_FREE"):
        assert not asked.about(sentence)


def test_a_condition_opened_by_a_verb_is_an_event_whose_words_are_asked() -> None:
    # the index's idf weights: "council" is common
    weights = {"pay": 4.36, "appea": 6.03, "plan": 3.89, "counc": 1.76, "losin": 7.13}
    asked = Asked.of("costs the council had to pay after losing a planning appeal", weights)
    sentence = (
        "That decision had been overturned on appeal and costs of £62,000 had been awarded "
        "against the Council."
    )
    assert asked.about(sentence)
    assert not asked.about("The Council had to pay £5,000 after losing the case.")
    # a condition opened by a noun is still one: "budget gap before savings"
    assert Asked.of("budget gap before savings").about("The budget gap was £12 million.")
    with off("trend_sentence", "VERBS_FREE"):
        assert not asked.about(sentence)


SAVINGS = (
    "5.1 Of the savings of £14.5 million included in the 2023/24 budget, £10.9 million (75%) "
    "are on track to be delivered and £3.6 million are at risk."
)


def test_a_whole_a_sentence_opens_with_is_the_base_of_its_part() -> None:
    assert values(SAVINGS, "savings on course to be delivered this year") == [10900000.0]
    # the whole asked: its part's words name nothing of the question the whole's do not
    assert values(SAVINGS, "savings included in the budget") == [14500000.0]
    with off("trend_parts", "FRONTED_WHOLE"):
        assert values(SAVINGS, "savings on course to be delivered this year") == [14500000.0]


TABLE = (
    "Table 1: Budget pressures and funding changes 2024/25 (£ million)\n"
    "Item £m\n"
    "Pay awards and price inflation 13.1\n"
    "Temporary accommodation 2.2\n"
    "Waste disposal costs 1.0\n"
    "Total pressures 36.1"
)


def test_a_money_table_s_cells_in_a_longer_span_are_no_counts() -> None:
    question = "units of temporary accommodation the council has of its own"
    text = f"Table 1 shows the pressures built into the budget. {TABLE}"
    assert values(text, question) == []
    # (stop 31's ``ROWS_OWN_CELLS`` drops a span's figures inside rows: off, to see this rule)
    with off("trend_sentence", "ROW_AMOUNTS"), off("trend_sentence", "ROWS_OWN_CELLS"):
        assert values(text, question) == [2.2]
