"""General word forms and table cells of the trend reader (docs/quality.md, "Issue 16,
general word forms and table cells, stop 22")."""

from __future__ import annotations

import pytest

from qa_service.trend_parts import part
from qa_service.trend_read import figures
from qa_service.trend_sentence import Asked, _stated
from qa_service.trend_table import money_columns, rows
from qa_service.trend_words import about, counted_as, stem, stems


@pytest.mark.parametrize(
    ("one", "other"),
    [("owns", "owned"), ("owns", "owning"), ("fees", "fee"), ("jobs", "job"), ("uses", "used")],
)
def test_a_short_word_s_forms_share_the_lexical_search_s_stem(one: str, other: str) -> None:
    assert stem(one) == stem(other)


def test_longer_words_keep_their_five_letter_stems() -> None:
    assert stem("smoking") == stem("smoked") == "smok"
    assert stem("homes") == "home"
    assert stem("placements") == "place"


def test_which_words_are_key_is_unchanged_by_the_folding() -> None:
    # "owns" stays a key word ("own" is a function word: "the Council's own estate")
    assert "own" in stems("number of council homes the council owns")
    assert "own" not in stems("the Council's own estate and homes")


def test_an_amount_in_millions_is_read_to_the_penny() -> None:
    (amount,) = figures("an overspend of £8.3 million")
    assert amount.value == 8_300_000


def test_a_sentence_in_another_form_of_the_question_s_verb_is_about_it() -> None:
    question = "number of council homes the council owns"
    assert stems(question) <= stems("the Council owned 14,620 homes")
    assert about(question, "The Director of Housing said that the Council owned 14,620 homes.")


_HIGHWAYS = """Table 2: Highway maintenance capital budget 2022/23
Source £ million
Highways Maintenance Block - needs element (DfT) 14.2
County Council borrowing (existing programme) 3.0
Total 26.9
5.2 Without the investment, the proportion is forecast to rise."""


def test_a_table_s_amounts_take_the_unit_its_header_gives() -> None:
    cells = [r.cell for r in rows(_HIGHWAYS)]
    assert [(c.value, c.unit) for c in cells if c] == [
        (14_200_000, "£"),
        (3_000_000, "£"),
        (26_900_000, "£"),
    ]


def test_the_total_row_states_what_its_caption_names() -> None:
    asked = Asked.of("highway maintenance budget for the year")
    read = {
        _HIGHWAYS[r.start : r.end]: _stated(_HIGHWAYS, r.start, r.end, asked)
        for r in rows(_HIGHWAYS)
    }
    assert [f.value for f in read["Total 26.9"]] == [26_900_000]
    assert read["Highways Maintenance Block - needs element (DfT) 14.2"] == []


def test_a_part_row_naming_what_the_caption_does_not_is_read() -> None:
    asked = Asked.of("highway maintenance budget from county council borrowing")
    row = next(r for r in rows(_HIGHWAYS) if _HIGHWAYS[r.start : r.end].startswith("County"))
    assert [f.value for f in _stated(_HIGHWAYS, row.start, row.end, asked)] == [3_000_000]


@pytest.mark.parametrize(
    ("line", "columns"),
    [
        ("Source £ million", [("Source", 1e6)]),
        (
            "Budget £m Forecast £m Variance £m",
            [("Budget", 1e6), ("Forecast", 1e6), ("Variance", 1e6)],
        ),
        ("Service area £000", [("Service area", 1e3)]),
        ("The cost rose to £4.2 million", []),
        ("Measure 2021/22 2022/23", []),
    ],
)
def test_money_columns(line: str, columns: list[tuple[str, float]]) -> None:
    assert money_columns(line) == columns


def test_of_several_amount_columns_the_one_the_question_names() -> None:
    text = (
        "Service Budget £m Forecast £m Variance £m\nPlacements for children in care 19.6 23.5 3.9\n"
    )
    row = rows(text)[0]
    asked = Asked.of("budget for placements for children in care")
    assert [f.value for f in _stated(text, row.start, row.end, asked)] == [19_600_000]


def test_an_amount_before_the_part_its_clause_names_is_the_asked_part() -> None:
    asked = Asked.of("overspend on placements for children in care")
    text = (
        "The report explained that £8.3 million of the children's services overspend "
        "related to placements for children in care."
    )
    (amount,) = figures(text)
    assert not part(text, amount, asked)
    assert [f.value for f in _stated(text, 0, len(text), asked)] == [8_300_000]


def test_an_amount_of_the_whole_asked_is_still_a_part() -> None:
    asked = Asked.of("children's services overspend")
    text = "£1.1 million of the children's services overspend was met from reserves."
    (amount,) = figures(text)
    assert part(text, amount, asked)


def test_a_folded_word_s_rarity_is_counted_as_written() -> None:
    # the weight of "owns" is that of the word written, not of the function word "own"
    assert counted_as("number of council homes the council owns") == {
        "counc": "counc",
        "home": "home",
        "own": "owns",
    }
