"""Shaping API bodies and stored documents for the web pages (pure functions, no I/O).

The pages show what the JSON API returns; these helpers only cut it into pieces a template
can escape and lay out: highlighted runs, citation lines, copyable citations, the document
viewer's passage blocks and page markers, and links that change one query parameter.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode, urlsplit

from cqa_core.text import split_sentences
from qa_service.schemas.passages import Citation, PassageOut
from qa_service.schemas.precedent import DecisionCitation

_BLANK_LINES = re.compile(r"\n[ \t\xa0]*(?:\n[ \t\xa0]*)+\n")


def tidy(text: str) -> str:
    """Runs of blank lines shown as one (display only: offsets are never taken from it)."""
    return _BLANK_LINES.sub("\n\n", text)


def segments(passage: PassageOut) -> list[tuple[str, bool]]:
    """The passage text cut into (piece, highlighted) runs, for escaping in the template.

    For display the pieces are tidied and the passage's outer whitespace is dropped.
    """
    return _trimmed(_runs(passage, 0, len(passage.text)))


def snippet(passage: PassageOut) -> list[tuple[str, bool]]:
    """The highlighted sentence with one sentence either side, as (piece, highlighted) runs.

    "… " and " …" mark text left out; with nothing highlighted it is the opening sentences.
    """
    text = passage.text
    spans = split_sentences(text)
    if not spans:
        return []
    marks = sorted(passage.highlights, key=lambda h: h.start)
    lo, hi = (marks[0].start, max(h.end for h in marks)) if marks else (0, spans[0].end)
    first = next((i for i, sp in enumerate(spans) if sp.end > lo), len(spans) - 1)
    last = max((i for i, sp in enumerate(spans) if sp.start < hi), default=first)
    first, last = max(first - 1, 0), min(max(last, first) + 1, len(spans) - 1)
    pieces = _trimmed(_runs(passage, spans[first].start, spans[last].end))
    if first > 0:
        pieces.insert(0, ("\u2026 ", False))
    if last < len(spans) - 1:
        pieces.append((" \u2026", False))
    return pieces


def _runs(passage: PassageOut, lo: int, hi: int) -> list[tuple[str, bool]]:
    """``text[lo:hi]`` cut into tidied (piece, highlighted) runs."""
    text = passage.text
    out: list[tuple[str, bool]] = []
    at = lo
    for h in sorted(passage.highlights, key=lambda h: h.start):
        start, end = max(h.start, at), min(h.end, hi)
        if start >= hi or end <= at:
            continue
        if start > at:
            out.append((text[at:start], False))
        out.append((text[start:end], True))
        at = end
    if at < hi:
        out.append((text[at:hi], False))
    return [(tidy(piece), marked) for piece, marked in out]


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
    return _parts(c, with_title=True)


def meeting_parts(c: Citation | DecisionCitation) -> list[str]:
    """council · committee · meeting date · page: the citation line under a title."""
    return _parts(c, with_title=False)


def _parts(c: Citation | DecisionCitation, with_title: bool) -> list[str]:
    parts = [c.council or "Council not known"]
    if c.committee:
        parts.append(c.committee)
    if c.meeting_date:
        parts.append(long_date(c.meeting_date))
    if with_title:
        parts.append(c.title or c.source)
    page = cited_page(c)
    if page:
        parts.append(f"page {page}")
    return parts


def cited_page(c: Citation | DecisionCitation) -> int | None:
    """The PDF page a page cites: that of the highlighted sentence, which the page quotes.

    ``page`` is where the passage starts (the contract's field); a passage that runs over a
    page break may quote a sentence on the next page, and a reader sent to the start page
    would not find it there.
    """
    return getattr(c, "highlight_page", None) or c.page


def passage_link(c: Citation | DecisionCitation, passage_id: str) -> str:
    """Where a result's "read in the document" link goes (redirects to ``#p-N``)."""
    return f"/documents/{c.document_id}/passages/{passage_id}"


def sentence_link(passage: PassageOut, back: str = "") -> str:
    """The viewer at this passage with its highlighted sentence marked and scrolled to.

    ``back`` is the results page (path and query) the viewer links back to.
    """
    c = passage.citation
    params = [("passage", passage.passage_id)]
    if passage.highlights:
        start = c.char_start + min(h.start for h in passage.highlights)
        end = c.char_start + max(h.end for h in passage.highlights)
        params.append(("sentence", f"{start}-{end}"))
    if safe_back(back):
        params.append(("back", back))
    anchor = "#cited-sentence" if passage.highlights else ""
    return f"/documents/{c.document_id}" + with_params(params, set()) + anchor


def safe_back(back: str | None) -> str | None:
    """A results page to link back to: only this site's own pages, never another host."""
    if not back or not back.startswith("/") or back.startswith(("//", "/\\")):
        return None
    path = urlsplit(back).path
    return back if path in {"/", "/compare", "/decisions", "/timeline", "/trend"} else None


def source_page_link(url: str | None, page: int | None) -> str | None:
    """The original paper on the council's site, opened at the passage's page (``#page=N``)."""
    safe = safe_url(url)
    if not safe:
        return None
    return safe.split("#", 1)[0] + f"#page={page}" if page else safe


def page_at(page_starts: Sequence[int] | None, offset: int) -> int | None:
    """The 1-based PDF page holding ``offset`` of a document's text (None if not a PDF):
    ``page_starts`` are the offsets where its pages start, the first at 0."""
    if not page_starts:
        return None
    return max(1, bisect_right(sorted(page_starts), offset))


def cited_sentence(value: str, passage: tuple[int, int]) -> tuple[int, int] | None:
    """``START-END`` from a viewer link as offsets, if they lie inside the cited passage."""
    start, dash, end = value.partition("-")
    if not dash or not start.isdigit() or not end.isdigit():
        return None
    lo, hi = int(start), int(end)
    return (lo, hi) if passage[0] <= lo < hi <= passage[1] else None


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


def as_held(value: str, held: Sequence[str]) -> str:
    """``value`` spelt as the index holds it (matched ignoring case and outer spaces, as the
    store's filters match), so a form shows its option as chosen; else as given, trimmed."""
    value = value.strip()
    return next((h for h in held if h.lower() == value.lower()), value)


def all_as_held(values: Sequence[str], held: Sequence[str]) -> list[str]:
    """Each of ``values`` spelt as the index holds it (``as_held``)."""
    return [as_held(v, held) for v in values]


def with_params(params: list[tuple[str, str]], drop: set[str], **add: str) -> str:
    """The query string of ``params`` without the keys in ``drop`` and with ``add`` set."""
    kept = [(k, v) for k, v in params if k not in drop and k not in add and v != ""]
    return "?" + urlencode(kept + list(add.items()))


def page_count(items: int, per_page: int) -> int:
    """How many pages ``items`` fill at ``per_page`` a page (one, empty, when there are none)."""
    return max(1, -(-items // per_page))


def page_window(page: int, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers a pager lists: the first, the last and ``around`` either side of
    ``page``, with ``None`` (an ellipsis) where two or more are left out, so a list of
    thousands of pages stays a short line of links."""
    near = range(max(1, page - around), min(pages, page + around) + 1)
    out: list[int | None] = []
    last = 0
    for n in sorted({1, pages, *near}):
        if n - last == 2:
            out.append(last + 1)  # one page left out: its number is as short as an ellipsis
        elif n - last > 2:
            out.append(None)
        out.append(n)
        last = n
    return out


@dataclass
class TextRun:
    """Part of a block's text; ``page`` is set when PDF page ``page`` starts just before it."""

    text: str
    page: int | None = None
    marked: bool = False  # part of the cited sentence


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
    sentence: tuple[int, int] | None = None,
) -> list[ViewerBlock]:
    """The whole text as passage blocks and the gaps between them, with page markers.

    The runs inside ``sentence`` (document offsets, within the cited passage) are marked.
    """
    starts = sorted(page_starts or [])
    mark_from, mark_to = sentence or (0, 0)
    blocks: list[ViewerBlock] = []

    def add(start: int, end: int, block: ViewerBlock) -> None:
        edges = {s for s in starts if start <= s < end}
        if block.cited:
            edges |= {e for e in (mark_from, mark_to) if start < e < end}
        at = start
        for cut in sorted(edges):
            if cut > at:
                block.runs.append(
                    TextRun(text[at:cut], marked=block.cited and mark_from <= at < mark_to)
                )
            at = cut
            if cut in starts:
                block.runs.append(TextRun("", page=starts.index(cut) + 1))
        if end > at:
            block.runs.append(
                TextRun(text[at:end], marked=block.cited and mark_from <= at < mark_to)
            )
        # a page start inside a run that began earlier: the marker and then the rest
        merged: list[TextRun] = []
        for run in block.runs:
            if merged and merged[-1].page is not None and not merged[-1].text and run.page is None:
                merged[-1].text, merged[-1].marked = run.text, run.marked
            else:
                merged.append(run)
        runs = [TextRun(tidy(r.text), r.page, r.marked) for r in merged]
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
