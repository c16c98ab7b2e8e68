"""The request limits of ``Settings`` as the request schemas apply and document them.

A question's length (``CQA_MAX_QUESTION_CHARS``) and how many passages a request may ask for
(``CQA_MAX_TOP_K``) are settings, but the schemas are classes made at import.  So a field
holds no number of its own: its validator reads the limits in force, which the app sets for
each request (``qa_service.api.limits.SettingsLimits``) and the CLI around the request it
builds (``applying``), as pydantic suggests for validation context; outside both they are
the settings' defaults.  The errors are pydantic's own (``string_too_long``,
``less_than_equal``), so a refusal reads as before; ``document`` writes the same limits into
the OpenAPI schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from pydantic_core import PydanticCustomError

from qa_service.config import Settings, default_of

_MARK = "x-cqa-limit"  # names the setting a field's bound comes from, until ``document``
_KEYWORD = {"max_question_chars": "maxLength", "max_top_k": "maximum"}  # JSON Schema's word


@dataclass(frozen=True)
class RequestLimits:
    """The bounds one request is checked against."""

    max_question_chars: int = default_of("max_question_chars")
    max_top_k: int = default_of("max_top_k")

    @classmethod
    def of(cls, settings: Settings) -> RequestLimits:
        """The limits ``settings`` set."""
        return cls(settings.max_question_chars, settings.max_top_k)


_DEFAULTS = RequestLimits()
_current: ContextVar[RequestLimits | None] = ContextVar("request_limits", default=None)


def current() -> RequestLimits:
    """The limits in force for the request being validated."""
    return _current.get() or _DEFAULTS


@contextmanager
def applying(settings: Settings) -> Iterator[None]:
    """Validate the requests made inside the block against ``settings``' limits."""
    token = _current.set(RequestLimits.of(settings))
    try:
        yield
    finally:
        _current.reset(token)


def question_length(value: str | None) -> str | None:
    """A validator: refuse a question longer than ``CQA_MAX_QUESTION_CHARS``."""
    limit = current().max_question_chars
    if value is not None and len(value) > limit:
        raise PydanticCustomError(
            "string_too_long",
            "String should have at most {max_length} characters",
            {"max_length": limit},
        )
    return value


def top_k_bound(value: int) -> int:
    """A validator: refuse asking for more than ``CQA_MAX_TOP_K`` passages or decisions."""
    limit = current().max_top_k
    if value > limit:
        raise PydanticCustomError(
            "less_than_equal", "Input should be less than or equal to {le}", {"le": limit}
        )
    return value


def marked(setting: str) -> dict[str, Any]:
    """``json_schema_extra`` for a field bounded by ``setting`` (see ``document``)."""
    return {_MARK: setting}


def document(schema: Any, settings: Settings) -> None:
    """Write each marked field's bound into an OpenAPI ``schema``, in place: the value
    ``settings`` gives, as ``maxLength`` (a question) or ``maximum`` (a count)."""
    if isinstance(schema, list):
        for item in schema:
            document(item, settings)
        return
    if not isinstance(schema, dict):
        return
    setting = schema.pop(_MARK, None)
    if setting is not None:
        schema[_KEYWORD[setting]] = getattr(settings, setting)
    for value in schema.values():
        document(value, settings)
