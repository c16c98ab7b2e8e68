"""Questions about the meeting itself (stop 31): the procedural item a question asks about,
the agenda item a passage is under, and the second stage's ``procedural`` signal."""

from __future__ import annotations

import numpy as np
import pytest

from index.store import DocumentRecord, Filters, PassageRecord
from ingest.models import DocMeta
from qa_service.config import Settings
from qa_service.highlight import split_sentences
from qa_service.procedural_items import asked_item, heads_item, item_heading
from qa_service.query import QueryReader, Understanding
from qa_service.rerank import front_matter_mark, procedural_mark
from qa_service.second_stage import Candidates, Context, score_candidates


def _record(rowid: int, text: str, heading: tuple[str, ...], ordinal: int) -> PassageRecord:
    document = DocumentRecord(
        document_id="d1",
        source="minutes.txt",
        path="minutes.txt",
        content_hash="1",
        meta=DocMeta(council="Anytown Borough Council"),
        ingested_at="2026-01-01T00:00:00",
    )
    return PassageRecord(rowid, f"p{rowid}", ordinal, 0, len(text), None, heading, text, document)


@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("Who sent apologies to the meeting where the novelist was congratulated?", "apologies"),
        ("Who filled in for Councillor Kendrick when it looked at fee levels?", "apologies"),
        ("Which councillors came in as substitutes in May 2019?", "apologies"),
        ("Which member declared an interest as a school governor?", "declarations"),
        ("When had the committee last met before it looked at care fees?", "minutes"),
        ("Who seconded approval of the minutes of the October meeting?", "minutes"),
        ("Who was present at the meeting on 8 October?", "attendance"),
        ("When is the panel's next meeting?", "next meeting"),
        ("Were there any questions from members of the public?", "public questions"),
        # the business of a meeting, not the meeting itself
        ("Did councillors decide to put rough minutes online?", None),
        ("How much did the council spend on school attendance officers?", None),
        ("What interest rate does the pension fund assume?", None),
        ("When did the board last consider foster carer recruitment?", None),
    ],
)
def test_the_procedural_item_a_question_asks_about(question: str, item: str | None) -> None:
    assert asked_item(question) == item


@pytest.mark.parametrize(
    ("path", "item", "heads"),
    [
        (("2. Apologies",), "apologies", True),
        (("44. Apologies for Absence/Replacement Members",), "apologies", True),
        (
            ("Agenda and minutes", "Items", "61. Apologies for absence", "Minutes:"),
            "apologies",
            True,
        ),
        (("HB/21/2 DECLARATIONS OF INTEREST",), "declarations", True),
        (
            ("46. Minutes of the meeting held on 10 January 2018 pdf icon PDF 212 KB",),
            "minutes",
            True,
        ),
        (("79. Minutes pdf icon PDF 109 KB",), "minutes", True),
        (("3051.Approval of minutes of previous meeting:",), "minutes", True),
        (("2708. Date of next meeting:",), "next meeting", True),
        # a page's label over the whole set of minutes is no item
        (("Minutes: Read the Minutes",), "minutes", False),
        # the business item that names the meeting
        (("5. Official Announcements",), "apologies", False),
        # a school report's section, a sub-heading under the last item
        (("Virtual School Annual Report", "5. Attendance and exclusions"), "attendance", False),
        (("9. Date of next meeting", "Access"), "next meeting", False),
        ((), "apologies", False),
    ],
)
def test_the_agenda_item_a_passage_is_under(path: tuple[str, ...], item: str, heads: bool) -> None:
    assert heads_item(path, item) is heads


def test_a_label_under_an_item_is_read_as_the_item() -> None:
    assert item_heading(("Items", "2. Declarations of interest", "Minutes:")) == (
        "2. Declarations of interest"
    )
    assert item_heading(("2708. Date of next meeting:",)) == "2708. Date of next meeting:"
    assert item_heading(()) == ""


def test_the_asked_items_passage_is_marked_and_is_not_front_matter() -> None:
    approval = _record(
        1,
        "79.\n\nMinutes pdf icon PDF 109 KB\n\nRESOLVED: That the minutes of the meeting on 25 "
        "October 2022 be approved as a correct record.",
        ("79. Minutes pdf icon PDF 109 KB",),
        4,
    )
    assert procedural_mark(approval, "minutes") == 1.0
    assert procedural_mark(approval, "apologies") == 0.0
    assert procedural_mark(approval, None) == 0.0
    # the approval of the last minutes is front matter for any other question
    assert front_matter_mark(approval, False) == 1.0
    assert front_matter_mark(approval, False, "apologies") == 1.0
    assert front_matter_mark(approval, False, "minutes") == 0.0


QUESTION = "Who sent apologies to the council meeting where the novelist was congratulated?"


def _ranked(settings: Settings) -> list[int]:
    apologies = _record(
        1,
        "2.\n\nApologies\n\nApologies were reported on behalf of Councillors Armitage and Long.",
        ("2. Apologies",),
        3,
    )
    naming = _record(
        2,
        "5.\n\nOfficial Announcements\n\nThe Lord Mayor congratulated the novelist on winning "
        "the prize. The Lord Mayor welcomed the new members.",
        ("5. Official Announcements",),
        6,
    )
    records = {1: apologies, 2: naming}
    # the passage naming the meeting is the closer to the question's words, and the first
    # stage ranks it first
    spans = {rowid: split_sentences(r.text) for rowid, r in records.items()}
    sentences = {
        1: (spans[1], np.full(len(spans[1]), 0.43, dtype=np.float32)),
        2: (spans[2], np.linspace(0.3, 0.72, len(spans[2]), dtype=np.float32)),
    }
    candidates = Candidates([(2, 0.033), (1, 0.03)], records, {1: 0.4, 2: 0.7}, sentences)
    understood = Understanding(
        QUESTION,
        QUESTION,
        ("apologies", "novelist", "congratulated"),
        asks_attendance=True,
        asks_item="apologies",
    )
    context = Context(understood, Filters(), None, {}, 2)
    return [h.passage.rowid for h in score_candidates(candidates, context, settings)]


def test_the_asked_items_passage_gains_by_the_procedural_weight() -> None:
    assert _ranked(Settings(procedural_weight=0.0)) == [2, 1]
    assert _ranked(Settings()) == [1, 2]


def test_the_question_is_read_with_its_item() -> None:
    reader = QueryReader()
    understood = reader.read("Who filled in for Councillor Kendrick at the meeting?")
    assert understood.asks_item == "apologies"
    assert understood.asks_attendance
    assert reader.read("How much was spent on roads?").asks_item is None
