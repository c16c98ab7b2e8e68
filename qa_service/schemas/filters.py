"""Metadata filters as asked for, applied and read from a question, and the request fields
shared by every route (the question, top_k, the export format)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from qa_service.request_limits import (
    chars_within,
    count_within,
    current,
    items_within,
    marked,
    question_length,
    top_k_bound,
)

M = TypeVar("M", bound=BaseModel)
Kind = Literal["any", "decision"]
ExportFormat = Literal["json", "csv"]


def valid_unicode(value: str) -> str:
    """A text that UTF-8 can hold: JSON's ``"\\ud800"`` escape parses to a lone surrogate,
    which pydantic lets through in a list item (it refuses one in the question), and which
    the index's SQLite queries cannot encode."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError(  # pydantic's own type for it, as the question gets
            "string_unicode",
            "Input should be a valid string, unable to parse raw data as a unicode string",
        ) from None
    return value


# Bounded by the settings in force (qa_service/request_limits.py), not by a number here.
FilterValue = Annotated[
    str,
    Field(json_schema_extra=marked("max_filter_chars")),
    AfterValidator(valid_unicode),
    AfterValidator(chars_within("max_filter_chars")),
]
_ONE_VALUE = {"type": "string", **marked("max_filter_chars")}
FilterValues = Annotated[  # one filter's values, or the councils compared
    list[FilterValue] | None,
    Field(json_schema_extra=marked("max_filter_values")),
    AfterValidator(items_within("max_filter_values")),
]
# a filter field takes one value or a list (see as_list); the schema says both
OneOrMany = Annotated[
    list[FilterValue] | None,
    WithJsonSchema(
        {
            "anyOf": [
                _ONE_VALUE,
                {"type": "array", "items": _ONE_VALUE, **marked("max_filter_values")},
                {"type": "null"},
            ]
        }
    ),
    AfterValidator(items_within("max_filter_values")),
]
QuestionText = Annotated[
    str,
    Field(min_length=1, json_schema_extra=marked("max_question_chars")),
    AfterValidator(question_length),
]


def not_a_boolean(value: object) -> object:
    """A count sent as ``true``/``false`` is refused: pydantic would read ``true`` as 1."""
    if isinstance(value, bool):
        raise ValueError("must be a whole number, not true or false")
    return value


TopK = Annotated[
    int,
    Field(ge=1, json_schema_extra=marked("max_top_k")),
    BeforeValidator(not_a_boolean),
    AfterValidator(top_k_bound),
]
PerCouncil = Annotated[
    int,
    Field(ge=1, json_schema_extra=marked("max_per_council")),
    BeforeValidator(not_a_boolean),
    AfterValidator(count_within("max_per_council")),
]


def default_within(field: str, setting: str) -> Callable[[M], M]:
    """An after-validator: a ``field`` left to its default is cut to the ``setting`` in
    force, not refused (pydantic does not validate defaults; a client that did not ask
    for five passages should not be told five is too many)."""

    def cut(model: M) -> M:
        if field not in model.model_fields_set:
            setattr(model, field, min(getattr(model, field), getattr(current(), setting)))
        return model

    return cut


def notes_field(description: str) -> Any:
    """A response's ``notes``: one sentence each (what ``description`` says), none by default."""
    return Field(default_factory=list, description=description)


def question_not_blank(value: str) -> str:
    """A question of spaces only is refused like an empty one."""
    if not value.strip():
        raise ValueError("the question is empty")
    return value


def as_list(value: object) -> object:
    """A before-validator: one value sent for a list field is a list of one."""
    if value is None or isinstance(value, list):
        return value
    return [value]


def without_blanks(value: list[str] | None) -> list[str] | None:
    """An after-validator: values trimmed, blank ones dropped (none left: no filter)."""
    if value is None:
        return None
    cleaned = [v.strip() for v in value if v and v.strip()]
    return cleaned or None


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date_only(value: object) -> object:
    """Dates as YYYY-MM-DD only: not the numbers and timestamps pydantic would also take."""
    if value is None or isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("a date must be written YYYY-MM-DD")
    return value


class FiltersIn(BaseModel):
    """Metadata filters; every field is optional and text fields match case-insensitively."""

    model_config = ConfigDict(extra="forbid")

    council: OneOrMany = Field(default=None, description="one council or a list")
    committee: OneOrMany = Field(default=None, description="one committee or a list")
    date_from: date | None = Field(default=None, description="meeting date on or after")
    date_to: date | None = Field(default=None, description="meeting date on or before")
    doc_type: OneOrMany = Field(default=None, description="e.g. minutes, report")
    include_superseded: bool = Field(  # strict: the schema says boolean, so 0 or 0.0 is refused
        default=False,
        strict=True,
        description="let documents replaced by a revised version answer too",
    )
    kind: Kind = Field(
        default="any",
        description="'decision': only passages holding a resolution or recommendation",
    )

    _lists = field_validator("council", "committee", "doc_type", mode="before")(as_list)
    _dates = field_validator("date_from", "date_to", mode="before")(_iso_date_only)
    _no_blank = field_validator("council", "committee", "doc_type")(without_blanks)

    @model_validator(mode="after")
    def _dates_in_order(self) -> FiltersIn:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from must not be after date_to")
        return self


class CompareFiltersIn(FiltersIn):
    """Filters for a comparison: as for ask, without council (the columns are councils)."""

    council: None = Field(default=None, exclude=True, description="not allowed here")


class AppliedFilters(BaseModel):
    """The filters the answer was computed with."""

    council: list[str] = Field(default_factory=list)
    committee: list[str] = Field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    doc_type: list[str] = Field(default_factory=list)
    include_superseded: bool = False
    kind: Kind = "any"


class InferredFilters(BaseModel):
    """Filters read from the question's own words (already included in ``filters``)."""

    council: list[str] = Field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    phrases: list[str] = Field(default_factory=list, description="the words they were read from")
    preferred_date_from: str | None = Field(
        default=None,
        description="a year the question names is a preference, not a cut: passages that "
        "write it, or from meetings in this range, rank higher",
    )
    preferred_date_to: str | None = None
    preferred_phrases: list[str] = Field(default_factory=list)
