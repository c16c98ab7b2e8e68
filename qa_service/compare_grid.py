"""Compare as a grid: one row per council, its best answering sentence first.

Each row gives the council's best sentence, where it comes from (meeting date, committee,
paper, page), the answer state and a link to the sentence in the viewer.  The rows are what
the compare page shows and what it exports as CSV or JSON (``?format=grid-csv|grid-json``);
the page lays them out side by side, a column per council, when there are few of them
(``layout``).
The answer state has the contract's names (``answered`` | ``weak`` | ``none``, as
``POST /api/compare`` sends them), so a download and the API agree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from pydantic import BaseModel, Field

from qa_service.answer_card import quoted
from qa_service.export import safe_cell
from qa_service.schemas.asking import AnswerState, CompareResponse, CouncilColumn
from qa_service.schemas.filters import notes_field
from qa_service.web_views import cited_page, sentence_link, source_page_link

# The grid page shows a row's sentence up to this many characters (templates/compare.html),
# so a highlight longer than that is quoted by its core answer (``answer_card.quoted``).
ROW_SENTENCE_CHARS = 170

# The compare page's layouts, as its ``layout`` parameter names them and its form labels them.
LAYOUTS = {
    "auto": "Side by side for up to 3 councils, else a row each",
    "columns": "Side by side, a column per council (3 to a line)",
    "rows": "A row per council",
}
# Up to this many councils are shown side by side unless a row each is asked for (and
# side by side puts this many to a line).  The page is 1,200 px wide at 1280x800, so three
# columns are 380 px: about 45 characters of the sentence a line, within the 45-75 that
# read best, and a council's name ("Rotherham Metropolitan Borough Council") on one line;
# the three best sentences, their states and names sit on the first screen under the form.
# Four columns would be 277 px, about 33 characters a line, and a passage unfolded in one
# narrower still.
MOST_COLUMNS = 3


def layout(asked: str, councils: int) -> str:
    """``columns`` or ``rows``: as ``asked``, else columns for up to ``MOST_COLUMNS``."""
    if asked in {"columns", "rows"}:
        return asked
    return "columns" if councils <= MOST_COLUMNS else "rows"


class GridRow(BaseModel):
    """One council's row of the comparison."""

    council: str
    answer_state: AnswerState = Field(description="answered, weak or none (as the API's)")
    sentence: str = Field(description="the council's best answering sentence ('' if none)")
    meeting_date: str | None = None
    committee: str | None = None
    title: str | None = None
    page: int | None = Field(default=None, description="the PDF page of the sentence")
    document_id: str | None = None
    passage_id: str | None = None
    link: str | None = Field(default=None, description="the sentence in the viewer")
    source_url: str | None = Field(default=None, description="the original paper, at the page")
    passages: int = Field(description="how many passages the council's answer has")
    note: str | None = Field(
        default=None, description="why a row is empty (a council no paper has)"
    )


class Grid(BaseModel):
    """The comparison as rows, best-answering council first."""

    question: str
    rows: list[GridRow]
    notes: list[str] = notes_field(
        "a committee or type asked for that no paper holds (as the API's notes)"
    )


def grid_row(
    column: CouncilColumn, base_url: str = "", back: str = "", notes: Sequence[str] = ()
) -> GridRow:
    """A compare column as a grid row; ``base_url`` makes the link absolute (for exports).

    An empty row's ``note`` says why: its council's note, else the comparison's ``notes`` (a
    committee or type no paper holds empties every row).
    """
    state = column.answer_state
    if not column.passages:
        note = column.note or " ".join(notes) or None
        return GridRow(
            council=column.council, answer_state=state, sentence="", passages=0, note=note
        )
    top = column.passages[0]
    c = top.citation
    return GridRow(
        council=column.council,
        answer_state=state,
        sentence=quoted(top, ROW_SENTENCE_CHARS),
        meeting_date=c.meeting_date,
        committee=c.committee,
        title=c.title or c.source,
        page=cited_page(c),  # the sentence's page, as the row quotes the sentence
        document_id=c.document_id,
        passage_id=top.passage_id,
        link=base_url.rstrip("/") + sentence_link(top, back),
        source_url=source_page_link(c.url, cited_page(c)),
        passages=len(column.passages),
    )


def grid(response: CompareResponse, base_url: str = "") -> Grid:
    """Every council's row, in the comparison's order."""
    return Grid(
        question=response.question,
        rows=[grid_row(column, base_url, notes=response.notes) for column in response.councils],
        notes=response.notes,
    )


COLUMNS = (
    "question",
    "council",
    "answer_state",
    "sentence",
    "meeting_date",
    "committee",
    "title",
    "page",
    "link",
    "source_url",
    "document_id",
    "passage_id",
    "note",
)


def grid_csv(table: Grid) -> str:
    """The rows as CSV for a spreadsheet: a UTF-8 BOM (Excel then reads "£"), one row each."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in table.rows:
        cells = {"question": table.question, **row.model_dump()}
        writer.writerow({k: safe_cell(cells.get(k)) for k in COLUMNS})
    return out.getvalue()
