"""Precedent: decisions, commitments and their status, figures over time, a topic's timeline."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from qa_service.schemas.filters import (
    FiltersIn,
    OneOrMany,
    QuestionText,
    as_list,
    notes_field,
    question_not_blank,
    without_blanks,
)
from qa_service.schemas.passages import PassageOut


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
    total: int = Field(
        description="decisions matching, on every page together (the list is cut at `limit`)"
    )
    offset: int = Field(
        default=0, description="decisions skipped before these (the request's `offset`)"
    )
    notes: list[str] = notes_field(
        "a sentence for each council or committee asked for that no paper holds, and how "
        "many papers holding a decision a date filter (given, or read from `q`) leaves out for "
        "having no meeting date"
    )


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
    notes: list[str] = notes_field("a sentence for each council asked for that no paper holds")


class TrendRequest(BaseModel):
    """A question asking for a quantity, for one council, the councils compared, or (without)
    each council."""

    model_config = ConfigDict(extra="forbid")

    question: QuestionText
    council: OneOrMany = Field(
        default=None,
        description="one council (one line, no `series`), or a list of councils to compare "
        "(a `series` for each, in the order given); in place of `filters.council`",
    )
    filters: FiltersIn | None = None

    _q = field_validator("question")(question_not_blank)
    _list = field_validator("council", mode="before")(as_list)
    _no_blank = field_validator("council")(without_blanks)


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
        default=None,
        description="one per council when not one council was asked for: for two or more "
        "(`council` or `filters.council`), one per council asked, in that order (no points: "
        "its papers state no figure for this); else one per council holding a point",
    )
    notes: list[str] = notes_field(
        "a sentence for each council, committee or type asked for that no paper holds"
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
    notes: list[str] = notes_field("a sentence for each council asked for that no paper holds")
