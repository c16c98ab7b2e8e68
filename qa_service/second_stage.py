"""The second stage: fused candidates re-scored into hits, and the evidence they give.

Each candidate passage is scored on its features (``rerank.Features``: its fused rank, its
and its best sentence's cosine, the coverage of what is asked, ...); tables are demoted,
near-duplicates folded and the answering sentence highlighted for the hits kept.  The
abstention classifier's evidence is gathered from the same hits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from cqa_core.text import words
from index.base import Query
from index.embedder import Embedder
from index.store import Allowed, Filters, PassageRecord, Store
from qa_service.abstention import Evidence, gather
from qa_service.answers import Hit
from qa_service.config import Settings
from qa_service.dedup import fold_near_duplicates
from qa_service.figures import demote_tables
from qa_service.highlight import (
    Span,
    SpanRule,
    answer_span,
    asked_of,
    kind_cosine,
    split_sentences,
)
from qa_service.query import Understanding
from qa_service.rerank import (
    Features,
    Weights,
    YearPreference,
    committee_match,
    concept_weights,
    count_named,
    coverage,
    everyday_share,
    front_matter_mark,
    on_topic,
    opening_mark,
    procedural_mark,
    recency,
)


@dataclass(frozen=True)
class Candidates:
    """The fused candidates and what the first stage measured of them."""

    pool: list[tuple[int, float]]  # (rowid, fused score), best first
    records: dict[int, PassageRecord]
    cosine: Mapping[int, float]  # the question's similarity to each passage
    sentences: dict[int, tuple[list[Span], np.ndarray]]  # ... and to each of its sentences
    decisions: Allowed | None = None  # passages holding a decision, when one is asked for


@dataclass(frozen=True)
class Context:
    """The question as read, and the index it is asked of, that every candidate is scored
    against."""

    understood: Understanding
    filters: Filters
    preferred: YearPreference | None
    vocabulary: Mapping[str, int]  # word -> passages holding it (for IDF)
    passages: int  # passages in the index


def score_candidates(candidates: Candidates, context: Context, settings: Settings) -> list[Hit]:
    """The fused candidates as hits scored on their features, best first, tables demoted."""
    understood = context.understood
    best_possible = sum(
        w / (settings.rrf_k + 1) for w in (settings.dense_weight, settings.lexical_weight)
    )
    idf = concept_weights(
        asked_about(understood, context.filters), context.vocabulary, context.passages
    )
    records = candidates.records
    recent = (
        recency(r.document.meta.meeting_date for r in records.values())
        if understood.asks_latest
        else {}
    )
    question_words = set(words(understood.question))
    asked = asked_of(understood.question, question_words)
    weights = Weights.from_settings(settings)
    preferred, decisions = context.preferred, candidates.decisions
    # each paper's passages among the candidates (for ``opening``)
    ordinals: dict[str, set[int]] = {}
    for rowid, _ in candidates.pool:
        if (found := records.get(rowid)) is not None:
            ordinals.setdefault(found.document.document_id, set()).add(found.ordinal)
    hits = []
    for rowid, fused_score in candidates.pool:
        record = records.get(rowid)
        if record is None:  # removed since the dense index was loaded
            continue
        spans, scores = candidates.sentences.get(rowid, ([], np.zeros(0, dtype=np.float32)))
        hit = Hit(record, 0.0, candidates.cosine.get(rowid, 0.0))
        if len(scores):
            hit.sentence = float(scores.max())
            hit.sentence_spans, hit.sentence_scores = spans, scores
        covered = coverage(record, idf)
        front = front_matter_mark(record, understood.asks_attendance, understood.asks_item)
        hit.features = Features(
            fused=fused_score / best_possible if best_possible else fused_score,
            passage=hit.dense,
            sentence=hit.sentence,
            coverage=covered,
            committee=committee_match(question_words, record.document.meta.committee),
            title_block=front,
            decision=1.0 if decisions is not None and rowid in decisions else 0.0,
            year=preferred.match(record) if preferred is not None else 0.0,
            latest=on_topic(recent.get(record.document.meta.meeting_date or "", 0.0), covered),
            answer=kind_cosine(record.text, spans, scores, asked),
            everyday=everyday_share(record, idf, understood.everyday),
            count=count_named(record.text, understood.counted),
            opening=opening_mark(record, front, ordinals[record.document.document_id]),
            procedural=procedural_mark(record, understood.asks_item),
        )
        hit.score = round(hit.features.score(weights), 6)
        hit.confidence = (
            max(hit.dense, hit.sentence)
            + settings.confidence_coverage_weight * hit.features.coverage
        )
        hits.append(hit)
    hits.sort(key=lambda h: -h.score)
    return demote_tables(hits, lambda h: h.passage.is_table, understood.question)


def keep_best(
    hits: list[Hit],
    top_k: int,
    understood: Understanding,
    settings: Settings,
    highlighted: int | None = None,
) -> tuple[list[Hit], list[tuple[float, float]]]:
    """The ``top_k`` best of the scored hits, near-duplicates folded, highlights chosen for
    the first ``highlighted`` of them (all by default: those shown; the abstention's evidence
    reads the first one's).

    Also returns the best (cosine, coverage) of the hits that agree with the year asked
    about, evidence for the abstention classifier.
    """
    # (cosine, coverage) of the candidates agreeing with the year asked about
    agreeing = [
        (max(h.dense, h.sentence), h.features.coverage)
        for h in hits
        if h.features is not None and h.features.year == 1.0
    ]
    if settings.fold_duplicates:
        hits = fold_near_duplicates(
            hits,
            lambda h: h.passage,
            lambda kept, twin: kept.also_at.append(twin.passage),
            limit=top_k,
        )
    kept = hits[:top_k]
    asked = asked_of(understood.question, set(words(understood.question)))
    span_rule = SpanRule.from_settings(settings)
    # the highlight plays no part in the ranking: chosen for the hits kept alone
    for hit in kept[: len(kept) if highlighted is None else highlighted]:
        if hit.sentence_scores is not None and len(hit.sentence_scores):
            chosen = answer_span(
                hit.passage.text, hit.sentence_spans, hit.sentence_scores, asked, span_rule
            )
            hit.highlights, hit.core = chosen.shown, chosen.core
    return kept, agreeing


def sentence_scores(
    store: Store, embedder: Embedder, query: Query, records: dict[int, PassageRecord]
) -> dict[int, tuple[list[Span], np.ndarray]]:
    """Similarity of the question to each sentence of each passage.

    Stored sentence vectors are used; a passage indexed before they were stored has its
    sentences embedded now.
    """
    if query.vector is None or not records:
        return {}
    q = np.asarray(query.vector, dtype=np.float32)
    out: dict[int, tuple[list[Span], np.ndarray]] = {}
    for rowid, (spans, vectors) in store.sentence_vectors(list(records)).items():
        out[rowid] = ([Span(a, b) for a, b in spans], vectors @ q)
    todo = [r for r in records.values() if r.rowid not in out]
    split = [split_sentences(r.text) for r in todo]
    texts = [r.text[s.start : s.end] for r, ss in zip(todo, split, strict=True) for s in ss]
    if texts:
        scores = embedder.encode(texts) @ q
        at = 0
        for record, sentence_spans in zip(todo, split, strict=True):
            out[record.rowid] = (sentence_spans, scores[at : at + len(sentence_spans)])
            at += len(sentence_spans)
    return out


def decision_passages(store: Store, understood: Understanding) -> Allowed | None:
    """The passages holding a decision, when the question asks what was decided."""
    if not understood.asks_decision:
        return None
    return store.allowed(Filters(has_decision=True))  # kept until the next commit


def evidence_of(
    hits: list[Hit],
    understood: Understanding,
    filters: Filters,
    preferred: YearPreference | None,
    agreeing: list[tuple[float, float]],
    vocabulary: Mapping[str, int],
    passages: int,
) -> Evidence:
    """The abstention classifier's evidence for these hits (``qa_service.abstention``)."""
    weights = concept_weights(asked_about(understood, filters), vocabulary, passages)
    return gather(hits, understood, weights, passages, preferred, agreeing)


def asked_about(understood: Understanding, filters: Filters) -> list[tuple[str, ...]]:
    """The question's key concepts less the years that a date filter already applies.

    Once "in 2019" has become a meeting-date range, every passage searched is from those
    meetings; a passage that also prints "2019" is no likelier to answer.
    """
    concepts = list(understood.key_concepts or ((t,) for t in understood.key_terms))
    if not (filters.date_from or filters.date_to):
        return concepts
    years = {w for phrase in understood.date_phrases for w in words(phrase)}
    return [c for c in concepts if c[0] not in years]


def by_date(hits: list[Hit], newest: bool) -> list[Hit]:
    """Order hits by meeting date (undated last), keeping relevance order within a date."""
    dated = [h for h in hits if h.passage.document.meta.meeting_date]
    undated = [h for h in hits if not h.passage.document.meta.meeting_date]
    dated.sort(key=lambda h: h.passage.document.meta.meeting_date or "", reverse=newest)
    return dated + undated
