"""Whether a later paper is on the subject of a commitment (``qa_service.followthrough``).

The discharge search asks the engine for the commitment's words, and a paper of the expecting
committee may answer them well on another subject: "(3) an annual progress report be
presented to the Place Scrutiny Panel" (on the climate action plan) is answered by the
Panel's minutes on pothole repairs, whose words "annual", "progress" and "report" are its
words too. A commitment's subject is the words of its clause and of the agenda item it lies
under, and a clause with little of its own ("Re-agenda for November.") takes the words of
the paragraph before it. ``subject_share`` weighs each of those words by how rare it is in the
index (an idf: "report", "committee" and "meeting" weigh little) and gives the share of the
weight a candidate passage holds, in its own words, its headings or its paper's title.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Iterable, Mapping

from cqa_core.text import query_terms, words
from index.passages import PassageRecord
from index.records import CommitmentRecord
from qa_service.trend_words import stem

# Dates are when, not what: a month or a number says nothing of the subject.
_WHEN_WORDS = frozenset(m.lower() for m in calendar.month_name if m)
# A clause with fewer subject words than this takes the paragraph before it as well.
FEW_WORDS = 4
# How far back the paragraph before a short clause is read (characters).
CONTEXT = 600


def subject_words(text: str) -> list[str]:
    """The words of ``text`` that can name a subject: content words, not dates or numbers."""
    return [
        w
        for w in query_terms(text)
        if not any(ch.isdigit() for ch in w) and w not in _WHEN_WORDS and len(w) > 2
    ]


def context_before(text: str, start: int) -> str:
    """The paragraph of ``text`` before ``start`` (back to a blank line, at most ``CONTEXT``
    characters): what a short clause such as "Re-agenda for November." is about."""
    lo = max(0, start - CONTEXT)
    before = text[lo:start]
    blank = [m.end() for m in re.finditer(r"\n\s*\n", before)]
    return before[blank[-1] :] if blank else before


def commitment_subject(c: CommitmentRecord, text: str | None) -> str:
    """The words a commitment is about: its clause and its agenda item's heading, and for a
    clause with few subject words, the paragraph before it in the paper's ``text``."""
    heading = c.passage.heading_path[-1] if c.passage.heading_path else ""
    if text is not None and len(subject_words(c.text)) < FEW_WORDS:
        return f"{context_before(text, c.char_start)} {c.text} {heading}"
    return f"{c.text} {heading}"


def _idf(word: str, vocabulary: Mapping[str, int], largest: int) -> float:
    return math.log((largest + 1) / (vocabulary.get(word, 0) + 1)) + 1e-6


def subject_share(
    subject: str, passage: PassageRecord, vocabulary: Mapping[str, int], largest: int
) -> float:
    """The idf-weighted share of ``subject``'s words (by stem) that the passage holds in its
    text, its headings or its paper's title; 1.0 when the subject has no words to weigh."""
    weights: dict[str, float] = {}
    for w in subject_words(subject):
        weights[stem(w)] = max(weights.get(stem(w), 0.0), _idf(w, vocabulary, largest))
    if not weights:
        return 1.0
    held = _stems(
        [passage.text, *passage.heading_path, passage.document.meta.title or ""],
    )
    return sum(v for s, v in weights.items() if s in held) / sum(weights.values())


def _stems(texts: Iterable[str]) -> set[str]:
    return {stem(w) for t in texts for w in words(t)}
