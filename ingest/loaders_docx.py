"""Load a Word .docx file: body paragraphs and tables in document order, as blocks.

Headings come from style names ("Heading N", "Title").  Word's automatic list numbers are
not in ``paragraph.text``; they are rebuilt ("1.", "1.1", "(a)") from the numbering
definitions with one counter per list and level, and put before the paragraph text, which
stays a contiguous substring.  A table gives one ``table_row`` block per row, with each
merged cell once and cells joined by " | ".
"""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from cqa_core.errors import IngestError
from ingest.bounds import DEFAULT_DOCX, DocxBounds, check_docx
from ingest.models import Block, BlockKind, ExtractedText
from ingest.structure import classify_line

_HEADING_STYLE = re.compile(r"^Heading\s+(\d)$", re.IGNORECASE)
_TERMINAL_PUNCT = re.compile(r"[.,;:!?]$")
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]  # fmt: skip


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    return str(n)


class _Numbering:
    """Rebuilds automatic list labels from numbering.xml with simple per-list counters."""

    def __init__(self, doc: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstractId -> levels
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in abstract.findall(qn("w:lvl")):
                fmt, text, start = (
                    lvl.find(qn("w:numFmt")),
                    lvl.find(qn("w:lvlText")),
                    lvl.find(qn("w:start")),
                )
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                    fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal",
                    text.get(qn("w:val"), "") if text is not None else "",
                    int(start.get(qn("w:val"), "1")) if start is not None else 1,
                )
            self.levels[abstract.get(qn("w:abstractNumId"), "")] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.abstract_of[num.get(qn("w:numId"), "")] = ref.get(qn("w:val"), "")

    def label(self, num_id: str, ilvl: int) -> str:
        """The label of the next item at ``ilvl`` of list ``num_id``; "" for none."""
        abstract = self.abstract_of.get(num_id)
        levels = self.levels.get(abstract or "", {})
        if ilvl not in levels:
            return ""
        counts = self.counters.setdefault(abstract or "", {})
        counts[ilvl] = counts.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in counts if k > ilvl]:
            del counts[deeper]
        fmt, text, _ = levels[ilvl]
        if fmt == "bullet":
            return "•"
        if fmt == "none":
            return ""

        def fill(match: re.Match[str]) -> str:
            lvl = int(match.group(1)) - 1
            return _format(counts.get(lvl, levels.get(lvl, ("decimal", "", 1))[2]),
                           levels.get(lvl, ("decimal", "", 1))[0])  # fmt: skip

        return re.sub(r"%(\d)", fill, text)


class _Styles:
    """Paragraph styles by style id, looked up once: python-docx scans every style to find
    the default one on each lookup, which made 20,000 paragraphs take 40 s."""

    def __init__(self) -> None:
        self.cache: dict[str | None, Any] = {}

    def of(self, paragraph: Paragraph) -> Any:
        """The paragraph's style (the default paragraph style when it names none)."""
        style_id = paragraph._p.style
        if style_id not in self.cache:
            self.cache[style_id] = paragraph.style
        return self.cache[style_id]


def _num_pr(paragraph: Paragraph, style: Any) -> tuple[str, int] | None:
    """(numId, ilvl) from the paragraph, else from its style chain."""
    p_pr = paragraph._p.pPr
    num_pr: Any = p_pr.numPr if p_pr is not None else None
    while num_pr is None and style is not None:
        s_pr = style.element.pPr
        num_pr = s_pr.numPr if s_pr is not None else None
        style = style.base_style
    if num_pr is None or num_pr.numId is None:
        return None
    ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
    return str(num_pr.numId.val), int(ilvl)


def _paragraph_block(
    paragraph: Paragraph, numbering: _Numbering, styles: _Styles
) -> tuple[BlockKind, str, int]:
    text = paragraph.text
    found = styles.of(paragraph)
    style = found.name if found is not None else ""
    numbered = _num_pr(paragraph, found)
    label = numbering.label(*numbered) if numbered else ""
    line = f"{label} {text}" if label else text
    heading = _HEADING_STYLE.match(style or "")
    if heading:
        return "heading", line, int(heading.group(1))
    if style == "Title":
        return "heading", line, 1
    words = text.split()
    auto_title = numbered and numbered[1] == 0 and label[:1].isdigit() and 0 < len(words) <= 12
    if auto_title and not _TERMINAL_PUNCT.search(text.strip()):
        return "heading", line, 2  # an automatically numbered section title
    kind, level = classify_line(line.strip()) or ("paragraph", 0)
    if kind == "list_item" or label == "•":
        return "list_item", line, 0
    return kind, line, level


def load_docx(data: bytes, source: str, bounds: DocxBounds = DEFAULT_DOCX) -> ExtractedText:
    """Extract a .docx body as "\\n\\n"-separated blocks with rebuilt list numbers.

    The zip and the body are checked against ``bounds`` before python-docx opens them.
    """
    check_docx(data, source, bounds)
    try:
        doc = open_docx(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds of errors for a bad package
        reason = f"is not a readable Word file ({exc.__class__.__name__})"
        raise IngestError(source, reason) from exc
    numbering = _Numbering(doc)
    styles = _Styles()
    items: list[tuple[BlockKind, str, int]] = []
    title: str | None = None
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            kind, text, level = _paragraph_block(Paragraph(child, doc), numbering, styles)
            if text.strip():
                items.append((kind, text.strip(), level))
                if kind == "heading" and title is None:
                    title = " ".join(text.split())
        elif child.tag == qn("w:tbl"):
            for row in Table(child, doc).rows:
                seen: set[int] = set()
                cells: list[str] = []
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(" ".join(cell.text.split()))
                if any(cells):
                    items.append(("table_row", " | ".join(cells), 0))
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for kind, text, level in items:
        blocks.append(Block(kind=kind, start=pos, end=pos + len(text), level=level))
        parts.append(text)
        pos += len(text) + 2
    return ExtractedText(text="\n\n".join(parts), blocks=blocks, title_hint=title)
