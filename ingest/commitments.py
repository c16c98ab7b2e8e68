"""Commitments in minutes and reports: what a committee expects to come back, and when.

Minutes are full of them: "(b) the Committee receives a further update in July 2018",
"progress ... be reported to the Committee in six months' time", "the post-inspection action
plan be presented to the Committee at its meeting on 8 September 2015", "consideration of
performance had been deferred to the next meeting on 11 April 2018", "A refreshed strategy
would be presented to Cabinet in the autumn". Each commitment is one clause (an item of a
resolution, else a sentence) that says something will come back (a report, an update, a
plan, a decision deferred) and, mostly, when.

The due date is read from the clause against the meeting's date (``due_date``): a date, a
month ("in July 2018": its last day; "the May meeting": the next May), a season, a year, a
span ("in six months' time", "quarterly", "annual": the first one after the meeting), or "the
next meeting", resolved from the paper's own "Date of next meeting" or, later, from the
committee's next meeting in the index. The expecting body is the Cabinet or Council when the
clause names them, else the paper's own committee.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from cqa_core.text import MONTH_NAMES, MONTH_NUMBERS
from ingest.decisions import passage_at
from ingest.models import DocMeta, Passage

_MONTHS = MONTH_NUMBERS  # "june" -> 6
_MONTH = f"(?:{MONTH_NAMES})"
_SEASON_END = {"spring": (5, 31), "summer": (8, 31), "autumn": (11, 30), "winter": (2, 28)}
_SPAN = {"quarter": 3, "quarterly": 3, "six months": 6, "six-monthly": 6, "annual": 12, "year": 12}
_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "six": 6, "nine": 9, "twelve": 12, "18": 18}

# A report or item added to a work programme or a meeting's agenda.
_ADDED = (
    r"\b(?:report|item|update)\b[^.;]{0,160}?\b(?:be\s+)?added\s+to\s+the\s+"
    r"(?:work\s+programme|agenda)\b|\baddition\s+of\b[^.;]{0,80}?\breport\s+to\s+the\s+meeting\b"
)
# A later meeting named as where business goes: "at the March meeting", "for April meeting",
# "discuss at next month's meeting", "in time for TCC's next meeting", "attend a future council
# meeting", "to a later 2009 meeting of the Pension Fund Panel", "at its meeting in July 2025"
# (a meeting already held is dropped by its date; "the meeting" alone is this one).
_LATER_MEETING = (
    r"\b(?:at|for|to|until|attend|in\s+time\s+for)\s+(?:the\s+|its\s+|a\s+|[A-Z]\w*['’]s\s+)?"
    r"(?:(?:next|future|later)\s+(?:month['’]s\s+)?(?:\w+\s+)?|" + _MONTH + r"\s+)meeting\b"
    r"|\bat\s+its\s+meeting\s+in\b"
)
# A matter put off to a later meeting, or a body to be kept informed, with or without a time:
# "Re-agenda for November", "Agreed to re-visit in the New Year", "resolved to defer the
# proposal so that it can be considered alongside ...", "that Audit Committee be kept advised".
_PUT_OFF = (
    r"\bre-?agenda(?:ed)?\b|\b(?:resolved|agreed|decided)\s+to\s+(?:defer|re-?visit|reconsider)\b"
    r"|\b(?:Committee|Panel|Board|Commission|Cabinet|Council)\s+be\s+kept\s+(?:advised|informed|"
    r"updated)\b"
)
# Something comes back to a body: the verbs of reporting, presenting and receiving.
_RETURNS = re.compile(
    r"\breport(?:ed|s)?\s+back\b|\bcome\s+back\b|\bbrought\s+(?:back\s+)?to\b"
    r"|\b(?:be|being|is|are|would\s+be|will\s+be)\s+(?:presented|reported|submitted|"
    r"brought|considered)\b"
    r"|\breceives?\s+(?:a|an|the)\b[^.;]{0,80}?\b(?:report|update|results?|review|plan)\b"
    r"|\bconsiders?\s+the\s+draft\b|\bfurther\s+report\b|\bto\s+report\b"
    r"|\b(?:would|will)\s+(?:adopt|consider|return|be\s+asked)\b"
    r"|\bdeferred\s+to\b|\bundertook\s+to\b|\bto\s+circulate\b|\bnotify\b[^.;]{0,40}\bby\s+the\s+next"
    r"|\b(?:quarterly|six-monthly|annual)\s+report\b[^.;]{0,120}\b(?:added|included)\b"
    r"|\bbring\s+forward\b|\breport\s+be\s+made\s+to\b"
    r"|\breports\s+to\s+the\s+(?:Board|Committee|Panel|Cabinet|Council)\b"
    r"|" + _ADDED + "|" + _LATER_MEETING + "|" + _PUT_OFF,
    re.IGNORECASE,
)
# ... and when (or at least to which meeting).
_WHEN = re.compile(
    rf"\b(?:on\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<dmonth>{_MONTH})\s+(?P<dyear>\d{{4}})"
    rf"|\b(?P<month>{_MONTH})(?:\s+(?P<year>\d{{4}}))?\b"  # case-sensitive: "may" is a verb
    r"|(?i:\b(?P<season>spring|summer|autumn|winter)(?:\s+(?P<syear>\d{4}))?\b)"
    r"|\bin\s+(?P<onlyyear>20\d\d)\b(?!/)"  # not a financial year, "in 2023/24"
    r"|(?i:\b(?:in|within)\s+(?P<n>two|three|four|six|nine|twelve|18)\s+months(?:'|’)?"
    r"(?:\s+time)?)"
    r"|(?i:\b(?P<span>quarterly|every\s+quarter|six-monthly|every\s+six\s+months|annual|"
    r"annually|every\s+year|each\s+year)\b)"
    r"|(?i:\b(?P<next>next\s+(?:meeting|month's\s+meeting|Board\s+meeting)|each\s+Board\s+"
    r"meeting|every\s+meeting)\b)",
)
_FUTURE_TO = re.compile(
    r"\b(?:will|would)\s+be\s+(?:presented|reported|submitted|brought)\s+(?:back\s+)?to\b", re.I
)
# Not a promise: what was done ("had been presented"), what someone reports ("reported back
# that ...", "Report back from meeting with ..."), a reply that came ("have met and come back
# with"), and a routine ("is reported monthly to ...", "is reported to Cabinet through the
# quarterly monitoring report").
_NOT_A_COMMITMENT = re.compile(
    r"\bhad\s+been\s+(?:presented|reported|considered)\b"
    r"|\breport(?:ed)?\s+back\s+(?:that|from)\b"
    r"|\b(?:has|have|had)\b[^.;]{0,30}\bcome\s+back\b"
    r"|\b(?:is|are)\s+(?:reported|presented)\s+(?:monthly|quarterly|annually|regularly)\b"
    r"|\b(?:is|are)\s+(?:reported|presented)\b[^.;]{0,60}\bthrough\s+the\b",
    re.I,
)
# The body a clause sends it to: "presented to Cabinet", "reported annually to the Environment
# and Communities Select Committee"; a bare "to the Committee" is the paper's own.
_EXPECTING = re.compile(
    r"\b(?:presented|reported|submitted|brought|considered|referred|come)\s+(?:annually\s+)?"
    r"(?:back\s+)?(?:to|by)\s+(?:the\s+)?"
    r"((?:(?:[A-Z][\w'’-]*|&)\s+(?:and\s+|of\s+)?){0,6}(?:Committee|Panel|Board|Commission|Council)"
    r"|Cabinet|Council|Executive)\b"
    r"|\b(Cabinet|Council|Executive),?\s+(?:which\s+|who\s+)?(?:would|will)\s+be\s+asked\b"
    r"|\bmeeting\s+of\s+(?:the\s+)?((?:(?:[A-Z][\w'’-]*|&)\s+(?:and\s+|of\s+)?){0,6}"
    r"(?:Committee|Panel|Board|Commission)|Cabinet|Council|Executive)\b"
    r"|\b((?:(?:[A-Z][\w'’-]*|&)\s+(?:and\s+)?){0,6}(?:Committee|Panel|Board|Commission)"
    r"|Cabinet|Council|Executive)\s+be\s+kept\s+(?:advised|informed|updated)\b"
    r"|\basks?\s+(?:the\s+)?(Cabinet|Council|Executive)\s+to\s+(?:bring|present|submit|prepare)\b"
)
_OWN = frozenset({"Committee", "Panel", "Board", "Commission"})
_NEXT_MEETING_DATE = re.compile(
    rf"Date\s+of\s+(?:the\s+)?next\s+meeting\s*:?\s*(?:\w+day\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+"
    rf"({_MONTH})(?:\s+(\d{{4}}))?",
    re.IGNORECASE,
)
# where a clause ends: a sentence, a blank line, the next lettered or numbered item, or a
# numbered paragraph or heading ("6.4 Attendance ...", "39 Work Programme")
_CLAUSE = re.compile(
    r"(?<=[.;])[”\"]?\s+(?=\(?[a-z0-9]{1,3}\)\s|[A-Z]|\d{1,2}\.\d{1,2}\s)|\n\s*\n"
    r"|\n(?=\(?[a-z0-9]{1,3}\)\s|\d{1,3}(?:\.\d{1,2})?\.?\s+[A-Z])"
)


@dataclass(frozen=True)
class Commitment:
    """One promise that something will come back: ``text[char_start:char_end] == text``."""

    char_start: int
    char_end: int
    text: str
    due: str | None  # ISO date, or None when it depends on meetings not known here
    due_text: str | None  # the words that say when ("in six months' time", "next meeting")
    expecting: str | None  # the body it comes back to (None: the paper's own committee)
    next_meeting: bool = False  # due at the committee's next meeting, not yet known
    passage_id: str | None = None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def due_date(when: re.Match[str], meeting: date | None) -> date | None:
    """The date a ``_WHEN`` match names, read against the meeting's date (None: unknown)."""
    g = when.groupdict()
    if g["day"]:
        return date(int(g["dyear"]), _MONTHS[g["dmonth"].lower()], int(g["day"]))
    if g["month"]:
        month = _MONTHS[g["month"].lower()]
        if g["year"]:
            return _month_end(int(g["year"]), month)
        if meeting is None:
            return None
        year = meeting.year + (1 if month <= meeting.month else 0)  # the next such month
        return _month_end(year, month)
    if g["season"]:
        end_month, end_day = _SEASON_END[g["season"].lower()]
        if g["syear"]:
            year = int(g["syear"]) + (1 if g["season"].lower() == "winter" else 0)
        elif meeting is None:
            return None
        else:
            past = (end_month, end_day) < (meeting.month, meeting.day)
            year = meeting.year + (1 if past else 0)
        last = calendar.monthrange(year, end_month)[1] if end_month == 2 else end_day
        return date(year, end_month, last)
    if g["onlyyear"]:
        return date(int(g["onlyyear"]), 12, 31)
    if meeting is None:
        return None
    if g["n"]:
        return _add_months(meeting, _NUMBER_WORDS[g["n"].lower()])
    if g["span"]:
        span = g["span"].lower()
        months = next(v for k, v in _SPAN.items() if k in span)
        return _add_months(meeting, months)
    return None


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences and resolution items of ``text[start:end]`` as document offsets."""
    out, pos = [], start
    for m in _CLAUSE.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _meeting(meta: DocMeta | None) -> date | None:
    try:
        return date.fromisoformat(meta.meeting_date) if meta and meta.meeting_date else None
    except ValueError:
        return None


def _stated_next_meeting(text: str, meeting: date | None) -> date | None:
    m = _NEXT_MEETING_DATE.search(text)
    if m is None:
        return None
    month, day = _MONTHS[m.group(2).lower()], int(m.group(1))
    if m.group(3):
        year = int(m.group(3))
    elif meeting is not None:
        year = meeting.year + (1 if (month, day) <= (meeting.month, meeting.day) else 0)
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


# The heading of printed minutes: "Minutes of the meeting held on Tuesday 17 September 2024"
# (a heading line, not "That the minutes of the meeting held on … be approved").
_PRINTED_MINUTES = re.compile(
    r"^[ \t]*minutes\s+of\s+the\s+meeting\s+held\s+on\s+(?:[A-Za-z]+day\s+)?(\d{1,2})\s+("
    + "|".join(_MONTHS)
    + r")\s+((?:19|20)\d\d)",
    re.I | re.M,
)
_AGENDA_ITEM = re.compile(r"^\s*Agenda\s+Item\s+(\d+)\b", re.I | re.M)


def printed_minutes(text: str, at: int, meeting: date | None) -> tuple[date, str] | None:
    """When ``text[at]`` lies in the printed minutes of an earlier meeting (an agenda pack
    prints the previous meeting's minutes under its item stamp: "Agenda Item 3", then
    "Minutes of the meeting held on 17 September 2024", with no other item between), that
    meeting's date and the pack's item number ("3"); else None. A meeting page's item title
    "Minutes of the meeting held on …" (the minutes to approve) has no such stamp."""
    found = list(_PRINTED_MINUTES.finditer(text, 0, at))
    if not found or meeting is None:
        return None
    heading = found[-1]
    try:
        day, month, year = int(heading.group(1)), heading.group(2).lower(), int(heading.group(3))
        held = date(year, _MONTHS[month], day)
    except ValueError:
        return None
    items = list(_AGENDA_ITEM.finditer(text, 0, heading.start()))
    if not items:
        return None  # not a pack
    item = items[-1].group(1)
    between = {m.group(1) for m in _AGENDA_ITEM.finditer(text, heading.end(), at)}
    if held >= meeting or between - {item}:
        return None  # the paper's own minutes, or a later item of the pack
    return held, item


def find_commitments(
    text: str, passages: Sequence[Passage] = (), meta: DocMeta | None = None
) -> list[Commitment]:
    """Every clause of ``text`` that promises something will come back, with when and to whom."""
    meeting = _meeting(meta)
    stated_next = _stated_next_meeting(text, meeting)
    out: list[Commitment] = []
    for start, end in _clauses(text, 0, len(text)):
        clause = text[start:end]
        if len(clause) > 800 or not _RETURNS.search(clause) or _NOT_A_COMMITMENT.search(clause):
            continue
        returns = _RETURNS.search(clause)
        assert returns is not None
        # a time named before the verb is of something else ("would join the fleet in May
        # 2022, and ... would be reported"), unless it is how often the report comes
        whens = [
            w for w in _WHEN.finditer(clause) if w.start() >= returns.start() or w.group("span")
        ]
        # without a time: a report back, a further report, an addition to the work
        # programme, or a body it will be presented to ("... would be reported to Cabinet")
        report_back = re.search(
            r"\breport(?:ed)?\s+back\b|\bfurther\s+report\b|" + _ADDED + "|" + _PUT_OFF,
            clause,
            re.I,
        ) or _FUTURE_TO.search(clause)
        later_meeting = re.search(_LATER_MEETING, clause, re.I)
        if not whens and not report_back and not later_meeting:
            continue
        # the last time named is the one it comes back at ("the plan agreed in May 2022 be
        # reported in six months' time")
        # a named time wins over how often: "the annual report … be considered at the
        # February meeting" is due in February
        named_times = [w for w in whens if not w.group("span")]
        when = (named_times or whens)[-1] if whens else None
        # a request in printed minutes was made at their meeting, and is read against it
        # (its "next meeting" is that meeting's next, not the pack's stated one)
        printed = printed_minutes(text, start, meeting)
        made = printed[0] if printed else meeting
        due = due_date(when, made) if when else None
        next_meeting = bool(when and when.group("next"))
        if next_meeting and stated_next is not None and printed is None:
            due, next_meeting = stated_next, False
        if due is not None and made is not None and due < made:
            continue  # a date in the past: something that happened, not a promise
        trimmed = clause.rstrip(" ;,\n")
        if trimmed.endswith(("; and", " and")):
            trimmed = trimmed[: trimmed.rfind("and")].rstrip(" ;,")
        # the body named last: "submitted to the Youth Justice Board in draft ... and will be
        # presented to Full Council"
        sent = next(reversed(list(_EXPECTING.finditer(clause))), None)
        expecting = next((g.strip() for g in sent.groups() if g), None) if sent else None
        if expecting in _OWN:
            expecting = None  # "to the Committee": the paper's own
        end = start + len(trimmed)
        out.append(
            Commitment(
                start,
                end,
                text[start:end],
                due.isoformat() if due else None,
                when.group(0).strip() if when else None,
                expecting,
                next_meeting,
                passage_at(passages, start, end),
            )
        )
    return out
