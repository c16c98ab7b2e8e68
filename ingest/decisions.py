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
  ...; - agrees to ...", up to the next section.

Each decision is a span of the document text (``text[char_start:char_end]``), so it can be
cited like a passage and linked to the passage it falls in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ingest.models import Passage
from ingest.structure import Line, split_lines

DecisionKind = Literal["resolution", "recommendation"]

_SEP = r"\s*(?:[-–—:.]|\bthat\b|$)"
_BODY = (
    r"(?:Board|Committee|Sub-Committee|Panel|Cabinet|Council|Executive|Group|Forum|"
    r"Partnership|Commission|Cabinet Member|Leader)"
)
_RESOLUTION = re.compile(
    rf"^(?:RESOLVED|Resolved|RESOLVE|AGREED|Agreed|DECISION|Decision|DECIDED|Decided){_SEP}",
)
_THAT_BE = re.compile(
    r"^That\b[^.]{0,300}?\bbe\s+(?:noted|approved|agreed|endorsed|adopted|received|accepted|"
    r"confirmed|granted|refused|appointed|deferred|supported|signed)\b"
)
_BODY_DECIDED = re.compile(
    rf"^(?:The|Members of the)\s+{_BODY}\s+(?:agreed|resolved|decided|approved|endorsed)\b"
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
    r"^(?:\(?(?:[a-z]{1,2}|\d{1,2}|[ivx]{1,5})\)|(?:[a-z]|[ivx]{1,5})\.\s|\d{1,2}\.\d{1,2}\.?\s|"
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


def _opening(line: str) -> tuple[DecisionKind, bool] | None:
    """Whether a line opens a decision: (kind, whether it heads a section)."""
    if _SECTION.match(line):
        return ("recommendation", True)
    if _RECOMMENDATION.match(line):
        return ("recommendation", False)
    if _RESOLUTION.match(line) or _THAT_BE.match(line) or _BODY_DECIDED.match(line):
        return ("resolution", False)
    return None


def _next_present(lines: Sequence[Line | None], i: int) -> Line | None:
    return next((x for x in lines[i:] if x is not None), None)


def _extent(lines: Sequence[Line | None], i: int, section: bool) -> int:
    """Index of the last line belonging to the decision that opens at line ``i``."""
    first = lines[i]
    assert first is not None
    major = _MAJOR.match(first.text) if section else None
    last = i
    open_list = section or bool(_OPENS_LIST.search(first.text))
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
        item = bool(_ITEM.match(line.text))
        if section:
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


def _passage_at(passages: Sequence[Passage], start: int, end: int) -> str | None:
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


def find_decisions(text: str, passages: Sequence[Passage] = ()) -> list[Decision]:
    """Every resolution and recommendation in a document's text, in order."""
    lines = split_lines(text)
    out: list[Decision] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        opening = _opening(line.text) if line is not None else None
        if line is None or opening is None:
            i += 1
            continue
        kind, section = opening
        last = _extent(lines, i, section)
        end_line = lines[last]
        assert end_line is not None
        if section and last == i:
            i += 1  # a "Recommendations" heading with nothing under it (e.g. a contents list)
            continue
        start = line.start
        if section:  # the heading names the section; the decision is what follows
            body = _next_present(lines, i + 1)
            assert body is not None
            start = body.start
        end = end_line.end
        if last == i and _BODY_DECIDED.match(line.text):
            stop = _FIRST_SENTENCE.search(line.text)  # the verdict, not the talk after it
            end = line.start + stop.end() if stop else end
        out.append(Decision(start, end, text[start:end], kind, _passage_at(passages, start, end)))
        i = last + 1
    return out
