"""Asking and comparing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from qa_service import export
from qa_service.api.deps import EngineDep
from qa_service.presenters import answer_request, compare_request
from qa_service.schemas.asking import AskRequest, AskResponse, CompareRequest, CompareResponse
from qa_service.schemas.filters import ExportFormat

router = APIRouter(prefix="/api", tags=["questions"])

Format = Annotated[
    ExportFormat, Query(alias="format", description="json (default) or csv, one row per result")
]


@router.post("/ask", response_model=AskResponse, responses=export.CSV_RESPONSES)
def ask(
    body: AskRequest, engine: EngineDep, request: Request, fmt: Format = "json"
) -> BaseModel | Response:
    """Answer a question with cited passages, best first."""
    return export.respond(answer_request(engine, body), fmt, "answer", str(request.base_url))


@router.post("/compare", response_model=CompareResponse, responses=export.CSV_RESPONSES)
def compare(
    body: CompareRequest, engine: EngineDep, request: Request, fmt: Format = "json"
) -> BaseModel | Response:
    """Answer one question for each council side by side, with each one's latest decision."""
    return export.respond(compare_request(engine, body), fmt, "compare", str(request.base_url))
