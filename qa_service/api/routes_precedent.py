"""Precedent: decisions made, and how a topic developed over the years."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from index.store import Filters
from qa_service import precedent
from qa_service.api.deps import EngineDep
from qa_service.presenters import decisions_response, timeline_response
from qa_service.schemas import MAX_QUESTION, DecisionList, TimelineResponse

router = APIRouter(prefix="/api", tags=["precedent"])

Question = Annotated[str | None, Query(max_length=MAX_QUESTION, description="the topic")]
Names = Annotated[list[str] | None, Query(description="repeatable")]


def _filters(
    council: list[str] | None,
    committee: list[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> Filters:
    return Filters(
        council=tuple(c.strip() for c in council or () if c.strip()),
        committee=tuple(c.strip() for c in committee or () if c.strip()),
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
    )


@router.get("/decisions", response_model=DecisionList)
def decisions(
    engine: EngineDep,
    q: Question = None,
    council: Names = None,
    committee: Names = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> DecisionList:
    """Resolutions and recommendations matching a topic and filters, newest first, cited."""
    question = q.strip() if q and q.strip() else None
    filters = _filters(council, committee, date_from, date_to)
    return decisions_response(question, precedent.decisions(engine, question, filters, limit))


@router.get("/timeline", response_model=TimelineResponse)
def timeline(
    engine: EngineDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUESTION, description="the topic")],
    council: Names = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> TimelineResponse:
    """A topic's relevant passages ordered by meeting date and grouped by year."""
    groups = precedent.timeline(engine, q, _filters(council), limit)
    return timeline_response(q, groups)
