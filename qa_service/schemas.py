"""Pydantic request and response models of the HTTP API (separate from internal records)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from qa_service.request_limits import marked, question_length, top_k_bound

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


# Bounded by the settings in force (qa_service/request_limits.py), not by a number here.
QuestionText = Annotated[
    str,
    Field(min_length=1, json_schema_extra=marked("max_question_chars")),
    AfterValidator(question_length),
]
TopK = Annotated[
    int, Field(ge=1, json_schema_extra=marked("max_top_k")), AfterValidator(top_k_bound)
]


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

    question: QuestionText
    top_k: TopK = 5
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

    question: QuestionText
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
    preferred_date_from: str | None = Field(
        default=None,
        description="a year the question names is a preference, not a cut: passages that "
        "write it, or from meetings in this range, rank higher",
    )
    preferred_date_to: str | None = None
    preferred_phrases: list[str] = Field(default_factory=list)


AnswerState = Literal["answered", "weak_match", "not_in_papers"]
ANSWER_STATE_HELP = (
    "answered: the papers answer it; weak_match: the nearest passages may answer it, read "
    "them with care; not_in_papers: nothing in the papers answers it (the nearest passages "
    "are still shown)"
)


def _state_from_answered(data: Any) -> Any:
    """A body built without ``answer_state`` takes it from ``answered``."""
    if isinstance(data, dict) and data.get("answer_state") is None and "answered" in data:
        return {**data, "answer_state": "answered" if data["answered"] else "not_in_papers"}
    return data


class AskResponse(BaseModel):
    """The passages that answer a question, best first."""

    question: str
    answered: bool
    answer_state: AnswerState = Field(default="answered", description=ANSWER_STATE_HELP)
    _state = model_validator(mode="before")(_state_from_answered)
    notes: list[str] = Field(
        default_factory=list,
        description="what was done with the filters read from the question (a council "
        "searched alone, a date limit not applied)",
    )
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
    answer_state: AnswerState = Field(default="answered", description=ANSWER_STATE_HELP)
    _state = model_validator(mode="before")(_state_from_answered)
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
    duplicate: bool = Field(
        default=False,
        description="true when the same bytes were already indexed: the response is that "
        "document (status 200) and nothing was created",
    )


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


DecisionKindOut = Literal["resolution", "recommendation", "delegated decision", "call-in outcome"]


class DecisionOut(BaseModel):
    """One decision: the agenda item it settles first, then what was decided, cited."""

    subject: str | None = Field(
        default=None,
        description="the title of the agenda item it settles (else the paper's title)",
    )
    item: str | None = Field(default=None, description="that item's number as printed, e.g. 19")
    kind: DecisionKindOut
    procedural: bool = Field(
        default=False,
        description="only notes, receives, approves minutes or records apologies/declarations",
    )
    text: str
    citation: DecisionCitation


class DecisionList(BaseModel):
    """Decisions, newest meeting first."""

    question: str | None
    procedural: bool = Field(
        default=False, description="whether procedural decisions were included"
    )
    decisions: list[DecisionOut]


class CommitmentOut(BaseModel):
    """Something a committee expects to come back, and whether it did."""

    text: str = Field(description="the words of the commitment, as in the paper")
    due: str | None = Field(
        default=None, description="ISO date it is due (stated, or the committee's next meeting)"
    )
    due_text: str | None = Field(default=None, description="the words that say when")
    committee: str | None = Field(default=None, description="the body expecting it")
    status: Literal["discharged", "due", "overdue"]
    citation: DecisionCitation
    discharged_on: str | None = Field(
        default=None, description="meeting date of the paper that brought it back"
    )
    discharged_by: DecisionCitation | None = Field(
        default=None, description="the passage of the later paper that brought it back"
    )


class CommitmentList(BaseModel):
    """Commitments, oldest meeting first, with their status on ``as_of``."""

    as_of: str
    commitments: list[CommitmentOut]


class TrendRequest(BaseModel):
    """A question asking for a quantity, for one council or (without) each council."""

    model_config = ConfigDict(extra="forbid")

    question: QuestionText
    council: str | None = Field(default=None, max_length=200, description="one council")
    filters: FiltersIn | None = None

    _q = field_validator("question")(_question_not_blank)


class TrendPointOut(BaseModel):
    """One meeting's figure: its value as stated, and the sentence it is stated in, cited."""

    date: str = Field(description="the meeting date")
    value: float
    unit: str = Field(description="'%', '£', 'count' or 'per 10,000' (and so on)")
    value_text: str = Field(description="the figure's words in the sentence, e.g. '41%'")
    text: str = Field(description="the sentence; the document's text[char_start:char_end]")
    flagged: bool = Field(
        default=False, description="in another unit or base than the trend's: not plotted"
    )
    citation: DecisionCitation


class TrendSeries(BaseModel):
    """One council's points, for comparing councils."""

    council: str | None
    points: list[TrendPointOut]


class TrendResponse(BaseModel):
    """Figures stated in the papers over time, each with the sentence it came from."""

    question: str
    unit: str | None = Field(description="the unit of the plotted points")
    agrees: bool = Field(description="at least three points share that unit")
    points: list[TrendPointOut]
    series: list[TrendSeries] | None = Field(
        default=None, description="one per council, when no council was given"
    )


class TimelineYear(BaseModel):
    """The relevant passages of one year (``year`` null: undated meetings), with what changed."""

    year: int | None
    decisions: list[DecisionOut] = Field(
        default_factory=list, description="substantive decisions held in the year's passages"
    )
    figures: list[TrendPointOut] = Field(
        default_factory=list, description="figures the year's answering sentences state"
    )
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
