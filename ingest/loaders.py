"""Turn a file's bytes into ``ExtractedText``: dispatch by suffix, and the plain-text loader.

The HTML, PDF and Word loaders live in ``loaders_html``, ``loaders_pdf`` and
``loaders_docx``.  Every loader raises ``IngestError`` with a short reason; ``load_bytes``
wraps anything unexpected into one, so no traceback reaches the user for a bad file.
"""

from __future__ import annotations

import codecs
import re

from cqa_core.errors import IngestError
from cqa_core.limits import IngestLimits
from ingest.models import ExtractedText

_CONTROL_OK = {"\t", "\n", "\r", "\f", "\v"}
# a line that is one bare markup tag, left in a page exported as text by its template
# ("</AI11>", "<TRAILER_SECTION>"): no words of the paper, and the sentence before it ran
# on through it into the next item's text, as a tag is no capital to start a sentence
_TAG_LINE = re.compile(r"^[ \t]*</?[A-Za-z_][\w.-]*>[ \t]*$", re.MULTILINE)


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR line endings into "\\n"."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _bomless_utf16(data: bytes) -> str | None:
    """The codec of UTF-16 text saved without a byte-order mark, judged by where NULs fall.

    Text in Latin script has a NUL in every other byte (the high byte of each character);
    binary data has NULs anywhere.  Only a clear pattern counts.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if odd > 0.3 * half and even == 0:
        return "utf-16-le"
    if even > 0.3 * half and odd == 0:
        return "utf-16-be"
    return None


def decode_text(data: bytes, source: str) -> str:
    """Decode text bytes: UTF-8 (BOM or not), UTF-16 (with a BOM, or without one when the
    NUL bytes say so), else cp1252, else latin-1.

    Raises ``IngestError`` when the bytes look binary (NUL bytes or many control characters).
    """
    bom16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    codec = None if bom16 or data.startswith(codecs.BOM_UTF8) else _bomless_utf16(data)
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    elif bom16 or codec:
        try:
            text = data.decode(codec or "utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError(source, "is not text (bad UTF-16)") from exc
    else:
        if b"\x00" in data:
            raise IngestError(source, "is not text (binary content)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    if "\x00" in text:
        raise IngestError(source, "is not text (binary content)")
    controls = sum(1 for c in text if ord(c) < 32 and c not in _CONTROL_OK)
    if text and controls / len(text) > 0.01:
        raise IngestError(source, "is not text (binary content)")
    return text


def load_text(data: bytes, source: str) -> ExtractedText:
    """Load a .txt or .md file: decoded, line endings normalised, a line that is one bare
    markup tag left blank, otherwise kept as it is."""
    text = normalise_newlines(decode_text(data, source))
    return ExtractedText(text=_TAG_LINE.sub("", text) if "<" in text else text)


def load_bytes(
    data: bytes,
    suffix: str,
    source: str,
    max_pdf_pages: int = IngestLimits.max_pdf_pages,
    max_decompressed_bytes: int = IngestLimits.max_decompressed_bytes,
    max_html_bytes: int = IngestLimits.max_html_bytes,
    max_text_chars: int = IngestLimits.max_text_chars,
    max_html_nodes: int = IngestLimits.max_html_nodes,
    max_docx_paragraphs: int = IngestLimits.max_docx_paragraphs,
    max_pdf_page_content_bytes: int = IngestLimits.max_pdf_page_content_bytes,
) -> ExtractedText:
    """Extract text from ``data`` as the format named by ``suffix`` (".txt", ".pdf", ...).

    The limits bound the memory one hostile file can take: PDF pages, the inflated size of
    one compressed PDF stream (and all of a Word file's parts together), the content one PDF
    page draws, the size of an HTML page and its elements, a Word file's paragraphs, and the
    characters of text kept.
    """
    from ingest.bounds import DocxBounds

    # imported here so that a text-only run never pays for pypdf, docx or lxml
    from ingest.loaders_docx import load_docx
    from ingest.loaders_html import load_html
    from ingest.loaders_pdf import load_pdf

    suffix = suffix.lower()
    try:
        if suffix in (".txt", ".md"):
            return load_text(data, source)
        if suffix in (".html", ".htm"):
            if len(data) > max_html_bytes:
                raise IngestError(
                    source,
                    f"is an HTML page of {len(data)} bytes, over the limit of {max_html_bytes} "
                    "(CQA_MAX_HTML_BYTES)",
                )
            return load_html(data, source, max_nodes=max_html_nodes)
        if suffix == ".pdf":
            return load_pdf(
                data,
                source,
                max_pages=max_pdf_pages,
                max_decompressed_bytes=max_decompressed_bytes,
                max_text_chars=max_text_chars,
                max_page_content_bytes=max_pdf_page_content_bytes,
            )
        if suffix == ".docx":
            bounds = DocxBounds(
                max_inflated=max_decompressed_bytes, max_paragraphs=max_docx_paragraphs
            )
            return load_docx(data, source, bounds)
    except IngestError:
        raise
    except RecursionError as exc:
        raise IngestError(source, "is nested too deeply to read") from exc
    except MemoryError as exc:
        raise IngestError(source, "needs more memory than is available to read") from exc
    except Exception as exc:  # any parser failure on a bad file becomes a clear IngestError
        reason = f"could not read {suffix[1:]} file ({type(exc).__name__})"
        raise IngestError(source, reason) from exc
    raise IngestError(source, f"unsupported file type {suffix or '(none)'}")
