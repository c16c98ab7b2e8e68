"""Fill gaps in a document's metadata from its own text, conservatively.

The title falls back to the loader's title hint or the first heading.  A meeting date is
read only from a clearly stated meeting date near the top ("Minutes of the meeting held on
Tuesday 23 June 2015", a "Meeting: ... Tuesday, 28th November, 2023 5.00 pm" line).  The
council is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from cqa_core.text import MONTH_NUMBERS
from ingest.models import Block, DocMeta

_MONTHS = MONTH_NUMBERS  # "june" -> 6
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+"
_DATE = r"(\d{1,2})(?:st|nd|rd|th)?,?\s+([A-Za-z]+),?\s+(\d{4})"
_STATED = [
    re.compile(r"Minutes of (?:the|a) (?:\w+ )?meeting (?:held )?on\s+" + _DAY + _DATE, re.I),
    re.compile(r"^Meeting:[^\n]*?" + _DAY + _DATE, re.I | re.M),
]
HEAD_CHARS = 3000  # the date must be stated near the top, not in the body of the minutes
MAX_TITLE = 200


def infer_meeting_date(text: str) -> str | None:
    """The ISO meeting date stated near the top of ``text``, or None when not clearly stated."""
    head = text[:HEAD_CHARS]
    for pattern in _STATED:
        match = pattern.search(head)
        if match is None:
            continue
        day, month, year = match.groups()
        if month.lower() not in _MONTHS:
            continue
        try:
            return date(int(year), _MONTHS[month.lower()], int(day)).isoformat()
        except ValueError:
            continue
    return None


def first_heading(text: str, blocks: list[Block]) -> str | None:
    """The text of the first heading block, whitespace collapsed."""
    for block in blocks:
        if block.kind == "heading":
            return " ".join(text[block.start : block.end].split()) or None
    return None


def fill_meta(meta: DocMeta, text: str, blocks: list[Block], title_hint: str | None) -> DocMeta:
    """``meta`` with a missing title and meeting date filled from the document, if clear."""
    title = meta.title or title_hint or first_heading(text, blocks)
    if title and len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 1].rstrip() + "…"
    meeting_date = meta.meeting_date or infer_meeting_date(text)
    return replace(meta, title=title, meeting_date=meeting_date)
