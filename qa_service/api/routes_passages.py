"""Passages: the nearest passages to one passage in other meetings, councils or years."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.responses import Response

from qa_service import export, similar
from qa_service.api.deps import EngineDep
from qa_service.api.routes_precedent import Count, Format, Names, query_filters
from qa_service.presenters import similar_response
from qa_service.schemas.passages import SimilarResponse

router = APIRouter(prefix="/api", tags=["precedent"])


@router.get(
    "/passages/{passage_id}/similar",
    response_model=SimilarResponse,
    responses=export.CSV_RESPONSES,
)
def similar_passages(
    passage_id: str,
    engine: EngineDep,
    request: Request,
    council: Names = None,
    committee: Names = None,
    date_from: date | None = None,
    date_to: date | None = None,
    doc_type: Names = None,
    top_k: Count = 5,
    fmt: Format = "json",
) -> BaseModel | Response:
    """The passages nearest to this one in other meetings (near-duplicates left out), cited."""
    filters = query_filters(council, committee, date_from, date_to, doc_type)
    found = similar.similar(engine, passage_id, filters, top_k)
    name = f"similar-{passage_id}"
    return export.respond(similar_response(found), fmt, name, str(request.base_url))
