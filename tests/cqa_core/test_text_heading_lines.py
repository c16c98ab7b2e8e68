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


def test_an_initial_ends_no_sentence_but_a_label_does() -> None:
    names = "Apologies from Aldermen McCoubrey, R. Brown and Michael D. Higgins. Noted."
    assert _sentences(names) == [
        "Apologies from Aldermen McCoubrey, R. Brown and Michael D. Higgins.",
        "Noted.",
    ]
    labelled = "The list is in Appendix A. Members noted it. Most homes are in Band A. The rest."
    assert _sentences(labelled) == [
        "The list is in Appendix A.",
        "Members noted it.",
        "Most homes are in Band A.",
        "The rest.",
    ]


def test_a_title_case_heading_line_is_not_part_of_the_sentence_below_it() -> None:
    text = (
        "20.07.01  Election of Chair\n"
        "The Councillors resolved that Councillor Richardson remain as Chair.\n"
        "59 Sutton Coldfield in Bloom update\n"
        "The Assistant Town Clerk presented an update.\n"
        "- Webcast for SEND Peer Review\n"
        "The Committee considered Minute 606."
    )
    assert _sentences(text) == [
        "20.07.01  Election of Chair",
        "The Councillors resolved that Councillor Richardson remain as Chair.",
        "59 Sutton Coldfield in Bloom update",
        "The Assistant Town Clerk presented an update.",
        "Webcast for SEND Peer Review",
        "The Committee considered Minute 606.",
    ]


def test_wrapped_lines_rows_and_stacked_labels_stay_with_their_sentence() -> None:
    wrapped = "The Chair thanked the\nOfficers for the report."  # ends in a function word
    short = "Mr Smith said the Leader\nwould reply."  # the next line is no new sentence
    header = "Theme 2024/25 2025/26 Total\nHighways and transport 31.6 22.4 54.0"  # a row under it
    lead_in = "Planning Permissions:-\nDM/2019/00679 – Furnace Farm, an extension of time."
    assert _sentences(wrapped) == [wrapped]
    assert _sentences(short) == [short]
    assert _sentences(header) == [header]
    assert _sentences(lead_in) == [lead_in]  # ":-" leads in like a colon


def test_a_closing_bracket_stays_with_its_sentence() -> None:
    bracket = "Quality of practice (Are we efficient?)\nLeadership was reviewed."
    assert _sentences(bracket) == [
        "Quality of practice (Are we efficient?)",
        "Leadership was reviewed.",
    ]
