"""ModernGov item tables: an item's number and title head its passages in either layout."""

from __future__ import annotations

from pathlib import Path

from ingest.loaders_html import load_html
from ingest.models import DocMeta
from ingest.pipeline import process_file

_PAGE = """<html><body><main>
<h1 class="mgMainTitleTxt">Agenda and minutes</h1>
<h2>Items</h2>
<table class="mgItemTable"><tbody>{rows}</tbody></table>
</main></body></html>"""

# The layout of dev-set-2's web minutes: the title is a paragraph, the label a heading.
_TRAILING_ROW = """<tr>
  <td class="mgItemNumberCell">{number}</td>
  <td>
    <p class="mgAiTitleTxt">{title}</p>
    <div class="mgWordPara"><h3>Minutes:</h3><p>{text}</p></div>
  </td>
</tr>"""

# The layout of dev-set's web minutes: the title is a heading, the label one level below.
_HEADED_ROW = """<tr>
  <td class="mgItemNumberCell">{number}</td>
  <td>
    <h3 class="mgAiTitleTxt">{title}</h3>
    <div class="mgItemDescription"><p>Report of the Director.</p></div>
    <h4 class="mgSubSubTitleTxt">Minutes:</h4>
    <div class="mgWordPara"><p>{text}</p></div>
  </td>
</tr>"""

_ITEMS = [
    ("101.", "Declarations of interest", "No declarations of interest were made."),
    (
        "102.",
        "Library opening hours",
        "RESOLVED - That the reduced opening hours at Mill Lane Library be approved "
        "from 1 April, and the Head of Libraries report on visitor numbers in six months.",
    ),
]


def _page(row: str) -> bytes:
    rows = "".join(row.format(number=n, title=t, text=x) for n, t, x in _ITEMS)
    return _PAGE.format(rows=rows).encode()


def _blocks(data: bytes) -> list[tuple[str, int, str]]:
    extracted = load_html(data, "minutes.html")
    return [(b.kind, b.level, extracted.text[b.start : b.end]) for b in extracted.blocks or []]


def test_a_title_paragraph_over_a_field_label_heads_its_item() -> None:
    assert _blocks(_page(_TRAILING_ROW)) == [
        ("heading", 1, "Agenda and minutes"),
        ("heading", 2, "Items"),
        ("heading", 3, "101. Declarations of interest"),
        ("heading", 4, "Minutes:"),
        ("paragraph", 0, _ITEMS[0][2]),
        ("heading", 3, "102. Library opening hours"),
        ("heading", 4, "Minutes:"),
        ("paragraph", 0, _ITEMS[1][2]),
    ]


def test_the_next_items_number_and_title_do_not_trail_into_a_passage(tmp_path: Path) -> None:
    path = tmp_path / "minutes.html"
    path.write_bytes(_page(_TRAILING_ROW))
    passages = process_file(path, DocMeta()).passages
    resolved = [p for p in passages if "Mill Lane Library" in p.text]
    assert [p.heading_path for p in resolved] == [
        ("Agenda and minutes", "Items", "102. Library opening hours", "Minutes:")
    ]
    assert resolved[0].text.startswith("102. Library opening hours\n\nMinutes:")
    assert not any(p.text.endswith("Library opening hours") for p in passages)


def test_a_title_heading_layout_is_cut_as_before() -> None:
    assert _blocks(_page(_HEADED_ROW)) == [
        ("heading", 1, "Agenda and minutes"),
        ("heading", 2, "Items"),
        ("heading", 3, "101. Declarations of interest"),
        ("paragraph", 0, "Report of the Director."),
        ("heading", 4, "Minutes:"),
        ("paragraph", 0, _ITEMS[0][2]),
        ("heading", 3, "102. Library opening hours"),
        ("paragraph", 0, "Report of the Director."),
        ("heading", 4, "Minutes:"),
        ("paragraph", 0, _ITEMS[1][2]),
    ]


def test_a_number_and_paragraph_without_a_label_stay_paragraphs() -> None:
    row = '<tr><td class="mgItemNumberCell">{number}</td><td><p>{title}</p><p>{text}</p></td></tr>'
    assert _blocks(_page(row))[2:] == [
        ("paragraph", 0, "101."),
        ("paragraph", 0, "Declarations of interest"),
        ("paragraph", 0, _ITEMS[0][2]),
        ("paragraph", 0, "102."),
        ("paragraph", 0, "Library opening hours"),
        ("paragraph", 0, _ITEMS[1][2]),
    ]
    only_titles = '<tr><td class="mgItemNumberCell">{number}</td><td><p>{title}</p></td></tr>'
    assert _blocks(_page(only_titles))[2:] == [
        ("paragraph", 0, "101."),
        ("paragraph", 0, "Declarations of interest"),
        ("paragraph", 0, "102."),
        ("paragraph", 0, "Library opening hours"),
    ]
