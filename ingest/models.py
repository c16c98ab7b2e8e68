"""The small records passed between the ingestion stages and on to the index."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ingest.commitments import Commitment
    from ingest.decisions import Decision

BlockKind = Literal["heading", "paragraph", "list_item", "table_row", "resolution", "contents"]


@dataclass(frozen=True)
class DocMeta:
    """Metadata of one document, from manifest.csv or inferred; None means unknown."""

    council: str | None = None
    committee: str | None = None
    meeting_date: str | None = None  # ISO YYYY-MM-DD
    title: str | None = None
    doc_type: str | None = None
    source_url: str | None = None
    supersedes: str | None = None  # base name of the file this revised version replaces


@dataclass(frozen=True)
class Block:
    """One structural unit of a document's text: ``text[start:end]``.

    Headings carry a ``level`` (1 = top, e.g. an agenda item or minute number;
    2 = a numbered section inside it; 3+ = deeper).  A ``contents`` block is a table of
    contents (``ingest.contents``), which opens a passage of its own.  Blocks never overlap
    and are in document order; text between blocks (blank lines, removed furniture)
    belongs to none.
    """

    kind: BlockKind
    start: int
    end: int
    level: int = 0


@dataclass
class ExtractedText:
    """What a loader gets out of one file, before structure and chunking.

    ``page_starts[i]`` is the offset in ``text`` where PDF page ``i + 1`` starts
    (None for formats without pages).  ``blocks`` is given by loaders that see the
    structure in markup (HTML, Word); for plain text and PDF it is None and
    ``structure.find_blocks`` infers it from the text.
    """

    text: str
    page_starts: list[int] | None = None
    blocks: list[Block] | None = None
    title_hint: str | None = None  # e.g. the HTML <h1>/<h2> or Word title


@dataclass(frozen=True)
class Passage:
    """A retrievable slice of a document: ``document.text[char_start:char_end] == text``."""

    passage_id: str
    document_id: str
    ordinal: int
    char_start: int
    char_end: int
    text: str
    page: int | None  # 1-based PDF page where the passage starts
    heading_path: tuple[str, ...] = ()
    is_table: bool = False  # rows of a table, kept apart from prose (``ingest.chunker``)


@dataclass
class Document:
    """One ingested file with its extracted text, metadata and passages."""

    document_id: str
    source: str  # base name of the file
    path: str  # resolved path at ingest time
    content_hash: str  # sha256 of the file's bytes
    text: str
    meta: DocMeta
    page_starts: list[int] | None = None
    passages: list[Passage] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)  # resolutions, recommendations
    commitments: list[Commitment] = field(default_factory=list)  # what is to come back, when

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding character ``offset`` (None for non-PDF documents)."""
        if not self.page_starts:
            return None
        page = 1
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i + 1
            else:
                break
        return page


def read_path(path: str | Path) -> Path:
    """Resolve a user-supplied path once, so document ids are stable."""
    return Path(path).expanduser().resolve()
