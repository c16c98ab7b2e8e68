"""A table of contents: the numbered items of an agenda pack, each with its page number.

An agenda pack's second page lists its items, "4.  Annual complaints report 9", the
item's number, its title and the page its paper starts on.  Read a line at a time, each
of those lines is a numbered heading, so the list fell apart into one-line sections of a
heading and nothing under it, cut into passages of two or three items each, and a
question on what the meeting was to consider found no passage holding its agenda.

Here a run of numbered lines is a table of contents when the numbers rise one at a time,
at least ``MIN_PAGED`` of the entries (and at least half of them) end in a page number,
and those page numbers never fall.  An entry without a page (an item with no paper,
"2.  Apologies for absence") may stand between entries that have one, and a title wrapped
onto a second line takes its page number there ("... held on 24" / "September 2009 3").
The run becomes one ``contents`` block, which the chunker starts a passage with, and a
short line just above it that is not a sentence (its caption: "Agenda", the meeting's
date at the head of the page) goes with it, as a table's caption does.  A run of
years ("1. Review 2019", "2. Consultation 2020") is not one: a year is not a page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from ingest.models import Block

MIN_PAGED = 3  # entries with a page number before a run of numbered lines is a contents
WRAP_LINES = 3  # lines a wrapped entry's title (and its page number) may run on to
_ENTRY = re.compile(r"^(\d{1,3})\.?\s+(?=[A-Z‘“'\"(])")
# the page number that ends an entry, after its title or a leader ("....", "…")
_PAGE = re.compile(r"(?:\s*(?:\.{2,}|…+|_{2,}))?(?:^|\s+)(\d{1,4})$")
_YEAR = range(1900, 2100)
CAPTION_WORDS = 8  # words in the line just above a contents that is its caption
_TERMINAL = re.compile(r"[.,;:!?]$")


@dataclass(frozen=True)
class _Entry:
    number: int
    first: int  # index of its numbered line
    last: int  # index of the line holding its page number (or its numbered line)
    page: int | None


def _page(line: str) -> int | None:
    match = _PAGE.search(line)
    return int(match.group(1)) if match else None


def _entry_at(lines: Sequence[str], i: int) -> _Entry | None:
    """The entry whose numbered line is ``lines[i]``: with its wrapped lines when one of
    them ends in a page number and the next entry (or nothing numbered) follows it."""
    match = _ENTRY.match(lines[i])
    if match is None:
        return None
    number = int(match.group(1))
    for j in range(i + 1, min(i + 1 + WRAP_LINES, len(lines))):
        if _ENTRY.match(lines[j]):
            break
        following = _ENTRY.match(lines[j + 1]) if j + 1 < len(lines) else None
        page = _page(lines[j])
        if page is not None and following and int(following.group(1)) == number + 1:
            return _Entry(number, i, j, page)
    return _Entry(number, i, i, _page(lines[i][match.end() :]))


def _is_contents(run: list[_Entry]) -> bool:
    pages = [e.page for e in run if e.page is not None]
    return (
        len(pages) >= MIN_PAGED
        and 2 * len(pages) >= len(run)
        and all(a <= b for a, b in pairwise(pages))
        and pages[-1] > pages[0]
        and not all(p in _YEAR for p in pages)
    )


def contents_runs(lines: Sequence[str]) -> list[tuple[int, int]]:
    """(first, last) line indices of each table of contents in ``lines`` (non-blank lines)."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        entry = _entry_at(lines, i)
        if entry is None:
            i += 1
            continue
        run = [entry]
        while run[-1].last + 1 < len(lines):
            nxt = _entry_at(lines, run[-1].last + 1)
            if nxt is None or nxt.number != run[-1].number + 1:
                break
            run.append(nxt)
        if _is_contents(run):
            runs.append((run[0].first, run[-1].last))
        i = run[-1].last + 1
    return runs


def _is_caption(line: str) -> bool:
    return len(line.split()) <= CAPTION_WORDS and not _TERMINAL.search(line)


def _in_heading(offset: int, blocks: Sequence[Block]) -> bool:
    return any(b.kind == "heading" and b.start <= offset < b.end for b in blocks)


def mark_contents(
    text: str, starts: Sequence[int], ends: Sequence[int], blocks: list[Block]
) -> list[Block]:
    """``blocks`` with each table of contents made one ``contents`` block.

    ``starts``/``ends`` are the offsets of the text's non-blank lines (stripped); a block
    reaching past a contents' first or last line keeps its part outside.
    """
    lines = [text[s:e] for s, e in zip(starts, ends, strict=True)]
    out = blocks
    for first, last in contents_runs(lines):
        if first > 0 and _is_caption(lines[first - 1]) and not _in_heading(starts[first - 1], out):
            first -= 1  # its caption: the meeting's date, "Agenda", "Item  Page"
        lo, hi = starts[first], ends[last]
        kept: list[Block] = []
        for block in out:
            if block.end <= lo or block.start >= hi:
                kept.append(block)
                continue
            if block.start < lo:  # its lines before the contents
                before = max((e for e in ends if e <= lo and e > block.start), default=None)
                if before is not None:
                    kept.append(Block(block.kind, block.start, before, block.level))
            if block.end > hi:  # its lines after
                after = min((s for s in starts if s >= hi and s < block.end), default=None)
                if after is not None:
                    kept.append(Block(block.kind, after, block.end, block.level))
        kept.append(Block("contents", lo, hi))
        out = sorted(kept, key=lambda b: b.start)
    return out
