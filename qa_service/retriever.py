"""Retrieve -> answer: hybrid search with filters, supersedes, sorting, highlights, abstention.

The engine owns the open index (SQLite store, FAISS, tantivy) and the embedder.  It reloads
both indexes when another process commits a new generation, so a running server picks up
new documents without a restart.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import faiss
import numpy as np

from cqa_core.errors import InvalidQueryError
from cqa_core.text import words
from index.base import Query
from index.dense_select import DenseSearch, load_dense
from index.embedder import Embedder, known_words
from index.fusion import reciprocal_rank_fusion
from index.lexical_tantivy import TantivyIndex
from index.store import Allowed, Filters, PassageRecord, Store
from qa_service.abstention import (
    ANSWERED,
    NOT_IN_PAPERS,
    Evidence,
    Model,
    gather,
)
from qa_service.abstention_fit import FITTED
from qa_service.config import Settings
from qa_service.dedup import fold_near_duplicates
from qa_service.figures import demote_tables
from qa_service.highlight import Span, SpanRule, answer_span, asked_of, split_sentences
from qa_service.query import QueryReader, Understanding
from qa_service.rerank import (
    Features,
    Weights,
    YearPreference,
    committee_match,
    concept_weights,
    coverage,
    is_title_block,
    recency,
    year_preference,
)

Sort = Literal["relevance", "newest", "oldest"]


@dataclass
class Hit:
    """One retrieved passage with its scores and highlighted sentence(s)."""

    passage: PassageRecord
    score: float  # fused relevance, higher is better, comparable within one answer
    dense: float  # cosine similarity of the question to the passage
    sentence: float = 0.0  # cosine similarity of the question to the best sentence
    highlights: list[Span] = field(default_factory=list)
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


class Engine:
    """Answers questions over one index folder."""

    def __init__(self, index_dir: Path, embedder: Embedder, settings: Settings | None = None):
        self.settings = settings or Settings(index=index_dir)
        faiss.omp_set_num_threads(self.settings.faiss_threads)  # for the whole process
        self.index_dir = index_dir
        self.embedder = embedder
        self.store = Store.open(index_dir)
        self._reload_lock = threading.Lock()
        self._generation = -1
        self.dense: DenseSearch  # in memory or on disk (index.dense_select)
        self.lexical: TantivyIndex
        self._lexical_current = False  # whether the lexical index matched ``_generation``
        self.reader: QueryReader
        self._passages = 0
        self.abstention_model = Model.from_data(FITTED)
        # Questions are encoded here while the lexical search runs on the calling thread
        # (onnxruntime and tantivy both release the GIL).
        self._encoder = ThreadPoolExecutor(
            max_workers=os.cpu_count() or 1, thread_name_prefix="cqa-encode"
        )
        self.refresh()

    def close(self) -> None:
        """Release the database connection and the encoding thread."""
        self._encoder.shutdown(wait=True)
        self.store.close()

    def refresh(self) -> None:
        """Reload the indexes if another process committed since they were loaded."""
        generation = self.store.generation()
        if generation == self._generation:
            if not self._lexical_current:  # a writer was between its commits: look again
                with self._reload_lock:
                    if not self._lexical_current and self.lexical.usable(generation):
                        self.lexical = TantivyIndex.load(self.index_dir, self.store)
                        self._lexical_current = True
            return
        with self._reload_lock:
            if generation != self._generation:
                self.dense = load_dense(
                    self.index_dir, self.store, nprobe=self.settings.dense_nprobe
                )
                self.lexical = TantivyIndex.load(self.index_dir, self.store)
                self._lexical_current = self.lexical.usable(generation)
                self.reader = QueryReader(
                    self.store.facet_values("council"),
                    self.store.vocabulary(),
                    known_words(self.embedder),
                    expand=self.settings.expand_abbreviations,
                    correct_typos=self.settings.correct_typos,
                )
                self._passages = self.store.stats().passages
                self._generation = generation
                self.store.allowed(Filters())  # the usual filters, ready before a question
                self.store.allowed(Filters(has_decision=True))  # for "what was decided"

    # --- questions ------------------------------------------------------------------

    def understand(self, question: str) -> tuple[Understanding, Query]:
        """The question read (abbreviations, typos, named council and years) and encoded."""
        understood = self.reader.read(question)
        vector = self.embedder.encode([understood.model_text])[0]
        return understood, Query(text=understood.model_text, vector=vector, terms=understood.terms)

    def _encode(self, text: str) -> np.ndarray:
        return np.asarray(self.embedder.encode([text])[0], dtype=np.float32)

    def ask(
        self,
        question: str,
        top_k: int = 5,
        filters: Filters | None = None,
        sort: Sort = "relevance",
        query: Query | None = None,
        infer_filters: bool = True,
        understood: Understanding | None = None,
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
        pending: Future[np.ndarray] | None = None
        if understood is None or query is None:
            # the vector is computed while the filters are worked out and the lexical search runs
            understood = self.reader.read(question)
            query = Query(text=understood.model_text, terms=understood.terms)
            pending = self._encoder.submit(self._encode, understood.model_text)
        filters = filters or Filters()
        notes: list[str] = []
        inferred, phrases = (
            self._infer(filters, understood, notes) if infer_filters else (Filters(), [])
        )
        preferred = year_preference(understood) if infer_filters else None
        filters = _merge(filters, inferred)
        filters = self._effective_filters(filters)
        pool = max(top_k * 2, 10) if sort != "relevance" else top_k
        hits, agreeing = self._retrieve(query, filters, pool, understood, pending, preferred)
        if sort != "relevance":
            hits = _by_date(hits, newest=(sort == "newest"))
        hits = hits[:top_k]
        confidence = max((h.confidence for h in hits), default=0.0)
        evidence = self._evidence(hits, understood, filters, preferred, agreeing) if hits else None
        if evidence is None:
            state = NOT_IN_PAPERS
        elif self.settings.abstention == "classifier":
            state = self.abstention_model.state(evidence)
        else:
            state = ANSWERED if confidence >= self.settings.answer_threshold else NOT_IN_PAPERS
        answered = state == ANSWERED
        if inferred.council and not answered:
            notes.append(
                f"Only the papers of {_names(inferred.council)} were searched, as the question "
                "names it: nothing in them answers this with confidence."
            )
        return Answer(
            question,
            answered,
            hits,
            filters,
            confidence,
            inferred=inferred,
            inferred_phrases=phrases,
            expansions=list(understood.expansions) + list(understood.corrections),
            preferred=preferred,
            notes=notes,
            state=state,
            evidence=evidence,
        )

    def compare(
        self,
        question: str,
        councils: list[str] | None = None,
        per_council: int = 3,
        filters: Filters | None = None,
    ) -> list[CouncilAnswer]:
        """The best passages of each council for one question, best council first.

        With no councils given, the councils the question names (two or more) are the
        columns, else every council in the index.
        """
        self.refresh()
        base = filters or Filters()
        understood, query = self.understand(question.strip()) if question.strip() else (None, None)
        named = list(understood.councils) if understood is not None else []
        names = councils or (named if len(named) >= 2 else self.store.facet_values("council"))
        columns = [
            CouncilAnswer(
                name,
                self.ask(
                    question,
                    per_council,
                    replace(base, council=(name,)),
                    query=query,
                    understood=understood,
                ),
            )
            for name in names
        ]
        columns.sort(key=lambda c: -max((h.confidence for h in c.answer.hits), default=-1.0))
        return columns

    # --- internals ------------------------------------------------------------------

    def _infer(
        self, given: Filters, understood: Understanding, notes: list[str]
    ) -> tuple[Filters, list[str]]:
        """Filters read from the question for the fields ``given`` leaves open.

        A council the question names is a hard filter: another council's papers do not
        answer a question about this one.  A year ("in 2019", "2023/24") is not a filter
        but a preference (:func:`year_preference`), as papers about a year are often
        written in the year before.  Only a one-sided bound ("since 2019", "before 2015")
        limits meeting dates; when that leaves nothing, it is dropped and ``notes`` says so.
        """
        dates_open = not (given.date_from or given.date_to)
        one_sided = bool(understood.date_from) != bool(understood.date_to)
        inferred = Filters(
            council=understood.councils if not given.council else (),
            date_from=understood.date_from if dates_open and one_sided else None,
            date_to=understood.date_to if dates_open and one_sided else None,
        )
        if inferred.is_empty():
            return Filters(), []
        if (inferred.date_from or inferred.date_to) and self._count(_merge(given, inferred)) == 0:
            inferred = replace(inferred, date_from=None, date_to=None)
            where = (
                f" of {_names(inferred.council or given.council)}"
                if (inferred.council or given.council)
                else ""
            )
            notes.append(
                f'"{", ".join(understood.date_phrases)}" was not applied as a date limit: '
                f"no papers{where} fall in it."
            )
        phrases = list(understood.council_phrases) if inferred.council else []
        if inferred.date_from or inferred.date_to:
            phrases += understood.date_phrases
        return inferred, phrases

    def _evidence(
        self,
        hits: list[Hit],
        understood: Understanding,
        filters: Filters,
        preferred: YearPreference | None,
        agreeing: list[tuple[float, float]],
    ) -> Evidence:
        """The abstention classifier's evidence for these hits (``qa_service.abstention``)."""
        weights = concept_weights(
            _asked_about(understood, filters), self.reader.vocabulary, self._passages
        )
        return gather(hits, understood, weights, self._passages, preferred, agreeing)

    def _count(self, filters: Filters) -> int:
        return self.store.allowed(replace(filters, include_superseded=True)).count

    def _effective_filters(self, filters: Filters) -> Filters:
        """Exclude superseded documents unless nothing else passes the filters."""
        if filters.include_superseded:
            return filters
        if self.store.allowed(filters).count == 0:
            return replace(filters, include_superseded=True)
        return filters

    def _retrieve(
        self,
        query: Query,
        filters: Filters,
        top_k: int,
        understood: Understanding,
        pending: Future[np.ndarray] | None = None,
        preferred: YearPreference | None = None,
    ) -> tuple[list[Hit], list[tuple[float, float]]]:
        """Dense and lexical candidates, fused, then re-scored (``qa_service.rerank``).

        ``pending`` is the question's vector while it is being computed (``query`` has
        none yet): the lexical search, which needs none, runs first.  Also returns the best
        (cosine, coverage) of the candidates that agree with the year asked about, evidence
        for the abstention classifier.
        """
        n = max(self.settings.candidates, top_k * 3)
        lexical = self.lexical.search(query, n, filters)
        if pending is not None:
            query = replace(query, vector=pending.result())
        dense = self.dense.search(query, n, filters)
        fused = reciprocal_rank_fusion(
            [dense, lexical],
            k=self.settings.rrf_k,
            weights=[self.settings.dense_weight, self.settings.lexical_weight],
        )
        pool = fused[: max(self.settings.rerank_depth, top_k)]
        records = self.store.passages([rowid for rowid, _ in pool])
        cosine = dict(dense)
        missing = [rowid for rowid, _ in pool if rowid not in cosine and rowid in records]
        cosine.update(self.dense.similarity(query, missing))
        sentences = self._sentence_scores(query, records)
        best_possible = sum(
            w / (self.settings.rrf_k + 1)
            for w in (self.settings.dense_weight, self.settings.lexical_weight)
        )
        idf = concept_weights(
            _asked_about(understood, filters), self.reader.vocabulary, self._passages
        )
        decisions = self._decision_passages(understood)
        recent = (
            recency(r.document.meta.meeting_date for r in records.values())
            if understood.asks_latest
            else {}
        )
        question_words = set(words(understood.question))
        weights = Weights.from_settings(self.settings)
        asked = asked_of(understood.question, question_words)
        span_rule = SpanRule.from_settings(self.settings)
        hits = []
        for rowid, fused_score in pool:
            record = records.get(rowid)
            if record is None:  # removed since the dense index was loaded
                continue
            spans, scores = sentences.get(rowid, ([], np.zeros(0, dtype=np.float32)))
            hit = Hit(record, 0.0, cosine.get(rowid, 0.0))
            if len(scores):
                hit.sentence = float(scores.max())
                hit.sentence_spans, hit.sentence_scores = spans, scores
            hit.features = Features(
                fused=fused_score / best_possible if best_possible else fused_score,
                passage=hit.dense,
                sentence=hit.sentence,
                coverage=coverage(record, idf),
                committee=committee_match(question_words, record.document.meta.committee),
                title_block=1.0 if is_title_block(record) else 0.0,
                decision=1.0 if decisions is not None and rowid in decisions else 0.0,
                year=preferred.match(record) if preferred is not None else 0.0,
                latest=recent.get(record.document.meta.meeting_date or "", 0.0),
            )
            hit.score = round(hit.features.score(weights), 6)
            hit.confidence = (
                max(hit.dense, hit.sentence)
                + self.settings.confidence_coverage_weight * hit.features.coverage
            )
            hits.append(hit)
        hits.sort(key=lambda h: -h.score)
        hits = demote_tables(hits, lambda h: h.passage.is_table, understood.question)
        # (cosine, coverage) of the candidates agreeing with the year asked about
        agreeing = [
            (max(h.dense, h.sentence), h.features.coverage)
            for h in hits
            if h.features is not None and h.features.year == 1.0
        ]
        if self.settings.fold_duplicates:
            hits = fold_near_duplicates(
                hits,
                lambda h: h.passage,
                lambda kept, twin: kept.also_at.append(twin.passage),
                limit=top_k,
            )
        kept = hits[:top_k]
        # the highlight plays no part in the ranking: chosen for the hits kept alone
        for hit in kept:
            if hit.sentence_scores is not None and len(hit.sentence_scores):
                hit.highlights = answer_span(
                    hit.passage.text, hit.sentence_spans, hit.sentence_scores, asked, span_rule
                )
        return kept, agreeing

    def _decision_passages(self, understood: Understanding) -> Allowed | None:
        """The passages holding a decision, when the question asks what was decided."""
        if not understood.asks_decision:
            return None
        return self.store.allowed(Filters(has_decision=True))  # kept until the next commit

    def _sentence_scores(
        self, query: Query, records: dict[int, PassageRecord]
    ) -> dict[int, tuple[list[Span], np.ndarray]]:
        """Similarity of the question to each sentence of each passage.

        Stored sentence vectors are used; a passage indexed before they were stored has its
        sentences embedded now.
        """
        if query.vector is None or not records:
            return {}
        q = np.asarray(query.vector, dtype=np.float32)
        out: dict[int, tuple[list[Span], np.ndarray]] = {}
        for rowid, (spans, vectors) in self.store.sentence_vectors(list(records)).items():
            out[rowid] = ([Span(a, b) for a, b in spans], vectors @ q)
        todo = [r for r in records.values() if r.rowid not in out]
        split = [split_sentences(r.text) for r in todo]
        texts = [r.text[s.start : s.end] for r, ss in zip(todo, split, strict=True) for s in ss]
        if texts:
            scores = self.embedder.encode(texts) @ q
            at = 0
            for record, sentence_spans in zip(todo, split, strict=True):
                out[record.rowid] = (sentence_spans, scores[at : at + len(sentence_spans)])
                at += len(sentence_spans)
        return out


def _asked_about(understood: Understanding, filters: Filters) -> list[tuple[str, ...]]:
    """The question's key concepts less the years that a date filter already applies.

    Once "in 2019" has become a meeting-date range, every passage searched is from those
    meetings; a passage that also prints "2019" is no likelier to answer.
    """
    concepts = list(understood.key_concepts or ((t,) for t in understood.key_terms))
    if not (filters.date_from or filters.date_to):
        return concepts
    years = {w for phrase in understood.date_phrases for w in words(phrase)}
    return [c for c in concepts if c[0] not in years]


def _names(councils: Sequence[str]) -> str:
    return " and ".join(councils)


def _merge(given: Filters, inferred: Filters) -> Filters:
    """``given`` with the fields it leaves open taken from ``inferred``."""
    return replace(
        given,
        council=given.council or inferred.council,
        date_from=given.date_from or inferred.date_from,
        date_to=given.date_to or inferred.date_to,
    )


def _by_date(hits: list[Hit], newest: bool) -> list[Hit]:
    """Order hits by meeting date (undated last), keeping relevance order within a date."""
    dated = [h for h in hits if h.passage.document.meta.meeting_date]
    undated = [h for h in hits if not h.passage.document.meta.meeting_date]
    dated.sort(key=lambda h: h.passage.document.meta.meeting_date or "", reverse=newest)
    return dated + undated
