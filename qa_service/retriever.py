"""Retrieve -> answer: hybrid search with filters, supersedes, sorting, highlights, abstention.

The engine owns the open index (SQLite store, FAISS, tantivy) and the embedder.  It reloads
both indexes when another process commits a new generation, so a running server picks up
new documents without a restart.
"""

from __future__ import annotations

import math
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import faiss
import numpy as np

from cqa_core.errors import InvalidQueryError
from index import open_cache
from index.base import Query
from index.dense_select import DenseSearch, load_dense
from index.embedder import Embedder, known_words
from index.fusion import reciprocal_rank_fusion
from index.lexical_tantivy import TantivyIndex
from index.store import Filters, Store
from qa_service.abstention import ANSWERED, NOT_IN_PAPERS, Model
from qa_service.abstention_fit import FITTED
from qa_service.answers import Answer, CouncilAnswer, Hit, Sort
from qa_service.config import Settings
from qa_service.inferred_filters import (
    council_names,
    effective_filters,
    filters_from_question,
    merge_filters,
)
from qa_service.query import QueryReader, Understanding
from qa_service.rerank import YearPreference, year_preference
from qa_service.second_stage import (
    Candidates,
    Context,
    by_date,
    decision_passages,
    evidence_of,
    keep_best,
    score_candidates,
    sentence_scores,
)

# The passages whose evidence the abstention classifier weighs: it is fitted (and `cqa eval`
# measures) on the ten best (``evaluation.runner.DEPTH``), so an ask weighs ten whatever
# top_k it returns.
EVIDENCE_DEPTH = 10


def query_vector(embedder: Embedder, understood: Understanding, topic_share: float) -> np.ndarray:
    """The question's vector for its sentences: ``model_text``'s, mixed (``topic_share`` to
    the latter) with that of the question without the councils it names
    (``Understanding.topic_text``).

    A named council is a filter, so its name only draws the vector to the passages that
    print it (a paper's cover, the head of a set of minutes); its words still say what
    kind of body is asked about, so the question as asked keeps a share.
    """
    return query_vectors(embedder, understood, topic_share)[1]


def query_vectors(
    embedder: Embedder, understood: Understanding, topic_share: float
) -> tuple[np.ndarray, np.ndarray]:
    """The question's vectors for the passages (the dense search and each passage's
    cosine) and for their sentences, encoded together.

    For the passages a named committee is left out too (``Understanding.search_text``):
    its name, like a council's, draws the search to the passages that print it.  The
    sentences keep it, as the sentence that answers often names the body ("asked the
    Board to support ...").
    """
    texts = [understood.model_text]
    if topic_share > 0:
        texts += [t for t in (understood.topic_text, understood.search_text) if t]
    rows = np.asarray(embedder.encode(texts), dtype=np.float32)

    def mixed(text: str) -> np.ndarray:
        if not text or topic_share <= 0:
            return rows[0]
        vector = (1 - topic_share) * rows[0] + topic_share * rows[texts.index(text)]
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm > 0 else rows[0]

    sentences = mixed(understood.topic_text)
    return (mixed(understood.search_text) if understood.search_text else sentences), sentences


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

    def _load_lexical(self, generation: int) -> TantivyIndex:
        """The tantivy index, with the impact index of the same ``generation`` beside it
        when ``CQA_IMPACT_INDEX`` is on (``index.impact.open_current``)."""
        lexical = TantivyIndex.load(self.index_dir, self.store)
        if self.settings.impact_index:
            from index.impact import open_served

            lexical.impact = open_served(
                self.index_dir,
                generation,
                self.settings.impact_tier_above,
                self.settings.impact_tier_share,
            )
        return lexical

    def refresh(self) -> None:
        """Reload the indexes if another process committed since they were loaded."""
        generation = self.store.generation()
        if generation == self._generation:
            if not self._lexical_current:  # a writer was between its commits: look again
                with self._reload_lock:
                    if not self._lexical_current and self.lexical.usable(generation):
                        self.lexical = self._load_lexical(generation)
                        self._lexical_current = True
            return
        with self._reload_lock:
            if generation != self._generation:
                self.dense = load_dense(
                    self.index_dir, self.store, nprobe=self.settings.dense_nprobe
                )
                self.lexical = self._load_lexical(generation)
                self._lexical_current = self.lexical.usable(generation)
                self._passages = self.store.passage_count()
                # the councils and committees named, the usual passage sets ready
                facets = open_cache.prepare(self.store, self.index_dir, generation, self._passages)
                self.reader = QueryReader(
                    facets["council"],
                    self.store.vocabulary(),
                    known_words(self.embedder),
                    expand=self.settings.expand_abbreviations,
                    correct_typos=self.settings.correct_typos,
                    committees=facets["committee"],
                )
                self._generation = generation

    # --- questions ------------------------------------------------------------------

    def understand(self, question: str) -> tuple[Understanding, Query]:
        """The question read (abbreviations, typos, named council and years) and encoded."""
        understood = self.reader.read(question)
        vector = self._encode(understood)[0]
        return understood, Query(text=understood.model_text, vector=vector, terms=understood.terms)

    def _encode(self, understood: Understanding) -> tuple[np.ndarray, np.ndarray]:
        return query_vectors(self.embedder, understood, self.settings.topic_share)

    def _dense_after(
        self,
        pending: Future[tuple[np.ndarray, np.ndarray]],
        query: Query,
        n: int,
        filters: Filters,
    ) -> list[tuple[int, float]]:
        """The dense search once ``pending`` has the question's vector (``dense_concurrent``)."""
        return self.dense.search(replace(query, vector=pending.result()[0]), n, filters)

    def ask(
        self,
        question: str,
        top_k: int = 5,
        filters: Filters | None = None,
        sort: Sort = "relevance",
        query: Query | None = None,
        infer_filters: bool = True,
        understood: Understanding | None = None,
        answer_checks: bool = True,
    ) -> Answer:
        """The ``top_k`` passages that best answer ``question`` among those passing filters.

        With ``infer_filters``, a council or year that the question names becomes a filter
        where the given filters leave that field open.  Without ``answer_checks`` the
        abstention's caps (the shown answer checked against what a question asks) are not
        read, for a ``question`` that is not one (``followthrough``).
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
        pending: Future[tuple[np.ndarray, np.ndarray]] | None = None
        if understood is None or query is None:
            # the vector is computed while the filters are worked out and the lexical search runs
            understood = self.reader.read(question)
            query = Query(text=understood.model_text, terms=understood.terms)
            pending = self._encoder.submit(self._encode, understood)
        filters = filters or Filters()
        notes: list[str] = []
        inferred, phrases = (
            filters_from_question(filters, understood, notes, self.store)
            if infer_filters
            else (Filters(), [])
        )
        preferred = year_preference(understood) if infer_filters else None
        filters = merge_filters(filters, inferred)
        filters = effective_filters(filters, self.store)
        # the verdict is weighed on the EVIDENCE_DEPTH best passages whatever top_k is asked
        # for, as the classifier was fitted: one question must not be answered at top_k 5
        # and "weak" at top_k 3
        pool = max(top_k * 2, EVIDENCE_DEPTH) if sort != "relevance" else max(top_k, EVIDENCE_DEPTH)
        # only the passages shown need their highlight (the evidence reads the first one's)
        shown = top_k if sort == "relevance" else pool
        ranked, agreeing = self._retrieve(
            query, filters, pool, understood, pending, preferred, shown
        )
        hits = ranked if sort == "relevance" else by_date(ranked, newest=(sort == "newest"))
        hits = hits[:top_k]
        confidence = max((h.confidence for h in hits), default=0.0)
        # a council the question names is a hard filter: one no paper is from has nothing
        # that answers, whatever the other councils' papers say (no evidence is weighed)
        unknown = () if understood.councils or filters.council else understood.unknown_councils
        # whether the papers answer is judged on the hits in order of relevance, as asked
        # with the default sort: ordering by meeting date must not change the verdict
        evidence = (
            evidence_of(
                ranked[:EVIDENCE_DEPTH],
                understood,
                filters,
                preferred,
                agreeing,
                self.reader.vocabulary,
                self._passages,
            )
            if hits and not unknown
            else None
        )
        if evidence is None:
            state = NOT_IN_PAPERS
        elif self.settings.abstention == "classifier":
            state = self.abstention_model.state(evidence, answer_checks)
        else:
            state = ANSWERED if confidence >= self.settings.answer_threshold else NOT_IN_PAPERS
        if unknown:
            notes.append(
                f"No paper in the index is from {council_names(unknown)}: nothing here "
                "answers a question about it."
            )
        answered = state == ANSWERED
        if inferred.council and not answered:
            notes.append(
                f"Only the papers of {council_names(inferred.council)} were searched, as the "
                "question names it: nothing in them answers this with confidence."
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
        """The best passages of each council for one question, best council first: ordered
        by their best passage's score, as the contract (INTERFACE.md) says; a council with
        no passage comes last.

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
        columns.sort(key=lambda c: -max((h.score for h in c.answer.hits), default=-math.inf))
        return columns

    # --- internals ------------------------------------------------------------------

    def _retrieve(
        self,
        query: Query,
        filters: Filters,
        top_k: int,
        understood: Understanding,
        pending: Future[tuple[np.ndarray, np.ndarray]] | None = None,
        preferred: YearPreference | None = None,
        highlighted: int | None = None,
    ) -> tuple[list[Hit], list[tuple[float, float]]]:
        """Dense and lexical candidates, fused, then re-scored (``qa_service.rerank``);
        the first ``highlighted`` (all by default) with their highlights chosen.

        ``pending`` is the question's vectors (``query_vectors``) while they are being
        computed (``query`` has none yet): the lexical search, which needs none, runs
        first.  Also returns the best
        (cosine, coverage) of the candidates that agree with the year asked about, evidence
        for the abstention classifier.
        """
        n = max(self.settings.candidates, top_k * 3)
        searched: Future[list[tuple[int, float]]] | None = None
        if pending is not None and self.settings.dense_concurrent:
            # queued after the encoding it waits for, so a worker never waits on a task
            # queued behind it
            searched = self._encoder.submit(self._dense_after, pending, query, n, filters)
        lexical = self.lexical.search(query, n, filters)
        sentence_vector: np.ndarray | None
        if pending is not None:
            vector, sentence_vector = pending.result()
            query = replace(query, vector=vector)
        elif understood.search_text:  # asked with a vector for the passages only
            sentence_vector = self._encode(understood)[1]
        else:
            sentence_vector = query.vector
        dense = searched.result() if searched is not None else self.dense.search(query, n, filters)
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
        sentences = sentence_scores(
            self.store, self.embedder, replace(query, vector=sentence_vector), records
        )
        hits = score_candidates(
            Candidates(pool, records, cosine, sentences, decision_passages(self.store, understood)),
            Context(understood, filters, preferred, self.reader.vocabulary, self._passages),
            self.settings,
        )
        return keep_best(hits, top_k, understood, self.settings, highlighted)
