"""Commitments read from minutes: what is to come back, when, and to whom."""

from __future__ import annotations

import re
from datetime import date

import pytest

from ingest.commitments import _WHEN, due_date, find_commitments
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
