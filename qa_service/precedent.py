"""Precedent: the decisions matching a question or filters, and a topic's timeline by year.

Both reuse the engine's retrieval: decisions with a question are the decisions of the
passages that best answer it among passages holding a decision (``Filters.has_decision``,
pushed into both searches), then ordered newest first; a timeline is the best passages
ordered by meeting date and grouped by year.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from index.store import DecisionRecord, Filters
from ingest.errors import InvalidQueryError
from qa_service.retriever import Engine, Hit

# With a question, the decisions of this many best passages are kept (then dated).
RELEVANT_PASSAGES = 5


@dataclass
class YearGroup:
    """The relevant passages of one year (None: meetings with no known date)."""

    year: int | None
    hits: list[Hit]


def _check(filters: Filters, limit: int, max_limit: int) -> None:
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidQueryError("date_from must not be after date_to")
    if not 1 <= limit <= max_limit:
        raise InvalidQueryError(f"limit must be between 1 and {max_limit}")


def decisions(
    engine: Engine, question: str | None, filters: Filters, limit: int = 20
) -> list[DecisionRecord]:
    """Decisions passing ``filters`` (relevant to ``question`` when given), newest first."""
    _check(filters, limit, engine.settings.max_top_k)
    engine.refresh()
    if not engine.store.has_decisions:
        return []  # an index written before decisions were recorded
    filters = replace(filters, has_decision=True)
    if question is None or not question.strip():
        return engine.store.decisions(filters, limit=limit)
    answer = engine.ask(question, min(RELEVANT_PASSAGES, limit), filters)
    rowids = [h.passage.rowid for h in answer.hits]
    return engine.store.decisions(answer.filters, rowids=rowids, limit=limit)


def timeline(engine: Engine, question: str, filters: Filters, limit: int = 10) -> list[YearGroup]:
    """The ``limit`` passages that best answer ``question``, by meeting date, grouped by year."""
    _check(filters, limit, engine.settings.max_top_k)
    hits = engine.ask(question, limit, filters).hits
    hits = sorted(hits, key=lambda h: (h.passage.document.meta.meeting_date or "9999",))
    groups: list[YearGroup] = []
    for hit in hits:
        date = hit.passage.document.meta.meeting_date
        year = int(date[:4]) if date else None
        if not groups or groups[-1].year != year:
            groups.append(YearGroup(year, []))
        groups[-1].hits.append(hit)
    return groups
