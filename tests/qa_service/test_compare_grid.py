"""Compare rows: one per council, best sentence first; CSV with a BOM and no live formulas."""

from __future__ import annotations

import csv
import io

from qa_service.compare_grid import Grid, grid, grid_csv, grid_row
from qa_service.schemas.asking import CompareResponse, CouncilColumn
from qa_service.schemas.passages import Citation, Highlight, PassageOut


def _column(council: str, text: str, answered: bool = True) -> CouncilColumn:
    passage = PassageOut(
        rank=1,
        passage_id="p1",
        score=1.0,
        text=text,
        confidence=1.0,
        highlights=[Highlight(start=0, end=text.index(".") + 1)],
        citation=Citation(
            document_id="d1",
            source="a.pdf",
            title=None,
            council=council,
            committee="Cabinet",
            meeting_date="2021-03-16",
            doc_type=None,
            url="https://example.org/a.pdf#x",
            page=3,
            char_start=40,
            char_end=40 + len(text),
        ),
    )
    return CouncilColumn(council=council, answered=answered, passages=[passage])


def test_a_row_holds_the_best_sentence_its_meeting_state_and_links() -> None:
    row = grid_row(
        _column("Wirral Council", "Spend was £2m. Then more."), "http://h/", "/compare?q=x"
    )
    assert row.sentence == "Spend was £2m." and row.answer_state == "answered"
    assert row.meeting_date == "2021-03-16" and row.title == "a.pdf" and row.passages == 1
    assert row.link is not None and row.link.startswith("http://h/documents/d1?passage=p1")
    assert "sentence=40-54" in row.link and row.link.endswith("#cited-sentence")
    assert row.source_url == "https://example.org/a.pdf#page=3"
    empty = grid_row(CouncilColumn(council="Nowhere", answered=False, passages=[]))
    assert empty.sentence == "" and empty.answer_state == "none" and empty.link is None


def test_the_csv_has_a_bom_the_question_and_neutralised_formulas() -> None:
    table = grid(
        CompareResponse(
            question="=HYPERLINK(1)",
            councils=[_column("A", "=SUM(1). Rest."), _column("B", "Fine.", False)],
        )
    )
    text = grid_csv(table)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["council"] for r in rows] == ["A", "B"]
    assert rows[0]["question"] == "'=HYPERLINK(1)" and rows[0]["sentence"] == "'=SUM(1)."
    assert rows[1]["answer_state"] == "none"  # the contract's name, as /api/compare
    assert isinstance(table, Grid)


def test_a_weak_column_is_weak_in_the_rows_as_in_the_api() -> None:
    # shared/INTERFACE.md: "answered" | "weak" | "none", never the pages' longer names
    weak = _column("A", "Near. Rest.", False).model_copy(update={"answer_state": "weak"})
    assert grid_row(weak).answer_state == "weak"
    assert grid_row(_column("B", "Yes. Rest.")).answer_state == "answered"
    schema = Grid.model_json_schema()["$defs"]["GridRow"]["properties"]["answer_state"]
    assert schema["enum"] == ["answered", "weak", "none"]


def test_a_row_cites_the_page_of_its_sentence() -> None:
    column = _column("A", "Foot. Next page.")
    top = column.passages[0]
    cited = top.citation.model_copy(update={"page": 3, "highlight_page": 4})
    column.passages[0] = top.model_copy(update={"citation": cited})
    row = grid_row(column)
    assert row.page == 4 and row.source_url == "https://example.org/a.pdf#page=4"


def test_an_empty_row_says_why_in_the_downloads_as_the_page_does() -> None:
    # a type no paper holds emptied every row: the page said so, the downloads did not
    why = "No paper in the index has the type \u201cmemo\u201d (it has: minutes)."
    response = CompareResponse(
        question="q",
        councils=[
            _column("Wirral Council", "Spend was £2m."),
            CouncilColumn(council="Exeter City Council", answered=False, passages=[]),
            CouncilColumn(
                council="Nowhere", answered=False, passages=[], note="No paper has “Nowhere”."
            ),
        ],
        notes=[why],
    )
    table = grid(response)
    assert table.notes == [why]
    assert [r.note for r in table.rows] == [None, why, "No paper has “Nowhere”."]
    rows = list(csv.DictReader(io.StringIO(grid_csv(table).lstrip("\ufeff"))))
    assert rows[1]["note"] == why


def test_a_highlight_too_long_for_the_row_is_quoted_by_its_core_answer() -> None:
    # the display's neighbour margin shows the sentence before the answer too; a row quotes
    # up to 170 characters, so a longer highlight is quoted by the answer it holds
    before = "The report sets out " + "the service's work with partners, " * 4 + "in detail."
    core = "Spend was £2m."
    text = f"{before} {core} Then more."
    column = _column("Wirral Council", text)
    top = column.passages[0]
    start = text.index(core)
    top.highlights = [Highlight(start=0, end=start + len(core))]
    top.core = [Highlight(start=start, end=start + len(core))]
    assert grid_row(column).sentence == core
    top.highlights = top.core  # a highlight that fits is quoted whole
    assert grid_row(column).sentence == core
    short = _column("Wirral Council", f"Spend rose. {core}")
    short.passages[0].highlights = [Highlight(start=0, end=len(f"Spend rose. {core}"))]
    short.passages[0].core = [Highlight(start=12, end=12 + len(core))]
    assert grid_row(short).sentence == f"Spend rose. {core}"
