"""The request limits of ``Settings`` as the request schemas apply and document them.

How long a question may be (``CQA_MAX_QUESTION_CHARS``), how many passages a request may ask
for (``CQA_MAX_TOP_K``) or a comparison show per council (``CQA_MAX_PER_COUNCIL``), how long a
filter value or an upload's metadata may be (``CQA_MAX_FILTER_CHARS``, ``_TITLE_CHARS``,
``_URL_CHARS``) and how many values one filter may list (``CQA_MAX_FILTER_VALUES``) are
settings, but the schemas are classes made at import.  So a field holds no number of its
own: its validator reads the limits in force, which the app sets for each request
(``qa_service.api.limits.SettingsLimits``) and the CLI around the request it builds
(``applying``), as pydantic suggests for validation context; outside both they are the
settings' defaults.  The errors are pydantic's own (``string_too_long``, ``too_long``,
``less_than_equal``), so a refusal reads as before; ``document`` writes the same limits into
the OpenAPI schema.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from typing import Any, TypeVar

from pydantic_core import PydanticCustomError

from qa_service.config import Settings, default_of

T = TypeVar("T")
_MARK = "x-cqa-limit"  # names the setting a field's bound comes from, until ``document``


@dataclass(frozen=True)
class RequestLimits:
    """The bounds one request is checked against."""

    # a length in characters (``*_chars``), of a list (``*_values``) or a number; each is
    # the setting of the same name
    max_question_chars: int = default_of("max_question_chars")
    max_top_k: int = default_of("max_top_k")
    max_per_council: int = default_of("max_per_council")
    max_filter_chars: int = default_of("max_filter_chars")
    max_title_chars: int = default_of("max_title_chars")
    max_url_chars: int = default_of("max_url_chars")
    max_filter_values: int = default_of("max_filter_values")

    @classmethod
    def of(cls, settings: Settings) -> RequestLimits:
        """The limits ``settings`` set."""
        return cls(**{f.name: getattr(settings, f.name) for f in fields(cls)})


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


_SETTINGS = frozenset(f.name for f in fields(RequestLimits))


def _keyword(setting: str) -> str:
    """JSON Schema's word for the bound ``setting`` sets: a text's length, a list's, or a
    largest number (a ``KeyError`` at import for a name that is no request limit)."""
    if setting not in _SETTINGS:
        raise KeyError(f"{setting} is not a request limit")
    if setting.endswith("_chars"):
        return "maxLength"
    return "maxItems" if setting.endswith("_values") else "maximum"


def chars_within(setting: str) -> Callable[[str | None], str | None]:
    """A validator: refuse a text longer than the characters ``setting`` allows."""
    _keyword(setting)

    def check(value: str | None) -> str | None:
        limit = getattr(current(), setting)
        if value is not None and len(value) > limit:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": limit},
            )
        return value

    return check


def count_within(setting: str) -> Callable[[int], int]:
    """A validator: refuse a number larger than ``setting`` allows."""
    _keyword(setting)

    def check(value: int) -> int:
        limit = getattr(current(), setting)
        if value > limit:
            raise PydanticCustomError(
                "less_than_equal", "Input should be less than or equal to {le}", {"le": limit}
            )
        return value

    return check


def items_within(setting: str) -> Callable[[list[T] | None], list[T] | None]:
    """A validator: refuse a list of more values than ``setting`` allows."""
    _keyword(setting)

    def check(value: list[T] | None) -> list[T] | None:
        limit = getattr(current(), setting)
        if value is not None and len(value) > limit:
            raise PydanticCustomError(
                "too_long",
                "List should have at most {max_length} items after validation, not {actual_length}",
                {"field_type": "List", "max_length": limit, "actual_length": len(value)},
            )
        return value

    return check


question_length = chars_within("max_question_chars")  # CQA_MAX_QUESTION_CHARS
top_k_bound = count_within("max_top_k")  # passages or decisions asked for: CQA_MAX_TOP_K


def marked(setting: str) -> dict[str, Any]:
    """``json_schema_extra`` for a field bounded by ``setting`` (see ``document``)."""
    _keyword(setting)
    return {_MARK: setting}


def document(schema: Any, settings: Settings) -> None:
    """Write each marked field's bound into an OpenAPI ``schema``, in place: the value
    ``settings`` gives, as ``maxLength`` (a text), ``maxItems`` (a list) or ``maximum``."""
    if isinstance(schema, dict):
        setting = schema.pop(_MARK, None)
        if setting is not None:
            schema[_keyword(setting)] = getattr(settings, setting)
        keys: Iterable[Any] = list(schema)
    elif isinstance(schema, list):
        keys = range(len(schema))
    else:
        return
    for key in keys:
        if isinstance(schema[key], dict | list):
            # a copy: a generated schema may share its parts with a model's own
            # (``WithJsonSchema`` copies only its top level), which must keep their marks
            schema[key] = copy.copy(schema[key])
            document(schema[key], settings)
