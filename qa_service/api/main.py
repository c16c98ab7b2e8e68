"""The FastAPI application: load the index once, mount the routers, translate errors."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from cqa_core.errors import (
    CQAError,
    DocumentNotFoundError,
    IndexBusyError,
    IndexMissingError,
    IngestError,
    InvalidQueryError,
)
from index.embedder import Embedder
from index.orphans import remove_orphan_uploads
from qa_service.api import (
    docs,
    openapi,
    routes_ask,
    routes_documents,
    routes_health,
    routes_passages,
    routes_precedent,
    web,
    web_documents,
    web_precedent,
)
from qa_service.api.deps import admin_refusal, bearer_token
from qa_service.api.limits import BodySizeLimit, SettingsLimits, TokenFirst
from qa_service.api.web_render import STATIC_DIR, render
from qa_service.config import Settings, writes_enabled
from qa_service.retriever import Engine
from qa_service.runtime import make_query_embedder

logger = logging.getLogger("qa_service")

# Paths whose errors stay JSON, even a 404: the API, its schema and docs, health, assets.
_JSON_PATHS = ("/api/", "/api", "/health", "/openapi.json", "/docs", "/redoc", "/static/")

_STATUS = {
    InvalidQueryError: 422,
    IngestError: 422,
    DocumentNotFoundError: 404,
    IndexBusyError: 409,
    IndexMissingError: 503,
}
RETRY_AFTER_SECONDS = 5  # a write commits every few files, so the lock is soon free again


def create_app(
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    ingest_embedder: Embedder | None = None,
) -> FastAPI:
    """Build the app; the index and question encoder load once, when it starts.

    ``embedder`` encodes questions (default: ``make_query_embedder``); uploads are embedded
    by ``ingest_embedder``, else by ``embedder`` if one was given, else by the model, which
    is then loaded on the first upload (``deps.get_ingest_embedder``).
    """
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        if not writes_enabled(settings):
            logger.warning("CQA_ADMIN_TOKEN is not set: uploads and deletions are refused")
        _remove_orphans(settings)
        app.state.engine = Engine(
            settings.index, embedder or make_query_embedder(settings, ingest_embedder), settings
        )
        app.state.ingest_embedder = ingest_embedder or embedder
        app.state.ingest_embedder_lock = threading.Lock()
        yield
        app.state.engine.close()

    app = FastAPI(
        title="Committee Papers QA",
        version="0.1.0",
        description="Cited answers from local-government committee papers.",
        lifespan=lifespan,
        docs_url=None,  # served offline by qa_service.api.docs
        redoc_url=None,
    )
    app.add_middleware(SettingsLimits, settings=settings)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_request_bytes,
        max_json_bytes=settings.max_json_bytes,
    )
    app.add_middleware(  # outermost: an upload without the token is refused unread
        TokenFirst, refuse=lambda header: admin_refusal(settings, bearer_token(header))
    )
    app.include_router(routes_ask.router)
    app.include_router(routes_documents.router)
    app.include_router(routes_precedent.router)
    app.include_router(routes_passages.router)
    app.include_router(routes_health.router)
    app.include_router(web.router)
    app.include_router(web_documents.router)
    app.include_router(web_precedent.router)
    docs.install(app)  # before /static: its assets live under /static/api-docs
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    openapi.install(app, settings)

    @app.exception_handler(CQAError)
    async def domain_error(request: Request, exc: CQAError) -> Response:
        status = next((code for cls, code in _STATUS.items() if isinstance(exc, cls)), 500)
        if status == 500:  # the operator's to fix (a corrupt or unwritable index, no model):
            return await unexpected(request, exc)  # its message names server paths
        # another write holds the index: say when trying again is worth it
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 409 else None
        if _is_page(request) and status != 422:  # a person at a page gets a page
            return _problem_page(request, status, headers)
        body: dict[str, Any] = {"detail": str(exc)}
        if status == 422:  # the shape of every other 422: a detail and its errors
            body["errors"] = [{"type": "value_error", "loc": [], "msg": str(exc)}]
        return JSONResponse(body, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [_unnamed(e) for e in exc.errors()]
        content_type = request.headers.get("content-type")
        messages = []
        for error in errors:
            where, msg = _where_and_what(error, content_type)
            messages.append(f"{_safe_text(where)}: {_safe_text(msg)}" if where else msg)
        return JSONResponse(
            {"detail": "; ".join(messages) or "invalid request", "errors": _jsonable(errors)},
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # A person who mistypes a page address gets a page; API clients keep their JSON.
        if exc.status_code == 404 and not request.url.path.startswith(_JSON_PATHS):
            return render(request, "not_found.html", {}, status_code=404)
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # The client gets no details; the operator's log gets the whole traceback.
        logger.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        if _is_page(request):
            return _problem_page(request, 500)
        return JSONResponse({"detail": "internal error"}, status_code=500)

    return app


def _is_page(request: Request) -> bool:
    """Whether a request is for a web page (its errors are pages) rather than the API."""
    return not request.url.path.startswith(_JSON_PATHS)


# What a page says for an error that is not the reader's (GOV.UK's words for these pages).
_PROBLEMS = {
    409: (
        "The papers are being updated",
        f"Another change to the index is being saved. Try again in {RETRY_AFTER_SECONDS} seconds.",
    ),
    503: ("Sorry, the service is unavailable", "There is no index of papers to search yet."),
}
_PROBLEM = (
    "Sorry, there is a problem with the service",
    "Try again later. What you asked has not been lost: the page's address holds it.",
)


def _problem_page(request: Request, status: int, headers: dict[str, str] | None = None) -> Response:
    """The HTML page for an error that is not the reader's, without any of its details."""
    if status == 404:
        return render(request, "not_found.html", {}, status_code=404)
    heading, message = _PROBLEMS.get(status, _PROBLEM)
    page = render(
        request, "problem.html", {"heading": heading, "message": message}, status_code=status
    )
    page.headers.update(headers or {})
    return page


def _remove_orphans(settings: Settings) -> None:
    """Uploads an interrupted request left with no document are deleted at start-up."""
    try:
        report = remove_orphan_uploads(settings.index)
    except (CQAError, OSError) as exc:  # a start-up chore: never stop the service for it
        logger.warning("could not check for orphan uploads: %s", exc)
        return
    if report.removed:
        logger.warning(
            "removed %d orphan upload(s) with no committed document (%d bytes)",
            len(report.removed),
            report.freed_bytes,
        )


def _where_and_what(error: dict[str, Any], content_type: str | None = None) -> tuple[str, str]:
    """The field a validation error is about and what is wrong, for the one-line ``detail``.

    An error about the body as a whole names it: a body that is not JSON at all ("body: is
    not valid JSON", not pydantic's "0: JSON decode error"), none sent, not an object, or
    sent without a JSON content type (curl's ``-d`` alone sends a form); an upload sent as
    anything but a form is told how to send its file. A date says how it is written, a text
    holding a lone surrogate escape (``"\\ud800"``) says so, and a field a route does not
    take says so.
    """
    loc = tuple(error.get("loc", ()))
    kind = str(error.get("type"))
    # pydantic's "Value error, " before a validator's own sentence says nothing to a client
    msg = str(error.get("msg")).removeprefix("Value error, ")
    if kind == "json_invalid":
        return "body", "is not valid JSON"
    if loc == ("body",):
        if kind == "missing":
            return "body", "is required: send a JSON object"
        if not _sent_as_json(content_type):
            return "body", f"is not JSON: send a JSON object with the header {_JSON_TYPE}"
        if kind in ("model_attributes_type", "dict_type", "model_type"):
            return "body", "must be a JSON object ({...}), not a list, string or number"
        return "body", msg
    where = ".".join(str(p) for p in loc if p != "body")
    if loc == ("body", "file") and kind == "missing" and not _sent_as_form(content_type):
        return where, f"is required: send the paper as {_FORM_TYPE} (curl -F file=@paper.pdf)"
    if loc == ("body", "file") and "UploadFile" in msg:  # a part without a file name is text
        return where, "must be a file: a form part with a file name (curl -F file=@paper.pdf)"
    if kind.startswith("date_") and kind != "date_type":
        # "Input should be a valid date or datetime, day value is outside expected range"
        reason = msg.partition(", ")[2]
        return where, "must be a real date written YYYY-MM-DD" + (f" ({reason})" if reason else "")
    if kind == "string_unicode":  # pydantic's "unable to parse raw data as a unicode string"
        return where, "must be valid Unicode text: it holds a lone surrogate (\\ud800-\\udfff)"
    if kind == "none_required":  # the one such field: compare's columns are its councils
        return where, 'is not taken here: give the councils to compare in "councils"'
    return where, msg


_JSON_TYPE = "Content-Type: application/json"
_FORM_TYPE = "multipart/form-data"


def _sent_as_form(content_type: str | None) -> bool:
    """Whether the body is a multipart form, as an upload must be."""
    return content_type is not None and content_type.split(";", 1)[0].strip().lower() == _FORM_TYPE


def _sent_as_json(content_type: str | None) -> bool:
    """Whether FastAPI reads the body as JSON: no content type, or a JSON one."""
    if not content_type:
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _unnamed(error: dict[str, Any]) -> dict[str, Any]:
    """A validation error whose location holds no name the client made up: an unknown field
    is called "(unknown field)", so its name (the client's own text) is not sent back."""
    loc = tuple(error.get("loc", ()))
    if error.get("type") == "extra_forbidden" and loc:
        return {**error, "loc": (*loc[:-1], "(unknown field)")}
    return error


def _jsonable(errors: object) -> object:
    """Validation errors that never echo the request and always encode as strict JSON.

    pydantic attaches the offending ``input`` (which may be megabytes, NaN, Infinity or a
    lone surrogate) and raw exception objects (``ctx``); neither is sent back.  Every string
    left (a message, a field name from ``loc``) is cut to 200 characters and made valid UTF-8.
    """
    if isinstance(errors, list | tuple):
        return [_jsonable(e) for e in errors]
    if isinstance(errors, dict):
        return {k: _jsonable(v) for k, v in errors.items() if k not in _NOT_ECHOED}
    if isinstance(errors, bool | int | None):
        return errors
    return _safe_text(str(errors))


_NOT_ECHOED = frozenset({"input", "ctx", "url"})


def _safe_text(text: str, limit: int = 200) -> str:
    """At most ``limit`` characters of valid UTF-8: a lone surrogate becomes U+FFFD."""
    text = text[:limit] + ("…" if len(text) > limit else "")
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
