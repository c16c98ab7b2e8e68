"""The web form: a server-rendered question page (works without JavaScript)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from qa_service.api.deps import EngineDep
from qa_service.presenters import ask_response, to_filters
from qa_service.schemas import AskRequest, PassageOut

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parent.parent / "templates"))


def segments(passage: PassageOut) -> list[tuple[str, bool]]:
    """The passage text cut into (piece, highlighted) runs, for escaping in the template."""
    text = passage.text
    out: list[tuple[str, bool]] = []
    at = 0
    for h in sorted(passage.highlights, key=lambda h: h.start):
        if h.start > at:
            out.append((text[at : h.start], False))
        out.append((text[max(h.start, at) : h.end], True))
        at = max(at, h.end)
    if at < len(text):
        out.append((text[at:], False))
    return out


@router.get("/", response_class=HTMLResponse)
def form(
    request: Request,
    engine: EngineDep,
    q: str = "",
    council: Annotated[list[str] | None, Query()] = None,
    committee: str = "",
    doc_type: str = "",
    date_from: str = "",
    date_to: str = "",
    sort: str = "relevance",
    top_k: int = 5,
) -> HTMLResponse:
    """The question form, and the answer when a question was asked."""
    error = None
    response = None
    councils = [c for c in (council or []) if c]
    if q.strip():
        try:
            body = AskRequest.model_validate(
                {
                    "question": q,
                    "top_k": max(1, min(top_k, 50)),
                    "sort": sort if sort in {"relevance", "newest", "oldest"} else "relevance",
                    "filters": {
                        "council": councils or None,
                        "committee": committee or None,
                        "doc_type": doc_type or None,
                        "date_from": date_from or None,
                        "date_to": date_to or None,
                    },
                }
            )
            response = ask_response(
                engine.ask(body.question, body.top_k, to_filters(body.filters), body.sort)
            )
        except (ValidationError, ValueError) as exc:
            error = _message(exc)
    return templates.TemplateResponse(
        request,
        "index.html",
        {
            "q": q,
            "selected_councils": councils,
            "committee": committee,
            "doc_type": doc_type,
            "date_from": date_from,
            "date_to": date_to,
            "sort": sort,
            "councils": engine.store.facet_values("council"),
            "committees": engine.store.facet_values("committee"),
            "doc_types": engine.store.facet_values("doc_type"),
            "response": response,
            "error": error,
            "segments": segments,
        },
    )


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(e["msg"]) for e in exc.errors())
    return f"Check the dates: {exc}"
