"""Clean-up of PDF text that keeps every offset: private-use glyphs and hard line breaks.

Both rewrites replace one character by one character, so ``page_starts``, the structural
blocks and every passage's ``char_start``/``char_end`` computed on the raw text stay exact
on the cleaned text, and the document text served to readers is the cleaned one.

* Word and PowerPoint write list bullets in the Symbol and Wingdings fonts, whose glyphs
  pypdf can only give as Unicode private-use code points (U+F0B7 is Symbol's bullet,
  U+F0A7 Wingdings' square, U+F0D8 an arrow, U+F0FC a tick).  Readers see boxes.
* A PDF line ends where the page runs out of width, not where the sentence does.  Inside
  one paragraph, list item or heading the line breaks are joined, except before a line
  that opens a list item or numbered paragraph (a resolution's "(a)", "(b)" items stay on
  lines of their own), and after a line that stops well short of the text's width before
  a capital: that line was ended on purpose (a cover sheet's "Report to ...", "Date of
  meeting ...", an address).  Table rows are never joined: a table stays rows, and so does
  a line ending in an amount before a capital ("CBSO professional fees  £21,000").
* A table's column header whose labels each end in their period is one line, even where
  the labels wrapped in their cells ("Indicator Northmoor / 2021/22 / Northmoor / 2022/23 /
  England / 2022/23" is "Indicator Northmoor 2021/22 Northmoor 2022/23 England 2022/23"):
  in the text just above a table's rows, a line ending in a period runs on into a next
  label of a few words that ends in one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.models import Block

BULLET = "•"
# Symbol-font code points U+F020..U+F03F are the ASCII space, punctuation and digits
# (U+F02D is "-", U+F030 is "0"): they map back one for one.
_SYMBOL_ASCII = range(0xF020, 0xF040)
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# A line that opens an item of its own: a bullet, "(a)", "a)", "(iv)", "1.", "2.1".
_ITEM_START = re.compile(
    r"[-•·▪◦–*]\s|"
    r"\((?:[a-zA-Z]|[ivxIVX]{1,4}|\d{1,2})\)(?:\s|$)|"
    r"(?:[a-z]|\d{1,2})\)\s|"
    r"\d{1,2}(?:\.\d{1,2})*\.?\s+[A-Z]"
)
_NEWLINE_RUN = re.compile(r"[ \t]*\n[ \t]*")
# A line ending in an amount, count or percentage ("Other Artists Fees  £ 5,000"); a year
# ("March 2018") is prose more often than a cell.
_ENDS_IN_FIGURE = re.compile(r"(?:[£$€]\s?\d[\d,.]*(?:k|m|bn)?|\d[\d,.]*%|\d{1,3}(?:,\d{3})+)$")
_JOINED_KINDS = frozenset({"paragraph", "list_item", "resolution", "heading", "contents"})
# A column label's period at the end of a line: "2022/23", "2023", "Q1 2023/24".
_PERIOD_END = re.compile(r"(?:^|\s)(?:19|20)\d\d(?:/\d\d)?$")
LABEL_WORDS = 4  # a header's column label: "Northmoor 2022/23", "Target Mar 2024"
# A line shorter than this share of the text's width (as ``ingest.structure`` reads the end
# of a paragraph) cannot be a wrap, unless the next word were a quarter of the width long.
SHORT_LINE = 0.75


def _glyph(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code in _SYMBOL_ASCII:
        return chr(code - 0xF000)
    return BULLET  # bullets, ticks, arrows, squares: all list markers to a reader


def normalise_glyphs(text: str) -> str:
    """Private-use code points as the characters a reader expects, one for one.

    Symbol-font ASCII (U+F020..U+F03F) becomes that ASCII character; any other private-use
    character (Symbol and Wingdings bullets, ticks, arrows) becomes "•".
    """
    if not _PRIVATE_USE.search(text):
        return text
    return _PRIVATE_USE.sub(_glyph, text)


def join_wrapped_lines(text: str, blocks: Sequence[Block]) -> str:
    """``text`` with the hard line breaks inside each non-table block made spaces.

    A break stays where the next line opens an item (bullet, "(a)", "1.") or where a short
    line (under ``SHORT_LINE`` of the width, the 90th percentile of line lengths) is
    followed by a capital.  The result has the same length as ``text``: each newline and
    the blanks around it become spaces.
    """
    if "\n" not in text:
        return text
    lengths = sorted(len(line.strip()) for line in text.split("\n") if line.strip())
    if not lengths:
        return text
    short = SHORT_LINE * lengths[int(0.9 * (len(lengths) - 1))]
    parts: list[str] = []
    pos = 0
    ordered = sorted(blocks, key=lambda b: b.start)
    for n, block in enumerate(ordered):
        if block.kind not in _JOINED_KINDS or block.start < pos:
            continue
        body = text[block.start : block.end]
        if "\n" not in body:
            continue
        parts.append(text[pos : block.start])
        # a block may start inside a line (a minutes item's text after its title): its first
        # line is as long as the whole line, not just the block's part of it
        lead = block.start - (text.rfind("\n", 0, block.start) + 1)
        header = n + 1 < len(ordered) and ordered[n + 1].kind == "table_row"
        parts.append(_join_breaks(body, short, lead, header))
        pos = block.end
    parts.append(text[pos:])
    return "".join(parts)


def _next_label(body: str, at: int) -> str:
    """The line starting at ``at``, with the next line when that is only a period."""
    end = body.find("\n", at)
    if end < 0:
        return body[at:].strip()
    after = body.find("\n", end + 1)
    following = body[end + 1 : after if after >= 0 else len(body)].strip()
    label = body[at:end].strip()
    return f"{label} {following}" if _PERIOD_END.fullmatch(following) else label


def _join_breaks(body: str, short: float, lead: int = 0, header: bool = False) -> str:
    def join(match: re.Match[str]) -> str:
        if _ITEM_START.match(body, match.end()):
            return match.group(0)
        line_start = body.rfind("\n", 0, match.start()) + 1
        line = body[line_start : match.start()].strip()
        if header and _PERIOD_END.search(line):
            label = _next_label(body, match.end())
            if len(label.split()) <= LABEL_WORDS and _PERIOD_END.search(label):
                return " " * len(match.group(0))  # the next column of a header line
        width = len(line) + (lead if line_start == 0 else 0)
        after = body[match.end() : match.end() + 1]
        if width < short and after.isupper():
            return match.group(0)
        if _ENDS_IN_FIGURE.search(line) and (after.isupper() or after.isdigit()):
            return match.group(0)  # a "label  £figure" row of a table set in the text
        return " " * len(match.group(0))

    return _NEWLINE_RUN.sub(join, body)
