"""Asking a question, and putting one question to several councils."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from qa_service.schemas.filters import (
    AppliedFilters,
    CompareFiltersIn,
    FiltersIn,
    FilterValues,
    InferredFilters,
    PerCouncil,
    QuestionText,
    TopK,
    default_within,
    notes_field,
    question_not_blank,
)
from qa_service.schemas.passages import PassageOut
from qa_service.schemas.precedent import DecisionOut


class AskRequest(BaseModel):
    """A question with optional filters and sort order."""

    model_config = ConfigDict(extra="forbid")

    question: QuestionText
    top_k: TopK = 5
    filters: FiltersIn | None = None
    sort: Literal["relevance", "newest", "oldest"] = "relevance"
    infer_filters: bool = Field(  # strict: the schema says boolean, so 1 or 1.0 is refused
        default=True,
        strict=True,
        description="read a council or a year that the question names as a filter "
        "(shown in inferred_filters); false asks the question as typed",
    )

    _q = field_validator("question")(question_not_blank)
    _top_k = model_validator(mode="after")(default_within("top_k", "max_top_k"))


class CompareRequest(BaseModel):
    """One question put to several councils."""

    model_config = ConfigDict(extra="forbid")

    question: QuestionText
    councils: FilterValues = Field(default=None, description="omit for every council")
    per_council: PerCouncil = 3
    filters: CompareFiltersIn | None = None

    _q = field_validator("question")(question_not_blank)
    _per_council = model_validator(mode="after")(default_within("per_council", "max_per_council"))


# The contract's names (shared/INTERFACE.md); the engine's own are longer (answers.Answer.state).
AnswerState = Literal["answered", "weak", "none"]
API_STATE: dict[str, AnswerState] = {
    "answered": "answered",
    "weak_match": "weak",
    "not_in_papers": "none",
}
ANSWER_STATE_HELP = (
    "answered: the papers answer it; weak: the nearest passages may answer it, read them "
    "with care; none: nothing in the papers answers it (the nearest passages are still shown)"
)


def _state_from_answered(data: Any) -> Any:
    """A body built without ``answer_state`` takes it from ``answered``."""
    if isinstance(data, dict) and data.get("answer_state") is None and "answered" in data:
        return {**data, "answer_state": "answered" if data["answered"] else "none"}
    return data


class AskResponse(BaseModel):
    """The passages that answer a question, best first."""

    question: str
    answered: bool
    answer_state: AnswerState = Field(default="answered", description=ANSWER_STATE_HELP)
    _state = model_validator(mode="before")(_state_from_answered)
    notes: list[str] = notes_field(
        "what was done with the filters read from the question (a council "
        "searched alone, a date limit not applied), any filter value no paper holds, and how "
        "many papers a date filter (given, or read from the question) leaves out for having "
        "no meeting date"
    )
    note: str | None = Field(
        default=None, description="the first of notes (one sentence), null when none"
    )
    passages: list[PassageOut]
    confidence: float = 0.0
    filters: AppliedFilters = Field(default_factory=AppliedFilters)
    inferred_filters: InferredFilters = Field(default_factory=InferredFilters)
    expansions: list[str] = Field(
        default_factory=list, description="abbreviations in the question and what they were read as"
    )

    @model_validator(mode="after")
    def _first_note(self) -> AskResponse:
        """``note`` is the first of ``notes`` unless given."""
        if self.note is None and self.notes:
            self.note = self.notes[0]
        return self


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
    note: str | None = Field(
        default=None,
        description="why the column is empty when no paper in the index has this council "
        "(a misspelt name), so it is not read as the papers not answering",
    )


class CompareResponse(BaseModel):
    """Councils, best-answering first."""

    question: str
    councils: list[CouncilColumn]
    notes: list[str] = notes_field(
        "a filter value (a committee or document type) that no paper holds, and how many of "
        "the compared councils' papers a date filter (given, or read from the question) leaves "
        "out for having no meeting date"
    )
