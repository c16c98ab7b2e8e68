"""Load a ModernGov-style council web page: keep the meeting content, drop the site furniture.

The main container is chosen first (``<main>``, ``[role=main]``, ``#content``-like, else
``<body>``); navigation, cookie banners, skip links, breadcrumbs, search forms, side
navigation, site header/footer, scripts and styles are removed; the rest is walked in
document order into blocks.  Each block's text is what BeautifulSoup's ``get_text(" ")``
gives for it with whitespace collapsed, so evidence taken that way is found unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from cqa_core.errors import IngestError
from cqa_core.limits import IngestLimits
from ingest.bounds import html_shape
from ingest.loaders import decode_text
from ingest.models import Block, BlockKind, ExtractedText

_ALWAYS_DROP = ["script", "style", "noscript", "template", "nav", "aside", "form", "button",
                "input", "select", "textarea", "iframe", "svg"]  # fmt: skip
_DROP_SELECTORS = [
    "[role=navigation]", "[role=search]", "[role=banner]", "[role=contentinfo]",
    "[aria-hidden=true]", "[hidden]",
]  # fmt: skip
_BOILERPLATE = re.compile(
    r"cookie|consent|skip-?link|skip-?to|breadcrumb|site-?search|search-?form|"
    r"side-?nav|sidebar|site-?header|site-?footer|masthead|navbar|menu",
    re.IGNORECASE,
)
_MAIN_SELECTORS = ["main", "[role=main]", "#content", "#main-content", "#maincontent",
                   "#main", ".main-content", "article"]  # fmt: skip
# Real council pages nest 20-60 elements deep.  libxml2 stops building at 255, but
# BeautifulSoup's tree does not, and one 1 MB page of nested <div>s then costs a minute.
MAX_DEPTH = 200
# Council pages hold a few hundred to a few thousand elements; BeautifulSoup spends about
# 1.5 KB on each, so this bounds the tree near 75 MB whatever the page.
MAX_NODES = IngestLimits.max_html_nodes
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCK_TAGS = _HEADINGS | {
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr",
    "td", "th", "caption", "section", "article", "blockquote", "pre", "header", "footer",
    "figure", "figcaption", "address", "main", "hr", "br",
}  # fmt: skip


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _strings(node: Tag | NavigableString) -> list[str]:
    if isinstance(node, NavigableString):
        return [] if isinstance(node, Comment) else [str(node)]
    return [str(s) for s in node.find_all(string=True) if not isinstance(s, Comment)]


def _has_blocks(tag: Tag) -> bool:
    return tag.find(lambda t: t.name in _BLOCK_TAGS - {"br"}) is not None


def _is_layout_header(row: Tag) -> bool:
    """The "No. | Item" header row of a table whose rows hold whole agenda items."""
    table = row.find_parent("table")
    if row.parent is None or row.parent.name != "thead" or table is None:
        return False
    return any(_has_blocks(cell) for cell in table.find_all(["td", "th"]))


class _Builder:
    """Collects (kind, text, level) blocks in document order."""

    def __init__(self) -> None:
        self.blocks: list[tuple[BlockKind, str, int]] = []
        self.prefix = ""  # a ModernGov item number cell ("5.") waiting for its item heading

    def emit(self, kind: BlockKind, text: str, level: int = 0) -> None:
        text = _collapse(text)
        if not text:
            return
        if self.prefix:
            if kind == "heading":
                text = f"{self.prefix} {text}"
            else:
                self.blocks.append(("paragraph", self.prefix, 0))
            self.prefix = ""
        self.blocks.append((kind, text, level))

    def walk(self, tag: Tag, kind: BlockKind = "paragraph") -> None:
        run: list[str] = []
        for child in tag.children:
            if isinstance(child, NavigableString):
                run.extend(_strings(child))
            elif isinstance(child, Tag):
                if child.name not in _BLOCK_TAGS and not _has_blocks(child):
                    run.extend(_strings(child))
                    continue
                self.emit(kind, " ".join(run))
                run = []
                self.block(child)
        self.emit(kind, " ".join(run))

    def block(self, tag: Tag) -> None:
        name = tag.name
        if name in _HEADINGS:
            self.emit("heading", " ".join(_strings(tag)), int(name[1]))
        elif name == "li":
            self.walk(tag, "list_item")
        elif name == "tr":
            cells = tag.find_all(["td", "th"], recursive=False)
            if _is_layout_header(tag):
                return
            if any(_has_blocks(c) for c in cells):
                for cell in cells:  # a layout row, as in ModernGov's item table
                    if not _has_blocks(cell) and len(_collapse(cell.get_text(" ")).split()) <= 2:
                        self.prefix = _collapse(cell.get_text(" "))
                    else:
                        self.walk(cell)
            else:
                row = " | ".join(_collapse(" ".join(_strings(c))) for c in cells)
                self.emit("table_row", row.strip(" |"))
        else:
            self.walk(tag)


def _container(soup: BeautifulSoup) -> Tag:
    for selector in _MAIN_SELECTORS:
        found = soup.select_one(selector)
        if found is not None and _collapse(found.get_text(" ")):
            return found
    body = soup.body
    if body is None or not _collapse(body.get_text(" ")):
        raise IngestError("", "no body")
    return body


def _strip_boilerplate(root: Tag, is_body: bool) -> None:
    doomed: list[Tag] = list(root.find_all(_ALWAYS_DROP))
    for selector in _DROP_SELECTORS:
        doomed.extend(root.select(selector))
    for tag in root.find_all(True):
        classes: Any = tag.get("class") or []
        marks = " ".join(
            [*(classes if isinstance(classes, list) else [classes]), str(tag.get("id", ""))]
        )
        furniture = bool(marks.strip() and _BOILERPLATE.search(marks))
        if furniture or (is_body and tag.name in ("header", "footer")):
            doomed.append(tag)
    for tag in doomed:
        if tag is not root:
            tag.decompose()


def _title_hint(soup: BeautifulSoup, root: Tag) -> str | None:
    for selector in ("h2.mgSubTitleTxt", "h1"):
        found = root.select_one(selector)
        if found is not None and _collapse(found.get_text(" ")):
            return _collapse(found.get_text(" "))
    if soup.title is not None and _collapse(soup.title.get_text(" ")):
        return _collapse(soup.title.get_text(" "))
    return None


def nesting_depth(text: str) -> int:
    """How deeply the page's elements nest, as libxml2 reads it (capped near 255)."""
    return html_shape(text, max_nodes=2**62)[0]


def load_html(data: bytes, source: str, max_nodes: int = MAX_NODES) -> ExtractedText:
    """Extract the meeting content of an HTML page as blocks separated by blank lines.

    Before BeautifulSoup builds its tree (about 1.5 KB a node), one streamed pass refuses
    a page nested too deep or of more than ``max_nodes`` elements.
    """
    text = decode_text(data, source)
    depth, nodes = html_shape(text, max_nodes)
    if depth > MAX_DEPTH:
        raise IngestError(
            source, f"is an HTML page nested more than {MAX_DEPTH} elements deep; refused"
        )
    if nodes > max_nodes:
        raise IngestError(
            source,
            f"is an HTML page of more than {max_nodes} elements (CQA_MAX_HTML_NODES); refused",
        )
    soup = BeautifulSoup(text, "lxml")
    for tag in soup.find_all(["script", "style", "noscript", "template"]):
        tag.decompose()
    try:
        root = _container(soup)
    except IngestError as exc:
        raise IngestError(source, "no text (the page has no body content)") from exc
    title = _title_hint(soup, root)
    _strip_boilerplate(root, is_body=root.name == "body")
    builder = _Builder()
    builder.walk(root)
    if builder.prefix:
        builder.blocks.append(("paragraph", builder.prefix, 0))
    parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for kind, text, level in builder.blocks:
        blocks.append(Block(kind=kind, start=pos, end=pos + len(text), level=level))
        parts.append(text)
        pos += len(text) + 2
    return ExtractedText(text="\n\n".join(parts), blocks=blocks, title_hint=title)
