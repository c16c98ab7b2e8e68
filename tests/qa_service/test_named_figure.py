"""A figure inside a name, read once for the abstention and the trend reader."""

from __future__ import annotations

from qa_service.named_figure import NAMED_WORD, named_spans, without_named_figures


def test_a_figure_inside_a_name_is_found_but_not_a_sentence_s_first_word() -> None:
    text = "Work on Phase 4 began. Regulation 18 drew comments under ISA 260."
    assert [text[a:b] for a, b in named_spans(text)] == ["Phase 4", "ISA 260"]
    assert without_named_figures("It met in Committee Room 2 on 13 September 2022.") == (
        "It met in Committee   on 13 September 2022."
    )


def test_a_line_s_first_word_is_no_name_when_lines_are_read() -> None:
    text = "Referred on 45\nTotal 302"
    assert [text[a:b] for a, b in named_spans(text)] == ["Total 302"]
    assert named_spans(text, lines=True) == []


def test_a_number_word_inside_a_name() -> None:
    text = "Homes in the Tranche Two scheme and the Council's two schemes."
    assert [text[a:b] for a, b in named_spans(text, NAMED_WORD)] == ["Tranche Two"]
