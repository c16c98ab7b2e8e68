"""bench/fit_trend_like.py: the likeness of a sentence read at the stored sentence it
overlaps, the key words' verdict turned past the cuts, the reader's ``_is_about`` wrapped and
restored, and the cuts chosen per fold on the other folds only. The cosines are set by hand
(a fake embedder's are not the model's)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np

from bench.fit_trend_like import (
    ABOVE,
    BELOW,
    Question,
    best,
    cuts_set,
    likeness,
    out_of_fold,
    turned,
)
from cqa_core.text import Span, split_sentences
from qa_service import trend
from qa_service.trend import select
from qa_service.trend_sentence import Asked


def hit(text: str, cosines: list[float] | None) -> SimpleNamespace:
    """A hit as ``trend.select`` reads it, with the question's cosine to each sentence."""
    meta = SimpleNamespace(council="Eastwold Council", meeting_date="2021-05-18")
    document = SimpleNamespace(meta=meta, source="2021-05-18.pdf")
    passage = SimpleNamespace(text=text, document=document, heading_path=())
    spans = [Span(s.start, s.end) for s in split_sentences(text)]
    scores = None if cosines is None else np.array(cosines, dtype=np.float32)
    return SimpleNamespace(
        passage=passage, highlights=[], core=[], sentence_spans=spans, sentence_scores=scores
    )


def test_a_span_is_read_at_the_stored_sentence_it_overlaps_most() -> None:
    text = "Header line. The figure was 12 in all. Closing words."
    h = hit(text, [0.1, 0.7, 0.2])
    start = text.index("The figure")
    assert likeness(h, (start, start + 10)) == np.float32(0.7)
    assert likeness(h, (0, len(text))) == np.float32(0.7)  # the longest overlap: the middle
    assert likeness(hit(text, None), (0, 5)) is None
    assert likeness(SimpleNamespace(passage=h.passage), (0, 5)) is None


def test_the_words_verdict_is_turned_only_past_a_cut() -> None:
    assert turned(False, 0.7, 0.66, 0.3) and not turned(False, 0.6, 0.66, 0.3)
    assert not turned(True, 0.2, 0.66, 0.3) and turned(True, 0.4, 0.66, 0.3)
    assert turned(True, None, 0.66, 0.3) and not turned(False, None, 0.66, 0.3)
    assert not turned(False, 0.99, math.inf, -math.inf)  # "off": the words alone
    assert turned(True, -0.99, math.inf, -math.inf)


VENUE = "The Riverside Hall has a maximum capacity of 450 seated."
VENUE_ASKED = "how many people the Riverside Hall venue can hold at a concert"


def test_the_reader_is_turned_for_the_block_and_restored() -> None:
    asked = Asked.of(VENUE_ASKED)
    before = trend._is_about
    assert [p.figure.value for p in select([hit(VENUE, [0.7])], asked)] == []  # type: ignore[list-item]
    with cuts_set(0.66, -math.inf):
        assert [p.figure.value for p in select([hit(VENUE, [0.7])], asked)] == [450.0]  # type: ignore[list-item]
        assert [p.figure.value for p in select([hit(VENUE, [0.6])], asked)] == []  # type: ignore[list-item]
    assert trend._is_about is before


def test_each_fold_is_scored_at_the_cuts_chosen_on_the_others() -> None:
    questions = [
        Question("a.json", "A", "q1", set(), [], None),
        Question("b.json", "B", "q2", set(), [], None),
    ]
    off, on = (ABOVE[0], BELOW[0]), (0.66, BELOW[0])
    # A gains at "on", B loses there: each fold takes the other's best
    scores = {off: [(10, 10, 8), (10, 10, 8)], on: [(10, 10, 10), (10, 12, 6)]}
    pooled, chosen = out_of_fold(questions, scores, lambda q: q.council)
    assert chosen["A"][0] == off and chosen["B"][0] == on
    assert pooled == (20, 22, 14)
    # a tie keeps the cuts nearest off
    assert best([on, off], lambda c: (10, 10, 8)) == off
