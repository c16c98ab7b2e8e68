"""Loader edge cases: encodings, binary bytes, broken and odd PDFs, HTML without a body."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfWriter

from cqa_core.errors import IngestError
from cqa_core.text import split_sentences
from ingest.loaders import load_text
from ingest.loaders_html import load_html
from ingest.models import DocMeta
from ingest.pipeline import IngestLimits, process_file

WORDS = "The Committee noted the report on caseloads and agency staff. " * 3


def _blank_pdf(pages: int = 1, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "is empty (0 bytes)"),
        ("empty.pdf", b"", "is empty (0 bytes)"),  # was "not a readable PDF (EmptyFileError)"
        ("empty.docx", b"", "is empty (0 bytes)"),  # was "not a readable Word file (BadZipFile)"
        ("blank.txt", b"  \n\t\n  ", "no text"),
        ("binary.txt", bytes(range(256)) * 4, "is not text"),
        ("nul.md", b"minutes\x00\x00\x01\x02", "is not text"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", "PDF"),
        ("notapdf.pdf", b"hello, I am text", "PDF"),
        ("image-only.pdf", _blank_pdf(2), "no text layer"),
        ("locked.pdf", _blank_pdf(1, password="secret"), "password"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "Word"),
        ("nobody.html", b"<html><head><title>T</title></head></html>", "no text"),
        ("emptybody.html", b"<html><body><script>var a=1;</script></body></html>", "no text"),
        ("notes.rtf", b"{\\rtf1 hello}", "unsupported"),
    ],
)
def test_bad_files_raise_ingest_error(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises(IngestError) as info:
        process_file(path, DocMeta())
    assert reason in str(info.value)
    assert info.value.source == name


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"Caseloads fell to 18.\r\nAgency staff 12%.",
            "Caseloads fell to 18.\nAgency staff 12%.",
        ),
        ("\ufeffCafé minutes".encode(), "Café minutes"),
        ("Children’s services – update".encode("utf-16"), "Children’s services – update"),
        ("Children’s services £5".encode("cp1252"), "Children’s services £5"),
        (b"old\rmac", "old\nmac"),
    ],
)
def test_text_decoding(data: bytes, expected: str) -> None:
    assert load_text(data, "x.txt").text == expected


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("one.txt", b"Minutes", 1),
        ("one.md", b"# Minutes\n\nRESOLVED - That the report be noted.", 9),
        ("utf16.txt", "Item 5 Ofsted visit".encode("utf-16"), 4),
        ("latin.txt", "Re-referrals 24% caf\xe9".encode("latin-1"), 3),
    ],
)
def test_small_documents_make_one_passage(
    tmp_path: Path, name: str, data: bytes, words: int
) -> None:
    doc = process_file(_write(tmp_path, name, data), DocMeta())
    assert len(doc.passages) == 1
    assert len(doc.passages[0].text.split()) == words
    assert doc.page_starts is None and doc.passages[0].page is None


def test_file_size_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, "big.txt", WORDS.encode())
    with pytest.raises(IngestError, match="limit"):
        process_file(path, DocMeta(), IngestLimits(max_file_bytes=10))


def test_pdf_page_limit(shared_dir: Path) -> None:
    pdf = (
        shared_dir
        / "dev-set"
        / "corpus"
        / "ravensholt-cyp-scrutiny-2018-06-19-missing-exploitation-report.pdf"
    )
    with pytest.raises(IngestError, match="pages"):
        process_file(pdf, DocMeta(), IngestLimits(max_pdf_pages=2))


def test_pdf_encrypted_with_empty_password_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path, "open.pdf", _blank_pdf(1, password=""))
    with pytest.raises(IngestError, match="no text layer"):  # decrypted, but it is blank
        process_file(path, DocMeta())


def test_html_falls_back_to_body_and_drops_furniture() -> None:
    html = b"""<html><body>
      <div class="cookie-banner"><p>We use cookies</p></div>
      <header><a href="/">Home</a></header>
      <nav><ul><li>Residents</li></ul></nav>
      <h1>Cabinet</h1>
      <p>The Cabinet <strong>approved</strong> the plan.</p>
      <ul><li>one <em>point</em></li></ul>
      <table><tr><td>A</td><td>1</td></tr></table>
      <footer>Copyright</footer><script>alert(1)</script>
    </body></html>"""
    extracted = load_html(html, "page.html")
    assert extracted.text == "Cabinet\n\nThe Cabinet approved the plan.\n\none point\n\nA | 1"
    assert [b.kind for b in extracted.blocks or []] == [
        "heading",
        "paragraph",
        "list_item",
        "table_row",
    ]
    assert extracted.title_hint == "Cabinet"


def test_html_inline_tags_do_not_glue_words() -> None:
    extracted = load_html(b"<main><p>Agency<b>staff</b> rose to <i>23</i>%</p></main>", "a.html")
    assert extracted.text == "Agency staff rose to 23 %"


def test_content_hash_and_ids_are_stable(tmp_path: Path) -> None:
    path = _write(tmp_path, "m.txt", WORDS.encode())
    first, second = process_file(path, DocMeta()), process_file(path, DocMeta())
    assert first.content_hash == second.content_hash
    assert len(first.document_id) == 16
    assert [p.passage_id for p in first.passages] == [p.passage_id for p in second.passages]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Minutes – café".encode("utf-16-le"), "Minutes – café"),
        ("Minutes – café".encode("utf-16-be"), "Minutes – café"),
    ],
)
def test_utf16_without_a_bom_is_text(data: bytes, expected: str) -> None:
    assert load_text(data, "x.txt").text == expected


@pytest.mark.parametrize(
    ("name", "data", "limits", "reason"),
    [
        ("deep.html", b"<div>" * 300 + b"text" + b"</div>" * 300, IngestLimits(), "nested"),
        ("big.html", b"<p>words</p>" * 200, IngestLimits(max_html_bytes=1000), "HTML_BYTES"),
        ("long.txt", WORDS.encode() * 10, IngestLimits(max_text_chars=100), "TEXT_CHARS"),
    ],
)
def test_size_and_shape_limits(
    tmp_path: Path, name: str, data: bytes, limits: IngestLimits, reason: str
) -> None:
    with pytest.raises(IngestError, match=reason):
        process_file(_write(tmp_path, name, data), DocMeta(), limits)


def test_a_stream_bomb_stops_at_the_inflate_limit(tmp_path: Path) -> None:
    from tests.hostile import bomb_pdf

    path = _write(tmp_path, "bomb.pdf", bomb_pdf(8 * 1024 * 1024))
    with pytest.raises(IngestError, match="inflates past the limit of 1048576"):
        process_file(path, DocMeta(), IngestLimits(max_decompressed_bytes=1024 * 1024))


def test_a_real_page_is_not_too_deep() -> None:
    from ingest.loaders_html import MAX_DEPTH, nesting_depth

    page = "<html><body>" + "<div>" * 50 + "<p>Item</p>" + "</div>" * 50 + "</body></html>"
    assert 50 < nesting_depth(page) < MAX_DEPTH
    assert nesting_depth("") == 0


def test_a_bare_markup_tag_line_does_not_join_two_sentences(tmp_path: Path) -> None:
    # a decision page exported as text by its template: the reason's sentence ran on
    # through the tags into the minutes' first sentence
    raw = (
        "RECOMMENDED that Council approve the adoption of the new policy.\n"
        "Reason for Decision: As set out in the report.\n"
        "</AI11>\n"
        "<TRAILER_SECTION>\n"
        "Minutes:\n"
        "The Executive received the report on the new policy, which followed an audit.\n"
    )
    text = load_text(raw.encode(), "x.txt").text
    assert "<" not in text and "Reason for Decision: As set out in the report.\n" in text
    path = tmp_path / "decision.txt"
    path.write_text(raw, encoding="utf-8")
    document = process_file(path, DocMeta())
    sentences = [
        document.text[p.char_start :][s.start : s.end]
        for p in document.passages
        for s in split_sentences(p.text)
    ]
    assert "Reason for Decision: As set out in the report." in sentences
    # a tag inside a line is text, not a tag line
    assert load_text(b"x < y and <b> is bold\n", "y.txt").text == "x < y and <b> is bold\n"


def test_a_running_head_under_other_furniture_is_furniture_after_its_first_page() -> None:
    from ingest.loaders_pdf import _strip_furniture

    # a minutes pack: a two-line disclaimer and a page number stand above the running head,
    # so the head is past the first three lines of its pages; a sentence runs across pages
    disclaimer = ["All minutes are draft until agreed.", "See the calendar of events online."]
    head = ["AUDIT COMMITTEE", "24 SEPTEMBER 2009"]
    pages = [
        [*disclaimer, "1", *head, "(19:15 TO 19:25)", "PRESENT: Dave Roberts (Chairman).",
         "Why was an additional fee required for the Pension Fund"],
        [*disclaimer, "2", *head, "Accounts? This was the first year of separate accounts.",
         "RESOLVED: That the report be noted."],
        [*disclaimer, "3", *head, "The Council needed to show outcomes better.",
         "The meeting ended at 20:27.", "Chair", "Agenda Item 6"],
        [*disclaimer, "4", "Agenda Item 6", *head, "The report was noted.",
         "Members asked about the timetable.", "It would be reported in March."],
    ]  # fmt: skip
    out = _strip_furniture(pages)
    # on its first page the head is the minutes' title; after it, furniture
    assert out[0][:3] == [*head, "(19:15 TO 19:25)"]
    assert out[1][0].startswith("Accounts?") and out[2][0].startswith("The Council")
    # a stamp is never furniture, and what stands under it is not at the top of the page
    assert out[3][:4] == ["Agenda Item 6", *head, "The report was noted."]
