"""Retrieve -> answer: hybrid search with filters, supersedes, sorting, highlights, abstention.

The engine owns the open index (SQLite store + FAISS) and the embedder.  It reloads the
dense index when another process commits a new generation, so a running server picks up
new documents without a restart.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import numpy as np

from index.base import Query
from index.dense import DenseIndex
from index.embedder import Embedder
from index.fusion import reciprocal_rank_fusion
from index.lexical import LexicalIndex, query_terms
from index.store import Filters, PassageRecord, Store
from index.writer import load_dense
from ingest.errors import InvalidQueryError
from qa_service.config import Settings
from qa_service.highlight import Span, best_sentences, split_sentences

Sort = Literal["relevance", "newest", "oldest"]


@dataclass
class Hit:
    """One retrieved passage with its scores and highlighted sentence(s)."""

    passage: PassageRecord
    score: float  # fused relevance, higher is better, comparable within one answer
    dense: float  # cosine similarity of the question to the passage
    sentence: float = 0.0  # cosine similarity of the question to the best sentence
    highlights: list[Span] = field(default_factory=list)
    # near-identical passages of the same paper at other meetings, folded into this hit
    also_at: list[PassageRecord] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        """How well the passage answers: the better of passage and best-sentence similarity."""
        return max(self.dense, self.sentence)


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
    expansions: list[str] = field(default_factory=list)  # "LAC = looked after children"


@dataclass
class CouncilAnswer:
    """One council's column in a comparison."""

    council: str
    answer: Answer


class Engine:
    """Answers questions over one index folder."""

    def __init__(self, index_dir: Path, embedder: Embedder, settings: Settings | None = None):
        self.settings = settings or Settings(index=index_dir)
        self.index_dir = index_dir
        self.embedder = embedder
        self.store = Store.open(index_dir)
        self.lexical = LexicalIndex(self.store)
        self._reload_lock = threading.Lock()
        self._generation = -1
        self.dense: DenseIndex
        self.refresh()

    def close(self) -> None:
        """Release the database connection."""
        self.store.close()

    def refresh(self) -> None:
        """Reload the dense index if another process committed since it was loaded."""
        generation = self.store.generation()
        if generation == self._generation:
            return
        with self._reload_lock:
            if generation != self._generation:
                self.dense = load_dense(self.index_dir, self.store)
                self._generation = generation

    # --- questions ------------------------------------------------------------------

    def encode_question(self, question: str) -> Query:
        """The question as both indexes read it."""
        vector = self.embedder.encode([question])[0]
        return Query(text=question, vector=vector, terms=tuple(query_terms(question)))

    def ask(
        self,
        question: str,
        top_k: int = 5,
        filters: Filters | None = None,
        sort: Sort = "relevance",
        query: Query | None = None,
        infer_filters: bool = True,
    ) -> Answer:
        """The ``top_k`` passages that best answer ``question`` among those passing filters.

        With ``infer_filters``, a council or year that the question names becomes a filter
        where the given filters leave that field open.
        """
        question = question.strip()
        if not question:
            raise InvalidQueryError("the question is empty")
        if len(question) > self.settings.max_question_chars:
            raise InvalidQueryError(
                f"the question is longer than {self.settings.max_question_chars} characters"
            )
        if not 1 <= top_k <= self.settings.max_top_k:
            raise InvalidQueryError(f"top_k must be between 1 and {self.settings.max_top_k}")
        self.refresh()
        filters = filters or Filters()
        query = query or self.encode_question(question)
        filters = self._effective_filters(filters)
        pool = max(top_k * 2, 10) if sort != "relevance" else top_k
        hits = self._retrieve(query, filters, pool)
        if sort != "relevance":
            hits = _by_date(hits, newest=(sort == "newest"))
        hits = hits[:top_k]
        self._highlight(query, hits)
        confidence = max((h.confidence for h in hits), default=0.0)
        answered = bool(hits) and confidence >= self.settings.answer_threshold
        return Answer(question, answered, hits, filters, confidence)

    def compare(
        self,
        question: str,
        councils: list[str] | None = None,
        per_council: int = 3,
        filters: Filters | None = None,
    ) -> list[CouncilAnswer]:
        """The best passages of each council for one question, best council first."""
        self.refresh()
        base = filters or Filters()
        names = councils or self.store.facet_values("council")
        query = self.encode_question(question.strip()) if question.strip() else None
        columns = [
            CouncilAnswer(
                name,
                self.ask(question, per_council, replace(base, council=(name,)), query=query),
            )
            for name in names
        ]
        columns.sort(key=lambda c: -max((h.confidence for h in c.answer.hits), default=-1.0))
        return columns

    # --- internals ------------------------------------------------------------------

    def _effective_filters(self, filters: Filters) -> Filters:
        """Exclude superseded documents unless nothing else passes the filters."""
        if filters.include_superseded:
            return filters
        if len(self.store.allowed_rowids(filters)) == 0:
            return replace(filters, include_superseded=True)
        return filters

    def _retrieve(self, query: Query, filters: Filters, top_k: int) -> list[Hit]:
        n = max(self.settings.candidates, top_k * 3)
        dense = self.dense.search(query, n, filters)
        lexical = self.lexical.search(query, n, filters)
        fused = reciprocal_rank_fusion(
            [dense, lexical],
            k=self.settings.rrf_k,
            weights=[self.settings.dense_weight, self.settings.lexical_weight],
        )
        top = fused[:top_k]
        records = self.store.passages([rowid for rowid, _ in top])
        cosine = dict(dense)
        missing = [rowid for rowid, _ in top if rowid not in cosine and rowid in records]
        cosine.update(self.dense.similarity(query, missing))
        best_possible = sum(
            w / (self.settings.rrf_k + 1)
            for w in (self.settings.dense_weight, self.settings.lexical_weight)
        )
        hits = []
        for rowid, fused_score in top:
            record = records.get(rowid)
            if record is None:  # removed since the dense index was loaded
                continue
            score = fused_score / best_possible if best_possible else fused_score
            hits.append(Hit(record, round(score, 6), cosine.get(rowid, 0.0)))
        return hits

    def _highlight(self, query: Query, hits: list[Hit]) -> None:
        """Score every sentence of the hits with the model; keep the best per passage."""
        if not hits or query.vector is None:
            return
        spans = [split_sentences(h.passage.text) for h in hits]
        texts = [
            h.passage.text[s.start : s.end] for h, ss in zip(hits, spans, strict=True) for s in ss
        ]
        if not texts:
            return
        vectors = self.embedder.encode(texts)
        scores = vectors @ np.asarray(query.vector, dtype=np.float32)
        offset = 0
        for hit, sentence_spans in zip(hits, spans, strict=True):
            n = len(sentence_spans)
            if n:
                mine = scores[offset : offset + n]
                hit.sentence = float(mine.max())
                hit.highlights = best_sentences(mine, sentence_spans)
            offset += n


def _by_date(hits: list[Hit], newest: bool) -> list[Hit]:
    """Order hits by meeting date (undated last), keeping relevance order within a date."""
    dated = [h for h in hits if h.passage.document.meta.meeting_date]
    undated = [h for h in hits if not h.passage.document.meta.meeting_date]
    dated.sort(key=lambda h: h.passage.document.meta.meeting_date or "", reverse=newest)
    return dated + undated
