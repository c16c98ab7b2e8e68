"""An agenda's table of contents is one passage, not a heading a line (``ingest.contents``)."""

from __future__ import annotations

import pytest

from ingest.chunker import chunk
from ingest.contents import contents_runs
from ingest.structure import find_blocks

_COVER = (
    "Borough Council\n"
    "A meeting of the Audit Committee will be held:\n"
    "Date: 22 October 2009\n"
    "Time: 19:15\n"
    "Venue: Committee Room B, Civic Centre, London Road\n"
    "This is a public meeting and attendance by the public is encouraged and\n"
    "welcomed.  For more information about the agenda and the decision making\n"
    "process contact the democratic services team by telephone or by e-mail.\n"
    "22 October 2009\n"  # the head of the contents' page
)
_CONTENTS = (
    "1.  Declarations of interest 1\n"
    "2.  Apologies for absence\n"
    "3.  Minutes of the meeting held on 24 September 2009 and notes of\n"
    "the joint session with the General Purposes Committee held on 24\n"
    "September 2009\n"
    "3\n"
    "4.  Annual complaints report 9\n"
    "5.  Internal audit progress report 23\n"
    "6.  Managing the risk of fraud 53\n"
    "7.  Final Accounts Memorandum 2008/09 155\n"
    "8.  Work programme 169\n"
)


def test_a_table_of_contents_is_one_passage_after_the_cover() -> None:
    text = _COVER + _CONTENTS + "It is anticipated that there will be further reports.\n"
    blocks = find_blocks(text, wrapped=True)
    # each numbered line was a heading of its own before
    assert not any(b.kind == "heading" and b.start >= len(_COVER) for b in blocks)
    passages = chunk(text, blocks, "doc", min_words=60, max_words=275)
    listing = [p for p in passages if "4.  Annual complaints report 9" in p.text]
    assert len(listing) == 1
    body = listing[0].text
    # the whole list under its caption, its wrapped entry and the text after it, and not
    # the cover
    assert body.startswith("22 October 2009\n1.  Declarations of interest 1")
    assert "8.  Work programme 169" in body and "further reports" in body
    assert "Venue" not in body
    assert passages[0].text.startswith("Borough Council") and "Venue" in passages[0].text


def test_a_heading_above_a_contents_stays_a_heading() -> None:
    text = "AGENDA OF THE MEETING\n\n" + _CONTENTS
    blocks = find_blocks(text, wrapped=True)
    assert [b.kind for b in blocks] == ["heading", "contents"]
    passages = chunk(text, blocks, "doc", min_words=10, max_words=275)
    assert passages[0].heading_path == ("AGENDA OF THE MEETING",)


def test_dotted_leaders_and_an_entry_without_a_page() -> None:
    lines = [
        "1. Welcome ........ 1",
        "2. Apologies",
        "3. Budget monitoring ........ 5",
        "4. Housing strategy ........ 12",
    ]
    assert contents_runs(lines) == [(0, 3)]


@pytest.mark.parametrize(
    "lines",
    [
        # a report's numbered sections: no page numbers
        ["1. Purpose of the report", "2. Background", "3. Options", "4. Recommendations"],
        # years are not pages
        ["1. Review published 2019", "2. Consultation 2020", "3. Adoption 2021"],
        # page numbers that fall are not a contents
        ["1. Welcome 9", "2. Minutes 3", "3. Budget 2", "4. Housing 1"],
        # numbers that do not rise one at a time
        ["1. Welcome 1", "3. Minutes 3", "7. Budget 5", "9. Housing 9"],
        # only two entries with a page
        ["1. Welcome 1", "2. Apologies", "3. Minutes", "4. Housing 9"],
    ],
)
def test_numbered_lines_that_are_not_a_contents(lines: list[str]) -> None:
    assert contents_runs(lines) == []
