"""Sentence spans and the upper-case heading line run into the sentence below it."""

from __future__ import annotations

from cqa_core.text import split_sentences


def _sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split_sentences(text)]


def test_an_upper_case_item_heading_is_not_part_of_the_sentence_below_it() -> None:
    text = (
        "1 DECLARATIONS OF INTEREST\n"
        "The Chair declared a personal interest as a partner. Mr Smith did too.\n"
        "3 AUDIT COMMISSION INTERIM REPORT (Agenda item 4)\n"
        "The Committee noted the report."
    )
    assert _sentences(text) == [
        "1 DECLARATIONS OF INTEREST",
        "The Chair declared a personal interest as a partner.",
        "Mr Smith did too.",
        "3 AUDIT COMMISSION INTERIM REPORT (Agenda item 4)",
        "The Committee noted the report.",
    ]


def test_upper_case_text_and_wrapped_lines_stay_one_sentence() -> None:
    # an upper-case sentence wrapped over lines, and a line that ends mid-sentence
    shouted = "THE COMMITTEE AGREED\nTHE BUDGET FOR 2024/25."
    wrapped = "The Chair thanked the\nofficers for the report."
    stopped = "NOTE: the figures are provisional.\nThey will change."
    assert _sentences(shouted) == [shouted]
    assert _sentences(wrapped) == [wrapped]
    assert _sentences(stopped) == ["NOTE: the figures are provisional.", "They will change."]
