"""Property-based tests (hypothesis) of the chunker and the text, HTML and PDF paths.

Two properties, over generated input: every passage is an exact slice of its document
(``document.text[p.char_start:p.char_end] == p.text``), and nothing but ``IngestError``
ever escapes ``process_file``, whatever the bytes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cqa_core.errors import IngestError
from ingest.chunker import chunk
from ingest.models import DocMeta, Document
from ingest.pipeline import process_file
from ingest.structure import find_blocks
from tests.hostile import make_pdf, page_stream

PROFILE = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_WORD = st.sampled_from(
    ["the", "Committee", "noted", "report", "Mr.", "Cllr.", "e.g.", "£5m", "24%", "RESOLVED",
     "That", "be", "agreed.", "Item", "5.", "1.1", "(a)", "•", "-", "Ofsted", "children’s",
     "full-", "time", "ALL", "CAPS", "HEADING", "Page", "3", "of", "8", "x" * 40, "é", "中文"]
)  # fmt: skip
_SEP = st.sampled_from([" ", " ", " ", "\n", "\n\n", ". ", "\t", "  \n", "\r\n", "\f"])
_TEXT = st.lists(st.tuples(_WORD, _SEP), max_size=400).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)


def _assert_passages_are_slices(document: Document) -> None:
    previous_end = 0
    for p in document.passages:
        assert document.text[p.char_start : p.char_end] == p.text
        assert p.text and p.text == p.text.strip()
        assert p.char_start >= previous_end, "passages are in order and never overlap"
        previous_end = p.char_end


def _process(name: str, data: bytes) -> Document | None:
    """``process_file`` on bytes: the document, or None for an ``IngestError``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            return process_file(path, DocMeta())
        except IngestError as exc:
            assert exc.source == name and exc.reason
            return None


@PROFILE
@given(text=_TEXT, wrapped=st.sampled_from([None, True, False]), small=st.integers(1, 60))
def test_chunker_passages_are_exact_slices(text: str, wrapped: bool | None, small: int) -> None:
    blocks = find_blocks(text, wrapped=wrapped)
    for b in blocks:
        assert 0 <= b.start <= b.end <= len(text)
    passages = chunk(text, blocks, "d" * 16, min_words=small, max_words=small * 2 + 1)
    document = Document("d" * 16, "x.txt", "/x.txt", "", text, DocMeta(), passages=passages)
    _assert_passages_are_slices(document)
    covered = " ".join(p.text for p in passages).split()
    assert len(covered) <= len(text.split())


@PROFILE
@given(text=_TEXT, codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_text_files_keep_the_invariant(text: str, codec: str) -> None:
    data = text.encode(codec, errors="replace")
    document = _process("minutes.txt", data)
    if document is not None:
        _assert_passages_are_slices(document)


@PROFILE
@given(data=st.binary(max_size=3000))
def test_any_bytes_raise_only_ingest_error(data: bytes) -> None:
    for name in ("a.txt", "a.md", "a.html", "a.pdf", "a.docx"):
        document = _process(name, data)
        if document is not None:
            _assert_passages_are_slices(document)


_TAG = st.sampled_from(
    ["p", "div", "h1", "h2", "h3", "li", "ul", "ol", "table", "tr", "td", "th", "span", "b",
     "main", "nav", "footer", "header", "script", "br", "section", "article", "pre", "a"]
)  # fmt: skip


@st.composite
def _html(draw: st.DrawFn) -> str:
    parts: list[str] = []
    stack: list[str] = []
    for _ in range(draw(st.integers(0, 120))):
        action = draw(st.sampled_from(["open", "close", "text", "text", "junk"]))
        if action == "open":
            tag = draw(_TAG)
            attrs = draw(st.sampled_from(["", " class='cookie'", " id='content'", " hidden"]))
            parts.append(f"<{tag}{attrs}>")
            stack.append(tag)
        elif action == "close" and stack:
            parts.append(f"</{stack.pop()}>")
        elif action == "text":
            parts.append(draw(_TEXT).replace("<", "&lt;"))
        else:
            parts.append(
                draw(st.sampled_from(["&amp;", "&nbsp;", "<!-- c -->", "</p>", "<", "&#0;"]))
            )
    return "<html><body>" + "".join(parts) + "</body></html>"


@PROFILE
@given(page=_html())
def test_html_pages_keep_the_invariant(page: str) -> None:
    document = _process("page.html", page.encode())
    if document is not None:
        _assert_passages_are_slices(document)


@PROFILE
@given(
    pages=st.lists(_TEXT, min_size=1, max_size=5),
    compress=st.booleans(),
    cut=st.one_of(st.none(), st.floats(0.0, 1.0)),
    flip=st.one_of(st.none(), st.tuples(st.floats(0.0, 1.0), st.integers(0, 255))),
)
def test_pdfs_keep_the_invariant_or_fail_cleanly(
    pages: list[str], compress: bool, cut: float | None, flip: tuple[float, int] | None
) -> None:
    data = bytearray(make_pdf([page_stream(p) for p in pages], compress=compress))
    if flip is not None:  # one damaged byte anywhere
        data[int(flip[0] * (len(data) - 1))] = flip[1]
    if cut is not None:  # or a truncated file
        data = data[: int(cut * len(data))]
    document = _process("paper.pdf", bytes(data))
    if document is not None:
        _assert_passages_are_slices(document)
        assert document.page_starts is not None
        for p in document.passages:
            assert p.page is not None and 1 <= p.page <= len(document.page_starts)
