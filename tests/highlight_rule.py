"""The highlight's tests' shared rule and helpers (tests/qa_service/test_highlight_stop25.py,
_stop26, _stop27 and _intro): the stored rule's weights, a question's ``Asked``, and the
answer a rule chooses of a text whose sentences have the given scores."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cqa_core.text import split_sentences, words
from qa_service.highlight import Asked, Span, SpanRule, answer_span, asked_of

# the stored rule's weights (config.py), every switch at its default
RULE = SpanRule(0.3, 0.5, 0.2, follow_bonus=0.05, tie_margin=0.2)


def asked(question: str) -> Asked:
    return asked_of(question, set(words(question)))


def answered(
    text: str,
    scores: list[float],
    asked: Asked,
    rule: SpanRule = RULE,
    spans: Sequence[Span] | None = None,
) -> str:
    """The answer ``rule`` chooses of ``text`` cut into ``spans`` (its sentences by default),
    one score a span: its core (``Chosen.core``; the display's wider neighbour is tested in
    tests/qa_service/test_highlight.py)."""
    spans = list(split_sentences(text) if spans is None else spans)
    assert len(spans) == len(scores)
    chosen = answer_span(text, spans, np.array(scores), asked, rule)
    return " ".join(text[s.start : s.end] for s in chosen.core)
