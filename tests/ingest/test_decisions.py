"""Recognising resolutions and recommendations in document text."""

from __future__ import annotations

import pytest

from ingest.decisions import find_decisions
from ingest.models import Passage

CASES = [
    # (text, expected decision texts, kinds)
    ("", [], []),
    ("Members discussed the report at length.", [], []),
    (
        "RESOLVED - That the report be noted.\n\nThe next item was taken.",
        ["RESOLVED - That the report be noted."],
        ["resolution"],
    ),
    (
        "Resolved: that the minutes be approved as a correct record.",
        ["Resolved: that the minutes be approved as a correct record."],
        ["resolution"],
    ),
    (
        "RESOLVED – That:\n\n(1) the plan be approved; and\n\n(2) a report come back in March.\n\n"
        "8. Work programme",
        ["RESOLVED – That:\n\n(1) the plan be approved; and\n\n(2) a report come back in March."],
        ["resolution"],
    ),
    (
        "RESOLVED – That:\n(a) the annual report be noted and the thanks be passed to the\n"
        "children; and\n(b) a report be added to the work programme.\nThe Chair closed.",
        [
            "RESOLVED – That:\n(a) the annual report be noted and the thanks be passed to the\n"
            "children; and\n(b) a report be added to the work programme."
        ],
        ["resolution"],
    ),
    ("That the report be noted.", ["That the report be noted."], ["resolution"]),
    (
        "The Board agreed that the plan should move to impact. The Chair asked for audits.",
        ["The Board agreed that the plan should move to impact."],
        ["resolution"],
    ),
    (
        "The Board recommends that Cabinet adopts the strategy.",
        ["The Board recommends that Cabinet adopts the strategy."],
        ["recommendation"],
    ),
    (
        "2. Recommendations\n2.1 That Cabinet:\n- approves the strategy for\n2019-2022;\n"
        "- agrees to receive a report in December.\n3. Background\n3.1 The strategy was ...",
        [
            "2.1 That Cabinet:\n- approves the strategy for\n2019-2022;\n"
            "- agrees to receive a report in December."
        ],
        ["recommendation"],
    ),
    (
        "2. RECOMMENDATIONS\n2.1 That the Committee agrees the work programme.\n"
        "Work programme 2023/24\nMeeting Item",
        ["2.1 That the Committee agrees the work programme."],
        ["recommendation"],
    ),
    (
        "Recommendations\n\n2.1 That the Board notes the report.\n\n2.2 That the Board supports "
        "the priorities.\n\nThe virtual school had a good year.",
        ["2.1 That the Board notes the report.\n\n2.2 That the Board supports the priorities."],
        ["recommendation"],
    ),
    ("Inspectors had made 14 recommendations.", [], []),
    ("Contents\nRecommendations\n", [], []),
    # a bare heading over the paragraph that states the decision
    (
        "Decision:\n\nThat the Allocations Policy be approved.\n\nReasons for the decision:",
        ["That the Allocations Policy be approved."],
        ["resolution"],
    ),
    (
        "RESOLVED\n\nThat the minutes were approved as a correct record.\n\n47.",
        ["RESOLVED\n\nThat the minutes were approved as a correct record."],
        ["resolution"],
    ),
    (
        "Decision:\nThe demolition has been approved.",
        ["Decision:\nThe demolition has been approved."],
        ["resolution"],
    ),
    # the body named before RESOLVED, and an executive's own words
    (
        "Cabinet considered the report and RESOLVED to approve:\n1. The proposals.\n2. The budget.",
        [
            "Cabinet considered the report and RESOLVED to approve:\n1. The proposals.\n"
            "2. The budget."
        ],
        ["resolution"],
    ),
    (
        "Agree that up to £210k be added to the capital programme.",
        ["Agree that up to £210k be added to the capital programme."],
        ["resolution"],
    ),
    # verdicts inside a line of informal minutes
    (
        "3480. Discuss repairs: Three quotes received. After discussion the Council agreed to "
        "accept the quote of £2,150. Clerk to write.",
        ["After discussion the Council agreed to accept the quote of £2,150."],
        ["resolution"],
    ),
    (
        "2. Terms of reference\nThe terms of reference were agreed. Members agreed that children "
        "should be heard. The Chair thanked members.",
        ["The terms of reference were agreed.", "Members agreed that children should be heard."],
        ["resolution", "resolution"],
    ),
    (
        "A motion on buses was moved. The motion was CARRIED unanimously.",
        ["The motion was CARRIED unanimously."],
        ["resolution"],
    ),
    (
        "3051.Approval of minutes: Approved & signed as correct.",
        ["Approved & signed as correct."],
        ["resolution"],
    ),
    # a parish's answer to a planning consultation
    (
        "DM/2019/00679 – Furnace Farm (extension of start date).  No objections, approval "
        "recommended. DM/2019/00709 – Valley Springs.  Approval recommended.",
        ["No objections, approval recommended.", "Approval recommended."],
        ["recommendation", "recommendation"],
    ),
    # a grant panel's verdict beside an application, either way
    (
        "Vesey\n£22,720\nRejected.\nDoes not meet the criteria for the community grant fund.",
        ["Rejected."],
        ["resolution"],
    ),
    (
        "The club asked for floodlights. Not approved. Refused as it is a private club.",
        ["Not approved.", "Refused as it is a private club."],
        ["resolution", "resolution"],
    ),
    (
        "DM/2021/00213 - Yew Tree Cottage - rear extension. Approval recommended.",
        ["Approval recommended."],
        ["recommendation"],
    ),
    # a verdict wrapped over lines of PDF text
    (
        "The Chair thanked officers. Members agreed that the\nwork programme be extended. The\n"
        "meeting closed.",
        ["Members agreed that the\nwork programme be extended."],
        ["resolution"],
    ),
    ("The Committee agreed on 17 September 2024 to receive a report.", [], []),
    # an agreement reported, not made here
    ("The Cabinet had agreed on 2 June 2015 to invest £3.2 million.", [], []),
    ("The group had agreed to fund two posts. Members asked about costs.", [], []),
]


@pytest.mark.parametrize(("text", "expected", "kinds"), CASES)
def test_find_decisions(text: str, expected: list[str], kinds: list[str]) -> None:
    found = find_decisions(text)
    assert [d.text for d in found] == expected
    assert [d.kind for d in found] == kinds
    for d in found:
        assert text[d.char_start : d.char_end] == d.text


def test_decision_is_linked_to_the_passage_it_starts_in() -> None:
    text = "Item 5 Fostering\n\nRESOLVED - That the report be noted.\n"
    passages = [
        Passage("p0", "doc", 0, 0, 16, text[0:16], None),
        Passage("p1", "doc", 1, 18, len(text) - 1, text[18:-1], None),
    ]
    (decision,) = find_decisions(text, passages)
    assert decision.passage_id == "p1"
