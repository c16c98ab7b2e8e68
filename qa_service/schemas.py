"""Pydantic request and response models of the HTTP API (separate from internal records)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

MAX_QUESTION = 1999  # "2,000+ characters" is refused
MAX_FILTER_VALUES = 50  # values of one filter field, or councils compared
Kind = Literal["any", "decision"]
ExportFormat = Literal["json", "csv"]
FilterValue = Annotated[str, Field(max_length=200)]
# a filter field takes one value or a list (see _as_list); the schema says both
OneOrMany = Annotated[
    list[FilterValue] | None,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": 200},
                {"type": "array", "items": {"type": "string", "maxLength": 200},
                 "maxItems": MAX_FILTER_VALUES},
                {"type": "null"},
            ]
        }
    ),
]  # fmt: skip


def _question_not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("the question is empty")
    return value


def _as_list(value: object) -> object:
    if value is None or isinstance(value, list):
        return value
    return [value]


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

    council: OneOrMany = Field(
        default=None, max_length=MAX_FILTER_VALUES, description="one council or a list"
    )
    committee: OneOrMany = Field(
        default=None, max_length=MAX_FILTER_VALUES, description="one committee or a list"
    )
    date_from: date | None = Field(default=None, description="meeting date on or after")
    date_to: date | None = Field(default=None, description="meeting date on or before")
    doc_type: OneOrMany = Field(
        default=None, max_length=MAX_FILTER_VALUES, description="e.g. minutes, report"
    )
    include_superseded: bool = Field(
        default=False, description="let documents replaced by a revised version answer too"
    )
    kind: Kind = Field(
        default="any",
        description="'decision': only passages holding a resolution or recommendation",
    )

    _lists = field_validator("council", "committee", "doc_type", mode="before")(_as_list)
    _dates = field_validator("date_from", "date_to", mode="before")(_iso_date_only)

    @field_validator("council", "committee", "doc_type")
    @classmethod
    def _no_blank(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        cleaned = [v.strip() for v in value if v and v.strip()]
        return cleaned or None

    @model_validator(mode="after")
    def _dates_in_order(self) -> FiltersIn:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("date_from must not be after date_to")
        return self


class CompareFiltersIn(FiltersIn):
    """Filters for a comparison: as for ask, without council (the columns are councils)."""

    council: None = Field(default=None, exclude=True, description="not allowed here")


class AskRequest(BaseModel):
    """A question with optional filters and sort order."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=MAX_QUESTION)
    top_k: int = Field(default=5, ge=1, le=50)
    filters: FiltersIn | None = None
    sort: Literal["relevance", "newest", "oldest"] = "relevance"
    infer_filters: bool = Field(
        default=True,
        description="read a council or a year that the question names as a filter "
        "(shown in inferred_filters); false asks the question as typed",
    )

    _q = field_validator("question")(_question_not_blank)


class CompareRequest(BaseModel):
    """One question put to several councils."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=MAX_QUESTION)
    councils: list[FilterValue] | None = Field(
        default=None, max_length=MAX_FILTER_VALUES, description="omit for every council"
    )
    per_council: int = Field(default=3, ge=1, le=20)
    filters: CompareFiltersIn | None = None

    _q = field_validator("question")(_question_not_blank)


class Highlight(BaseModel):
    """Offsets into the passage text of an answering sentence."""

    start: int
    end: int


class AlsoAt(BaseModel):
    """Another copy of the same paper, considered at another meeting."""

    document_id: str
    source: str
    title: str | None
    committee: str | None
    meeting_date: str | None
    page: int | None


class Citation(BaseModel):
    """Where a passage comes from; ``text[char_start:char_end]`` of the document is it."""

    document_id: str
    source: str
    title: str | None
    council: str | None
    committee: str | None
    meeting_date: str | None
    doc_type: str | None
    url: str | None
    page: int | None
    char_start: int
    char_end: int
    heading: list[str] = Field(default_factory=list, description="the headings above it")
    highlight_page: int | None = Field(
        default=None, description="PDF page of the highlighted sentence (page is where it starts)"
    )
    superseded_by: str | None = Field(default=None, description="id of the revised version")
    also_at: list[AlsoAt] = Field(
        default_factory=list,
        description="near-identical passages of the same paper at other meetings, folded into this",
    )


class PassageOut(BaseModel):
    """One cited passage."""

    rank: int
    passage_id: str
    score: float
    text: str
    highlights: list[Highlight]
    citation: Citation
    confidence: float = Field(
        description="evidence that the passage answers: its (or its best sentence's) cosine "
        "to the question plus the share of the question's key terms it contains"
    )
    is_table: bool = Field(
        default=False, description="rows of a table of figures (one row a line), not prose"
    )


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


class AskResponse(BaseModel):
    """The passages that answer a question, best first."""

    question: str
    answered: bool
    passages: list[PassageOut]
    confidence: float = 0.0
    filters: AppliedFilters = Field(default_factory=AppliedFilters)
    inferred_filters: InferredFilters = Field(default_factory=InferredFilters)
    expansions: list[str] = Field(
        default_factory=list, description="abbreviations in the question and what they were read as"
    )


class CouncilColumn(BaseModel):
    """One council's answer in a comparison."""

    council: str
    answered: bool
    passages: list[PassageOut]
    latest_decision: DecisionOut | None = Field(
        default=None,
        description="the council's newest decision among its passages that answer the "
        "question and hold a decision (null when none answers with confidence)",
    )
    meeting_dates: list[str] = Field(
        default_factory=list, description="the meeting dates of the passages shown, newest first"
    )


class CompareResponse(BaseModel):
    """Councils, best-answering first."""

    question: str
    councils: list[CouncilColumn]


class DocumentBase(BaseModel):
    """A document's metadata (the citation fields)."""

    document_id: str
    source: str
    title: str | None
    council: str | None
    committee: str | None
    meeting_date: str | None
    doc_type: str | None
    url: str | None
    supersedes: str | None
    superseded_by: str | None
    ingested_at: str


class DocumentOut(DocumentBase):
    """A document's metadata and how many passages it has."""

    passages: int


class PassageSpan(BaseModel):
    """Where a passage sits in its document."""

    passage_id: str
    char_start: int
    char_end: int
    page: int | None


class DocumentDetail(DocumentBase):
    """A document's metadata, full extracted text and passage offsets."""

    also_at: list[AlsoAt] = Field(
        default_factory=list,
        description="copies of this paper considered at other meetings (most passages shared)",
    )
    text: str
    page_starts: list[int] | None
    passages: list[PassageSpan]


class DocumentList(BaseModel):
    """Documents in the index."""

    documents: list[DocumentOut]


class Health(BaseModel):
    """Liveness and size."""

    status: Literal["ok"]
    documents: int
    passages: int


class IngestResult(BaseModel):
    """What an upload did."""

    status: Literal["added", "updated", "unchanged"]
    document_id: str | None
    source: str
    passages: int


class RemoveResult(BaseModel):
    """What a deletion did."""

    removed: str
    source: str


class ErrorOut(BaseModel):
    """Every error response."""

    detail: str


class DecisionCitation(BaseModel):
    """Where a decision was made; the document's ``text[char_start:char_end]`` is it."""

    council: str | None
    committee: str | None
    meeting_date: str | None
    document_id: str
    source: str
    title: str | None
    doc_type: str | None
    url: str | None
    page: int | None
    passage_id: str
    char_start: int
    char_end: int


class DecisionOut(BaseModel):
    """One resolution or recommendation."""

    kind: Literal["resolution", "recommendation"]
    text: str
    citation: DecisionCitation


class DecisionList(BaseModel):
    """Decisions, newest meeting first."""

    question: str | None
    decisions: list[DecisionOut]


class TimelineYear(BaseModel):
    """The relevant passages of one year (``year`` null: undated meetings)."""

    year: int | None
    passages: list[PassageOut]


class TimelineResponse(BaseModel):
    """A topic's relevant passages by meeting date, grouped by year, oldest first."""

    question: str
    years: list[TimelineYear]


class SourcePassage(BaseModel):
    """The passage whose neighbours are listed."""

    passage_id: str
    text: str
    citation: Citation


class SimilarResponse(BaseModel):
    """The passages nearest to one passage in other meetings, nearest first."""

    passage: SourcePassage
    passages: list[PassageOut] = Field(
        description="score and confidence: cosine similarity to the passage"
    )
    filters: AppliedFilters = Field(default_factory=AppliedFilters)


CouncilColumn.model_rebuild()
CompareResponse.model_rebuild()
