"""Precedent: decisions made, and how a topic developed over the years."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from index.store import Filters
from qa_service import export, precedent
from qa_service.api.deps import EngineDep
from qa_service.presenters import decisions_response, timeline_response
from qa_service.schemas import MAX_QUESTION, DecisionList, ExportFormat, TimelineResponse

router = APIRouter(prefix="/api", tags=["precedent"])

Question = Annotated[str | None, Query(max_length=MAX_QUESTION, description="the topic")]
Names = Annotated[list[str] | None, Query(description="repeatable")]
Format = Annotated[
    ExportFormat, Query(alias="format", description="json (default) or csv, one row per result")
]


def query_filters(
    council: list[str] | None,
    committee: list[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    doc_type: list[str] | None = None,
) -> Filters:
    """Filters given as query parameters (blank values ignored)."""
    return Filters(
        council=tuple(c.strip() for c in council or () if c.strip()),
        committee=tuple(c.strip() for c in committee or () if c.strip()),
        doc_type=tuple(t.strip() for t in doc_type or () if t.strip()),
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
    )


@router.get("/decisions", response_model=DecisionList, responses=export.CSV_RESPONSES)
def decisions(
    engine: EngineDep,
    request: Request,
    q: Question = None,
    council: Names = None,
    committee: Names = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
    fmt: Format = "json",
) -> BaseModel | Response:
    """Resolutions and recommendations matching a topic and filters, newest first, cited."""
    question = q.strip() if q and q.strip() else None
    filters = query_filters(council, committee, date_from, date_to)
    body = decisions_response(question, precedent.decisions(engine, question, filters, limit))
    return export.respond(body, fmt, "decisions", str(request.base_url))


@router.get("/timeline", response_model=TimelineResponse, responses=export.CSV_RESPONSES)
def timeline(
    engine: EngineDep,
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUESTION, description="the topic")],
    council: Names = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    fmt: Format = "json",
) -> BaseModel | Response:
    """A topic's relevant passages ordered by meeting date and grouped by year."""
    groups = precedent.timeline(engine, q, query_filters(council), limit)
    body = timeline_response(q, groups)
    return export.respond(body, fmt, "timeline", str(request.base_url))
