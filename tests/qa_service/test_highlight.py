"""Sentence splitting and the choice of highlighted sentences."""

import numpy as np
import pytest

from qa_service.highlight import Span, best_sentences, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two three.", ["One.", "Two three."]),
        ("Cllr. Smith spoke. Then Mr. Jones.", ["Cllr. Smith spoke.", "Then Mr. Jones."]),
        ("Rate was 24.1% in Q3. It fell.", ["Rate was 24.1% in Q3.", "It fell."]),
        ("Heading\n\nBody text here", ["Heading", "Body text here"]),
        ("·\xa0\xa0 The visit had highlighted it.", ["The visit had highlighted it."]),
        ("- First item\n- Second item", ["First item", "Second item"]),
        ("", []),
        ("   ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert [text[s.start : s.end] for s in split_sentences(text)] == expected


def test_best_sentence_and_close_neighbour_are_merged() -> None:
    spans = [Span(0, 5), Span(6, 10), Span(11, 20)]
    assert best_sentences(np.array([0.1, 0.9, 0.89]), spans) == [Span(6, 20)]
    assert best_sentences(np.array([0.1, 0.9, 0.5]), spans) == [Span(6, 10)]
    assert best_sentences(np.array([]), []) == []
