"""Bounds checked before a parser builds anything (ingest/bounds.py, and the PDF page
content bound in ingest/loaders_pdf.py), in process.

Each bomb of tests/hostile.py is refused by the check meant for it, with a reason naming
the limit; a good Word file or page passes; the checks stream (a part is never inflated
whole to be judged).  The memory each costs is measured in test_memory_budget.py.
"""

from __future__ import annotations

import random

import pytest

from cqa_core.errors import IngestError
from ingest.bounds import DocxBounds, check_docx, html_shape
from ingest.loaders import load_bytes
from ingest.loaders_html import MAX_NODES
from tests import hostile


@pytest.fixture(scope="module")
def good_docx() -> bytes:
    return hostile.make_docx(["The committee agreed the budget."] * 3, "Report")


def test_a_good_word_file_passes(good_docx: bytes) -> None:
    check_docx(good_docx, "good.docx")
    assert "agreed the budget" in load_bytes(good_docx, ".docx", "good.docx").text


@pytest.mark.parametrize(
    ("make", "phrase"),
    [
        (lambda base: hostile.docx_image_bomb(base, 128 * 2**20), "inflates to"),
        (lambda base: hostile.docx_empty_paragraphs(base, 2_000_000), "packed"),
        (lambda base: hostile.docx_many_paragraphs(base, 3001, random.Random(1)), "paragraphs"),
        (lambda base: hostile.docx_many_parts(base, 2001), "parts"),
    ],
    ids=["picture", "empty-paragraphs", "paragraphs", "parts"],
)
def test_each_word_bomb_is_refused_before_parsing(good_docx: bytes, make, phrase: str) -> None:  # type: ignore[no-untyped-def]
    bounds = DocxBounds(max_inflated=64 * 2**20, max_paragraphs=3000)
    with pytest.raises(IngestError, match=phrase):
        check_docx(make(good_docx), "bomb.docx", bounds)


def test_the_paragraph_limit_reaches_the_loader(good_docx: bytes) -> None:
    data = hostile.docx_many_paragraphs(good_docx, 2001, random.Random(2))
    with pytest.raises(IngestError, match="CQA_MAX_DOCX_PARAGRAPHS"):
        load_bytes(data, ".docx", "many.docx", max_docx_paragraphs=2000)
    text = load_bytes(data, ".docx", "many.docx", max_docx_paragraphs=2001).text
    assert text.count("\n\n") == 2000, "every paragraph is read when under the limit"


def test_an_element_flood_within_the_paragraph_limit_is_refused(good_docx: bytes) -> None:
    rng = random.Random(4)  # varied text: it packs like a real file, not like a bomb
    runs = b"".join(
        f"<w:r><w:t>{rng.randrange(10**9)}</w:t></w:r>".encode() for _ in range(50_000)
    )  # one paragraph, 100,000 elements
    data = hostile._docx_with(
        good_docx, {"word/document.xml": hostile._body(lambda: iter([b"<w:p>", runs, b"</w:p>"]))}
    )
    with pytest.raises(IngestError, match="XML elements"):
        check_docx(data, "runs.docx", DocxBounds(max_elements=50_000))


def test_html_shape_counts_depth_and_elements() -> None:
    assert html_shape("", 10) == (0, 0)
    depth, nodes = html_shape("<html><body>" + "<div>" * 30 + "x" + "</div>" * 30, 10_000)
    assert 30 < depth < 40 and 30 < nodes < 40
    _depth, nodes = html_shape(hostile.html_bare_paragraphs(300_000).decode(), 1000)
    assert 1000 < nodes < 1000 + 64 * 1024, "counting stops soon after the budget"


def test_an_html_element_flood_is_refused() -> None:
    page = hostile.html_bare_paragraphs(MAX_NODES * 3 + 3000)
    with pytest.raises(IngestError, match="CQA_MAX_HTML_NODES"):
        load_bytes(page, ".html", "flood.html")
    small = b"<html><body>" + b"<p>Budget agreed.</p>" * 50 + b"</body></html>"
    with pytest.raises(IngestError, match="more than 40 elements"):
        load_bytes(small, ".html", "small.html", max_html_nodes=40)
    assert "Budget agreed." in load_bytes(small, ".html", "small.html", max_html_nodes=60).text


def _operators(inflated: int) -> bytes:
    """``inflated`` bytes of tiny text operators, the content pypdf is costliest to extract."""
    unit = b"BT /F1 10 Tf (ab) Tj ET\n"
    return unit * (inflated // len(unit))


@pytest.fixture
def extracted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of every page whose text pypdf was asked to extract."""
    from pypdf import PageObject

    calls: list[int] = []
    original = PageObject.extract_text

    def spy(self: PageObject, *args: object, **kwargs: object) -> str:
        calls.append(self.page_number + 1 if self.page_number is not None else 0)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(PageObject, "extract_text", spy)
    return calls


def test_a_pdf_page_drawing_too_much_content_is_refused_before_extraction(
    extracted: list[int],
) -> None:
    data = hostile.make_pdf(
        [hostile.page_stream("The committee met."), _operators(64 * 1024)], compress=True
    )
    with pytest.raises(IngestError, match=r"page \(2\).*CQA_MAX_PDF_PAGE_CONTENT_BYTES"):
        load_bytes(data, ".pdf", "dense.pdf", max_pdf_page_content_bytes=60 * 1024)
    assert extracted == [1], "the dense page is measured, never extracted"
    text = load_bytes(data, ".pdf", "dense.pdf", max_pdf_page_content_bytes=64 * 1024).text
    assert text.startswith("The committee met.") and text.count("ab") == 64 * 1024 // 24


def test_content_drawn_through_a_form_xobject_counts_but_an_image_does_not(
    extracted: list[int],
) -> None:
    data = hostile.make_pdf([b"/Fm0 Do"], form=_operators(64 * 1024), image=True)
    with pytest.raises(IngestError, match="CQA_MAX_PDF_PAGE_CONTENT_BYTES"):
        load_bytes(data, ".pdf", "form.pdf", max_pdf_page_content_bytes=60 * 1024)
    assert extracted == []
    # the 1 KiB picture on the page is not content: "/Fm0 Do" and the form fit exactly
    exact = len(b"/Fm0 Do") + len(_operators(64 * 1024))
    text = load_bytes(data, ".pdf", "form.pdf", max_pdf_page_content_bytes=exact).text
    assert text.count("ab") == 64 * 1024 // 24, "pypdf extracts a form's text, so it is counted"


def test_the_page_content_limit_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from qa_service.config import Settings
    from qa_service.runtime import limits

    assert limits(Settings()).max_pdf_page_content_bytes == 2 * 1024 * 1024
    monkeypatch.setenv("CQA_MAX_PDF_PAGE_CONTENT_BYTES", "65536")
    assert limits(Settings()).max_pdf_page_content_bytes == 65536
