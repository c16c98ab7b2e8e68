"""Precedent: decisions made, and how a topic developed over the years."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import AfterValidator, BaseModel
from pydantic_core import PydanticCustomError
from starlette.responses import Response

from index.store import Filters
from qa_service import export, followthrough, precedent
from qa_service.api.deps import EngineDep
from qa_service.presenters import (
    commitments_response,
    decisions_notes,
    decisions_response,
    timeline_response,
    to_filters,
    trend_request,
    unheld_filter_notes,
)
from qa_service.request_limits import marked, question_length, top_k_bound
from qa_service.schemas.filters import ExportFormat
from qa_service.schemas.precedent import (
    CommitmentList,
    DecisionList,
    TimelineResponse,
    TrendRequest,
    TrendResponse,
)

router = APIRouter(prefix="/api", tags=["precedent"])

# Bounded by the settings in force (qa_service/request_limits.py), not by a number here.
Question = Annotated[
    str | None,
    Query(description="the topic", json_schema_extra=marked("max_question_chars")),
    AfterValidator(question_length),
]
Count = Annotated[
    int, Query(ge=1, json_schema_extra=marked("max_top_k")), AfterValidator(top_k_bound)
]
Names = Annotated[list[str] | None, Query(description="repeatable")]
# Past the last decision is an empty page, not an error; the bound keeps it an SQLite integer.
Offset = Annotated[
    int,
    Query(
        ge=0, le=2**31 - 1, description="decisions to skip: the next page starts at offset + limit"
    ),
]

# "'discharged', 'due' or 'overdue'", as pydantic words a literal's choices
_STATUS_CHOICES = (
    ", ".join(f"'{s}'" for s in followthrough.STATUSES[:-1]) + f" or '{followthrough.STATUSES[-1]}'"
)


def _known_statuses(values: list[str] | None) -> list[str] | None:
    """Refuse a status that is not one of ``followthrough.STATUSES`` here, where the error
    names ``status`` (``loc: ["query", "status"]``), as every other 422 names its field:
    the engine's own check has no location to give (blank values are ignored, as there)."""
    if any(v.strip() and v.strip() not in followthrough.STATUSES for v in values or ()):
        raise PydanticCustomError(
            "literal_error",
            "Input should be {expected}",
            {"expected": _STATUS_CHOICES},
        )
    return values


Statuses = Annotated[
    list[str] | None,
    Query(description="discharged, due or overdue (repeatable)"),
    AfterValidator(_known_statuses),
]
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
    limit: Count = precedent.DECISIONS_SHOWN,
    offset: Offset = 0,
    procedural: Annotated[
        bool, Query(description="include procedural decisions (noting, minutes, apologies)")
    ] = False,
    fmt: Format = "json",
) -> BaseModel | Response:
    """Decisions matching a topic and filters, newest first, each with its subject, cited;
    `limit` of them after the first `offset` (`total` says how many there are)."""
    question = q.strip() if q and q.strip() else None
    filters = query_filters(council, committee, date_from, date_to)
    asked = limit if "limit" in request.query_params else None  # a default is cut, not refused
    found = precedent.decisions(engine, question, filters, asked, procedural, offset)
    body = decisions_response(question, found, procedural)
    # a council or committee no paper has (misspelt) is named, as /api/ask names it
    body.notes = decisions_notes(engine, unheld_filter_notes(engine, filters), found)
    return export.respond(body, fmt, "decisions", str(request.base_url))


@router.get("/timeline", response_model=TimelineResponse, responses=export.CSV_RESPONSES)
def timeline(
    engine: EngineDep,
    request: Request,
    q: Annotated[
        str,
        Query(
            min_length=1, description="the topic", json_schema_extra=marked("max_question_chars")
        ),
        AfterValidator(question_length),
    ],
    council: Names = None,
    limit: Count = precedent.TIMELINE_SHOWN,
    fmt: Format = "json",
) -> BaseModel | Response:
    """A topic's relevant passages ordered by meeting date and grouped by year."""
    asked = limit if "limit" in request.query_params else None  # a default is cut, not refused
    filters = query_filters(council)
    groups = precedent.timeline(engine, q, filters, asked)
    body = timeline_response(q, groups)
    body.notes = unheld_filter_notes(engine, filters)
    return export.respond(body, fmt, "timeline", str(request.base_url))


@router.get("/commitments", response_model=CommitmentList)
def commitments(
    engine: EngineDep,
    council: Names = None,
    committee: Annotated[list[str] | None, Query(description="the committee expecting it")] = None,
    status: Statuses = None,
    document: Annotated[
        str | None, Query(max_length=100, description="only those made in this document")
    ] = None,
    as_of: Annotated[date | None, Query(description="the date statuses are read on")] = None,
) -> CommitmentList:
    """What committees asked to come back, when, and whether a later paper brought it back."""
    when = as_of or date.today()
    found = followthrough.follow_through(engine, council, committee, status, when, document)
    body = commitments_response(found, when.isoformat())
    # the council, not the committee: a commitment's committee is the one it names as
    # expecting it ("Full Council"), which need not be a paper's
    body.notes = unheld_filter_notes(engine, query_filters(council))
    return body


@router.post("/trend", response_model=TrendResponse)
def trend_of(engine: EngineDep, body: TrendRequest) -> TrendResponse:
    """A figure over time: each meeting's best answering sentence and the figure it states;
    a line per council for none, or for a list of councils."""
    return trend_request(engine, body.question, body.council or [], to_filters(body.filters))
