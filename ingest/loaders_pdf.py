"""Load a PDF with pypdf, page by page, without the running headers and footers.

Repeated furniture is found by comparing the first and last few lines of every page with
digits masked ("Page 3 of 8" and "Page 4 of 8" are the same line).  "Agenda Item N"
stamps are kept: they open each document of an agenda pack and become headings.  Pages
that only say "This page is intentionally left blank" become empty.  Private-use glyphs
(Symbol and Wingdings bullets) are normalised (``ingest.pdf_text``).  Pages are joined by a
single newline, so a paragraph that runs across a page break reads as one paragraph.

Before a page's text is extracted, the content it draws (its content streams and the form
XObjects it can reach, inflated) is measured against ``max_page_content_bytes``: pypdf holds
about 47 bytes for each byte of content while it extracts, so one small file of dense text
operators could otherwise take gigabytes (docs/reliability.md, "The memory budget").
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from pypdf import PageObject, PdfReader, apply_configuration, get_configuration
from pypdf.errors import LimitReachedError, PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from cqa_core.errors import IngestError
from cqa_core.limits import IngestLimits
from ingest.models import ExtractedText
from ingest.pdf_text import normalise_glyphs

# The real papers' largest page draws 47 KB (docs/reliability.md); 2 MiB costs pypdf ~100 MB
MAX_PAGE_CONTENT_BYTES = IngestLimits.max_pdf_page_content_bytes
EDGE_LINES = 3  # how many lines at the top and the foot of a page may be furniture
MAX_HEAD_LINES = 4  # how deep a running head under other furniture may run
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+#(?:\s+of\s+#)?|#\s+of\s+#|[-–]?\s*#\s*[-–]?|#\s*/\s*#)$", re.IGNORECASE
)
_STAMP = re.compile(r"^Agenda\s+Item\s+#", re.IGNORECASE)
_BLANK_PAGE = re.compile(r"^this page (?:is )?(?:intentionally|deliberately) (?:left )?blank\.?$",
                         re.IGNORECASE)  # fmt: skip
_HYPHEN_BREAK = re.compile(r"([a-z]+)-\n([a-z]+)[ \t]?")


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()))


def _edges(lines: list[str]) -> tuple[list[str], list[str]]:
    return lines[:EDGE_LINES], lines[-EDGE_LINES:]


def _strip_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers and lines repeated at the top or foot of two or more pages.

    Furniture can stack: a disclaimer of two lines and a page number above a running head
    ("AUDIT COMMITTEE" / "24 SEPTEMBER 2009") put the head past the first ``EDGE_LINES``
    lines.  So on a page whose top was furniture, the lines now first go too while each
    stands near the top of an earlier page (among its first ``MAX_HEAD_LINES`` under its
    furniture).  On the first page it shows on, a running head is the title of the paper
    that starts there, and stays.  A stamp ("Agenda Item 6") is never furniture.
    """
    top: Counter[str] = Counter()
    foot: Counter[str] = Counter()
    for page in pages:
        head, tail = _edges(page)
        top.update({_key(line) for line in head})
        foot.update({_key(line) for line in tail})
    out = [_strip_edges(lines, top, foot, len(pages) > 1) for lines in pages]
    seen: set[str] = set()  # the lines near the top of the pages before
    for n, (kept, lines) in enumerate(zip(out, pages, strict=True)):
        tops = [_key(line) for line in kept[:MAX_HEAD_LINES]]
        if kept and kept[0] != lines[0]:  # furniture came off the top of this page
            depth = 0
            while depth < len(tops) and tops[depth] in seen and not _STAMP.match(tops[depth]):
                depth += 1
            out[n] = kept[depth:]
        seen.update(tops)
    return [[] if _blank_page(lines) else lines for lines in out]


def _blank_page(lines: list[str]) -> bool:
    return len(lines) == 1 and bool(_BLANK_PAGE.match(" ".join(lines[0].split())))


def _strip_edges(
    lines: list[str], top: Counter[str], foot: Counter[str], several: bool
) -> list[str]:
    """``lines`` without the page numbers at its edges and, of ``several`` pages, the lines
    that stand at the top (or foot) of two or more (``top``, ``foot``: pages per line)."""
    kept: list[str] = []
    n = len(lines)
    for i, line in enumerate(lines):
        key = _key(line)
        in_head, in_tail = i < EDGE_LINES, i >= n - EDGE_LINES
        furniture = (in_head or in_tail) and bool(_PAGE_NUMBER.match(key))
        if not _STAMP.match(key) and several:
            furniture |= in_head and top[key] >= 2
            furniture |= in_tail and foot[key] >= 2
        if not furniture:
            kept.append(line)
    return kept


def _dehyphenate(text: str, vocabulary: str) -> str:
    """Rejoin "word-\\nword" across a line break.

    The hyphen is dropped only when the joined word occurs elsewhere in the document and the
    hyphenated form does not (a soft break); otherwise it is a real compound ("full-time")
    and only the line break goes.
    """
    words = set(re.findall(r"[a-z]+", vocabulary))
    compounds = set(re.findall(r"[a-z]+-[a-z]+", vocabulary))

    def join(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        if left + right in words and f"{left}-{right}" not in compounds:
            return left + right + "\n"
        return f"{left}-{right}\n"

    return _HYPHEN_BREAK.sub(join, text)


def _limits(max_decompressed_bytes: int) -> dict[str, int]:
    """pypdf's decoder limits, all set to ours, so no stream inflates past it."""
    return {
        name: max_decompressed_bytes
        for name in (
            "zlib_maximum_output_length",
            "lzw_maximum_output_length",
            "run_length_maximum_output_length",
            "jbig2_maximum_output_length",
            "brotli_maximum_output_length",
            "array_based_stream_maximum_output_length",
            "image_maximum_buffer_size",
            "stream_decoding_work_maximum_length",
        )
    }


def _resolved(obj: Any) -> Any:
    return obj.get_object() if obj is not None else None


def _drawn_streams(page: PageObject) -> Iterator[StreamObject]:
    """The page's content streams, then every form XObject it can reach, each once."""
    contents = _resolved(page.get("/Contents"))
    for item in contents if isinstance(contents, ArrayObject) else [contents]:
        stream = _resolved(item)
        if isinstance(stream, StreamObject):
            yield stream
    pending = [page.get("/Resources")]
    seen: set[int] = set()
    while pending:
        resources = _resolved(pending.pop())
        xobjects = _resolved(resources.get("/XObject")) if isinstance(resources, dict) else None
        for ref in xobjects.values() if isinstance(xobjects, DictionaryObject) else []:
            form = _resolved(ref)
            drawn = isinstance(form, StreamObject) and form.get("/Subtype") == "/Form"
            if drawn and id(form) not in seen:
                seen.add(id(form))
                yield form
                pending.append(form.get("/Resources"))


def page_content_bytes(page: PageObject, limit: int) -> int:
    """Inflated bytes a page draws: its content streams and every form XObject it can reach.

    Each form is counted once however often it is drawn (pypdf parses one at a time; a
    nested chain is held together, which the sum covers); pictures are not content.
    Counting stops once past ``limit``, so a bomb is inflated no further than it must be.
    """
    total = 0
    for stream in _drawn_streams(page):
        try:
            total += len(stream.get_data())
        except LimitReachedError:
            raise
        except Exception:  # undecodable: pypdf's extraction meets it, as it did before
            continue
        if total > limit:
            break
    return total


def load_pdf(
    data: bytes,
    source: str,
    max_pages: int = IngestLimits.max_pdf_pages,
    max_decompressed_bytes: int = IngestLimits.max_decompressed_bytes,
    max_text_chars: int = IngestLimits.max_text_chars,
    max_page_content_bytes: int = MAX_PAGE_CONTENT_BYTES,
) -> ExtractedText:
    """Extract the text of a PDF with ``page_starts``; furniture and blank pages removed.

    No compressed stream may inflate past ``max_decompressed_bytes``, no page may draw more
    than ``max_page_content_bytes`` of content, and reading stops once ``max_text_chars`` of
    text have come out, so a small hostile file cannot fill memory.
    """
    try:
        limited = get_configuration().with_overwrites(**_limits(max_decompressed_bytes))
        with apply_configuration(limited):
            return _load_pdf(data, source, max_pages, max_text_chars, max_page_content_bytes)
    except LimitReachedError as exc:
        raise IngestError(
            source,
            f"has a compressed stream that inflates past the limit of {max_decompressed_bytes} "
            "bytes (CQA_MAX_DECOMPRESSED_BYTES)",
        ) from exc


def _load_pdf(
    data: bytes, source: str, max_pages: int, max_text_chars: int, max_page_content: int
) -> ExtractedText:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(source, "is an encrypted PDF that needs a password")
        count = len(reader.pages)
    except (IngestError, LimitReachedError):
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IngestError(source, f"is not a readable PDF ({exc.__class__.__name__})") from exc
    if count == 0:
        raise IngestError(source, "is not a readable PDF (no pages)")
    if count > max_pages:
        raise IngestError(
            source, f"has {count} pages, more than the limit of {max_pages} (CQA_MAX_PDF_PAGES)"
        )
    raw_pages: list[list[str]] = []
    chars = 0
    for number, page in enumerate(reader.pages, start=1):
        if page_content_bytes(page, max_page_content) > max_page_content:
            raise IngestError(
                source,
                f"has a page ({number}) drawing more than {max_page_content} bytes of content "
                "(CQA_MAX_PDF_PAGE_CONTENT_BYTES); refused",
            )
        text = normalise_glyphs(page.extract_text() or "")
        chars += len(text)
        if chars > max_text_chars:
            raise IngestError(
                source,
                f"has more than {max_text_chars} characters of text (CQA_MAX_TEXT_CHARS)",
            )
        raw_pages.append([line.rstrip() for line in text.split("\n") if line.strip()])
    if not any(raw_pages):
        raise IngestError(source, "has no text layer (image-only PDF; it would need OCR)")
    pages = ["\n".join(lines) for lines in _strip_furniture(raw_pages)]
    vocabulary = "\n".join(pages)
    page_starts: list[int] = []
    parts: list[str] = []
    pos = 0
    for page_text in pages:
        page_starts.append(pos)
        if page_text:
            # per page, so that a page's offsets stay its own; a break across pages stays
            chunk = _dehyphenate(page_text, vocabulary) if "-\n" in page_text else page_text
            parts.append(chunk.rstrip("\n") + "\n")
            pos += len(parts[-1])
    return ExtractedText(text="".join(parts).rstrip("\n"), page_starts=page_starts)
