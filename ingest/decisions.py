"""Recognise decisions in minutes and reports: resolutions and recommendations.

Councils write them in a few recurring shapes, which this module reads line by line:

- a resolution opened by a keyword: "RESOLVED - That: (1) ... (2) ...", "Resolved: that ...",
  "AGREED -", "DECISION:", with numbered, lettered or bulleted items under it;
- a bare resolution line: "That the report be noted.";
- a body's own verdict: "The Board agreed that ...", "The Panel resolved to ...",
  "The Board noted the annual report ...", "The draft terms of reference were agreed ...";
- a recommendation: "RECOMMENDED - That ...", "It is recommended that ...",
  "The Board recommends ...", "The Committee is asked to ...";
- a recommendations section: "2. Recommendations" followed by "2.1 That Cabinet: - approves
  ...; - agrees to ...", up to the next section;
- a bare heading ("RESOLVED", "Decision:") over the paragraph that states the decision;
- a verdict inside a line of informal minutes: "... After discussion the Council agreed to
  accept the quote.", "The motion was CARRIED.", "Minutes:  Approved & signed as correct.",
  a grant panel's "Rejected." beside an application

Each decision then gets its subject (``ingest.agenda``), whether it is procedural and its
kind (``ingest.procedural``).

Each decision is a span of the document text (``text[char_start:char_end]``), so it can be
cited like a passage and linked to the passage it falls in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.agenda import find_items, subject_at
from ingest.models import DocMeta, Passage
from ingest.procedural import DecisionKind, is_procedural, refine_kind
from ingest.structure import Line, classify_line, split_lines

_SEP = r"\s*(?:[-–—:.]|\bthat\b|$)"
_BODY = (
    r"(?:Board|Committee|Sub-Committee|Panel|Cabinet|Council|Executive|Group|Forum|"
    r"Partnership|Commission|Cabinet Member|Leader)"
)
# "The Committee agreed on 17 September 2024 to ..." reports an earlier decision
_NOT_PAST = r"(?!\s+(?:on|in|at)\b)"
_RESOLUTION = re.compile(
    rf"^(?:RESOLVED|Resolved|RESOLVE|AGREED|Agreed|DECISION|Decision|DECIDED|Decided){_SEP}"
    rf"|^(?:The\s+)?{_BODY}\b[^.]{{0,60}}?\bRESOLVED\b"  # "Cabinet considered ... and RESOLVED to"
    r"|^(?:Agree|Agreed|Approve)\s+that\b",  # an executive decision's own words
)
# A heading naming the decision that follows it ("RESOLVED", "Decision:") and nothing more.
_BARE = re.compile(r"^(?:RESOLVED|Resolved|AGREED|Agreed|DECISION|Decision|DECIDED)\s*[-–—:]*$")
# A verdict opening a sentence in the middle of a line of informal minutes.
_VERDICT = re.compile(
    rf"(?:After (?:discussion|debate),?\s+)?(?:It was|(?:[Tt]he\s+)?{_BODY}|Members|Councillors|"
    rf"Cllrs)\s+(?:unanimously\s+)?(?:agreed|resolved|decided)\b{_NOT_PAST}"
    r"|The motion was (?:CARRIED|carried|LOST|lost|agreed|defeated)\b"
    # "Approved.", and its opposite: a grant panel's "Rejected.", "Refused.", "Not approved."
    r"|(?:All\s+(?:approved|agreed)|Approved|Agreed|Rejected|Refused|Declined|Not approved)\b"
    r"[^.:;]{0,50}\.(?=\s|$)"
    r"|(?:No objections?,?\s+)?(?:[Aa]pproval|[Rr]efusal) recommended\."
)
_SENTENCE_START = re.compile(r"(?:^|(?<=[.!?:;–—])\s+)(?=[A-Z])")
_THAT_BE = re.compile(
    r"^That\b[^.]{0,300}?\bbe\s+(?:noted|approved|agreed|endorsed|adopted|received|accepted|"
    r"confirmed|granted|refused|appointed|deferred|supported|signed)\b"
)
_BODY_DECIDED = re.compile(
    rf"^(?:The|Members of the)\s+{_BODY}\s+"
    rf"(?:agreed|resolved|decided|approved|endorsed)\b{_NOT_PAST}"
    rf"|^Members\s+(?:agreed|resolved|decided)\b"
    rf"|^The\s+{_BODY}\s+noted\s+the\s+[^.]{{0,120}}?\b(?:report|update|presentation|plan)\b"
    r"|^The\s[^.]{0,150}?\b(?:was|were)\s+(?:agreed|approved|endorsed|adopted)\b(?!\s+by\b)"
)
_RECOMMENDATION = re.compile(
    rf"^(?:RECOMMENDED|Recommended|RECOMMENDATION|Recommendation)\s*(?:[-–—:]|\bthat\b)"
    rf"|^It is recommended\b"
    rf"|^(?:The|That the|That)\s+{_BODY}\s+(?:recommends?|is (?:recommended|asked|invited)|"
    rf"are (?:recommended|asked|invited))\b"
)
_SECTION = re.compile(
    r"^(?:(\d{1,2})(?:\.\d{1,2})?\.?\s+)?(?:Recommendations?|RECOMMENDATIONS?)"
    r"(?:\s+(?:to|for)\s+[\w ]{1,40})?\s*:?$"
)
_ITEM = re.compile(
    r"^(?:\(?(?:[a-z]{1,2}|\d{1,2}|[ivx]{1,5})\)|(?:[a-z]|[ivx]{1,5}|\d{1,2})\.\s|\d{1,2}\.\d{1,2}\.?\s|"
    r"[-•·▪◦–*\uf0b7]\s|That\b|that\b)"
)
_SUBSECTION = re.compile(r"^(\d{1,2})\.\d{1,2}\.?\s")
_MAJOR = re.compile(r"^(\d{1,2})\.?\s+\S")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")
_OPENS_LIST = re.compile(r"(?::|:-|–|-|\bthat|\bThat|\bto|\band)$")
_FIRST_SENTENCE = re.compile(r"[.!?](?=\s+[A-Z])")
_MAX_CHARS = 4000


@dataclass(frozen=True)
class Decision:
    """One resolution or recommendation: ``document text[char_start:char_end] == text``."""

    char_start: int
    char_end: int
    text: str
    kind: DecisionKind
    passage_id: str | None = None  # the passage holding its start
    item: str | None = None  # the number of the agenda item it settles, as printed
    subject: str | None = None  # that item's title (else the document's)
    procedural: bool = False  # only notes, approves minutes, records apologies ...


def _opening(line: str) -> tuple[DecisionKind, bool] | None:
    """Whether a line opens a decision: (kind, whether it heads a section)."""
    if _SECTION.match(line):
        return ("recommendation", True)
    if _RECOMMENDATION.match(line):
        return ("recommendation", False)
    if _RESOLUTION.match(line) or _THAT_BE.match(line) or _BODY_DECIDED.match(line):
        return ("resolution", False)
    return None


def _verdicts(line: Line, after: int = 0) -> list[tuple[int, int, DecisionKind, bool]]:
    """Verdict sentences inside one line, from ``after`` on (document offsets, kind)."""
    out: list[tuple[int, int, DecisionKind, bool]] = []
    for m in _SENTENCE_START.finditer(line.text, after):
        v = _VERDICT.match(line.text, m.end())
        if v is None or (out and m.end() < out[-1][1] - line.start):
            continue
        stop = _FIRST_SENTENCE.search(line.text, v.end() - 1)
        end = stop.end() if stop else len(line.text)
        kind: DecisionKind = (
            "recommendation" if v.group().endswith("recommended.") else "resolution"
        )
        out.append((line.start + m.end(), line.start + end, kind, False))
    return out


def _run_on(
    lines: Sequence[Line | None], i: int, found: list[tuple[int, int, DecisionKind, bool]]
) -> list[tuple[int, int, DecisionKind, bool]]:
    """A verdict that runs past its line (hard-wrapped PDF text) ends at its sentence's end."""
    line = lines[i]
    if not found or line is None or found[-1][1] < line.end or _SENTENCE_END.search(line.text):
        return found
    start, _, kind, section = found[-1]
    for nxt in lines[i + 1 : i + 4]:
        if nxt is None:
            break
        stop = re.search(r"[.!?](?=\s|$)", nxt.text)
        if stop:
            return [*found[:-1], (start, nxt.start + stop.end(), kind, section)]
    return found


def _next_present(lines: Sequence[Line | None], i: int) -> Line | None:
    return next((x for x in lines[i:] if x is not None), None)


def _extent(lines: Sequence[Line | None], i: int, section: bool) -> int:
    """Index of the last line belonging to the decision that opens at line ``i``."""
    first = lines[i]
    assert first is not None
    major = _MAJOR.match(first.text) if section else None
    last = i
    open_list = section or bool(_OPENS_LIST.search(first.text))
    bare = bool(_BARE.match(first.text))
    blank = False
    j = i + 1
    while j < len(lines):
        line = lines[j]
        if line is None:
            blank = True
            j += 1
            continue
        prev = lines[last]
        assert prev is not None
        if line.end - first.start > _MAX_CHARS or _opening(line.text) is not None:
            break
        # "8. Work programme" after a list is the next agenda item, not one of the list's
        item = bool(_ITEM.match(line.text)) and (classify_line(line.text) or ("",))[0] != "heading"
        if bare:
            bare = False  # a bare heading's decision is the paragraph under it
        elif section:
            sub = _SUBSECTION.match(line.text)
            other_major = _MAJOR.match(line.text) and not sub
            if (sub and major and sub.group(1) != major.group(1)) or other_major:
                break
            if not item and not sub and _SENTENCE_END.search(prev.text):
                break  # prose or a table after the list: the recommendations have ended
        elif item and (open_list or not blank):
            open_list = True
        elif not blank and not _SENTENCE_END.search(prev.text):
            pass  # a wrapped line of the same sentence
        else:
            break
        last = j
        blank = False
        j += 1
    return last


def passage_at(passages: Sequence[Passage], start: int, end: int) -> str | None:
    """The passage holding ``start`` (else the one overlapping the span most)."""
    for p in passages:
        if p.char_start <= start < p.char_end:
            return p.passage_id
    best = max(
        passages,
        key=lambda p: min(end, p.char_end) - max(start, p.char_start),
        default=None,
    )
    if best is None or min(end, best.char_end) <= max(start, best.char_start):
        return None
    return best.passage_id


def _spans(text: str) -> list[tuple[int, int, DecisionKind, bool]]:
    """(start, end, kind, found through a recommendations section) of every decision."""
    lines = split_lines(text)
    out: list[tuple[int, int, DecisionKind, bool]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        opening = _opening(line.text) if line is not None else None
        if line is None or opening is None:
            if line is not None:
                out.extend(_run_on(lines, i, _verdicts(line)))
            i += 1
            continue
        kind, section = opening
        nxt = _next_present(lines, i + 1)
        if _BARE.match(line.text) and (nxt is None or _opening(nxt.text) is not None):
            i += 1  # "Decision:" over "RESOLVED - That ...": the decision is the next one
            continue
        last = _extent(lines, i, section)
        end_line = lines[last]
        assert end_line is not None
        if section and last == i:
            i += 1  # a "Recommendations" heading with nothing under it (e.g. a contents list)
            continue
        start = line.start
        if section:  # the heading names the section; the decision is what follows
            assert nxt is not None
            start = nxt.start
        end = end_line.end
        if last == i and _BODY_DECIDED.match(line.text):
            stop = _FIRST_SENTENCE.search(line.text)  # the verdict, not the talk after it
            end = line.start + stop.end() if stop else end
        out.append((start, end, kind, section))
        if end < line.end:  # a later verdict in the same line ("... Members agreed that ...")
            out.extend(_run_on(lines, i, _verdicts(line, end - line.start)))
        i = last + 1
    return out


def find_decisions(
    text: str, passages: Sequence[Passage] = (), meta: DocMeta | None = None
) -> list[Decision]:
    """Every decision in a document's text, in order, with its subject and procedural flag."""
    items = find_items(text)
    title = (meta or DocMeta()).title
    out = []
    for start, end, kind, section in _spans(text):
        item = subject_at(items, start, section)
        subject = item.title if item is not None else None
        body = text[start:end]
        out.append(
            Decision(
                start,
                end,
                body,
                refine_kind(kind, body, text),
                passage_at(passages, start, end),
                item.number if item is not None else None,
                subject or _title_subject(title),
                is_procedural(body, subject),
            )
        )
    return out


_TITLE_LABEL = re.compile(
    r"^(?:Agenda item(?: minutes)?|Issue decisions|Decision details|Decision|Minutes)\s*:\s*",
    re.IGNORECASE,
)


def _title_subject(title: str | None) -> str | None:
    """The document's title as a subject, without a page label ("Agenda item: ...")."""
    if not title:
        return None
    return _TITLE_LABEL.sub("", title).strip() or None
