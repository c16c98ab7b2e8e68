"""Infer structural blocks in plain text and PDF text, where no markup tells us the structure.

A line is classified on its own (``classify_line``: agenda-item stamps, minute numbers,
numbered sections, ALL-CAPS and markdown headings, bullets, RESOLVED lines, table rows)
and then in context (``find_blocks``: short title lines, where a paragraph ends in
hard-wrapped PDF text, whose lines are separated by single newlines only, the numbered
clauses of a resolution ("1. That ..."), an item number on a line of its own above its
title, the items of a set of minutes, ``ingest.items``, and a table of contents,
``ingest.contents``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cqa_core.text import MONTH_NAMES
from ingest.contents import mark_contents
from ingest.items import item_starts
from ingest.models import Block, BlockKind

_AGENDA_ITEM = re.compile(r"^(?:Agenda\s+item|Item)\s+\d+[A-Za-z]?\b", re.IGNORECASE)
_SLIDE = re.compile(r"^Slide\s+\d+\b")
_MARKDOWN = re.compile(r"^(#{1,6})\s+\S")
_NUMBERED = re.compile(r"^(\d{1,3})\.?\s+(?=[A-Z‘“'\"(])(.+)$")
_SUBNUMBERED = re.compile(r"^\d{1,2}\.\d{1,2}\.?\s+(?=[A-Z])(.+)$")
_NUMBERED_PARA = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+\S")
_BULLET = re.compile(
    r"^(?:[-•·\uf0b7*▪◦–]\s+\S|"
    r"\((?:[a-zA-Z]|[ivxIVX]{1,4}|\d{1,2})\)(?:\s|$)|"
    r"(?:[a-z]|\d{1,2})\)\s+\S)"
)
_RESOLUTION = re.compile(
    r"^(?:RESOLVED|Resolved\b|RECOMMENDED|AGREED\b|DECISION\b|"
    r"That the (?:report|minutes|update|annual report|plan|presentation)\b.*"
    r"\bbe (?:noted|approved|agreed))"
)
# a numbered clause of a resolution ("1.    That the work programme be noted ...; and")
_THAT_CLAUSE = re.compile(r"^(?:\d{1,2}[.)]\s+)?That\s")
_PAGES_REF = re.compile(r"\s*\(Pages?\s[^)]*\)?\s*$")
_MONTH_START = re.compile(rf"^(?:{MONTH_NAMES})\b")
_NUMERIC_TOKEN = re.compile(r"^[£$(]?[-+]?\d[\d.,/]*%?\)?$|^[-–]$|^n/a$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)]*$")
_TERMINAL_PUNCT = re.compile(r"[.,;:!?]$")
_DANGLING = {"and", "or", "of", "the", "to", "for", "in", "with", "a", "an", "by", "on", "at"}
_MAX_CAPS_HEADING = 40  # words in an upper-case numbered heading
_NOT_TITLE = re.compile(r"^(?:Table|Figure|Source|Chart|Page)\b")
# a field of a meeting's front matter ("Venue: Jeffrey Room, ...", "Contact: James Edmunds,
# Democratic Services  Email: ...@...") is not a title, so the front matter stays one passage
_FIELD = re.compile(
    r"^(?:Venue|Contact|Enquiries to|Place|Location|E-?mail|Tel|Telephone):\s+\S|\S@\w[\w-]*\.\w",
    re.IGNORECASE,
)
# a person named by an honorific and initials or a first name before the surname ("Dr M Foxley",
# "Ms C Bateson (Chair)", "Cllr Jane Ross"); an honorific before one word is an office
# ("Lord Mayor")
# (the honorifics and the surname's form are public: the abstention's check of a person asked,
# ``qa_service.asked_kind_shown``, reads a name by them too)
SURNAME = r"(?:Ma?c|O[’']|D[’'])?[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)?"
HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Cllr|Councillor|Sir|Dame|Lord|Lady|Rev|Revd)"
_PERSON = re.compile(
    HONORIFIC
    + r"\.?\s+(?:(?:[A-Z]\.?\s*){1,3}\s|[A-Z][a-z]+\s+)"
    + SURNAME
    + r"(?:\s+\([^()]{1,40}\))?"
)
# an item's number on a line of its own, its title on the next ("76." then "Apologies ...")
_BARE_NUMBER = re.compile(r"^\d{1,4}\.$")  # with its point: a page number has none
_SENTENCE_STOP = re.compile(r"[.!?;][\"'”’)]*$")
# a heading's own number ("4 AUDITED ...", "12. Budget"), not a section's "2.1"
_SIBLING_NUMBER = re.compile(r"(\d{1,3})(\.?)[ \t]+(?=[A-Z‘“'\"(])")
SIBLING_STEP = 3  # the largest step between numbered siblings (an item may be left out)
ITEM_TITLE_WORDS = 30  # words in the title under a bare item number ("... pdf icon PDF 85 KB")
# the reference that closes a minute's title: "(Agenda item 4)", "(Item 12)"
_ITEM_REFERENCE = re.compile(r"\((?:Agenda\s+)?item\s+\d+[A-Za-z]?\)$", re.IGNORECASE)
WRAP_WORDS = 8  # words in the wrapped tail of an upper-case numbered title
PROSE_HEADING_WORDS = 16  # words past which a mixed-case heading ending on a stop is prose


@dataclass
class Line:
    """One non-blank line of a text: its stripped content and that content's offsets."""

    start: int
    end: int
    text: str


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 4:
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= 0.85


def _is_table_row(text: str) -> bool:
    if _SENTENCE_END.search(text) and text.endswith("."):
        return False
    if "\t" in text.strip() or text.count(" | ") >= 1:
        return True
    tokens = text.split()
    numeric = [bool(_NUMERIC_TOKEN.match(t)) for t in tokens]
    if len(tokens) >= 3 and numeric[-1] and numeric[-2]:
        return True
    return sum(numeric) >= 3 and sum(numeric) / len(tokens) >= 0.3


def classify_line(text: str) -> tuple[BlockKind, int] | None:
    """Classify one stripped line on its own: ``(kind, heading level)``, or None for plain text.

    A returned ``("paragraph", 0)`` marks a numbered paragraph ("2.1 The service ..."), which
    always starts a new block.
    """
    words = text.split()
    n = len(words)
    no_stop = not _TERMINAL_PUNCT.search(text)
    if _AGENDA_ITEM.match(text) and n <= 16 and not text.endswith("."):
        return ("heading", 1)
    if _MARKDOWN.match(text):
        return ("heading", len(text) - len(text.lstrip("#")))
    if _SLIDE.match(text) and n <= 16 and no_stop:
        return ("heading", 2)
    if _RESOLUTION.match(text):
        return ("resolution", 0)
    if _BULLET.match(text):
        return ("list_item", 0)
    if _THAT_CLAUSE.match(text) and text[0].isdigit():
        return ("paragraph", 0)  # a resolution's numbered clause, never a heading
    numbered = _NUMBERED.match(_PAGES_REF.sub("", text))  # agenda lines end "(Pages 5 - 8)"
    if (
        numbered
        # an upper-case item title may run long ("19. OFSTED INSPECTION OF SERVICES FOR ...")
        and (n <= 16 or (n <= _MAX_CAPS_HEADING and _is_caps(numbered.group(2))))
        and no_stop
        and not _MONTH_START.match(numbered.group(2))
        and not _is_table_row(numbered.group(2))
    ):
        return ("heading", 1 if _is_caps(numbered.group(2)) else 2)
    sub = _SUBNUMBERED.match(text)
    if sub and n <= 8 and no_stop and not _is_table_row(sub.group(1)):
        return ("heading", 3)
    if _NUMBERED_PARA.match(text):
        return ("paragraph", 0)
    if n >= 2 and n <= 15 and _is_caps(text) and not _is_table_row(text):
        return ("heading", 2)
    if _is_table_row(text):
        return ("table_row", 0)
    return None


def continues_title(first: str, second: str) -> bool:
    """Whether line ``second`` is the wrapped tail of the upper-case numbered title on line
    ``first`` ("4 AUDITED FINAL ACCOUNTS 2008/09 AND USE OF RESOURCES" at the foot of a page,
    "JUDGEMENT (Agenda item 4)" at the head of the next).

    The tail is upper case (outside its brackets), has no number of its own, no closing stop
    and at most ``WRAP_WORDS`` words, and the title is plainly unfinished without it: the
    first line ends on a word a title does not end on ("... AND"), or the tail closes with
    the item's reference ("(Agenda item 4)") that the first line lacks.
    """
    first, second = first.strip(), second.strip()
    numbered = _NUMBERED.match(_PAGES_REF.sub("", first))
    if numbered is None or not _is_caps(numbered.group(2)) or first.endswith(")"):
        return False
    words = re.sub(r"\([^()]*\)", "", second)  # a bracket's letters count for no case
    if not _is_caps(words) or second[:1].isdigit() or _MONTH_START.match(second.title()):
        return False
    if _TERMINAL_PUNCT.search(second) or len(second.split()) > WRAP_WORDS:
        return False
    return first.split()[-1].lower() in _DANGLING or bool(_ITEM_REFERENCE.search(second))


def _is_names(text: str) -> bool:
    """A line of people's names ("Dr M Foxley, Dr C Stark, Ms S Amor"): an attendance list's
    line, not a title."""
    parts = [part.strip() for part in re.split(r",|\band\b", text)]
    return all(_PERSON.fullmatch(part) for part in parts)


def _looks_like_title(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 10 or _TERMINAL_PUNCT.search(text):
        return False
    if not text[0].isupper() or _NOT_TITLE.match(text) or words[-1].lower() in _DANGLING:
        return False
    if _FIELD.search(text) or _is_names(text):
        return False
    return sum(c.isdigit() for c in text) <= 4


def split_lines(text: str) -> list[Line | None]:
    """Lines with the offsets of their stripped content; None for a blank line."""
    out: list[Line | None] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + raw.index(stripped[0])
            out.append(Line(start, start + len(stripped), stripped))
        else:
            out.append(None)
        pos += len(raw) + 1
    return out


def _is_hard_wrapped(lines: list[Line]) -> bool:
    lengths = sorted(len(line.text) for line in lines)
    return bool(lengths) and lengths[int(0.9 * (len(lengths) - 1))] <= 110


def find_blocks(text: str, wrapped: bool | None = None) -> list[Block]:
    """Split ``text`` into headings, paragraphs, list items, resolutions and table rows.

    ``wrapped`` says whether lines are hard-wrapped (PDF text: a paragraph runs over
    several lines); None detects it from the line lengths.
    """
    lines = split_lines(text)
    present = [line for line in lines if line is not None]
    if not present:
        return []
    if wrapped is None:
        wrapped = _is_hard_wrapped(present)
    width = sorted(len(line.text) for line in present)[int(0.9 * (len(present) - 1))]
    items = item_starts(text, [line.start for line in present])  # minutes items open blocks

    blocks: list[list] = []  # [kind, start, end, level]
    prev: Line | None = None
    blank_before = True
    for i, line in enumerate(lines):
        if line is None:
            blank_before = True
            continue
        nxt = next((x for x in lines[i + 1 : i + 2] if x is not None), None)
        blank_after = nxt is None
        cls = classify_line(line.text)
        if line.start in items and (cls is None or cls[0] == "table_row"):
            cls = ("paragraph", 0)
        prev_ends = prev is None or bool(_SENTENCE_END.search(prev.text))
        cur = blocks[-1] if blocks else None
        if cls is None and _looks_like_title(line.text):
            alone = not wrapped and blank_before and blank_after
            if alone or (
                wrapped
                and (prev_ends or (cur is not None and cur[0] == "heading"))
                and nxt is not None
                and (nxt.text[0].isupper() or nxt.text[0].isdigit() or _BULLET.match(nxt.text))
                and len(nxt.text) > len(line.text) + 10
            ):
                cls = ("heading", 3)
        kind, level = cls if cls is not None else ("paragraph", 0)
        starts_new = (
            cur is None
            or cls is not None
            or cur[0] in ("heading", "table_row")
            or blank_before
            or not wrapped
            or (
                prev is not None
                and prev_ends
                and len(prev.text) < 0.75 * width
                and (line.text[0].isupper() or line.text[0].isdigit() or line.text[0] in "‘“'\"(")
            )
        )
        if (
            cur is not None
            and cur[0] == "heading"
            and prev is not None
            and cur[1] == prev.start
            and not blank_before
            and continues_title(prev.text, line.text)
        ):
            starts_new = False  # an upper-case title wrapped onto the next line (or page)
        if (
            cur is not None
            and cur[0] == "heading"
            and cls is None
            and wrapped
            and not blank_before
            and prev is not None
            and len(prev.text) >= 0.6 * width
            and not line.text[0].isupper()
        ):
            starts_new = False  # a long heading wrapped onto a second line
        in_resolution = cur is not None and cur[0] == "resolution"
        if in_resolution and (
            kind == "list_item"
            or (kind == "paragraph" and (not starts_new or bool(_THAT_CLAUSE.match(line.text))))
        ):
            starts_new = False  # lettered/numbered items of a RESOLVED block
        if starts_new or cur is None:
            blocks.append([kind, line.start, line.end, level])
        else:
            cur[2] = line.end
        prev = line
        blank_before = False

    out = [
        part
        for b in blocks
        for part in _prose_heading(text, Block(kind=b[0], start=b[1], end=b[2], level=b[3]))
    ]
    # an agenda's table of contents ("4.  Annual complaints report 9") is one block, not
    # a heading a line
    out = mark_contents(text, [x.start for x in present], [x.end for x in present], out)
    return _demote_inside_agenda_items(text, _level_siblings(text, _number_with_title(text, out)))


def _prose_heading(text: str, block: Block) -> list[Block]:
    """A "heading" whose first line read as a numbered title but which runs on, its next line
    in lower case, into a paragraph's sentences ("1 Members are advised to make declarations of
    personal or prejudicial interests they may" / "have in relation to any item on this
    agenda.  Members may ..."): more than ``PROSE_HEADING_WORDS`` words, not upper case, and
    ending on a sentence's stop, it is that paragraph under its number ("1"), not an item's
    title: the number stays a heading, so the paragraph opens a section as before."""
    if block.kind != "heading":
        return [block]
    body = text[block.start : block.end]
    first, _, rest = body.partition("\n")
    numbered = _NUMBERED.match(first.strip())
    if (
        rest.strip()[:1].islower()  # the title's line ran on into a sentence's words
        and numbered is not None
        and len(body.split()) > PROSE_HEADING_WORDS
        and _SENTENCE_STOP.search(body)
        and not _is_caps(body)
    ):
        number_end = block.start + len(numbered.group(1))
        text_start = (
            number_end
            + len(body[len(numbered.group(1)) :])
            - len(body[len(numbered.group(1)) :].lstrip(" \t."))
        )
        return [
            Block("heading", block.start, number_end, block.level),
            Block("paragraph", text_start, block.end, 0),
        ]
    return [block]


def _level_siblings(text: str, blocks: list[Block]) -> list[Block]:
    """A numbered heading that follows the heading of the number before it, written the
    same way ("2 MINUTES ... (Agenda item 3)" after "1 DECLARATIONS OF INTEREST"), is that
    heading's sibling and takes its level: it closes the item before it rather than nest
    under it.  Levels came from each line's own case, so a lower-case tail ("(Agenda item
    3)") or a mixed-case title put one item of a run below the one before."""
    out: list[Block] = []
    last: tuple[int, str, int] | None = None  # number, its separator, level
    for block in blocks:
        numbered = (
            _SIBLING_NUMBER.match(text, block.start, block.end) if block.kind == "heading" else None
        )
        if numbered is None:
            out.append(block)
            continue
        number, separator = int(numbered.group(1)), numbered.group(2)
        if last is not None and separator == last[1] and 1 <= number - last[0] <= SIBLING_STEP:
            block = Block("heading", block.start, block.end, last[2])
        last = (number, separator, block.level)
        out.append(block)
    return out


def _number_with_title(text: str, blocks: list[Block]) -> list[Block]:
    """An item number standing on a line of its own ("76.") and the title line after it
    (a web page's minutes, exported as text) become one heading; the number had been left
    at the end of the item before, and the title read as a heading only when short."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        title = blocks[i + 1] if i + 1 < len(blocks) else None
        if title is not None and _BARE_NUMBER.match(text[block.start : block.end].strip()):
            line = text[title.start : title.end]
            if (
                "\n" not in line
                and title.kind in ("heading", "paragraph")
                and len(line.split()) <= ITEM_TITLE_WORDS
                and (line[0].isupper() or line[0].isdigit())
                and not _SENTENCE_STOP.search(line)
            ):
                level = title.level if title.kind == "heading" else 2
                out.append(Block("heading", block.start, title.end, min(level, 2)))
                i += 2
                continue
        out.append(block)
        i += 1
    return out


def _demote_inside_agenda_items(text: str, blocks: list[Block]) -> list[Block]:
    """In an agenda pack, headings after an "Agenda Item N" stamp sit below it (level >= 2)."""
    out: list[Block] = []
    seen_stamp = False
    for block in blocks:
        if block.kind == "heading":
            if _AGENDA_ITEM.match(text[block.start : block.end]) and block.level == 1:
                seen_stamp = True
            elif seen_stamp and block.level < 2:
                block = Block("heading", block.start, block.end, 2)
        out.append(block)
    return out
