"""How real papers' text is cut into sentences (stop 26): a stop with no space after it, a
question put as a heading, a stray heading word, a list's marker."""

from __future__ import annotations

import pytest

from cqa_core.text import split_sentences


def _sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_a_full_stop_with_no_space_before_a_capital_ends_the_sentence() -> None:
    text = "This was a matter of the type of investment.The requirement is to separate them."
    assert _sentences(text) == [
        "This was a matter of the type of investment.",
        "The requirement is to separate them.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "See www.example.gov.uk/Page for the plan.",
        "Write to j.smith@Council.gov.uk for a copy.",
        "Cllr.Smith agreed the plan.",
        "A saving of £1.5m.The rest was drawn from reserves.",
        "It was approved, e.g.The plan and its annex.",
        "The file is report.Pdf on the site.",
    ],
)
def test_an_address_an_abbreviation_or_a_figure_is_not_cut(text: str) -> None:
    assert _sentences(text) == [text]


def test_a_question_is_cut_from_the_unfinished_reply_before_it() -> None:
    text = (
        "Yes – the two funds would be dealt with as distinct issues in future years\n"
        "Why was there a material amendment to the pension fund?\n"
        "This was a matter of classification."
    )
    assert _sentences(text) == [
        "Yes – the two funds would be dealt with as distinct issues in future years",
        "Why was there a material amendment to the pension fund?",
        "This was a matter of classification.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        # a wrapped sentence whose line ends on a comma, and a lead-in to its questions
        "The Chair said that members had asked,\nWhy was the report late?",
        "Members put these questions:\nWhat would be the effect on the accounts?",
        # a long line opening with a question's word is prose, not a heading
        "What the Council needs now is a plan that every partner and every resident in the "
        "borough can support over the years\nAnd the plan followed.",
    ],
)
def test_a_question_within_its_sentence_stays(text: str) -> None:
    assert _sentences(text) == [text]


def test_a_stray_heading_word_is_cut_from_the_sentence_it_opens() -> None:
    text = (
        "The Councillors resolved to proceed.\n"
        "Addition The Clerk checked the following day.  The Clerk has confirmed."
    )
    assert _sentences(text) == [
        "The Councillors resolved to proceed.",
        "Addition",
        "The Clerk checked the following day.",
        "The Clerk has confirmed.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The Councillors resolved to proceed.\nFinally The Clerk was thanked.",
        "Yes The Clerk will write to them.",
        "The Clerk reported it.",
    ],
)
def test_an_adverb_or_a_plain_opening_is_no_stray_word(text: str) -> None:
    assert len(_sentences(text)) == text.count(".")


def test_a_list_marker_is_no_sentence_of_its_own() -> None:
    text = (
        "The Executive RESOLVED to:\n\n \n\na.      Approve the Plan in Annexe 1.\n\n \n\n"
        "b.      Endorse the governance structure proposed.\n\n(ii)\n\nNote the responses."
    )
    assert _sentences(text) == [
        "The Executive RESOLVED to:",
        "Approve the Plan in Annexe 1.",
        "Endorse the governance structure proposed.",
        "Note the responses.",
    ]


def test_the_next_items_marker_leaves_the_sentence_it_closed() -> None:
    text = (
        "Cabinet considered the report and RESOLVED to approve:\n1.\n"
        "The Tranche One service proposals.\n2.\nThe updated budget assumptions."
    )
    assert _sentences(text) == [
        "Cabinet considered the report and RESOLVED to approve:",
        "The Tranche One service proposals.",
        "The updated budget assumptions.",
    ]


def test_an_item_number_leaves_the_title_before_it() -> None:
    assert _sentences("805.\nApologies for absence\n806.\nConfirmation of minutes") == [
        "Apologies for absence",
        "Confirmation of minutes",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a label's letter or a reference's number is no list marker
        ("As set out in Appendix A. The plan was agreed.", 2),
        ("As set out in section\n5. The plan was agreed.", 2),
    ],
)
def test_a_labelled_letter_or_a_reference_is_left(text: str, expected: int) -> None:
    assert len(_sentences(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a figure or a year wrapped onto a line of its own ends its sentence: no marker
        "The meeting was held in May\n2019. The Chair opened it.",
        "Children in care\n412. The number rose.",
    ],
)
def test_a_wrapped_figure_is_no_next_items_marker(text: str) -> None:
    assert _sentences(text)[0].endswith(".") and _sentences(text)[0][-4:-1].isdigit()
