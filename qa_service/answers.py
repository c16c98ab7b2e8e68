"""What the engine answers with: the hits of one question, its answer, a council's column.

Small dataclasses passed from ``retriever.Engine`` to the presenters, the pages, the CLI
and evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from index.store import Filters, PassageRecord
from qa_service.abstention import Evidence
from qa_service.highlight import Span
from qa_service.rerank import Features, YearPreference

Sort = Literal["relevance", "newest", "oldest"]


@dataclass
class Hit:
    """One retrieved passage with its scores and highlighted sentence(s)."""

    passage: PassageRecord
    score: float  # fused relevance, higher is better, comparable within one answer
    dense: float  # cosine similarity of the question to the passage
    sentence: float = 0.0  # cosine similarity of the question to the best sentence
    highlights: list[Span] = field(default_factory=list)  # the span shown (``Chosen.shown``)
    # the answer the highlight chose, without the display's wider neighbour
    # (``highlight.Chosen.core``): what the abstention's evidence and the trend reader read
    core: list[Span] = field(default_factory=list)
    # every sentence of the passage and the question's cosine to each (the highlight's input)
    sentence_spans: list[Span] = field(default_factory=list)
    sentence_scores: np.ndarray | None = None
    # near-identical passages of the same paper at other meetings, folded into this hit
    also_at: list[PassageRecord] = field(default_factory=list)
    features: Features | None = None  # the second stage's evidence, for evaluation
    # How surely the passage answers (see README, "When the service says it cannot answer"):
    # the better of passage and best-sentence cosine, plus the key-term coverage, weighted.
    confidence: float = 0.0


@dataclass
class Answer:
    """The passages that answer a question, best first, and whether they really do."""

    question: str
    answered: bool
    hits: list[Hit]
    filters: Filters
    confidence: float = 0.0
    inferred: Filters = field(default_factory=Filters)  # read from the question's words
    inferred_phrases: list[str] = field(default_factory=list)
    # the meeting dates a year named in the question prefers (not a cut), if any
    preferred: YearPreference | None = None
    notes: list[str] = field(default_factory=list)  # what was done with the filters read
    # "answered" | "weak_match" | "not_in_papers"; ``answered`` is true only for the first
    state: str = "answered"
    evidence: Evidence | None = None  # what the abstention classifier weighed
    expansions: list[str] = field(default_factory=list)  # "LAC = looked after children"


@dataclass
class CouncilAnswer:
    """One council's column in a comparison."""

    council: str
    answer: Answer
