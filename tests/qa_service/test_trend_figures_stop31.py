"""The trend reader's choice among a sentence's figures, stop 31: a count with no noun of its
own counts what the count before it counts (``trend_sentence.ELIDED_COUNTS``), and a figure
in brackets of its own is said of the words right before them (``trend_items.BRACKETED``).
Each test checks the reading with its rule off too. The sentences are written here, not
taken from the label files."""

from __future__ import annotations

from index.documents import DocMeta, DocumentRecord
from index.passages import PassageRecord
from qa_service.answers import Hit
from qa_service.trend import select
from qa_service.trend_sentence import Asked
from tests.switches import off


def _point(text: str, question: str) -> float | None:
    """The figure the reader reads for ``question`` from a one-passage paper stating ``text``."""
    meta = DocMeta(council="Northmoor County Council", meeting_date="2021-03-02")
    document = DocumentRecord("doc", "minutes.pdf", "minutes.pdf", "h", meta, "now")
    passage = PassageRecord(1, "a", 1, 0, len(text), None, (), text, document)
    points = select([Hit(passage=passage, score=1.0, dense=0.5)], Asked.of(question))
    return points[0].figure.value if points else None


ELIDED = (
    "Of the complaints investigated this year, 14 tenants were offered compensation, "
    "and 9 were moved to temporary homes while repairs to damp flats were completed."
)


def test_a_count_with_no_noun_of_its_own_counts_what_the_count_before_it_counts() -> None:
    question = "tenants moved to temporary homes during damp repairs"
    assert _point(ELIDED, question) == 9.0
    with off("trend_sentence", "ELIDED_COUNTS"):
        # the 9 counted nothing: "14 tenants" was the only count of tenants
        assert _point(ELIDED, question) == 14.0


def test_a_count_with_a_noun_of_its_own_is_not_elided() -> None:
    text = (
        "The scheme enrolled 40 volunteers in the spring, and 12 schools were visited by "
        "volunteers in the summer term."
    )
    # "12 schools" has its noun: it does not count volunteers, with the rule or without it
    assert _point(text, "volunteers visiting schools in the summer term") == 40.0
    with off("trend_sentence", "ELIDED_COUNTS"):
        assert _point(text, "volunteers visiting schools in the summer term") == 40.0


BRACKETS = (
    "The directorate overspent its budget by £2.3 million in 2022/23, largely because of "
    "agency staff in planning (£1.4 million) and higher energy prices in libraries "
    "(£0.6 million), partly offset by savings elsewhere."
)


def test_a_figure_in_brackets_is_said_of_the_words_right_before_them() -> None:
    assert _point(BRACKETS, "overspend on agency staff in planning") == 1_400_000.0
    assert _point(BRACKETS, "overspend on energy prices in libraries") == 600_000.0
    with off("trend_items", "BRACKETED"):
        # the words before each bracket were the earlier figure's: "agency staff in
        # planning" named the £2.3 million, "higher energy prices in libraries" the £1.4m
        assert _point(BRACKETS, "overspend on agency staff in planning") == 2_300_000.0
        assert _point(BRACKETS, "overspend on energy prices in libraries") == 1_400_000.0


def test_a_count_in_brackets_after_its_noun_leaves_the_noun_to_the_count() -> None:
    text = "The service received 318 contacts (42%) in the quarter."
    # no break between the count and the bracket: the words stay the count's
    assert _point(text, "contacts received by the service") == 318.0


PART_OF_WHOLE = (
    "The inspectors reviewed the borough's parks: eight of the eleven play areas passed the "
    "safety inspection."
)


def test_a_count_in_words_of_some_of_a_whole_counts_the_whole_s_noun() -> None:
    question = "play areas that passed the safety inspection"
    assert _point(PART_OF_WHOLE, question) == 8.0
    with off("trend_read", "WORDS_OF_THE"):
        # "eight of": no noun after it, so the eight was no count; the eleven was read
        assert _point(PART_OF_WHOLE, question) == 11.0


def test_the_part_comes_first_when_what_is_said_of_it_is_asked() -> None:
    question = "play areas that passed the safety inspection"
    with off("trend_sentence", "PART_FIRST"):
        # read, the eight ties with the eleven (the eleven's words run on to "passed the
        # safety inspection" too): the one nearer the question's key words was taken
        assert _point(PART_OF_WHOLE, question) == 11.0
    said_nothing = "Three of the twelve play areas were inspected by the council in March."
    # what is said of the three ("inspected by the council in March") asks nothing: the
    # whole stays as read
    assert _point(said_nothing, "play areas in the borough") == 12.0
