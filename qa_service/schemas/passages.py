"""A cited passage as the API returns it, and the passages near one passage."""

from __future__ import annotations

from pydantic import BaseModel, Field

from qa_service.schemas.filters import AppliedFilters


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


class PaperFields(BaseModel):
    """The fields that name a paper, first in both a citation and a document's metadata."""

    document_id: str
    source: str
    title: str | None
    council: str | None
    committee: str | None
    meeting_date: str | None
    doc_type: str | None
    url: str | None


class Citation(PaperFields):
    """Where a passage comes from; ``text[char_start:char_end]`` of the document is it."""

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
    core: list[Highlight] = Field(
        default_factory=list,
        description="the answer within the highlights: the sentence(s) chosen, without the "
        "neighbour shown beside a one-sentence answer (CQA_HIGHLIGHT_NEIGHBOUR_MARGIN)",
    )
    citation: Citation
    confidence: float = Field(
        description="evidence that the passage answers: its (or its best sentence's) cosine "
        "to the question plus the share of the question's key terms it contains"
    )
    is_table: bool = Field(
        default=False, description="rows of a table of figures (one row a line), not prose"
    )


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
