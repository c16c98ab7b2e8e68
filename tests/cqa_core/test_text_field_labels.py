"""A field's label alone on its line ("Minutes:", "Decision:") is no word of the sentence
under it."""

from __future__ import annotations

import pytest

from cqa_core.text import split_sentences


def _sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a council web page's item: the field's label on a line of its own above its text
        (
            "Minutes:\nOfficers presented the draft SEND Sufficiency Strategy. Members asked.",
            [
                "Minutes:",
                "Officers presented the draft SEND Sufficiency Strategy.",
                "Members asked.",
            ],
        ),
        # labels in a row, each a span of its own
        (
            "To consider the report.\nDecision:\nAgreed:\nRECOMMENDED that Council approve it.",
            [
                "To consider the report.",
                "Decision:",
                "Agreed:",
                "RECOMMENDED that Council approve it.",
            ],
        ),
        ("RESOLVED:\nThat the minutes be agreed.", ["RESOLVED:", "That the minutes be agreed."]),
        (
            "Reasons for Decision:\nThe policy is out of date.",
            ["Reasons for Decision:", "The policy is out of date."],
        ),
        # after a heading line that was cut, a label is cut too
        (
            "Apologies\nMinutes:\nApologies were received from Cllr Ross.",
            ["Apologies", "Minutes:", "Apologies were received from Cllr Ross."],
        ),
    ],
)
def test_a_field_label_line_is_a_sentence_apart(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a wrapped line that ends on a word and a colon is the sentence's, not a label
        "During the discussion, Members raised the following points and\nQuestions:\nWhy now?",
        # a lead-in of ordinary words stays with what it leads in to
        "The Committee resolved to:\nApprove the outlined proposals.",
        # a label whose text starts in lower case is left as it was
        "Note:\nthe figures are provisional.",
    ],
)
def test_no_cut_where_the_colon_line_is_no_label(text: str) -> None:
    assert len(_sentences(text)) == 1
