"""The share of a question's key words (by idf weight) a sentence must name to be about it,
``trend_sentence.ABOUT_SHARE``: fitted leaving one council out (bench/fit_trend_knobs.py,
docs/quality.md "Issue 16, trend reader, stop 29"). A sentence naming exactly half of the
weight measured something else more often than not, and is no longer about the question."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from cqa_core.text import Span, split_sentences
from qa_service import trend_sentence
from qa_service.trend import select
from qa_service.trend_sentence import Asked
from qa_service.trend_words import stems


def asked(question: str) -> Asked:
    """The question with every key word weighing the same."""
    return Asked.of(question, dict.fromkeys(stems(question), 1.0))


def hit(text: str, date: str) -> SimpleNamespace:
    """A hit as ``trend.select`` reads it: one passage of one meeting."""
    meta = SimpleNamespace(council="Eastwold Council", meeting_date=date)
    document = SimpleNamespace(meta=meta, source=f"{date}.pdf")
    passage = SimpleNamespace(text=text, document=document, heading_path=())
    spans = [Span(s.start, s.end) for s in split_sentences(text)]
    return SimpleNamespace(
        passage=passage, highlights=[], sentence_spans=spans, sentence_scores=None
    )


def test_the_share_is_fitted_above_half() -> None:
    assert 0.5 < trend_sentence.ABOUT_SHARE < 0.6


@pytest.mark.parametrize(
    ("sentence", "about"),
    [
        ("Agency social workers filled 21% of posts.", True),  # every key word
        ("Agency staff cost £2.1 million.", False),  # one of two: half
        ("Of 120 posts, 21% were vacant.", False),  # none
    ],
)
def test_a_sentence_naming_half_of_the_question_is_not_about_it(
    sentence: str, about: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = asked("agency social workers")  # three key words, "agency" one of them
    two = asked("agency workers")
    assert two.about(sentence) is about
    # at half, the reader before the fit: a sentence naming one of two is about it
    monkeypatch.setattr(trend_sentence, "ABOUT_SHARE", 0.5)
    assert two.about("Agency staff cost £2.1 million.")
    assert question.about("Agency social workers filled 21% of posts.")


def test_a_meeting_whose_sentence_names_half_of_the_question_gives_no_point(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    question = asked("agency workers share")
    hits = [
        hit("Agency workers made up 21% of the workforce.", "2021-05-18"),
        hit("Spending on agency staff was 12% of the budget.", "2022-05-17"),
    ]
    points = select(hits, question)  # type: ignore[arg-type]
    assert [(p.date, p.figure.value) for p in points] == [("2021-05-18", 21.0)]
    monkeypatch.setattr(trend_sentence, "ABOUT_SHARE", 0.5)
    points = select(hits, question)  # type: ignore[arg-type]
    assert [(p.date, p.figure.value) for p in points] == [
        ("2021-05-18", 21.0),
        ("2022-05-17", 12.0),
    ]
