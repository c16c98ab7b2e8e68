"""A figure inside a name: "ISA 260", "Phase 4", "Appendix 2", "the Regulation 18
consultation" name something, they count nothing.

Read the same way wherever a count is read: by ``abstention_value`` (whether the shown
sentence states the count asked; measured in stop 22, kept in stop 23) and by the trend
reader (``trend_read.figures``: a count inside a name is no point, stop 24).

- A capitalised word inside a sentence (not its first word: "About 300 people" counts),
  then a bare figure of at most four digits that no unit follows ("ISA 260", "Phase 4",
  "Appendix 2", "Item 79"). A month is no name: "September 2022" is a date's end, and
  blanking it left the day ("on 13 September 2022" read as 13).
- A number word inside a name ("Appendix two", "Tranche One", "Phase Three"): a capitalised
  word, not a month nor a possessive ("the Council's two schemes" counts), then a number
  word up to twelve.
"""

from __future__ import annotations

import re

from cqa_core.text import MONTH_ABBREVIATIONS, MONTH_NAMES

MONTH = rf"(?:{MONTH_NAMES}|{MONTH_ABBREVIATIONS})\b"
NAMED_FIGURE = re.compile(
    rf"\b(?!{MONTH})[A-Z][\w'’-]*\s+\d{{1,4}}(?:\.\d+)*\b(?!\s*(?:%|per\s*cent))"
)
NAMED_WORD = re.compile(
    rf"\b(?!{MONTH})[A-Z][\w-]*(?<!['’]s)\s+"
    r"(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b"
)


def named_spans(
    text: str,
    pattern: re.Pattern[str] = NAMED_FIGURE,
    start: int = 0,
    end: int | None = None,
    lines: bool = False,
) -> list[tuple[int, int]]:
    """The offsets of each name with a figure in ``text[start:end]`` (``NAMED_FIGURE``, or
    ``pattern``): a sentence's first word (after ".", "!", "?", ":", ";", a bullet or a dash)
    is not read as a name; with ``lines``, nor is a line's ("Total 302 100%", a table's row).
    (Without it, as the abstention reads a shown sentence, a line break before the word is
    passed over with the spaces before it.)"""
    out = []
    for m in pattern.finditer(text, start, len(text) if end is None else end):
        before = text[: m.start()].rstrip()
        if not before or before[-1] in ".!?:;\n•-–":
            continue
        if lines and "\n" in text[len(before) : m.start()]:
            continue
        out.append((m.start(), m.end()))
    return out


def without_named_figures(text: str, pattern: re.Pattern[str] = NAMED_FIGURE) -> str:
    """``text`` with each name with a figure blanked (``named_spans``)."""
    out, last = [], 0
    for a, b in named_spans(text, pattern):
        out.append(text[last:a] + " ")
        last = b
    return "".join(out) + text[last:]
