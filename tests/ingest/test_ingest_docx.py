"""Word files: automatic list numbers, headings and tables."""

from __future__ import annotations

import io

import docx

from ingest.loaders_docx import load_docx


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Annual Report", style="Title")
    document.add_paragraph("Purpose", style="List Number")
    document.add_paragraph("Background", style="List Number")
    document.add_paragraph("Attendance rose to 94.6% this year.", style="Normal")
    document.add_paragraph("A bulleted point", style="List Bullet")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "Measure"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Value"
    table.cell(1, 0).text = "Attendance"
    table.cell(1, 1).text = "94.6%"
    table.cell(1, 2).text = "93.9%"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_word_numbering_labels_headings_and_tables() -> None:
    extracted = load_docx(_docx_bytes(), "r.docx")
    parts = extracted.text.split("\n\n")
    assert parts == [
        "Annual Report",
        "1. Purpose",
        "2. Background",
        "Attendance rose to 94.6% this year.",
        "• A bulleted point",
        "Measure | Value",
        "Attendance | 94.6% | 93.9%",
    ]
    kinds = [b.kind for b in extracted.blocks or []]
    assert kinds == [
        "heading",
        "heading",
        "heading",
        "paragraph",
        "list_item",
        "table_row",
        "table_row",
    ]
    assert extracted.title_hint == "Annual Report"
    for block, part in zip(extracted.blocks or [], parts, strict=True):
        assert extracted.text[block.start : block.end] == part


def test_typed_numbers_are_kept(ingested: dict) -> None:
    doc = ingested["oakhaven-overview-scrutiny-panel-2020-07-14-supervision-assurance-report.docx"]
    assert "1.\tPurpose of the report" in doc.text
    assert any(p.heading_path[-1:] == ("1. Purpose of the report",) for p in doc.passages)
