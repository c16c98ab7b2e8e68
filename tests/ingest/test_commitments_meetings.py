"""Commitments a parish council's or a committee's minutes make without a report verb: a matter
put to a later meeting, put off, or a body to be kept informed; and what only looks like one."""

from __future__ import annotations

import pytest

from ingest.commitments import find_commitments
from ingest.models import DocMeta

MET = DocMeta(committee="Roads Panel", meeting_date="2021-11-04")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a later meeting named as where the business goes
        ("Re-agenda for December.", [("Re-agenda for December.", "2021-12-31", None)]),
        (
            "Formal request for April meeting.",
            [("Formal request for April meeting.", "2022-04-30", None)],
        ),
        (
            "Clerk to invite two members to attend a future council meeting (hopefully April).",
            [
                (
                    "Clerk to invite two members to attend a future council meeting (hopefully "
                    "April).",
                    "2022-04-30",
                    None,
                )
            ],
        ),
        (
            "Board to hear directly from foster carers at its meeting in July 2022.",
            [
                (
                    "Board to hear directly from foster carers at its meeting in July 2022.",
                    "2022-07-31",
                    None,
                )
            ],
        ),
        (
            "(2) requests the Director to present a recovery plan to the December meeting of "
            "Cabinet; and",
            [
                (
                    "(2) requests the Director to present a recovery plan to the December "
                    "meeting of Cabinet",
                    "2021-12-31",
                    "Cabinet",
                )
            ],
        ),
        (
            "It was agreed to monitor the bins and discuss at next month's meeting.",
            [
                (
                    "It was agreed to monitor the bins and discuss at next month's meeting.",
                    None,
                    None,
                )
            ],
        ),
        # put off, with no time given
        (
            "Agreed to re-visit in the New Year.",
            [("Agreed to re-visit in the New Year.", None, None)],
        ),
        (
            "Committee resolved to defer the proposal so that it can be considered with the "
            "strategy.",
            [
                (
                    "Committee resolved to defer the proposal so that it can be considered with "
                    "the strategy.",
                    None,
                    None,
                )
            ],
        ),
        (
            "Members asked that Audit Committee be kept advised of progress.",
            [
                (
                    "Members asked that Audit Committee be kept advised of progress.",
                    None,
                    "Audit Committee",
                )
            ],
        ),
        # the body asked: "Cabinet, which will be asked ..."
        (
            "Comments go to Cabinet, which will be asked to approve the strategy at its meeting "
            "on 12 March 2022.",
            [
                (
                    "Comments go to Cabinet, which will be asked to approve the strategy at its "
                    "meeting on 12 March 2022.",
                    "2022-03-12",
                    "Cabinet",
                )
            ],
        ),
        # a closing quotation mark ends a sentence too: the body of one is not the other's
        (
            "“The Panel requests an update to a later meeting of the Pension Fund Panel.” "
            "Members asked that Audit Committee be kept advised.",
            [
                (
                    "“The Panel requests an update to a later meeting of the Pension Fund Panel.",
                    None,
                    "Pension Fund Panel",
                ),
                ("Members asked that Audit Committee be kept advised.", None, "Audit Committee"),
            ],
        ),
        # not a promise to a meeting
        ("They wish to be kept informed of any problems that may arise.", []),
        ("MCC had opened a case and now reported back that there is no business there.", []),
        ("Cllr Reed will report back that members felt it was up to the businesses.", []),
        ("Report back from meeting with the Planning Officer: conditions are discharged.", []),
        (
            "The Diocesan Committee have met and come back with a list of questions in time for "
            "their next meeting in early March.",
            [],
        ),
        ("Progress on each action is reported monthly to the Board and quarterly to Cabinet.", []),
        ("The budget is reported to Cabinet through the quarterly monitoring report in May.", []),
        ("The completed return was presented and approved at the meeting in December.", []),
        ("Cllrs discussed publishing drafts before approval at the following meeting in May.", []),
    ],
)
def test_find_commitments_put_to_a_meeting(
    text: str, expected: list[tuple[str, str | None, str | None]]
) -> None:
    found = find_commitments(text, meta=MET)
    assert [(c.text, c.due, c.expecting) for c in found] == expected
    for c in found:
        assert text[c.char_start : c.char_end] == c.text
