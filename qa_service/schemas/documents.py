"""Documents in the index, uploads and removals, health, and the error body."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from qa_service.schemas.filters import notes_field
from qa_service.schemas.passages import AlsoAt, PaperFields


class DocumentBase(PaperFields):
    """A document's metadata (the citation fields)."""

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
    notes: list[str] = notes_field(
        "a sentence for each council, committee or type asked for that no paper "
        "in the index has (as /api/ask's notes), and how many papers a date filter leaves "
        "out for having no meeting date"
    )


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
