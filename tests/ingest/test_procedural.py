"""Which decisions are procedural, and of which kind a decision is."""

from __future__ import annotations

import pytest

from ingest.procedural import is_procedural, refine_kind


@pytest.mark.parametrize(
    ("text", "subject", "procedural"),
    [
        ("RESOLVED - That the report be noted.", None, True),
        ("Resolved - That the presentation be noted.", None, True),
        (
            "RESOLVED - That the minutes of the meeting held on 4 May be approved as a correct "
            "record.",
            None,
            True,
        ),
        (
            "The minutes of the meeting held on 11 May 2022 were approved as a correct record.",
            None,
            True,
        ),
        (
            "Resolved - That the minutes of the proceedings be taken as read and signed as "
            "correct.",
            None,
            True,
        ),
        ("Approved & signed as correct.", "To receive & approve minutes of previous meeting", True),
        # the act put without the record, as the ranking reads it (``rerank``)
        (
            "To confirm the Minutes of the meeting of the Committee held on 25 October 2022.",
            None,
            True,
        ),
        (
            "RESOLVED: that the Committee agreed the minutes of the People Overview and "
            "Scrutiny Committee meeting on 25 October 2022.",
            None,
            True,
        ),
        ("RESOLVED - That the press and public be excluded from the meeting.", None, True),
        (
            "Recommendation:-  To receive the report and note the progress and next steps.",
            None,
            True,
        ),
        (
            "Cabinet RESOLVED to note:\n6. The future strategic direction.\n7. The reserves.",
            None,
            True,
        ),
        ("The Board noted the annual report of the virtual school.", None, True),
        # one substantive part makes the whole decision substantive
        (
            "RESOLVED - That the report be noted and that a six-monthly report be added.",
            None,
            False,
        ),
        (
            "RESOLVED - That:\n\n(a) the report be noted;\n\n(b) a further report come back in "
            "January.",
            None,
            False,
        ),
        (
            "RESOLVED - That the climate risk report be noted and published on the website.",
            None,
            False,
        ),
        ("RESOLVED - That the work programme be agreed.", None, False),
        ("RESOLVED - That outline planning permission be granted.", None, False),
        ("All approved for payment.", "To consider & approve accounts for payment", False),
    ],
)
def test_is_procedural(text: str, subject: str | None, procedural: bool) -> None:
    assert is_procedural(text, subject) is procedural


@pytest.mark.parametrize(
    ("kind", "text", "page", "expected"),
    [
        ("resolution", "RESOLVED - That the plan be approved.", "", "resolution"),
        (
            "resolution",
            "RESOLVED - That the Board recommends to the Cabinet that the repairs be funded.",
            "",
            "recommendation",
        ),
        (
            "resolution",
            "RESOLVED - That:\n(1) the report be noted;\n(2) the Committee recommends to the "
            "Cabinet that the programme be extended.",
            "",
            "resolution",
        ),
        (
            "resolution",
            "That the policy be approved.",
            "Decision Maker: Leader of the Council\n",
            "delegated decision",
        ),
        ("resolution", "That the policy be approved.", "Decision Maker: Cabinet\n", "resolution"),
        (
            "resolution",
            "RESOLVED - That the called-in decision be not referred back.",
            "",
            "call-in outcome",
        ),
        (
            "recommendation",
            "It is recommended that Cabinet approves the plan.",
            "",
            "recommendation",
        ),
    ],
)
def test_refine_kind(kind: str, text: str, page: str, expected: str) -> None:
    assert refine_kind(kind, text, page + text) == expected  # type: ignore[arg-type]
