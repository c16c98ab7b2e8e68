"""The agenda items of a paper, so that a decision can name the item it settles (its subject).

Minutes number their items in many ways, and this module reads the ones councils use:

- a number before the title: "19. OFSTED INSPECTION OF ... - OUTCOME AND RESPONSE" (however
  long an upper-case title runs), "51 Apologies for absence", "CSP.17 ALLOTMENTS: ...",
  "HB/21/4 PORT MARINE SAFETY CODE", "12/23 DECLARATIONS OF INTEREST", "C.64 BUDGET ...";
- a number on its own line with the title on the next, as web minutes print them
  ("79." then "Minutes pdf icon PDF 109 KB"; the file-size note is dropped);
- a parish clerk's "3480.  Discuss repairworks to The Pound, Tintern:  Three quotations ...",
  whose title ends at the colon;
- a page about one item or one decision ("Decision details", then "Allocations Policy"),
  whose title is its first title-like line.

Item numbers rise through a paper, so a numbered line whose number does not rise (the
inspectors' "1. Improve the quality of ..." inside minute 31) is a list, not an item. And a
number alone on its line after a line that stops on a telephone number's head ("... or
telephone 020 8545" then "3616.") is that number's wrapped tail, not an item (read as one, its
high number would rise over every real item after it); after other prose that stops on a
figure it is an item still. A pack's contents list ("4.  Annual complaints report 9", "5.
Internal audit progress report 23": titles ending on rising page numbers, as
``ingest.contents`` reads them, a wrapped title's page at its second line's end) names the
items but heads none of them: the headings in the body do. An upper-case title wrapped onto
the next line, or over a page break ("4 AUDITED FINAL ACCOUNTS 2008/09 AND USE OF RESOURCES"
/ "JUDGEMENT (Agenda item 4)"), is read whole (``ingest.structure.continues_title``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cqa_core.text import MONTH_NAMES
from ingest.contents import contents_runs
from ingest.structure import Line, continues_title, split_lines

_NUMBER = r"(?:[A-Z]{1,4}\.\d{1,4}|[A-Z]{1,4}/\d{2}/\d{1,3}|\d{1,3}/\d{2}|\d{1,4})"
_NUMBERED = re.compile(
    rf"^(?P<num>{_NUMBER})(?:\.\s*|\s+)(?P<title>(?:[A-Z‘“'\"(]|\d+[A-Za-z]).*)$"  # "20MPH LIMITS"
)
_NUMBER_ALONE = re.compile(rf"^(?P<num>{_NUMBER})\.?$")
_FILE_NOTE = re.compile(r"\s*(?:pdf icon\s*)?\bPDF\s+\d+\s*[KM]B\s*$|\s*\(Pages?\s[^)]*\)\s*$")
# "To receive minutes:  Approved & signed." -> the part before the colon; "ALLOTMENTS: REVIEW
# OF RENTS" is one title.
_TITLE_END = re.compile(r":(?:-|\s{2,}|\s+(?=[^:]*[.!?](?:\s|$)))(?=\s*\S)")
_TERMINAL = re.compile(r"[.;,]$")
# Lines that label a page rather than title it ("Issue - decisions", "Agenda and minutes").
_PAGE_LABEL = re.compile(
    r"^(?:Issue|Agenda|Decisions?|Minutes|Items|No\.)\b[\w ,\-–]{0,30}$", re.IGNORECASE
)
_AGENDA_STAMP = re.compile(r"^Agenda\s+item\s*(?P<num>\d+[A-Za-z]?)?\s*$", re.IGNORECASE)
_ITEM_OF_MEETING = re.compile(r"\(Item\s+(\d+[A-Za-z]?)\)")
_MAX_TITLE_WORDS = 40
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# a date opening a line ("22 October 2009", "24 SEPTEMBER 2009") is no item and title
_DATE_TITLE = re.compile(rf"^(?:{MONTH_NAMES})\b\s*(?:\d{{4}})?\s*$", re.IGNORECASE)
# a line that stops on the head of a telephone number ("... or telephone 020 8545",
# "Telephone 0161 496"): a trunk code's leading 0 (or +44), a group of digits after it
_PHONE_HEAD = re.compile(r"(?:^|[\s(:])(?:\+44\s?\(?0?\)?|0)\d{2,4}\)?(?:[ \t]\d{2,4})?$")
# the tail of the number on the next line: one group of digits, its stop after it
_PHONE_TAIL = re.compile(r"^\d{3,4}\.?$")


@dataclass(frozen=True)
class AgendaItem:
    """One agenda item: where its heading starts, its number as printed (or None), its title."""

    start: int
    number: str | None
    title: str
    section: bool = False  # a report's "Recommendations" section heading, not an item
    stamp: bool = False  # an "Agenda Item N" stamp over a report in an agenda pack


def _clean(title: str) -> str:
    title = _FILE_NOTE.sub("", title).strip()
    cut = _TITLE_END.search(title)
    title = title[: cut.start()].strip() if cut else title
    return re.sub(r"\s*:-$", "", title)


def _wrapped_phone(before: str, line: str) -> bool:
    """Whether ``line`` ("3616.") is the tail of a telephone number whose head ends the line
    ``before`` ("... or telephone 020 8545"), not an item's number."""
    return bool(_PHONE_TAIL.match(line) and _PHONE_HEAD.search(before))


def _looks_like_title(title: str) -> bool:
    words = title.split()
    if not 1 <= len(words) <= _MAX_TITLE_WORDS:
        return False
    # a title neither leads into a list nor ends a sentence
    return not (title.endswith(":") or _TERMINAL.search(title))


def _rank(number: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", number))


def find_items(text: str) -> list[AgendaItem]:
    """The paper's agenda items in order (numbered ones; else its first title line)."""
    lines = [x for x in split_lines(text) if x is not None]
    contents = {k for first, last in contents_runs([x.text for x in lines])
                for k in range(first, last + 1)}  # fmt: skip
    items: list[AgendaItem] = []
    last: tuple[int, ...] = ()
    for k, line in enumerate(lines):
        if k in contents:
            continue
        number, title = None, None
        alone = _NUMBER_ALONE.match(line.text)
        numbered = _NUMBERED.match(line.text)
        stamp = _AGENDA_STAMP.match(line.text)
        if alone and k > 0 and _wrapped_phone(lines[k - 1].text, line.text):
            continue  # a number's tail wrapped onto its own line: "telephone 020 8545" / "3616."
        if alone and k + 1 < len(lines):
            number, title = alone.group("num"), _clean(lines[k + 1].text)
        elif stamp and k + 1 < len(lines):
            # a page about one item prints its number beside the meeting: "(Item 33)"
            near = _ITEM_OF_MEETING.search(" ".join(x.text for x in lines[k + 1 : k + 4]))
            number = stamp.group("num") or (near.group(1) if near else None)
            title = _clean(lines[k + 1].text)
        elif numbered:
            title = numbered.group("title")
            if k + 1 < len(lines) and continues_title(line.text, lines[k + 1].text):
                title = f"{title} {lines[k + 1].text}"  # wrapped onto the next line (or page)
            number, title = numbered.group("num"), _clean(title)
        if title is None or not _looks_like_title(title) or _DATE_TITLE.match(title):
            continue
        if stamp and stamp.group("num"):
            # stamps number the pack's reports on their own; a page header repeats one
            if not any(i.stamp and i.number == number for i in items):
                items.append(AgendaItem(line.start, number, title, stamp=True))
            continue
        if number is not None:
            rank = _rank(number)
            if last and (rank <= last or (_YEAR.match(number) and last[0] < 1000)):
                continue  # a numbered list inside an item, or a year opening a line
            last = rank
        section = bool(re.match(r"^Recommendations?\b", title, re.IGNORECASE))
        items.append(AgendaItem(line.start, number, title, section))
    if not any(i.number for i in items):
        items = [i for i in items if i.number is None] or _first_title(lines)
    return items


def _first_title(lines: Sequence[Line]) -> list[AgendaItem]:
    """A one-item page: its first line that is a title, not a page label or a sentence.

    Its number is the "(Item 33)" that such pages print beside the meeting's name.
    """
    head = " ".join(line.text for line in lines[:12])
    stamp = _ITEM_OF_MEETING.search(head)
    for line in lines[:6]:
        text = _clean(line.text)
        if _PAGE_LABEL.match(text) or ":" in text[-1:] or not text[:1].isupper():
            continue
        if _looks_like_title(text) and len(text.split()) <= 15 and not _TERMINAL.search(text):
            return [AgendaItem(line.start, stamp.group(1) if stamp else None, text)]
        break
    return []


def subject_at(
    items: Sequence[AgendaItem], offset: int, in_section: bool = False
) -> AgendaItem | None:
    """The item holding ``offset``: the last one starting before it.

    A decision found in a report's recommendations section is about the report, so the
    section heading (and the report's other numbered sections) do not name it; only an
    agenda stamp before them would, else the caller falls back to the paper's title.
    """
    before = [i for i in items if i.start <= offset]
    if in_section or (before and before[-1].section):
        stamps = [i for i in before if i.stamp]
        return stamps[-1] if stamps else None
    return before[-1] if before else None
