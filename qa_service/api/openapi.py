"""The OpenAPI schema as the service really answers: its error body and every error status.

FastAPI documents only 200 and its own 422 body (``detail`` as a list).  This service
answers every error with ``{"detail": "<one sentence>", "errors": [...]}`` and can say
400, 401, 403, 404, 409, 413, 415, 500 or 503, so the schema says so too; schemathesis
checks the responses against it (tests/qa_service/test_schemathesis.py).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

from qa_service import request_limits
from qa_service.config import Settings


class ErrorOut(BaseModel):
    """Every error response: one clear sentence, and for 422 the fields at fault."""

    detail: str = Field(description="what is wrong, in one sentence")
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="for 422: each invalid field with its location"
    )


_REASONS = {
    "400": "malformed request headers",
    "401": "missing or wrong bearer token",
    "403": "writes are disabled: no CQA_ADMIN_TOKEN is configured",
    "404": "no such document or passage",
    "409": "another process is writing to the index",
    "413": "request body or uploaded file too large",
    "415": "unsupported file type",
    "422": "invalid request, or a file that cannot be ingested",
    "500": "internal error (no details are given)",
    "503": "the index is missing",
}


_RETRY_AFTER = {
    "Retry-After": {
        "description": "seconds after which the write is worth trying again",
        "schema": {"type": "integer"},
    }
}


def _codes(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    codes = ["400", "413", "422", "500", "503"]
    if operation.get("security"):
        codes += ["401", "403", "409"]
    if "{" in path:
        codes.append("404")
    if method == "post" and path == "/api/documents":
        codes.append("415")
    return codes


def install(app: FastAPI, settings: Settings) -> None:
    """Make ``app.openapi()`` describe the real error responses and ``settings``' limits."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        request_limits.document(schema, settings)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components["Error"] = error
        components.pop("ValidationError", None)
        components.pop("HTTPValidationError", None)
        ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for code in _codes(path, method, operation):
                    responses[code] = {"description": _REASONS[code], **ref}
                if "409" in responses:
                    responses["409"]["headers"] = _RETRY_AFTER
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
