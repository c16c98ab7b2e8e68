"""The standard procedural items of a council meeting, as a question asks about one and as a
set of minutes heads one.

Every set of UK council minutes opens with the same items before the business, in much the
same words, because standing orders and the Local Government Act 1972 (schedule 12: the
summons, the chair, the minutes of the last meeting signed as a correct record) and the
Localism Act 2011 (disclosable pecuniary interests) make them part of every meeting; the
modern.gov and CMIS pages the papers come from head each one as an agenda item: "Apologies
for Absence", "Declarations of Interest", "Minutes of the previous meeting", "Urgent
Business", "Public Questions", "Date of Next Meeting", "Exclusion of the Press and Public",
and "Present" over who attended.  ``ITEMS`` is that list, each with the words a heading
names it by and the words a question asks for it by; nothing here is read from questions.

A question about the meeting itself ("who sent apologies to the meeting where ...", "when
had the committee last met before ...") is answered by that item's own passage, often two
lines, while the passage about the item that names the meeting is longer and closer to the
question's words.  ``asked_item`` reads which item a question asks for, ``heads_item``
whether a passage's heading path (the agenda item ingest found it under) is that item; the
second stage's ``procedural`` signal is the two together (``rerank.procedural_mark``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# An agenda item's number before its title: "2.", "44.", "20.01.01", "CAB.103", "(a)"
_NUMBER = r"^\s*(?:(?:[A-Z]{1,5}[./]?\s?)?\d[\d./]*[a-z]?\)?|\([a-z0-9]+\))?\s*[-.:]?\s*"


@dataclass(frozen=True)
class Item:
    """One procedural item: its name, how a heading names it (after the item's number) and
    how a question asks for it."""

    name: str
    heading: re.Pattern[str]
    asked: re.Pattern[str]


def _heading(body: str) -> re.Pattern[str]:
    return re.compile(_NUMBER + r"(?:" + body + r")", re.IGNORECASE)


def _asked(body: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + body + r")", re.IGNORECASE)


ITEMS: tuple[Item, ...] = (
    Item(
        "apologies",
        _heading(
            r"apologies\b|(?:notification\s+of\s+)?(?:substitute|replacement)\s+members?\b"
            r"|substitutions?\b"
        ),
        # who sent apologies, who substituted or filled in for whom
        _asked(
            r"apolog|substitut|replacement\s+members?\b"
            r"|(?:filled|fill|filling|stood|stand|standing|sat|sit)\s+in\s+for\b"
        ),
    ),
    Item(
        "declarations",
        _heading(r"(?:declarations?|disclosures?)\s+of\s+(?:\w+\s+)?interests?\b"),
        _asked(
            r"declar\w*\b(?:\s+\w+){0,3}\s+interests?\b|interests?\s+(?:were\s+|was\s+)?declared"
            r"|disclos\w*\b(?:\s+\w+){0,3}\s+interests?\b|pecuniary\b"
        ),
    ),
    Item(
        "minutes",
        # "Minutes of the previous meeting", "46. Minutes of the meeting ... held on 10
        # January 2018", "79. Minutes pdf icon", "Confirmation of minutes"; not a page's
        # "Minutes: Read the Minutes" label over the whole set
        _heading(
            r"(?:(?:confirmation|approval)\s+of\s+(?:the\s+)?)?minutes"
            r"(?:\s+(?:of|from)\b|\s+pdf\b|\s*$)"
        ),
        _asked(
            r"minutes\s+of\s+(?:the|its|their)\b"
            r"|(?:approv|confirm|sign|agree)\w*\s+(?:of\s+)?the\s+(?:\w+\s+)?minutes\b"
            r"|last\s+(?:met|meet|meeting)\b|previous\s+meeting\b"
        ),
    ),
    Item(
        "attendance",
        # the whole heading: "5. Attendance and exclusions" is a school report's
        _heading(r"(?:members\s+)?present\s*:?\s*$|(?:in\s+)?attendance\s*:?\s*$"),
        _asked(
            r"who\s+(?:was|were)\s+(?:present|in\s+attendance)|who\s+attended"
            r"|present\s+at\s+the\s+meeting|attended\s+the\s+meeting"
        ),
    ),
    Item(
        "urgent business",
        _heading(r"(?:items?\s+of\s+)?urgent\s+(?:business|items?)\b|any\s+other\s+business\b"),
        _asked(r"urgent\s+(?:business|items?)\b|any\s+other\s+business\b"),
    ),
    Item(
        "public questions",
        _heading(
            r"public\s+(?:questions?|participation|speaking|forum)\b"
            r"|questions?\s+(?:from|by)\s+(?:members\s+of\s+)?the\s+public\b"
            r"|petitions?\b|deputations?\b"
        ),
        _asked(
            r"public\s+(?:questions?|participation|speaking)\b"
            r"|questions?\s+(?:from|by)\s+(?:a\s+)?(?:members?\s+of\s+)?the\s+public\b"
            r"|deputations?\b"
        ),
    ),
    Item(
        "next meeting",
        _heading(r"(?:dates?\s+(?:and\s+time\s+)?of\s+)?(?:the\s+)?(?:next|future)\s+meetings?\b"),
        _asked(r"next\s+(?:meeting|met|meet)\b|meet\s+again\b"),
    ),
    Item(
        "exclusion",
        _heading(r"exclusion\s+of\s+(?:the\s+)?(?:press|public)\b"),
        _asked(
            r"exclu\w*\s+(?:the\s+)?(?:press|public)\b|press\s+and\s+public\s+(?:were|be)\s+excluded"
        ),
    ),
)


def asked_item(question: str) -> str | None:
    """The procedural item a question asks about, the first of ``ITEMS`` it asks for; None
    for a question about the meeting's business."""
    return next((item.name for item in ITEMS if item.asked.search(question)), None)


def item_heading(heading_path: Sequence[str]) -> str:
    """The heading of the agenda item a passage is under: the last of its heading path, or
    the one above it when the last is a label ("Minutes:", "Decision:": no number, ending
    in a colon); "" for a passage under no heading."""
    path = [h.strip() for h in heading_path if h.strip()]
    if len(path) >= 2 and path[-1].endswith(":") and not any(c.isdigit() for c in path[-1]):
        return path[-2]
    return path[-1] if path else ""


def heads_item(heading_path: Sequence[str], name: str) -> bool:
    """Whether the agenda item a passage is under (``item_heading``) is the procedural item
    ``name``."""
    item = next(i for i in ITEMS if i.name == name)
    return bool(item.heading.match(item_heading(heading_path)))
