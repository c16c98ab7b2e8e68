"""Asking and comparing."""

from __future__ import annotations

from fastapi import APIRouter

from qa_service.api.deps import EngineDep
from qa_service.presenters import ask_response, compare_response, to_filters
from qa_service.schemas import AskRequest, AskResponse, CompareRequest, CompareResponse

router = APIRouter(prefix="/api", tags=["questions"])


@router.post("/ask", response_model=AskResponse)
def ask(body: AskRequest, engine: EngineDep) -> AskResponse:
    """Answer a question with cited passages, best first."""
    answer = engine.ask(
        body.question,
        body.top_k,
        to_filters(body.filters),
        body.sort,
        infer_filters=body.infer_filters,
    )
    return ask_response(answer)


@router.post("/compare", response_model=CompareResponse)
def compare(body: CompareRequest, engine: EngineDep) -> CompareResponse:
    """Answer one question for each council side by side."""
    columns = engine.compare(
        body.question, body.councils, body.per_council, to_filters(body.filters)
    )
    return compare_response(body.question, columns)
