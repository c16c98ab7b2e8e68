"""Precedent: the decisions matching a question or filters, a topic's timeline by year, and
councils compared with their latest decision on it.

All reuse the engine's retrieval: decisions with a question are the decisions of the
passages that best answer it among passages holding a decision (``Filters.has_decision``,
pushed into both searches), then ordered newest first, and none when the engine abstains;
a timeline is the best passages ordered by meeting date and grouped by year; a comparison's
column adds to the council's best passages the newest of its decisions found that way, and
the meetings they come from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from cqa_core.errors import InvalidQueryError
from index.base import Query
from index.store import DecisionRecord, Filters
from qa_service.answers import Answer, Hit
from qa_service.query import Understanding
from qa_service.retriever import Engine
from qa_service.trend import point_of, question_weights
from qa_service.trend_sentence import TrendPoint

# With a question, the decisions of this many best passages are kept (then dated).
RELEVANT_PASSAGES = 5
# A comparison's latest decision comes from passages this close to the best one's confidence.
DECISION_MARGIN = 0.1


@dataclass
class YearGroup:
    """The relevant passages of one year (None: meetings with no known date), with what
    was decided in them (procedural decisions left out) and the figures they state."""

    year: int | None
    hits: list[Hit]
    decisions: list[DecisionRecord] = field(default_factory=list)
    figures: list[TrendPoint] = field(default_factory=list)


@dataclass
class CouncilPrecedent:
    """One council's column in a comparison: its answer, latest decision and meeting dates."""

    council: str
    answer: Answer
    latest_decision: DecisionRecord | None = None
    meeting_dates: list[str] = field(default_factory=list)  # of the passages shown, newest first


DECISIONS_SHOWN = 20  # decisions listed when no limit is asked for
TIMELINE_SHOWN = 10  # passages in a timeline when no limit is asked for


def _check(engine: Engine, filters: Filters, limit: int | None, default: int) -> int:
    """The limit to use: the one asked for, checked, or the default cut to
    ``CQA_MAX_TOP_K`` (a default the client never chose is not refused)."""
    max_limit = engine.settings.max_top_k
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidQueryError("date_from must not be after date_to")
    if limit is None:
        return min(default, max_limit)
    if not 1 <= limit <= max_limit:
        raise InvalidQueryError(f"limit must be between 1 and {max_limit}")
    return limit


@dataclass
class DecisionPage:
    """One page of a list of decisions: those shown, and how many the whole list holds."""

    decisions: list[DecisionRecord]
    total: int  # on every page together
    offset: int = 0  # decisions skipped before this page
    # the filters applied, with those read from the question ("since 2019"), for the notes
    filters: Filters = field(default_factory=Filters)


def decisions(
    engine: Engine,
    question: str | None,
    filters: Filters,
    limit: int | None = None,
    procedural: bool = False,
    offset: int = 0,
) -> DecisionPage:
    """Decisions passing ``filters`` (relevant to ``question`` when given), newest first:
    ``limit`` of them after the first ``offset``, and how many there are in all.

    Procedural decisions (noting a report, approving minutes, apologies) are left out
    unless ``procedural`` asks for them: they are most of any meeting's decisions and
    rarely the precedent an officer is looking for. With a question, none when the engine
    abstains on it among the passages holding a decision, as a comparison's latest
    decision does: the decisions of passages that do not answer it are not precedent for
    it (docs/quality.md says why this verdict, not ``/api/ask``'s over all passages).  The
    passages asked for depend on ``limit``, never on ``offset``, so every page is cut from
    the same list.
    """
    limit = _check(engine, filters, limit, DECISIONS_SHOWN)
    if offset < 0:
        raise InvalidQueryError("offset must not be negative")
    engine.refresh()
    filters = replace(filters, has_decision=True)
    rowids: list[int] | None = None
    if question is not None and question.strip():
        answer = engine.ask(question, min(RELEVANT_PASSAGES, limit), filters)
        if not answer.answered:
            return DecisionPage([], 0, offset, answer.filters)
        rowids = [h.passage.rowid for h in answer.hits]
        filters = answer.filters
    store = engine.store
    found = store.decisions(filters, rowids, limit=limit, procedural=procedural, offset=offset)
    total = store.decision_count(filters, rowids, procedural=procedural)
    return DecisionPage(found, total, offset, filters)


def compare(
    engine: Engine,
    question: str,
    councils: list[str] | None = None,
    per_council: int = 3,
    filters: Filters | None = None,
) -> list[CouncilPrecedent]:
    """``Engine.compare``'s columns, each with its council's latest decision on the topic.

    The latest decision is the newest decision among the council's passages that answer the
    question (``confident``: the engine does not abstain, and the passage is near the best)
    among those holding a decision; a column whose council decided nothing on it has none.
    """
    base = filters or Filters()
    columns = engine.compare(question, councils, per_council, base)
    understood, query = engine.understand(question.strip())
    out = []
    for column in columns:
        latest = _latest_decision(
            engine, question, replace(base, council=(column.council,)), understood, query
        )
        dates = {h.passage.document.meta.meeting_date for h in column.answer.hits}
        out.append(
            CouncilPrecedent(
                column.council,
                column.answer,
                latest,
                sorted((d for d in dates if d), reverse=True),
            )
        )
    return out


def _latest_decision(
    engine: Engine, question: str, filters: Filters, understood: Understanding, query: Query
) -> DecisionRecord | None:
    answer = engine.ask(
        question,
        RELEVANT_PASSAGES,
        replace(filters, has_decision=True),
        query=query,
        understood=understood,
    )
    relevant = confident(answer)
    found = engine.store.decisions(answer.filters, rowids=[h.passage.rowid for h in relevant])
    return found[0] if found else None


def confident(answer: Answer, margin: float = DECISION_MARGIN) -> list[Hit]:
    """The hits that answer: none when the engine abstains on ``answer`` (the decision
    ``/api/ask`` makes: the abstention classifier, or the confidence threshold where the
    settings choose it), else those near the best.

    Near the best because the newest of them is shown: a passage that only shares a word
    with the question ("the 40mm threshold") must not win over the one that answers it just
    because its meeting was later.
    """
    if not answer.answered:
        return []
    best = max((h.confidence for h in answer.hits), default=0.0)
    return [h for h in answer.hits if h.confidence >= best - margin]


def timeline(
    engine: Engine, question: str, filters: Filters, limit: int | None = None
) -> list[YearGroup]:
    """The ``limit`` passages that best answer ``question``, by meeting date, grouped by year.

    Each year also carries what changed: the substantive decisions held in its passages and
    the figures its answering sentences state (``trend.point_of``), oldest first.
    """
    limit = _check(engine, filters, limit, TIMELINE_SHOWN)
    answer = engine.ask(question, limit, filters)
    hits = sorted(answer.hits, key=lambda h: (h.passage.document.meta.meeting_date or "9999",))
    groups: list[YearGroup] = []
    for hit in hits:
        date = hit.passage.document.meta.meeting_date
        year = int(date[:4]) if date else None
        if not groups or groups[-1].year != year:
            groups.append(YearGroup(year, []))
        groups[-1].hits.append(hit)
    weights = question_weights(engine, question)
    for group in groups:
        rowids = [h.passage.rowid for h in group.hits]
        found = engine.store.decisions(answer.filters, rowids=rowids, procedural=False)
        group.decisions = sorted(
            found, key=lambda d: (d.passage.document.meta.meeting_date or "", d.char_start)
        )
        points = (point_of(h, question, weights) for h in group.hits)
        group.figures = sorted((p for p in points if p is not None), key=lambda p: p.date)
    return groups
