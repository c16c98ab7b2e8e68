"""Asking and comparing."""

from __future__ import annotations

from fastapi import APIRouter

from qa_service.api.deps import EngineDep
from qa_service.presenters import answer_request, compare_response, to_filters
from qa_service.schemas import AskRequest, AskResponse, CompareRequest, CompareResponse

router = APIRouter(prefix="/api", tags=["questions"])


@router.post("/ask", response_model=AskResponse)
def ask(body: AskRequest, engine: EngineDep) -> AskResponse:
    """Answer a question with cited passages, best first."""
    return answer_request(engine, body)


@router.post("/compare", response_model=CompareResponse)
def compare(body: CompareRequest, engine: EngineDep) -> CompareResponse:
    """Answer one question for each council side by side."""
    columns = engine.compare(
        body.question, body.councils, body.per_council, to_filters(body.filters)
    )
    return compare_response(body.question, columns)
