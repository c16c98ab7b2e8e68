"""Pack structural blocks into retrievable passages of about ``min_words``..``max_words`` words.

A passage never crosses a heading: the blocks under one heading (a section) are packed
together, and a section's heading (with any headings directly above it that have no text
of their own) opens its first passage.  Over-long blocks are split at sentence boundaries,
and a single over-long sentence at word boundaries.  Every passage is an exact slice of the
document text with no surrounding whitespace.

A table of contents (``ingest.contents``) opens a section of its own, under the
headings above it, and the text after it stays with it.

A table (a run of rows of figures, ``_table_blocks``) is a passage of its own, kept as
rows and flagged ``is_table``: packed with prose, a budget table's bare figures would
outweigh the sentence beside them for every question.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable

from cqa_core.limits import IngestLimits
from ingest.models import Block, Passage

Span = tuple[int, int]

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(£\[]?[A-Z0-9£•\uf0b7-])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Cllr|Prof|No|Nos|St|para|paras|e\.g|i\.e|etc|cf|vs|approx)\.|"
    r"\b[A-Z]\.)$"
)
_WORD = re.compile(r"\S+")
# A figure as a table cell writes it: "£21,000", "£ 5,000" (the "£" alone), "12.5%", "(340)".
_FIGURE = re.compile(
    r"^(?!\d{1,2}/\d{1,2}/\d{2,4}$)"  # a date is not a figure
    r"(?:[£$€]|[£$€(]?[-+]?\d[\d.,/]*(?:%|k|m|bn)?\)?|[-–]|n/a)$",
    re.IGNORECASE,
)
_ENDS_SENTENCE = re.compile(r"[.!?:;][\"'”’)]*$")
_INNER_SENTENCE = re.compile(r"[a-z]\.\s+[A-Z]")  # "... recent years. There were 312 ..."
LABEL_WORDS = 10  # a row label on a line of its own ("Insurance, Technical")
CAPTION_WORDS = 30  # a table's caption or header above its first row
ROW_WORDS = 10  # a "label  figure" row: longer lines ending in a number are prose


def _words(text: str) -> int:
    return len(text.split())


def _sentence_spans(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans inside ``text[start:end]`` (abbreviations such as "Mr." do not end one)."""
    spans: list[Span] = []
    cur = start
    for match in _SENTENCE_BREAK.finditer(text, start, end):
        if _ABBREVIATION.search(text, max(start, match.start() - 8), match.start()):
            continue
        cut = match.start()
        while cut > cur and text[cut - 1].isspace():
            cut -= 1
        if cut > cur:
            spans.append((cur, cut))
        cur = match.end()
    if cur < end:
        spans.append((cur, end))
    return spans


def _word_windows(text: str, start: int, end: int, max_words: int) -> list[Span]:
    """Split one over-long sentence into pieces of at most ``max_words`` words."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
    n = math.ceil(len(words) / max_words)
    size = math.ceil(len(words) / n)
    last = len(words) - 1
    return [(words[i][0], words[min(i + size - 1, last)][1]) for i in range(0, len(words), size)]


def _units(
    text: str, block: Block, max_words: int, cuts: set[int], force: bool = False
) -> list[Span]:
    """A block as one unit, or as sentence-sized units when it is over ``max_words``.

    An over-long sentence is cut into word windows; where each window after the first
    starts goes into ``cuts``, so that those pieces are not glued together again.
    """
    if not force and _words(text[block.start : block.end]) <= max_words:
        return [(block.start, block.end)]
    units: list[Span] = []
    for s, e in _sentence_spans(text, block.start, block.end):
        if _words(text[s:e]) > max_words:
            windows = _word_windows(text, s, e, max_words)
            cuts.update(start for start, _ in windows[1:])
            units.extend(windows)
        else:
            units.append((s, e))
    return units


_OPEN_END = re.compile(r"[a-z,]$")
_CONTINUES = re.compile(r"^[a-z0-9(£]")


def _glue_broken_sentences(
    text: str, units: list[Span], max_words: int, cuts: set[int]
) -> list[Span]:
    """Join a unit that stops mid-sentence (e.g. at a PDF page break) to the unit that
    continues it, so a sentence is never cut between two passages; except where the
    sentence was cut on purpose (``cuts``: it was longer than ``max_words`` on its own)."""
    out: list[Span] = []
    for start, end in units:
        if out and start not in cuts:
            prev = text[out[-1][0] : out[-1][1]].rstrip()
            if (
                _OPEN_END.search(prev)
                and _CONTINUES.match(text[start:end].lstrip())
                and _words(text[out[-1][0] : end]) <= max_words + max_words // 2
            ):
                out[-1] = (out[-1][0], end)
                continue
        out.append((start, end))
    return out


def _pack(
    text: str, units: list[Span], min_words: int, max_words: int, cuts: set[int]
) -> list[Span]:
    """Greedily pack units of one section into balanced spans, then merge tiny leftovers."""
    units = _glue_broken_sentences(text, units, max_words, cuts)
    counts = [_words(text[s:e]) for s, e in units]
    total = sum(counts)
    target = total / max(1, math.ceil(total / max_words))
    groups: list[list[int]] = []
    size = 0
    for i, count in enumerate(counts):
        if groups and size + count <= max_words and not (size >= target and size >= min_words):
            groups[-1].append(i)
            size += count
        else:
            groups.append([i])
            size = count
    spans = [(units[g[0]][0], units[g[-1]][1]) for g in groups]
    merged: list[Span] = []
    for span in spans:
        if merged:
            last = merged[-1]
            small = (
                _words(text[span[0] : span[1]]) < min_words
                or _words(text[last[0] : last[1]]) < min_words
            )
            if small and _words(text[last[0] : span[1]]) <= max_words:
                merged[-1] = (last[0], span[1])
                continue
        merged.append(span)
    return merged


def _row_strength(line: str) -> int:
    """2 for a row of figures ("Adult Social Care  62,100  65,300  3,200"), 1 for a short
    "label  figure" line that is not a sentence ("CBSO fees  £21,000"), 0 for prose."""
    if (_ENDS_SENTENCE.search(line) and not line.endswith(")")) or _INNER_SENTENCE.search(line):
        return 0
    tokens = [t for t in line.split() if t != "|"]
    # a "£" or "-" standing alone is a cell, not a figure of its own
    figures = [bool(_FIGURE.match(t)) and any(c.isdigit() for c in t) for t in tokens]
    # but the dashes after the figures of a row of several columns are its empty cells
    # ("Contacts received 7,412 7,955 7,688 - -": no target, no England figure)
    empty = len(tokens) - len(" ".join(tokens).rstrip(" -–").split()) if sum(figures) > 2 else 0
    if sum(figures) >= 2 and sum(figures) + empty >= 0.3 * len(tokens):
        return 2
    if 2 <= len(tokens) <= ROW_WORDS and figures[-1]:
        return 1
    return 0


def _caption(text: str, block: Block) -> bool:
    """A paragraph just above a table that is not a sentence: its caption, its column
    headers, or the label of its first row ("First time entrants per 100,000 ...")."""
    body = text[block.start : block.end]
    return (
        block.kind == "paragraph"
        and len(body.split()) <= CAPTION_WORDS
        and not _ENDS_SENTENCE.search(body)
        and not _INNER_SENTENCE.search(body)
    )


def _table_blocks(text: str, blocks: list[Block]) -> set[int]:
    """Indices of ``blocks`` that belong to a table.

    A table is a run of one-line blocks that are rows of figures (``_row_strength``) with,
    between rows, short label lines of their own ("Insurance, Technical"), and above it a
    caption that is not a sentence (``_caption``).  A run counts
    when it holds two rows of several figures or three rows of any sort, so one line of
    prose ending in an amount stays prose, and a table of text (a web page's layout table)
    is not a table of figures.
    """
    out: set[int] = set()
    run: list[int] = []  # the blocks of the current run, up to its last row
    labels: list[int] = []  # label lines seen since the last row
    counts = [0, 0]  # rows, rows of several figures

    def close() -> None:
        if counts[1] >= 2 or counts[0] >= 3:
            out.update(run)
        run.clear()
        labels.clear()
        counts[:] = [0, 0]

    for i, block in enumerate(blocks):
        body = text[block.start : block.end]
        one_line = "\n" not in body and block.kind in ("table_row", "paragraph")
        strength = _row_strength(body) if one_line else 0
        if strength:
            if not run and i > 0 and _caption(text, blocks[i - 1]):
                run.append(i - 1)  # its caption, header row or the first row's label
            run.extend(labels)
            labels.clear()
            run.append(i)
            counts[0] += 1
            counts[1] += strength == 2
        elif (
            run
            and one_line
            and len(body.split()) <= LABEL_WORDS
            and not _ENDS_SENTENCE.search(body)
        ):
            labels.append(i)
        else:
            close()
    close()
    return out


def passage_id_for(document_id: str, start: int, end: int, text: str) -> str:
    """Stable id: first 20 hex chars of sha256 over document id, offsets and text."""
    raw = f"{document_id}|{start}|{end}|{text}".encode()
    return hashlib.sha256(raw).hexdigest()[:20]


def chunk(
    text: str,
    blocks: list[Block],
    document_id: str,
    min_words: int = IngestLimits.min_words,
    max_words: int = IngestLimits.max_words,
    page_at: Callable[[int], int | None] | None = None,
) -> list[Passage]:
    """Turn ordered, non-overlapping ``blocks`` of ``text`` into passages (see module doc)."""
    stack: list[tuple[int, str]] = []
    # Each section: (heading path, units, is a table); a run of headings with no text opens
    # the next one, and so does a change from prose to a table or back.
    sections: list[tuple[tuple[str, ...], list[Span], bool]] = []
    pending: list[Span] = []
    cuts: set[int] = set()  # where over-long sentences were cut into windows
    body_seen = True
    ordered = [
        b
        for b in sorted(blocks, key=lambda b: b.start)
        if b.end > b.start and text[b.start : b.end].strip()
    ]
    tables = _table_blocks(text, ordered)
    for index, block in enumerate(ordered):
        if block.kind == "heading":
            level = max(1, block.level)
            while stack and stack[-1][0] >= level:
                stack.pop()
            heading = " ".join(text[block.start : block.end].split())
            heading = heading.lstrip("#").strip() or heading  # markdown "## Title"
            stack.append((level, heading))
            if body_seen:
                pending = []
                body_seen = False
            pending.append((block.start, block.end))
            continue
        in_table = index in tables
        units = [(block.start, block.end)] if in_table else _units(text, block, max_words, cuts)
        # a table of contents opens a passage: packed with the cover page above it, the
        # agenda would read as front matter
        opens = block.kind == "contents"
        if opens or not body_seen or not sections or sections[-1][2] != in_table:
            path = tuple(h for _, h in stack)
            if pending:
                # the heading joins the first unit, so a heading is never a passage on its own
                if _words(text[pending[0][0] : units[0][1]]) > max_words:
                    units = _units(text, block, max_words, cuts, force=True)
                if _words(text[pending[0][0] : units[0][1]]) > max_words:
                    # a run of headings with no text between: only the innermost joins it
                    # (the others stay in the heading path), so the cap holds
                    pending = pending[-1:]
                units[0] = (pending[0][0], units[0][1])
                pending = []
            sections.append((path, units, in_table))
            body_seen = True
        else:
            sections[-1][1].extend(units)
    if pending:
        sections.append((tuple(h for _, h in stack), [(pending[0][0], pending[-1][1])], False))

    passages: list[Passage] = []
    for path, units, is_table in sections:
        for start, end in _pack(text, units, min_words, max_words, cuts):
            body = text[start:end]
            passages.append(
                Passage(
                    passage_id=passage_id_for(document_id, start, end, body),
                    document_id=document_id,
                    ordinal=len(passages),
                    char_start=start,
                    char_end=end,
                    text=body,
                    page=page_at(start) if page_at else None,
                    heading_path=path,
                    is_table=is_table,
                )
            )
    return passages
