"""Commitments read from minutes: what is to come back, when, and to whom."""

from __future__ import annotations

import re
from datetime import date

import pytest

from ingest.commitments import _WHEN, due_date, find_commitments, printed_minutes
from ingest.models import DocMeta

MET = DocMeta(committee="Roads Panel", meeting_date="2021-11-04")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("at its meeting on 8 September 2015", date(2015, 9, 8)),
        ("by January 2016", date(2016, 1, 31)),
        ("at the May meeting", date(2022, 5, 31)),  # the next May after the meeting
        ("in the autumn", date(2021, 11, 30)),
        ("in spring 2022", date(2022, 5, 31)),
        ("in 2024", date(2024, 12, 31)),
        ("in six months' time", date(2022, 5, 4)),
        ("every quarter", date(2022, 2, 4)),
        ("an annual report", date(2022, 11, 4)),
        ("at its next meeting", None),  # resolved against the index, later
    ],
)
def test_due_date(words: str, expected: date | None) -> None:
    when = list(_WHEN.finditer(words))[-1]
    assert due_date(when, date(2021, 11, 4)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("RESOLVED - That the report be noted.", []),
        ("Members asked that the worst wards be reported to ward councillors.", []),
        # past: something already happened
        ("The strategy had been presented to Cabinet in March 2019.", []),
        ("The plan was approved in March 2021 and reported to Cabinet in April 2021.", []),
        # "may" the verb is not May the month
        ("Officers said a report may be brought to members.", []),
        (
            "RESOLVED - That:\n\n(a) the report be noted;\n\n(b) progress be reported to the "
            "Panel in six months' time; and\n\n(c) the Executive Member be asked to consider it.",
            [("(b) progress be reported to the Panel in six months' time", "2022-05-04", None)],
        ),
        (
            "A refreshed strategy would be presented to Cabinet in the autumn. Members noted it.",
            [
                (
                    "A refreshed strategy would be presented to Cabinet in the autumn.",
                    "2021-11-30",
                    "Cabinet",
                )
            ],
        ),
        (
            "RESOLVED - That the update be noted; a further report to come in January.",
            [
                (
                    "RESOLVED - That the update be noted; a further report to come in January.",
                    "2022-01-31",
                    None,
                )
            ],
        ),
        # a numbered paragraph ends the clause: its past date is not the due date
        (
            "6.3 A revised strategy will be presented to Cabinet in June 2022.\n"
            "6.4 Attendance improved after June 2021.",
            [
                (
                    "6.3 A revised strategy will be presented to Cabinet in June 2022.",
                    "2022-06-30",
                    "Cabinet",
                )
            ],
        ),
        # a time named before the verb is of something else; the body named last is the one
        (
            "Two vans would join the fleet in May 2022, and their range would be reported to "
            "Cabinet.",
            [
                (
                    "Two vans would join the fleet in May 2022, and their range would be "
                    "reported to Cabinet.",
                    None,
                    "Cabinet",
                )
            ],
        ),
        (
            "The plan was sent to the Youth Justice Board in June 2021 and will be presented "
            "to Full Council on 12 January 2022.",
            [
                (
                    "The plan was sent to the Youth Justice Board in June 2021 and will be "
                    "presented to Full Council on 12 January 2022.",
                    "2022-01-12",
                    "Full Council",
                )
            ],
        ),
        # other ways of saying it comes back
        (
            "(5) asks the Cabinet to bring forward an action plan within six months.",
            [
                (
                    "(5) asks the Cabinet to bring forward an action plan within six months.",
                    "2022-05-04",
                    "Cabinet",
                )
            ],
        ),
        (
            "RESOLVED - That each partner reports to the Board in March 2022.",
            [
                (
                    "RESOLVED - That each partner reports to the Board in March 2022.",
                    "2022-03-31",
                    None,
                )
            ],
        ),
        (
            "(b) a report on school places be added to the work programme.",
            [("(b) a report on school places be added to the work programme.", None, None)],
        ),
        (
            "A further report will come back to Finance & General Purposes Committee.",
            [
                (
                    "A further report will come back to Finance & General Purposes Committee.",
                    None,
                    "Finance & General Purposes Committee",
                )
            ],
        ),
    ],
)
def test_find_commitments(text: str, expected: list[tuple[str, str | None, str | None]]) -> None:
    found = find_commitments(text, meta=MET)
    assert [(c.text, c.due, c.expecting) for c in found] == expected
    for c in found:
        assert text[c.char_start : c.char_end] == c.text


def test_next_meeting_takes_the_date_the_paper_gives() -> None:
    text = (
        "Action: Director to circulate a revised plan before the next meeting.\n\n"
        "Date of next meeting: Tuesday 26 April 2022"
    )
    (c,) = find_commitments(text, meta=DocMeta(meeting_date="2022-03-15"))
    assert (c.due, c.next_meeting) == ("2022-04-26", False)
    (c,) = find_commitments(text.split("\n\n")[0], meta=DocMeta(meeting_date="2022-03-15"))
    assert (c.due, c.next_meeting) == (None, True)  # left for the index to resolve
    assert re.search("next meeting", c.due_text or "")


PACK = """Agenda Item 3
ROADS PANEL
Minutes of the meeting held on Tuesday 17 September 2024 at 10.00 am.
12. POTHOLES
RESOLVED - That:
(1) the Panel receives a report on pothole repair times at its next meeting; and
(2) a report on the gully cleaning contract be considered at the February meeting.
13. MINUTES
RESOLVED - That the minutes of the meeting held on 16 July 2024 be approved.
Agenda Item 5
Pothole repair times
5.1 A report on the road safety plan will be presented to the Panel in March 2025.

Date of next meeting: Tuesday 21 January 2025
"""


def test_a_request_in_printed_minutes_is_read_against_their_meeting() -> None:
    """An agenda pack prints the previous meeting's minutes: a request there was made at
    that meeting ("the February meeting" after September 2024, "its next meeting" that
    meeting's next, not the pack's stated one); a report of the pack is read against the
    pack's own date."""
    found = find_commitments(PACK, meta=DocMeta(meeting_date="2024-11-19"))
    got = {c.text.split(" at ")[0].split(" in ")[0]: (c.due, c.next_meeting) for c in found}
    assert got == {
        "(1) the Panel receives a report on pothole repair times": (None, True),
        "(2) a report on the gully cleaning contract be considered": ("2025-02-28", False),
        "5.1 A report on the road safety plan will be presented to the Panel": (
            "2025-03-31",
            False,
        ),
    }


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ("(1) the Panel receives", (date(2024, 9, 17), "3")),
        ("the minutes of the meeting held on 16 July", (date(2024, 9, 17), "3")),
        ("5.1 A report", None),  # a later item of the pack: its own
    ],
)
def test_printed_minutes(marker: str, expected: tuple[date, str] | None) -> None:
    assert printed_minutes(PACK, PACK.index(marker), date(2024, 11, 19)) == expected
    # minutes of the paper's own meeting are not printed minutes of an earlier one
    assert printed_minutes(PACK, PACK.index(marker), date(2024, 9, 17)) is None


def test_a_meeting_pages_minutes_to_approve_are_not_printed_minutes() -> None:
    page = (
        "Minutes of the meeting held on 15 September 2020\n"
        "RESOLVED - That the minutes of the meeting held on 15 September 2020 be approved.\n"
        "48/20 Climate Change Strategy\n"
        "(3) progress be reported annually to the Select Committee.\n"
    )
    assert printed_minutes(page, page.index("(3)"), date(2020, 10, 20)) is None
    (c,) = find_commitments(page, meta=DocMeta(meeting_date="2020-10-20"))
    assert c.due == "2021-10-20"  # a year after this meeting, not after September's


def test_a_named_time_wins_over_how_often() -> None:
    text = (
        "Members asked that the annual report on elective home education be considered at the "
        "February meeting, together with the annual report on children missing from care."
    )
    (c,) = find_commitments(text, meta=DocMeta(meeting_date="2024-11-26"))
    assert c.due == "2025-02-28"  # February, not a year after the meeting
