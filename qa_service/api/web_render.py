"""Rendering the web pages: one Jinja environment (autoescaped) and the pages' security headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from qa_service import request_limits, web_views
from qa_service.answer_card import STATE_LABELS, answer_state

PACKAGE = Path(__file__).resolve().parent.parent
STATIC_DIR = PACKAGE / "static"

templates = Jinja2Templates(directory=str(PACKAGE / "templates"))
templates.env.autoescape = True  # every template, whatever its name: document text is hostile
templates.env.filters["long_date"] = web_views.long_date
templates.env.globals.update(
    segments=web_views.segments,
    citation_parts=web_views.citation_parts,
    citation_text=web_views.citation_text,
    cited_page=web_views.cited_page,
    passage_link=web_views.passage_link,
    safe_url=web_views.safe_url,
    snippet=web_views.snippet,
    meeting_parts=web_views.meeting_parts,
    sentence_link=web_views.sentence_link,
    source_page_link=web_views.source_page_link,
    state_label=STATE_LABELS.get,
    card_state=answer_state,  # an API body's state in the pages' names
    request_limits=request_limits.current,  # the question box's maxlength
)

# The pages need no script at all, so none may run: a payload that slipped past escaping
# would still be inert.  Styles, fonts and images come only from /static.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

NAVIGATION = (
    ("/", "Ask a question"),
    ("/compare", "Compare councils"),
    ("/documents", "Browse the papers"),
    ("/decisions", "Decisions"),
    ("/commitments", "Follow-through"),
    ("/timeline", "Timeline"),
    ("/trend", "Trends"),
)


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """A page from ``templates/``, with the navigation and the security headers."""
    current = request.url.path
    nav = [
        (href, label, current == href or (href != "/" and current.startswith(href + "/")))
        for href, label in NAVIGATION
    ]
    return templates.TemplateResponse(
        request,
        name,
        {"navigation": nav, "base_url": str(request.base_url), **context},
        status_code=status_code,
        headers=SECURITY_HEADERS,
    )
