"""Shaping API bodies and stored documents for the web pages (pure functions, no I/O).

The pages show what the JSON API returns; these helpers only cut it into pieces a template
can escape and lay out: highlighted runs, citation lines, copyable citations, the document
viewer's passage blocks and page markers, and links that change one query parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode, urlsplit

from qa_service.schemas import Citation, DecisionCitation, PassageOut

_BLANK_LINES = re.compile(r"\n[ \t\xa0]*(?:\n[ \t\xa0]*)+\n")


def tidy(text: str) -> str:
    """Runs of blank lines shown as one (display only: offsets are never taken from it)."""
    return _BLANK_LINES.sub("\n\n", text)


def segments(passage: PassageOut) -> list[tuple[str, bool]]:
    """The passage text cut into (piece, highlighted) runs, for escaping in the template.

    For display the pieces are tidied and the passage's outer whitespace is dropped.
    """
    text = passage.text
    out: list[tuple[str, bool]] = []
    at = 0
    for h in sorted(passage.highlights, key=lambda h: h.start):
        if h.start > at:
            out.append((text[at : h.start], False))
        if h.end > max(h.start, at):
            out.append((text[max(h.start, at) : h.end], True))
        at = max(at, h.end)
    if at < len(text):
        out.append((text[at:], False))
    return _trimmed([(tidy(piece), marked) for piece, marked in out])


def _trimmed(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Leading whitespace off the first piece and trailing off the last; empty pieces dropped."""
    if pieces:
        pieces[0] = (pieces[0][0].lstrip(), pieces[0][1])
        pieces[-1] = (pieces[-1][0].rstrip(), pieces[-1][1])
    return [(piece, marked) for piece, marked in pieces if piece]


def long_date(iso: str | None) -> str:
    """``2015-06-23`` -> ``23 June 2015`` (GOV.UK style); anything else unchanged."""
    if not iso:
        return ""
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d.strftime('%B')} {d.year}"


def safe_url(url: str | None) -> str | None:
    """A source URL fit for an ``href``: only http(s); ``javascript:`` and the like are dropped."""
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in {"http", "https"} else None


def citation_parts(c: Citation | DecisionCitation) -> list[str]:
    """council · committee · meeting date · document title · page, leaving out what is unknown."""
    parts = [c.council or "Council not known"]
    if c.committee:
        parts.append(c.committee)
    if c.meeting_date:
        parts.append(long_date(c.meeting_date))
    parts.append(c.title or c.source)
    if c.page:
        parts.append(f"page {c.page}")
    return parts


def passage_link(c: Citation | DecisionCitation, passage_id: str) -> str:
    """Where a result's "read in the document" link goes (redirects to ``#p-N``)."""
    return f"/documents/{c.document_id}/passages/{passage_id}"


def citation_text(passage: PassageOut, base_url: str) -> str:
    """A plain-text citation a councillor can paste into an email."""
    c = passage.citation
    quoted = (
        " ".join(" ".join(passage.text[h.start : h.end].split()) for h in passage.highlights)
        or " ".join(passage.text.split())[:300]
    )
    lines = [f"\u201c{quoted}\u201d", ", ".join(citation_parts(c)) + "."]
    source = safe_url(c.url)
    if source:
        lines.append(f"Source: {source}")
    lines.append(base_url.rstrip("/") + passage_link(c, passage.passage_id))
    return "\n".join(lines)


def with_params(params: list[tuple[str, str]], drop: set[str], **add: str) -> str:
    """The query string of ``params`` without the keys in ``drop`` and with ``add`` set."""
    kept = [(k, v) for k, v in params if k not in drop and k not in add and v != ""]
    return "?" + urlencode(kept + list(add.items()))


@dataclass
class TextRun:
    """Part of a block's text; ``page`` is set when PDF page ``page`` starts just before it."""

    text: str
    page: int | None = None


@dataclass
class ViewerBlock:
    """A stretch of a document's text: one passage (numbered, anchored) or text between them."""

    runs: list[TextRun] = field(default_factory=list)
    number: int | None = None  # 1-based position of the passage in the document: id="p-N"
    passage_id: str | None = None
    page: int | None = None
    cited: bool = False
    lead_page: int | None = None  # a PDF page that starts where this block does


def viewer_blocks(
    text: str,
    page_starts: list[int] | None,
    passages: list[tuple[str, int, int, int | None]],
    cited: str | None = None,
) -> list[ViewerBlock]:
    """The whole text as passage blocks and the gaps between them, with page markers."""
    starts = sorted(page_starts or [])
    blocks: list[ViewerBlock] = []

    def add(start: int, end: int, block: ViewerBlock) -> None:
        cuts = [s for s in starts if start <= s < end]
        at = start
        for cut in cuts:
            if cut > at:
                block.runs.append(TextRun(text[at:cut]))
            at = cut
            block.runs.append(TextRun("", page=starts.index(cut) + 1))
        if end > at:
            block.runs.append(TextRun(text[at:end]))
        # a page start inside a run that began earlier: the marker and then the rest
        merged: list[TextRun] = []
        for run in block.runs:
            if merged and merged[-1].page is not None and not merged[-1].text and run.page is None:
                merged[-1].text = run.text
            else:
                merged.append(run)
        runs = [TextRun(tidy(r.text), r.page) for r in merged]
        if runs:
            runs[0].text = runs[0].text.lstrip()
            runs[-1].text = runs[-1].text.rstrip()
        runs = [r for r in runs if r.text or r.page]
        if runs and runs[0].page:  # the page starts with the block: mark it above the label
            block.lead_page, runs[0].page = runs[0].page, None
        block.runs = runs
        if block.number or block.lead_page or any(r.text for r in runs):
            blocks.append(block)

    at = 0
    for number, (pid, s, e, page) in enumerate(sorted(passages, key=lambda p: p[1]), start=1):
        if s > at:
            add(at, s, ViewerBlock())
        add(
            max(s, at), e, ViewerBlock(number=number, passage_id=pid, page=page, cited=pid == cited)
        )
        at = max(at, e)
    if at < len(text) or not blocks:
        add(at, len(text), ViewerBlock())
    return blocks


def passage_number(passages: list[tuple[str, int, int, int | None]], passage_id: str) -> int | None:
    """The 1-based ``N`` of ``#p-N`` for a passage of this document (None if not in it)."""
    ordered = sorted(passages, key=lambda p: p[1])
    return next((i for i, p in enumerate(ordered, start=1) if p[0] == passage_id), None)
