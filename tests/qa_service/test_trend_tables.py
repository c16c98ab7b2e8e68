"""The trend reader's tables, stop 31: a table's rows read with the header the passage before
ends with (ingest cuts a table's rows apart from prose), cells with a sign or a pound sign, a
header of words labelling each cell, a change column after dated ones, the asked unit's cells
chosen among, a span through a table's rows stating none of their cells, and a row stating
its current cell alone. Each test checks the reading with its rule off too."""

from __future__ import annotations

from types import SimpleNamespace

from index.documents import DocMeta, DocumentRecord
from index.passages import PassageRecord
from qa_service import trend
from qa_service.answers import Hit
from qa_service.trend import select, with_header
from qa_service.trend_sentence import Asked, _column, _stated
from qa_service.trend_table import columns, header_before, label_columns, rows, rows_after
from tests.switches import off

PROSE = (
    "3.4 The table below shows where looked after children were living at 31 December 2018. "
    "Table 1: Placement mix of looked after children at 31 December 2018\n"
    "Placement type Number of children Percentage"
)
ROWS = (
    "In-house foster care (including family and friends carers) 271 58%\n"
    "Placed with parents 23 5%\n"
    "Placed for adoption 10 2%\n"
    "Total 468 100%"
)


def _document() -> DocumentRecord:
    meta = DocMeta(council="Northmoor County Council", meeting_date="2019-02-26")
    return DocumentRecord("doc", "report.pdf", "report.pdf", "h", meta, "now")


def _passages() -> tuple[PassageRecord, PassageRecord]:
    """A paper's prose passage ending with a table's caption and header, and the table's rows
    cut into the next passage (the offsets ingest gives: one newline between them)."""
    document = _document()
    before = PassageRecord(1, "a", 3, 100, 100 + len(PROSE), None, (), PROSE, document)
    start = before.char_end + 1
    table = PassageRecord(
        2, "b", 4, start, start + len(ROWS), None, (), ROWS, document, is_table=True
    )
    return before, table


def test_a_table_s_rows_are_read_with_the_header_the_passage_before_ends_with() -> None:
    before, table = _passages()
    assert rows(table.text) == ()  # no header above the rows: none is read
    widened = header_before(before, table)
    assert widened.text.startswith("Table 1: Placement mix of looked after children")
    assert widened.text.endswith(ROWS)
    # the offsets stay the paper's: the widened text is the paper's text from the caption
    assert widened.char_start == before.char_start + PROSE.index("Table 1:")
    read = {widened.text[r.start : r.end]: r.labelled for r in rows(widened.text)}
    [(label, cell), _] = read["Placed for adoption 10 2%"]
    assert (label, cell.value if cell else None) == ("Number of children", 10.0)
    # a passage before that ends with prose gives no header: the passage is left as it is
    prose = PassageRecord(1, "a", 3, 100, 130, None, (), "Some prose.\nMore prose.", _document())
    assert header_before(prose, table) is table


def test_a_passage_ending_with_a_table_s_header_is_read_with_the_rows_after_it() -> None:
    before, table = _passages()
    widened = rows_after(before, table)
    assert widened.text.startswith(PROSE[:40]) and widened.text.endswith(ROWS)
    assert (widened.char_start, widened.char_end) == (before.char_start, table.char_end)
    titles = {r.title for r in rows(widened.text)}
    assert titles == {"Table 1: Placement mix of looked after children at 31 December 2018"}
    engine = SimpleNamespace(store=_Store(table))
    hit = Hit(passage=before, score=1.0, dense=0.5)
    [point] = select(
        [with_header(engine, hit)], Asked.of("looked after children placed with parents")
    )  # type: ignore[arg-type]
    assert (point.figure.value, point.figure.unit) == (23.0, "count")
    with off("trend", "ROWS_AFTER"):
        assert with_header(engine, hit) is hit  # type: ignore[arg-type]


class _Store:
    """A store holding the passage next to the hit's in its paper, as ``trend.with_header``
    reads it (``Store.passage_at``)."""

    def __init__(self, other: PassageRecord) -> None:
        self.other = other

    def passage_at(self, document_id: str, ordinal: int) -> PassageRecord | None:
        wanted = (self.other.document.document_id, self.other.ordinal)
        return self.other if (document_id, ordinal) == wanted else None


def test_a_hit_on_a_table_s_rows_gives_the_row_s_cell_under_the_header_before() -> None:
    before, table = _passages()
    engine = SimpleNamespace(store=_Store(before))
    hit = Hit(passage=table, score=1.0, dense=0.5)
    widened = with_header(engine, hit)  # type: ignore[arg-type]
    assert widened.passage.text.endswith(ROWS)
    [point] = select([widened], Asked.of("looked after children placed for adoption"))
    assert (point.figure.value, point.figure.unit) == (10.0, "count")
    with off("trend", "HEADER_BEFORE"):
        assert with_header(engine, hit) is hit  # type: ignore[arg-type]
    assert trend.HEADER_BEFORE


DOWN = (
    "Table 2: Foster carer recruitment 2015/16 to 2017/18\n"
    "Year Enquiries Assessments started Households approved Households leaving Net change\n"
    "2016/17 321 44 22 23 -1\n"
    "2017/18 352 41 21 29 -8"
)
CLAIMS = (
    "Year Potholes repaired Claims received Claims paid\n"
    "2019/20 44,870 1,240 £298,000\n"
    "2020/21 52,410 1,120 £261,000"
)


def test_a_cell_may_carry_its_sign_or_its_pound_sign() -> None:
    [row] = rows(DOWN)
    assert [(label, f.value if f else None) for label, f in row.labelled][-1] == ("Net change", -8)
    [row] = rows(CLAIMS)
    paid = dict(row.labelled)["Claims paid"]
    assert paid is not None and (paid.value, paid.unit) == (261000.0, "£")
    with off("trend_table", "SIGNED_CELLS"):
        assert rows(DOWN) == ()
        assert rows(CLAIMS) == ()


def test_a_header_of_words_labels_each_cell() -> None:
    line = "Placement type Number of children Percentage"
    assert label_columns(line) == ["Placement type", "Number of children", "Percentage"]
    assert label_columns("Table 1: Placement mix, 2018") == []  # a figure or a stop: no header
    text = f"{line}\n{ROWS}"
    assert len(rows(text)) == 4
    # a title of capitalised words with no row under it is no header
    assert rows("Early Help Strategy Update\nThe strategy was agreed in 2019.") == ()
    with off("trend_table", "LABEL_COLUMNS"):
        assert rows(text) == ()


FEES = (
    "Service 2023/24 2024/25 Change\n"
    "Garden waste collection (per bin per year) £42.00 £45.00 7.1%\n"
    "Bulky waste collection (up to 3 items) £28.00 £30.00 7.1%"
)


def test_a_change_column_after_the_dated_ones_is_no_current_value() -> None:
    assert columns("Service 2023/24 2024/25 Change") == ["Service 2023/24", "2024/25", "Change"]
    cells = [r.cell.value for r in rows(FEES) if r.cell]
    assert cells == [45.0, 30.0]
    with off("trend_table", "CHANGE_COLUMNS"):
        assert columns("Service 2023/24 2024/25 Change") == []


def test_a_row_states_its_current_cell_alone() -> None:
    [garden, _] = rows(FEES)
    asked = Asked.of("annual charge for the garden waste collection")
    assert [f.value for f in _stated(FEES, garden.start, garden.end, asked)] == [45.0]
    with off("trend_sentence", "CELL_FIRST"):
        assert [f.value for f in _stated(FEES, garden.start, garden.end, asked)] == [42.0, 45.0]


def test_of_cells_in_several_units_the_asked_one_s_are_chosen_among() -> None:
    text = f"Placement type Number of children Percentage\n{ROWS}"
    row = next(r for r in rows(text) if text[r.start : r.end].startswith("Placed with parents"))
    share = _column(row, Asked.of("share of looked after children placed with parents"))
    assert share is not None and (share.value, share.unit) == (5.0, "%")
    with off("trend_sentence", "UNIT_COLUMNS"):  # the label naming most: "Number of children"
        share = _column(row, Asked.of("share of looked after children placed with parents"))
        assert share is not None and share.unit == "count"


def test_a_span_through_a_table_s_rows_states_none_of_their_cells() -> None:
    text = f"Table 1: Placement mix\nPlacement type Number of children Percentage\n{ROWS}"
    asked = Asked.of("looked after children placed for adoption")
    assert _stated(text, 0, len(text), asked) == []
    with off("trend_sentence", "ROWS_OWN_CELLS"):
        assert _stated(text, 0, len(text), asked) != []
