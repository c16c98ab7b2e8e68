"""Retrieval evaluation over a labelled question set: data in, pure metric functions out.

The same code scores ``cqa eval``, the peer baselines in ``bench/`` and CI.  It knows
nothing about how passages were retrieved: a caller turns each question into a
:class:`QuestionResult` (the ranked passages, whether the system answered, how long it
took) and :func:`score` turns a list of those into an :class:`EvalReport`.

The hit rule is the shared sets' (``shared/*/README.md``): a retrieved passage hits a
gold entry when it comes from the file with the same base name and, once every run of
whitespace is collapsed to one space and case is ignored, contains the gold evidence
string.  Ranks are 1-based.

*answer@1* is what a reader sees first: the rank-1 passage hits, and its highlighted span
holds the gold evidence, or at least half of the evidence's words in order.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import PurePath
from typing import Any

from cqa_core.errors import InvalidQueryError
from cqa_core.text import words
from qa_service.questions import (
    COMPARE,
    QUESTION_TYPES,
    UNANSWERABLE,
    GoldEntry,
    Question,
    collapse,
    load_questions,
)

__all__ = [
    "COMPARE",
    "QUESTION_TYPES",
    "UNANSWERABLE",
    "GoldEntry",
    "Question",
    "collapse",
    "load_questions",
]

# Depth of the ranked list used for MRR, nDCG, page accuracy and (when a result has no
# per-council lists) compare coverage.
DEPTH = 10


@dataclass(frozen=True)
class Retrieved:
    """One retrieved passage, as the evaluation sees it."""

    source: str  # the document's file name (base name; a path is reduced to it)
    text: str
    page: int | None = None  # 1-based PDF page where the passage starts
    council: str | None = None
    highlight: str | None = None  # the span a reader is shown first; None: not offered


@dataclass
class QuestionResult:
    """What a system returned for one question: passages best first, and whether it answered."""

    question: Question
    ranked: list[Retrieved]
    answered: bool
    latency_ms: float
    compare: dict[str, list[Retrieved]] | None = None  # council -> that council's passages


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


# --- the hit rule ----------------------------------------------------------------------


def _base(name: str) -> str:
    # Gold names files by base name; a system may report a path.
    return PurePath(name.replace("\\", "/")).name


def _folded(s: str) -> str:
    return collapse(s).casefold()


def is_hit(gold: GoldEntry, r: Retrieved) -> bool:
    """True when ``r`` comes from gold's file and contains its evidence (whitespace
    collapsed, case ignored)."""
    return _base(gold.file) == _base(r.source) and _folded(gold.evidence) in _folded(r.text)


def _tokens(s: str) -> list[str]:
    return words(s)


def _in_order(needle: Sequence[str], hay: Sequence[str]) -> int:
    """How many of ``needle``'s words ``hay`` holds in the same order (longest common
    subsequence)."""
    row = [0] * (len(hay) + 1)
    for word in needle:
        prev = 0
        for j, other in enumerate(hay, start=1):
            keep = row[j]
            row[j] = prev + 1 if word == other else max(row[j], row[j - 1])
            prev = keep
    return row[-1]


def highlight_answers(gold: GoldEntry, highlight: str) -> bool:
    """Whether a highlighted span shows the gold evidence: all of it, or at least half of
    its words in order."""
    if _folded(gold.evidence) in _folded(highlight):
        return True
    needed = _tokens(gold.evidence)
    return bool(needed) and 2 * _in_order(needed, _tokens(highlight)) >= len(needed)


def answer_at_1(q: Question, ranked: Sequence[Retrieved]) -> bool | None:
    """answer@1 of one question: the rank-1 passage hits a gold entry and its highlight
    shows that entry's evidence.  None when the question is unanswerable or the rank-1
    passage carries no highlight (a system that offers none)."""
    if not q.answerable or not ranked or ranked[0].highlight is None:
        return None
    top = ranked[0]
    highlight = top.highlight or ""
    return any(is_hit(g, top) and highlight_answers(g, highlight) for g in q.gold)


def page_ok(gold: GoldEntry, r: Retrieved) -> bool:
    """True when ``r`` cites gold's page, or the page before (a passage starting at its foot).

    Only PDF gold has a page; for other gold this is always False.
    """
    if gold.page is None or r.page is None:
        return False
    return r.page in (gold.page, gold.page - 1)


# --- per-question metrics --------------------------------------------------------------


def first_hit_rank(q: Question, ranked: Sequence[Retrieved]) -> int | None:
    """1-based rank of the first passage that hits any gold entry, or None."""
    for rank, r in enumerate(ranked, start=1):
        if any(is_hit(g, r) for g in q.gold):
            return rank
    return None


def ndcg_at_k(q: Question, ranked: Sequence[Retrieved], k: int) -> float:
    """nDCG@k with binary gains.

    A passage is relevant when it hits a gold entry not already credited to a higher
    passage (so a duplicate of the same evidence earns nothing); each relevant passage
    credits one gold entry, the first uncredited one in gold order.  The ideal DCG has
    ``min(len(gold), k)`` relevant passages at the top.  0.0 for a question with no gold.
    """
    n_ideal = min(len(q.gold), k)
    if n_ideal == 0:
        return 0.0
    credited = [False] * len(q.gold)
    dcg = 0.0
    for rank, r in enumerate(ranked[:k], start=1):
        for i, g in enumerate(q.gold):
            if not credited[i] and is_hit(g, r):
                credited[i] = True
                dcg += 1.0 / math.log2(rank + 1)
                break
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, n_ideal + 1))
    return dcg / ideal


def gold_councils(q: Question, council_of_file: Mapping[str, str]) -> dict[str, list[GoldEntry]]:
    """Group a question's gold entries by council, using the manifest's ``file -> council``."""
    by_council: dict[str, list[GoldEntry]] = {}
    for g in q.gold:
        council = council_of_file.get(_base(g.file))
        if council is None:
            raise InvalidQueryError(f"question {q.id}: no council known for gold file {g.file}")
        by_council.setdefault(council, []).append(g)
    return by_council


def compare_coverage(
    q: Question,
    ranked: Sequence[Retrieved],
    compare: Mapping[str, Sequence[Retrieved]] | None,
    council_of_file: Mapping[str, str],
) -> float:
    """Share of the question's gold councils whose gold passage was found.

    With per-council lists (``compare``), a council counts when one of its gold entries is
    hit by a passage in that council's list; without them, by a passage in ``ranked``
    (the caller decides how deep; :func:`score` uses the top :data:`DEPTH`).
    """
    by_council = gold_councils(q, council_of_file)
    if not by_council:
        return 0.0
    covered = 0
    for council, entries in by_council.items():
        pool = ranked if compare is None else compare.get(council, [])
        if any(is_hit(g, r) for g in entries for r in pool):
            covered += 1
    return covered / len(by_council)


def first_hit_page_ok(q: Question, ranked: Sequence[Retrieved], k: int = DEPTH) -> bool | None:
    """Whether the first hit within the top k cites the right page.

    None when there is no hit within k or the first hit is on non-PDF gold.
    """
    rank = first_hit_rank(q, ranked[:k])
    if rank is None:
        return None
    r = ranked[rank - 1]
    paged = [g for g in q.gold if g.page is not None and is_hit(g, r)]
    if not paged:
        return None
    return any(page_ok(g, r) for g in paged)


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


# --- the report ------------------------------------------------------------------------


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


def report_to_dict(report: EvalReport) -> dict[str, Any]:
    """The report as plain JSON-ready data."""
    return asdict(report)


_COLUMNS: list[tuple[str, str, Callable[[float], str]]] = [
    ("R@1", "recall_at_1", "{:.2f}".format),
    ("R@5", "recall_at_5", "{:.2f}".format),
    ("MRR@10", "mrr_at_10", "{:.3f}".format),
    ("nDCG@10", "ndcg_at_10", "{:.3f}".format),
    ("Ans@1", "answer_at_1", "{:.2f}".format),
    ("Abstain", "abstention_accuracy", "{:.2f}".format),
    ("FalseAbst", "false_abstention", "{:.2f}".format),
    ("Compare", "compare_coverage", "{:.2f}".format),
    ("PageAcc", "page_accuracy", "{:.2f}".format),
    ("p50 ms", "latency_p50_ms", "{:.1f}".format),
    ("p95 ms", "latency_p95_ms", "{:.1f}".format),
]


def _row(label: str, f: Figures) -> list[str]:
    cells = [label, str(f.questions)]
    for _, attr, fmt in _COLUMNS:
        value = getattr(f, attr)
        cells.append("-" if value is None else fmt(value))
    return cells


def format_report(report: EvalReport) -> str:
    """A readable text table: overall, per question type, then the misses with ranks."""
    header = ["type", "n"] + [name for name, _, _ in _COLUMNS]
    rows = [_row("overall", report.overall)]
    rows += [_row(t, f) for t, f in report.by_type.items()]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest])

    out = [line(header), line(["-" * w for w in widths]), line(rows[0]), *map(line, rows[1:])]
    out.append("")
    wrong = [m for m in report.misses if m.rank != 1]
    out.append(f"Missed at rank 1: {len(wrong)} of {report.overall.answerable} answerable")
    for m in wrong:
        rank = "none" if m.rank is None else str(m.rank)
        out.append(f"  {m.id:<10} {m.type:<11} rank {rank:>4}  top-1 {m.top1_source}  {m.question}")
        if m.highlight is not None:
            out.append(f"  {'':<10} highlight: {_short(m.highlight)}")
    shown = [m for m in report.misses if m.rank == 1]
    if shown:
        out.append("")
        out.append(f"Right passage, highlight not the answer: {len(shown)}")
        for m in shown:
            out.append(f"  {m.id:<10} {m.type:<11} {m.question}")
            out.append(f"  {'':<10} highlight: {_short(m.highlight or '')}")
    return "\n".join(out)


def _short(text: str, limit: int = 160) -> str:
    text = collapse(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."
