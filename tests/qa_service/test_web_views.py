"""The pure helpers behind the pages: highlight runs, citations, viewer blocks, links."""

from __future__ import annotations

import pytest

from qa_service.schemas import Citation, Highlight, PassageOut
from qa_service.web_views import (
    citation_text,
    long_date,
    passage_number,
    safe_url,
    segments,
    tidy,
    viewer_blocks,
    with_params,
)


def _passage(text: str, spans: list[tuple[int, int]], **cite: object) -> PassageOut:
    fields: dict[str, object] = {
        "document_id": "d1",
        "source": "a.pdf",
        "title": "Report",
        "council": "Wirral Council",
        "committee": None,
        "meeting_date": None,
        "doc_type": None,
        "url": None,
        "page": None,
        "char_start": 0,
        "char_end": len(text),
    }
    fields.update(cite)
    return PassageOut(
        rank=1,
        passage_id="p1",
        score=1.0,
        text=text,
        confidence=0.9,
        highlights=[Highlight(start=s, end=e) for s, e in spans],
        citation=Citation.model_validate(fields),
    )


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        ("One. Two. Three.", [(5, 9)], [("One. ", False), ("Two.", True), (" Three.", False)]),
        ("One. Two.", [], [("One. Two.", False)]),
        ("One. Two.", [(0, 9)], [("One. Two.", True)]),
        ("A. B. C.", [(3, 5), (0, 2)], [("A.", True), (" ", False), ("B.", True), (" C.", False)]),
        ("A. B.", [(0, 4), (2, 5)], [("A. B", True), (".", True)]),  # overlapping spans
        ("\n\nA.\n\n\n\nB.  \n", [], [("A.\n\nB.", False)]),  # outer space off, blank runs one
    ],
)
def test_segments(text: str, spans: list[tuple[int, int]], expected: list) -> None:
    assert segments(_passage(text, spans)) == expected


def test_citation_text_quotes_the_highlight_and_links_back() -> None:
    p = _passage(
        "Noise. The thresholds\nimproved. More.",
        [(7, 31)],
        meeting_date="2017-03-21",
        committee="Panel",
        page=3,
        url="https://example.org/a.pdf",
    )
    text = citation_text(p, "http://127.0.0.1:8000/")
    assert text.splitlines() == [
        "\u201cThe thresholds improved.\u201d",
        "Wirral Council, Panel, 21 March 2017, Report, page 3.",
        "Source: https://example.org/a.pdf",
        "http://127.0.0.1:8000/documents/d1/passages/p1",
    ]


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://a.gov.uk/x", True),
        ("http://a", True),
        ("javascript:alert(1)", False),
        (" JavaScript:x", False),
        ("data:text/html,x", False),
        ("/relative", False),
        (None, False),
    ],
)
def test_safe_url(url: str | None, ok: bool) -> None:
    assert (safe_url(url) is not None) == ok


def test_small_helpers() -> None:
    assert long_date("2015-06-23") == "23 June 2015"
    assert long_date("June 2015") == "June 2015" and long_date(None) == ""
    assert tidy("a\n \n\t\n\nb") == "a\n\nb"
    params = [("q", "x y"), ("council", "A"), ("council", "B"), ("sort", "")]
    assert with_params(params, {"council"}) == "?q=x+y"
    assert with_params(params, set(), infer="0") == "?q=x+y&council=A&council=B&infer=0"


TEXT = "Head.\n\nFirst passage text. Page two starts here. End.\n\nTail."
PASSAGES = [("a", 7, 26, 1), ("b", 27, 53, 1)]


@pytest.mark.parametrize(
    ("page_starts", "markers"),
    [(None, []), ([0], [1]), ([0, 27], [1, 2]), ([0, 40], [1, 2]), ([0, 40, 41], [1, 2, 3])],
)
def test_viewer_blocks_cover_the_text_with_passages_and_page_markers(
    page_starts: list[int] | None, markers: list[int]
) -> None:
    blocks = viewer_blocks(TEXT, page_starts, PASSAGES, cited="b")
    numbered = [(b.number, b.passage_id, b.cited) for b in blocks if b.number]
    assert numbered == [(1, "a", False), (2, "b", True)]
    pages = [[b.lead_page] + [r.page for r in b.runs] for b in blocks]
    assert [page for row in pages for page in row if page] == markers
    shown = "".join(r.text for b in blocks for r in b.runs)
    assert "".join(shown.split()) == "".join(TEXT.split())  # nothing lost but blank space


@pytest.mark.parametrize("text", ["", "   ", "One word"])
def test_viewer_blocks_of_tiny_documents(text: str) -> None:
    blocks = viewer_blocks(text, None, [])
    assert "".join(r.text for b in blocks for r in b.runs) == text.strip()


def test_passage_number() -> None:
    assert passage_number(PASSAGES, "b") == 2 and passage_number(PASSAGES, "zz") is None
