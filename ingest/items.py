"""The numbered items of a set of minutes, each under a heading of its own.

Parish and town councils number their minutes in runs: a running minute number
("2692. Public Forum:  Mr Langton ...", "3048.Police Report: ...", "3466.<tab>Police
Reports: ..."), or a dated number ("21.01.05  Village Green").  The item's title and its
first sentence often share a line ("2698. Planning Permissions:- DM/2019/00679 ..."), so
no line of the item reads as a heading on its own, and its passages kept the heading of
the last line that did: a whole meeting's items sat under "813. Election of
Sub-Committee Representatives".  Here the number and title that open an item are split
off as a heading (the title runs to its colon, or is the whole first line when that line
is a title), or the number alone when the item has no title.  A web page's item row
flattened onto one line, its title, the labels of its empty fields and its text
("Apologies for Absence Additional documents: Minutes: Apologies for absence were ..."),
has its title split off the same way (``split_labelled_heads``).

A running number counts only from 100 and inside a rising run of at least ``RUN`` numbers
in the document, a step at most ``STEP`` apart, so a year at the start of a wrapped line
("2023. The Chair asked ...") is not an item, and neither are a report's numbered
sections ("1. Purpose of the report", already headings) or the items of a list.  A line
that already reads as a heading keeps its colon ("80. TEMPORARY ACCOMMODATION:
ACQUISITION PROGRAMME") unless what follows the colon is a sentence's text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.models import Block

RUN = 3  # numbers in a rising run before a running number opens an item
STEP = 3  # the largest step between neighbours of a run (an item may be left out)
TITLE_WORDS = 12  # words in an item's title
ITEM_LEVEL = 2

# "2692. Public", "3048.Police", "3466.\tPolice", "805.  Apologies"
_RUNNING = re.compile(r"(\d{1,5})(?:\.[ \t]*|\t+)(?=[A-Z‘“'\"(])")
# "21.01.05  Election of Chair": a dated item number of three parts
_DATED = re.compile(r"\d{1,2}\.\d{1,2}\.\d{1,3}\.?[ \t]+(?=[A-Z‘“'\"(])")
# the title up to its colon: "Planning Permissions:-", "Public Forum:"
_TITLE_COLON = re.compile(r"([^:\n]{1,120}?)[ \t]*:[-–]?(?=\s|$)")
_SENTENCE_INSIDE = re.compile(r"[.!?;][\"'”’)]*\s+\S")
_TERMINAL = re.compile(r"[.,;!?]$")
_NOT_TITLE = re.compile(r"^(?:That|To note|RESOLVED|Resolved)\b")
_DANGLING = {"and", "or", "of", "the", "to", "for", "in", "with", "a", "an", "by", "on", "at"}
# a web page's item row flattened onto one line: the title, then the labels of its fields,
# the first with no value, then the text ("Apologies for Absence Additional documents:
# Minutes: Apologies for absence were received ...")
_EMPTY_FIELD = re.compile(r"[ \t]+(?:[A-Z][a-z]+(?:[ \t][a-z]+){0,2}:(?:[ \t]+|$)){2,}")
LABELLED_TITLE_WORDS = 20  # words in the title before the labels


def _number(text: str, start: int) -> tuple[int, int] | None:
    """(number, end of the number token) of a running number opening ``text`` at ``start``."""
    match = _RUNNING.match(text, start)
    if match is None:
        return None
    return int(match.group(1)), match.end()


def _is_text(part: str) -> bool:
    """Whether what follows a heading's colon is a sentence's text, not a subtitle."""
    letters = [c for c in part if c.isalpha()]
    caps = bool(letters) and sum(c.isupper() for c in letters) >= 0.85 * len(letters)
    return not caps and ("," in part or bool(_TERMINAL.search(part.strip())))


def _title_end(text: str, start: int, end: int, heading: bool = False) -> int | None:
    """Where an item's title that starts at ``start`` ends: after its colon, or at the end
    of a first line that is a title; None when the item has no title.  In a ``heading``
    the colon ends the title only before a sentence's text (``_is_text``)."""
    line_end = text.find("\n", start, end)
    line_end = end if line_end < 0 else line_end
    colon = _TITLE_COLON.match(text, start, line_end)
    if colon is not None and heading and not _is_text(text[colon.end() : end]):
        return end
    if colon is not None:
        title = colon.group(1).strip()
        if (
            title
            and len(title.split()) <= TITLE_WORDS
            and not _SENTENCE_INSIDE.search(title)
            and not _NOT_TITLE.match(title)
        ):
            return colon.end()
    line = text[start:line_end].strip()
    words = line.split()
    if (
        words
        and len(words) <= TITLE_WORDS
        and not _TERMINAL.search(line)
        and words[-1].lower() not in _DANGLING
        and not _NOT_TITLE.match(line)
        and (line_end == end or text[line_end:end].lstrip()[:1].isupper())
    ):
        return start + len(text[start:line_end].rstrip())
    return None


def _rising_runs(numbers: Sequence[tuple[int, int]]) -> set[int]:
    """Of ``(position, number)`` pairs in document order, the positions inside a rising run
    of at least ``RUN`` numbers, each at most ``STEP`` above the one before."""
    out: set[int] = set()
    runs: list[list[tuple[int, int]]] = []
    for position, number in numbers:
        for run in runs:
            if 1 <= number - run[-1][1] <= STEP:
                run.append((position, number))
                break
        else:
            runs.append([(position, number)])
    for run in runs:
        if len(run) >= RUN:
            out.update(position for position, _ in run)
    return out


def item_starts(text: str, starts: Sequence[int]) -> dict[int, int]:
    """Of candidate line or block ``starts``, those that open a minutes item, each with the
    end of its number token."""
    found: dict[int, int] = {}
    running: list[tuple[int, int]] = []
    ends: dict[int, int] = {}
    for start in starts:
        dated = _DATED.match(text, start)
        if dated is not None:
            found[start] = dated.end()
            continue
        numbered = _number(text, start)
        if numbered is None:
            continue
        number, end = numbered
        if number < 100:
            continue
        running.append((start, number))
        ends[start] = end
    for start in _rising_runs(running):
        found[start] = ends[start]
    return found


def _after_space(text: str, start: int, end: int) -> int:
    """The offset of the first character of ``text[start:end]`` that is not white space
    (``end`` when there is none): where the text after a split-off heading starts."""
    segment = text[start:end]
    return start + len(segment) - len(segment.lstrip())


def split_item_heads(text: str, blocks: Sequence[Block]) -> list[Block]:
    """``blocks`` with the number and title that open each minutes item (``item_starts``)
    split off as a heading of its own; offsets stay exact."""
    ordered = sorted(blocks, key=lambda b: b.start)
    starts = item_starts(
        text, [b.start for b in ordered if b.kind not in ("list_item", "contents")]
    )
    out: list[Block] = []
    for block in ordered:
        number_end = starts.get(block.start)
        if number_end is None or block.kind in ("list_item", "resolution", "contents"):
            out.append(block)
            continue
        heading = block.kind == "heading"
        head_end = _title_end(text, number_end, block.end, heading)
        if head_end is None:  # no title: the number alone, or the heading as it was
            head_end = block.end if heading else number_end
        head_end = block.start + len(text[block.start : head_end].rstrip())
        out.append(Block("heading", block.start, head_end, block.level if heading else ITEM_LEVEL))
        rest = _after_space(text, head_end, block.end)
        if rest < block.end:
            kind = "paragraph" if block.kind == "heading" else block.kind
            out.append(Block(kind, rest, block.end, 0))
    return out


def split_labelled_heads(text: str, blocks: Sequence[Block]) -> list[Block]:
    """``blocks`` with the title that opens a line before an empty field's label and the
    next label ("... Absence Additional documents: Minutes: ...") split off as a heading.

    Two labels in a row are the mark: a sentence may hold one ("The Chair said: ..."), but
    a label with no value before the next is a form's field, so what comes before it is the
    row's title and what comes after them its text.  The labels stay between the blocks.
    """
    out: list[Block] = []
    for block in blocks:
        line_end = text.find("\n", block.start, block.end)
        line_end = block.end if line_end < 0 else line_end
        labels = _EMPTY_FIELD.search(text, block.start, line_end)
        title = text[block.start : labels.start()] if labels else ""
        if (
            labels is None
            or block.kind not in ("paragraph", "heading")
            or not 1 <= len(title.split()) <= LABELLED_TITLE_WORDS
            or not (title[0].isupper() or title[0].isdigit())
            or _SENTENCE_INSIDE.search(title)
        ):
            out.append(block)
            continue
        level = block.level if block.kind == "heading" else ITEM_LEVEL
        out.append(Block("heading", block.start, labels.start(), level))
        rest = _after_space(text, labels.end(), block.end)
        if rest < block.end:
            out.append(Block("paragraph", rest, block.end, 0))
    return out
