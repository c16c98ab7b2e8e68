"""The pure helpers behind the pages: highlight runs, citations, viewer blocks, links."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from qa_service.schemas.passages import Citation, Highlight, PassageOut
from qa_service.web_views import (
    citation_text,
    cited_page,
    cited_sentence,
    long_date,
    meeting_parts,
    page_at,
    page_window,
    passage_number,
    safe_back,
    safe_url,
    segments,
    sentence_link,
    snippet,
    source_page_link,
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


@pytest.mark.parametrize(
    ("text", "spans", "expected"),
    [
        # the highlighted sentence and one either side; "…" where text is left out
        ("A. B. C. D. E.", [(6, 8)], "\u2026 B. [C.] D. \u2026"),
        ("A. B. C.", [(0, 2)], "[A.] B. \u2026"),
        ("A. B. C.", [(6, 8)], "\u2026 B. [C.]"),
        ("A. B. C. D.", [(3, 8)], "A. [B. C.] D."),  # a two-sentence highlight
        ("A. B. C.", [], "A. B. \u2026"),  # nothing marked: the opening
        ("Only one.", [(0, 9)], "[Only one.]"),
    ],
)
def test_snippet(text: str, spans: list[tuple[int, int]], expected: str) -> None:
    pieces = snippet(_passage(text, spans))
    assert "".join(f"[{p}]" if marked else p for p, marked in pieces) == expected


def test_sentence_link_marks_the_sentence_in_document_offsets() -> None:
    p = _passage("One. Two. Three.", [(5, 9)], char_start=100, char_end=116)
    link = urlsplit(sentence_link(p, "/?q=x+y"))
    assert link.path == "/documents/d1" and link.fragment == "cited-sentence"
    assert parse_qs(link.query) == {"passage": ["p1"], "sentence": ["105-109"], "back": ["/?q=x+y"]}
    bare = urlsplit(sentence_link(_passage("One.", []), "https://evil.example/"))
    assert parse_qs(bare.query) == {"passage": ["p1"]} and bare.fragment == ""


@pytest.mark.parametrize(
    ("back", "kept"),
    [
        ("/?q=x", True),
        ("/compare?q=x&council=A", True),
        ("/timeline?q=x", True),
        ("//evil.example/?q=x", False),
        ("/\\evil.example", False),
        ("https://evil.example/", False),
        ("/documents/x", False),
        ("", False),
    ],
)
def test_safe_back(back: str, kept: bool) -> None:
    assert (safe_back(back) == back) == kept
    assert safe_back(back) in (back, None)


def test_source_page_link_and_cited_sentence() -> None:
    assert source_page_link("https://a.gov.uk/r.pdf", 4) == "https://a.gov.uk/r.pdf#page=4"
    assert source_page_link("https://a.gov.uk/r.pdf#x", 2) == "https://a.gov.uk/r.pdf#page=2"
    assert source_page_link("https://a.gov.uk/r.html", None) == "https://a.gov.uk/r.html"
    assert source_page_link("javascript:x", 1) is None and source_page_link(None, 1) is None
    assert cited_sentence("10-20", (5, 30)) == (10, 20)
    for bad in ("20-10", "1-20", "10-40", "x-y", "10", ""):
        assert cited_sentence(bad, (5, 30)) is None


def test_viewer_blocks_mark_the_sentence_across_a_page_start() -> None:
    # passage "b" is 27..53 ("Page two starts here. End."); mark "two starts here." over page 2
    blocks = viewer_blocks(TEXT, [0, 40], PASSAGES, cited="b", sentence=(32, 48))
    marked = "".join(r.text for b in blocks for r in b.runs if r.marked)
    assert marked == TEXT[32:48]
    assert all(b.passage_id == "b" for b in blocks if any(r.marked for r in b.runs))
    pages = [r.page for b in blocks for r in b.runs if r.page] + [b.lead_page for b in blocks]
    assert 2 in pages
    # a sentence outside the cited passage marks nothing
    assert not any(
        r.marked for b in viewer_blocks(TEXT, None, PASSAGES, "a", (32, 48)) for r in b.runs
    )


def _across_a_page_break() -> PassageOut:
    """A passage starting on page 2 whose highlighted sentence is on page 3."""
    return _passage(
        "Foot of page two. The sentence on page three.",
        [(18, 45)],
        page=2,
        highlight_page=3,
        url="https://example.org/a.pdf",
    )


def test_a_sentence_past_a_page_break_is_cited_at_its_own_page() -> None:
    # the Merton agenda pack on real-dev-set: a passage starting on page 2 whose highlighted
    # sentence is on page 3 was cited "page 2" and linked to #page=2 (12 of 190 PDF results)
    p = _across_a_page_break()
    assert cited_page(p.citation) == 3
    assert citation_text(p, "http://h/").splitlines()[1] == "Wirral Council, Report, page 3."
    assert meeting_parts(p.citation) == ["Wirral Council", "page 3"]
    no_highlight = _passage("Text.", [], page=2)  # an older body without highlight_page
    assert cited_page(no_highlight.citation) == 2


def test_the_pages_link_the_original_at_the_sentences_page() -> None:
    from qa_service.api.web_render import templates

    p = _across_a_page_break()
    html = templates.env.from_string(
        '{% from "_macros.html" import passage %}{{ passage(p, "http://h/") }}'
    ).render(p=p)
    assert "https://example.org/a.pdf#page=3" in html and "#page=2" not in html
    assert "Original paper on the council's website, page 3" in html


def test_every_page_links_the_original_paper_in_the_same_words() -> None:
    # the link was written out three times (a result, the answer card, a decision), and the
    # card's said "Original paper, page 3 (council's website)": now one macro, one wording
    from qa_service.answer_card import AnswerCard
    from qa_service.api.web_render import templates
    from qa_service.schemas.precedent import DecisionCitation, DecisionOut

    p = _across_a_page_break()
    cite = {**p.citation.model_dump(), "passage_id": "p1", "page": 3}  # where it starts
    d = DecisionOut(
        kind="resolution", text="RESOLVED.", citation=DecisionCitation.model_validate(cite)
    )
    card = AnswerCard("answered", p, "The sentence on page three.")
    link = (
        '<a class="govuk-link" href="https://example.org/a.pdf#page=3" rel="noreferrer">'
        "Original paper on the council's website, page 3"
    )
    for call in ('passage(p, "h")', 'answer_card(card, "h")', "decision(d, 1, listing=true)"):
        name = call.split("(")[0]
        html = templates.env.from_string(
            f'{{% from "_macros.html" import {name} %}}{{{{ {call} }}}}'
        ).render(p=p, card=card, d=d)
        assert html.count(link) == 1, call
    no_url = _passage("Text.", [(0, 5)], page=2)  # no address: no link, no empty item
    html = templates.env.from_string(
        '{% from "_macros.html" import original_link %}{{ original_link(c) }}'
    ).render(c=no_url.citation)
    assert html.strip() == ""


@pytest.mark.parametrize(
    ("page", "pages", "window"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 9, [1, 2, 3, None, 9]),
        (5, 9, [1, 2, 3, 4, 5, 6, 7, 8, 9]),
        (6, 20, [1, None, 4, 5, 6, 7, 8, None, 20]),
        (500, 500, [1, None, 498, 499, 500]),
    ],
)
def test_page_window_lists_the_ends_and_the_pages_near(
    page: int, pages: int, window: list[int | None]
) -> None:
    assert page_window(page, pages) == window


@pytest.mark.parametrize(
    ("starts", "offset", "page"),
    [
        ([0, 771, 1982, 4104], 4050, 3),  # Merton's item 4 starts on page 3 ...
        ([0, 771, 1982, 4104], 4130, 4),  # ... and its resolution is on page 4
        ([0, 771, 1982, 4104], 4104, 4),  # a page's first character is on that page
        ([0, 771], 0, 1),
        (None, 10, None),  # not a PDF
        ([], 10, None),
    ],
)
def test_page_at_reads_the_page_holding_an_offset(
    starts: list[int] | None, offset: int, page: int | None
) -> None:
    assert page_at(starts, offset) == page
