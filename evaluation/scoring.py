"""Scoring a system's results: the figures over a set of questions, overall and per type.

:func:`score` takes one :class:`~evaluation.metrics.QuestionResult` per question and
gives an :class:`EvalReport`: the figures over every question, the same for each question
type (any type name: the shared sets' types first, in their order, then others in the
order they first appear) and the answerable questions missed at rank 1.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from evaluation.metrics import (
    DEPTH,
    QuestionResult,
    answer_at_1,
    compare_coverage,
    first_hit_page_ok,
    first_hit_rank,
    ndcg_at_k,
)
from evaluation.questions import COMPARE, QUESTION_TYPES


@dataclass(frozen=True)
class Figures:
    """Aggregate figures over a set of questions; None where no question applies."""

    questions: int
    answerable: int
    recall_at_1: float | None
    recall_at_5: float | None
    mrr_at_10: float | None
    ndcg_at_10: float | None
    abstention_accuracy: float | None
    false_abstention: float | None
    compare_coverage: float | None
    page_accuracy: float | None
    pages_judged: int  # first hits on PDF gold, the denominator of page_accuracy
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    answer_at_1: float | None = None  # None when the system offers no highlight


@dataclass(frozen=True)
class Miss:
    """An answerable question whose gold is not at rank 1, or whose rank-1 highlight is
    not the answer."""

    id: str
    type: str
    question: str
    rank: int | None  # rank of the first hit, None when no retrieved passage hits
    top1_source: str | None
    highlight: str | None = None  # the rank-1 passage's highlight, when offered
    answer_ok: bool | None = None  # answer@1 of this question (None: no highlight)


@dataclass(frozen=True)
class EvalReport:
    """Overall figures, the same per question type, and the questions missed at rank 1."""

    overall: Figures
    by_type: dict[str, Figures]
    misses: list[Miss] = field(default_factory=list)


# --- aggregates over ranks and results -------------------------------------------------


def recall_at_k(ranks: Sequence[int | None], k: int) -> float | None:
    """Share of answerable questions (given as first-hit ranks) with a hit in the top k."""
    if not ranks:
        return None
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks)


def mrr_at_k(ranks: Sequence[int | None], k: int) -> float | None:
    """Mean reciprocal rank of the first hit, counting 0 for none within k."""
    if not ranks:
        return None
    return sum(1.0 / r for r in ranks if r is not None and r <= k) / len(ranks)


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _share(flags: Iterable[bool]) -> float | None:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else None


def abstention_accuracy(results: Sequence[QuestionResult]) -> float | None:
    """Share of unanswerable questions on which the system did not answer."""
    return _share(not r.answered for r in results if not r.question.answerable)


def false_abstention_rate(results: Sequence[QuestionResult]) -> float | None:
    """Share of answerable questions on which the system did not answer."""
    return _share(not r.answered for r in results if r.question.answerable)


def percentile(values: Sequence[float], pct: float) -> float | None:
    """The pct-th percentile with linear interpolation between ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * pct / 100.0
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


# --- scoring results ------------------------------------------------------------------


@dataclass(frozen=True)
class _Scored:
    result: QuestionResult
    rank: int | None
    ndcg: float
    coverage: float | None
    page: bool | None
    answer: bool | None = None


def _score_one(result: QuestionResult, council_of_file: Mapping[str, str]) -> _Scored:
    q, ranked = result.question, result.ranked
    if not q.answerable:
        return _Scored(result, None, 0.0, None, None)
    coverage = None
    if q.type == COMPARE:
        coverage = compare_coverage(q, ranked[:DEPTH], result.compare, council_of_file)
    return _Scored(
        result,
        first_hit_rank(q, ranked),
        ndcg_at_k(q, ranked, DEPTH),
        coverage,
        first_hit_page_ok(q, ranked, DEPTH),
        answer_at_1(q, ranked),
    )


def _figures(scored: Sequence[_Scored]) -> Figures:
    results = [s.result for s in scored]
    answerable = [s for s in scored if s.result.question.answerable]
    ranks = [s.rank for s in answerable]
    latencies = [r.latency_ms for r in results]
    pages = [s.page for s in scored if s.page is not None]
    return Figures(
        questions=len(scored),
        answerable=len(answerable),
        recall_at_1=recall_at_k(ranks, 1),
        recall_at_5=recall_at_k(ranks, 5),
        mrr_at_10=mrr_at_k(ranks, DEPTH),
        ndcg_at_10=_mean([s.ndcg for s in answerable]),
        abstention_accuracy=abstention_accuracy(results),
        false_abstention=false_abstention_rate(results),
        compare_coverage=_mean([s.coverage for s in scored if s.coverage is not None]),
        page_accuracy=_share(pages),
        pages_judged=len(pages),
        answer_at_1=(
            _share(bool(s.answer) for s in answerable)
            if any(s.answer is not None for s in answerable)
            else None
        ),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
    )


def score(results: Sequence[QuestionResult], council_of_file: Mapping[str, str]) -> EvalReport:
    """Score a system's results; ``council_of_file`` maps file base names to councils."""
    scored = [_score_one(r, council_of_file) for r in results]
    seen = [s.result.question.type for s in scored]
    types = [t for t in QUESTION_TYPES if t in seen]
    types += [t for t in dict.fromkeys(seen) if t not in types]
    by_type = {t: _figures([s for s in scored if s.result.question.type == t]) for t in types}
    misses = [
        Miss(
            id=s.result.question.id,
            type=s.result.question.type,
            question=s.result.question.question,
            rank=s.rank,
            top1_source=s.result.ranked[0].source if s.result.ranked else None,
            highlight=s.result.ranked[0].highlight if s.result.ranked else None,
            answer_ok=s.answer,
        )
        for s in scored
        if s.result.question.answerable and (s.rank != 1 or s.answer is False)
    ]
    return EvalReport(overall=_figures(scored), by_type=by_type, misses=misses)
