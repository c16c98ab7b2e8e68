"""What a decision is: its kind, and whether it is procedural.

A decision is procedural when every part of it only notes or receives something, approves
or signs the minutes, records declarations or apologies, or excludes the press and public.
One substantive part ("(a) the report be noted; (b) a further report come back in
January") makes the whole decision substantive: it is what an officer looks for.

Kinds: a ``resolution`` (the body decided), a ``recommendation`` (a report's
recommendation, or a body recommending to another: "the Board recommends to the Cabinet
that ..."), a ``delegated decision`` (taken by an officer or a single member, on a page
that names its "Decision Maker") and a ``call-in outcome`` (what scrutiny decided about a
called-in decision).
"""

from __future__ import annotations

import re
from typing import Literal

DecisionKind = Literal["resolution", "recommendation", "delegated decision", "call-in outcome"]

# The opening words that say a decision was taken, before what was decided.
_LEAD = re.compile(
    r"^(?:[A-Z][\w ,'’-]{0,80}?\b)?(?:RESOLVED|Resolved|AGREED|Agreed|DECISION|Decision|"
    r"DECIDED|Decided|RECOMMENDED|Recommended|Recommendations?)\b\s*[-–—:.]*\s*"
    r"(?:that\b|That\b)?\s*[:-]?\s*",
)
_NOTE_LEAD = re.compile(r"\bRESOLVED\s+to\s+note\b|^(?:To\s+)?(?:receive|note)\b", re.IGNORECASE)
_ITEM = re.compile(r"(?:^|\n|;\s*(?:and\s*)?)\s*(?:\(?(?:[a-z]|\d{1,2}|[ivx]{1,4})[).]|[-•·])\s+")
# The approval of the last meeting's minutes, the one pattern for ingest (a procedural
# decision) and the ranking (``qa_service.rerank.approves_minutes_only``, front matter):
# "RESOLVED - That the minutes of the meeting held on 8 February 2022 be approved as a
# correct record", "All agreed this was a true record", "the minutes ... be taken as read and
# signed", "Approved & signed as correct."; or the act put without the record ("To confirm
# the Minutes of the meeting of the Committee held on 25 October 2022.", "RESOLVED: that the
# Committee agreed the minutes of the People Overview and Scrutiny Committee meeting on 25
# October 2022.").  Searched in one line or one flattened clause.
MINUTES_APPROVED = re.compile(
    r"\bminutes\b.{0,160}\b(?:correct|accurate|true)\s+record\b"
    r"|\bminutes\b.{0,160}\b(?:signed|taken\s+as\s+read)"
    r"|\b(?:approved|signed)\b.{0,160}\bas\s+(?:a\s+)?correct\b"
    r"|\b(?:confirm|approve|agree|sign)(?:s|d|ed)?\s+the\s+minutes\s+of\s+(?:the\s+)?"
    r"(?:[\w'\u2019-]+\s+){0,8}?meeting\b",
    re.IGNORECASE,
)
# "the report be noted.", "the update be received", "the Board noted the annual report"
_NOTED = re.compile(
    r"^(?:that\s+)?(?:the\s+)?[^;:]{0,200}?\b(?:be|is|are|were|was)\s+(?:noted|received)"
    r"(?:\s+and\s+(?:noted|received))?\s*[.;]?\s*(?:and\s*)?$"
    r"|^(?:to\s+)?(?:receive|note)\b[^;]{0,200}$"
    r"|^(?:the\s+)?\w+(?:\s+\w+)?\s+noted\s+the\b[^;]{0,200}$",
    re.IGNORECASE | re.DOTALL,
)
_HOUSEKEEPING = re.compile(
    r"\b(?:apologies|declarations?\s+of\s+interests?|exclu(?:de|sion\s+of)\s+the\s+press"
    r"|press\s+and\s+public\s+be\s+excluded)\b",
    re.IGNORECASE,
)
_HOUSEKEEPING_SUBJECT = re.compile(
    r"^(?:to\s+(?:receive|confirm|approve|agree)\s+(?:&|and)?\s*(?:approve\s+)?(?:the\s+)?)?"
    r"(?:minutes|apologies|declarations?\s+of|exclusion\s+of\s+the\s+press)",
    re.IGNORECASE,
)
_RECOMMENDS_ON = re.compile(
    r"\brecommends?\b[^.;]{0,80}\bto\s+(?:the\s+)?(?:Cabinet|Council|Executive)\b", re.IGNORECASE
)
_CALL_IN = re.compile(r"\bcall(?:ed)?[- ]in\b", re.IGNORECASE)
_DECISION_MAKER = re.compile(r"^\s*Decision Maker:\s*(.+)$", re.MULTILINE)
_BODY = re.compile(r"^(?:The\s+)?(?:Cabinet|Council|Executive|[\w ,&]*(?:Committee|Board|Panel))$")


def _clauses(text: str) -> list[str]:
    """The parts of a decision: its lettered or numbered items, else the whole of it."""
    body = _LEAD.sub("", text.strip(), count=1).strip()
    parts = [p.strip(" \n;") for p in _ITEM.split(body)]
    return [p for p in parts if re.search(r"[A-Za-z]", p)] or [body]


def _clause_procedural(clause: str, note_lead: bool) -> bool:
    flat = " ".join(clause.split())
    if MINUTES_APPROVED.search(flat) or _HOUSEKEEPING.search(flat):
        return True
    if note_lead:  # "Cabinet RESOLVED to note: 6. The future strategic direction ..."
        return not re.search(r"\b(?:be|is)\s+(?!noted|received)\w+ed\b", flat)
    return bool(_NOTED.match(flat))


def is_procedural(text: str, subject: str | None = None) -> bool:
    """Whether a decision only notes, receives, approves minutes or records housekeeping."""
    flat = " ".join(text.split())
    words = len(flat.split())
    if subject and _HOUSEKEEPING_SUBJECT.match(subject.strip()) and words <= 40:
        return True  # "Minutes of the last meeting: Approved & signed as correct."
    note_lead = bool(_NOTE_LEAD.search(_LEAD.sub("", flat, count=1)) or _NOTE_LEAD.search(flat))
    return all(_clause_procedural(c, note_lead) for c in _clauses(text))


def refine_kind(kind: DecisionKind, text: str, document_text: str) -> DecisionKind:
    """The kind found from the opening words, refined by what the decision and page say."""
    if _CALL_IN.search(text):
        return "call-in outcome"
    maker = _DECISION_MAKER.search(document_text)
    if maker and not _BODY.match(maker.group(1).strip()):
        return "delegated decision"
    if kind == "resolution" and len(_clauses(text)) == 1 and _RECOMMENDS_ON.search(text):
        return "recommendation"
    return kind
