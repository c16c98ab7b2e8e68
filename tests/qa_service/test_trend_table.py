"""Reading a trend's figure from a table row: the header's current column."""

from __future__ import annotations

import pytest

from qa_service.trend_table import columns, down_columns, rows

TABLE = (
    "Table 1: Key performance measures - Quarter 3 2022/23\n"
    "Measure Q3 2021/22 Q3 2022/23 Target Mar 2023 England 2021/22\n"
    "Re-referrals within 12 months 29.3% 22.8% 22% 21.5%\n"
    "Assessments completed within 45\n"
    "working days 63% 74% 85% 84%\n"
    "Children looked after per 10,000 93 97 - 70\n"
    "Supervision within timescale 54% - 90% -"
)


def _read(text: str) -> dict[str, float | None]:
    return {
        " ".join(text[r.start : r.cell.start if r.cell else r.end].split()): (
            r.cell.value if r.cell else None
        )
        for r in rows(text)
    }


def test_a_row_states_the_header_s_current_column() -> None:
    assert _read(TABLE) == {
        "Re-referrals within 12 months 29.3%": 22.8,
        # a name that runs onto a second line starts on the line before
        "Assessments completed within 45 working days 63%": 74.0,
        # a number of the name ("per 10,000") is not a cell
        "Children looked after per 10,000 93": 97.0,
        # an empty current cell states nothing
        "Supervision within timescale 54% - 90% -": None,
    }


def test_the_cell_s_offsets_and_unit() -> None:
    row = next(r for r in rows(TABLE) if "Re-referrals" in TABLE[r.start : r.end])
    assert row.cell is not None
    assert TABLE[row.cell.start : row.cell.end] == "22.8%" and row.cell.unit == "%"


@pytest.mark.parametrize(
    ("line", "labels"),
    [
        (
            "Measure Q3 2021/22 Q3 2022/23 Target Mar 2023",
            ["Measure Q3 2021/22", "Q3 2022/23", "Target Mar 2023"],
        ),
        ("Measure 2020/21 2021/22 2022/23", ["Measure 2020/21", "2021/22", "2022/23"]),
        ("Supervision within timescale 54% 78% 90% -", []),  # a row
        ("The plan runs from 2019 to 2022 and beyond", []),  # prose: words after the last year
        ("In 2023", []),  # one year is not a header
        ("Table 2: Early help performance, 2020/21 to 2022/23", []),  # a title
    ],
)
def test_header_columns(line: str, labels: list[str]) -> None:
    assert columns(line) == labels


def test_without_a_header_no_row_is_read() -> None:
    # a table split across passages: which column is current is unknown
    assert rows("Supervision within timescale 86% 89% 88% 90% -\nAudits 66% 70% 71% 70% -") == ()


def test_the_last_column_that_is_not_a_target_or_comparison() -> None:
    text = "Measure 2022/23 2023/24 Target 2024/25 England 2023/24\nReviews on time 91% 94% 95% 88%"
    assert _read(text) == {"Reviews on time 91%": 94.0}


BARS = (
    "Measure | Ravensholt 2018 | Ravensholt 2019 | Children in care, England 2018 | Comment\n"
    "\n"
    "Key Stage 1: expected standard in reading | 47% | 52% | 52% | Small cohort of 23 pupils.\n"
    "\n"
    "Key Stage 2: expected standard | 33% | 41% | 35% | Cohort of 39 pupils, of whom 16 met it.\n"
    "Key Stage 4: average Progress 8 score | -1.21 | -0.98 | -1.20 | Only for some pupils.\n"
    "The Virtual School reviews every plan.\n"
    "Team | 164 | 402"
)


def test_a_table_written_with_bars_states_its_current_column() -> None:
    """A Word or HTML table's row is read at its header's last dated column that is not a
    comparison ("Ravensholt 2019", not "England 2018"), whatever the comment after it; a
    cell that is not one number states nothing, and prose ends the table."""
    read = [(BARS[r.start : r.start + 11], r.cell.value if r.cell else None) for r in rows(BARS)]
    assert read == [("Key Stage 1", 52.0), ("Key Stage 2", 41.0), ("Key Stage 4", None)]


def test_a_table_of_places_states_the_council_s_column_of_each_row_s_period() -> None:
    """A header whose columns are the council and England, each row's period a cell of its
    own: the council's column is read, and a row stating no period is not a row of it."""
    text = (
        "Table 1: Smoking indicators, Sellbridge and England\n"
        "Indicator Period Sellbridge England\n"
        "Adults who smoke 2023 11.2% 11.9%\n"
        "Quit dates set with stop smoking services 2023/24 3,420 -\n"
        "Quit at four weeks (of those setting a date) 2023/24 57% 53%\n"
        "Smokers referred by GPs 412 380"
    )
    assert _read(text) == {
        "Adults who smoke 2023": 11.2,
        "Quit dates set with stop smoking services 2023/24": 3420.0,
        "Quit at four weeks (of those setting a date) 2023/24": 57.0,
    }
    # without a comparison column it is no such header (a list's heading, "Name Year Ward Town")
    assert rows("Name Year Ward Town\nAdults who smoke 2023 11.2% 11.9%") == ()


def test_a_scorecard_with_a_target_and_a_rating_after_its_columns() -> None:
    # "… Q3 2023/24 Target RAG": the current column is the last dated one, and a row's
    # rating ("Red") is a cell of its own
    text = (
        "Indicator Q3 2022/23 Q2 2023/24 Q3 2023/24 Target RAG\n"
        "Adults with learning disabilities in paid work 4.1% 4.6% 4.8% 6% Red\n"
        "EHC plans maintained 2,870 3,188 3,301 - -\n"
    )
    found = rows(text)
    assert [(r.cell.value, r.cell.unit) for r in found if r.cell] == [(4.8, "%"), (3301.0, "count")]
    assert text[found[0].start : found[0].end].startswith("Adults with learning")


DOWN = (
    "4.3 Reviews of people in residential care are being prioritised.\n"
    "Table 1: People waiting for a Care Act assessment, by month\n"
    "Month end Waiting Median wait (weeks) Waiting over 6 months\n"
    "March 2024 1,768 13 188\n"
    "September 2024 1,612 11 141\n"
    "June 2024 1,871 14 203\n"
    "5. Home care and care homes"
)


def test_a_table_with_its_periods_down_the_rows_reads_its_latest_row() -> None:
    """Its header's columns label the latest dated row's cells; the rows before are history."""
    (row,) = rows(DOWN)
    assert DOWN[row.start : row.end] == "September 2024 1,612 11 141"
    assert [(label, f.value if f else None) for label, f in row.labelled] == [
        ("Waiting", 1612.0),
        ("Median wait (weeks)", 11.0),
        ("Waiting over 6 months", 141.0),
    ]
    # read with its caption and header, the subject of a row whose name is a date
    assert row.title.startswith("Table 1: People waiting") and "Waiting over 6" in row.title


def test_a_header_down_the_rows_needs_a_column_per_cell() -> None:
    assert down_columns("Month end Waiting Median wait (weeks) Waiting over 6 months") == [
        "Waiting",
        "Median wait (weeks)",
        "Waiting over 6 months",
    ]
    assert down_columns("Month end figures were published late.") == []
    # a row with another number of cells than the header has columns is not read
    assert rows(DOWN.replace("1,612 11 141", "1,612 11")) and all(
        "September" not in DOWN[r.start : r.end]
        for r in rows(DOWN.replace("1,612 11 141", "1,612 11"))
    )
