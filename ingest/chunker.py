"""Pack structural blocks into retrievable passages of about ``min_words``..``max_words`` words.

A passage never crosses a heading: the blocks under one heading (a section) are packed
together, and a section's heading (with any headings directly above it that have no text
of their own) opens its first passage.  Over-long blocks are split at sentence boundaries,
and a single over-long sentence at word boundaries.  Every passage is an exact slice of the
document text with no surrounding whitespace.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable

from ingest.models import Block, Passage

Span = tuple[int, int]

_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(£\[]?[A-Z0-9£•\uf0b7-])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Cllr|Prof|No|Nos|St|para|paras|e\.g|i\.e|etc|cf|vs|approx)\.|"
    r"\b[A-Z]\.)$"
)
_WORD = re.compile(r"\S+")


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


def passage_id_for(document_id: str, start: int, end: int, text: str) -> str:
    """Stable id: first 20 hex chars of sha256 over document id, offsets and text."""
    raw = f"{document_id}|{start}|{end}|{text}".encode()
    return hashlib.sha256(raw).hexdigest()[:20]


def chunk(
    text: str,
    blocks: list[Block],
    document_id: str,
    min_words: int = 60,
    max_words: int = 275,
    page_at: Callable[[int], int | None] | None = None,
) -> list[Passage]:
    """Turn ordered, non-overlapping ``blocks`` of ``text`` into passages (see module doc)."""
    stack: list[tuple[int, str]] = []
    # Each section: (heading path, units); a run of headings with no text opens the next one.
    sections: list[tuple[tuple[str, ...], list[Span]]] = []
    pending: list[Span] = []
    cuts: set[int] = set()  # where over-long sentences were cut into windows
    body_seen = True
    for block in sorted(blocks, key=lambda b: b.start):
        if block.end <= block.start or not text[block.start : block.end].strip():
            continue
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
        units = _units(text, block, max_words, cuts)
        if not body_seen or not sections:
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
            sections.append((path, units))
            body_seen = True
        else:
            sections[-1][1].extend(units)
    if pending:
        sections.append((tuple(h for _, h in stack), [(pending[0][0], pending[-1][1])]))

    passages: list[Passage] = []
    for path, units in sections:
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
                )
            )
    return passages
