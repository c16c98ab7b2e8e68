"""The words a sentence is read with for what it measures, for a trend: its own, and the
sentence before's when that one sets its subject, when this one refers back to it, or when
both open alike, a list written as sentences.

Pure functions over a passage's text; ``qa_service.trend_sentence`` weighs sentences with
them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from cqa_core.text import Span, split_sentences
from qa_service.trend_read import figures
from qa_service.trend_table import rows
from qa_service.trend_words import stems

# A sentence that opens by referring back to the one before: "IROs chaired 748 reviews in
# 2021/22. Of these, 94% were held within statutory timescales."
# So does one that opens with its period first: "In 2022/23 this happened in 88% of cases."
_BACK = re.compile(
    r"\W*(?:in\s+[\w/]+,?\s+)?(?:of\s+(?:these|those|them|which)|these|this|they|both)\b",
    re.I,
)


@lru_cache(maxsize=256)
def _sentences(text: str) -> list[Span]:
    """A passage's sentences (each passage is read sentence by sentence many times)."""
    return split_sentences(text)


def context(text: str, span: tuple[int, int], subject: bool = False, heading: str = "") -> str:
    """The words a sentence is read with for what it measures: its own, and the sentence
    before's when that one states no figure and this one goes on from it on its line (it
    sets the subject: "A Member asked why initial health assessments were delayed.
    Officers explained that only 44% had been completed within 20 working days"), this one
    refers back to it ("… 748 reviews in 2021/22. Of these, 94% were held within statutory
    timescales") or both open with the same key word in one paragraph ("Attendance by
    health … at strategy meetings … Attendance by education staff …"). A table row is read
    alone."""
    own = text[span[0] : span[1]]
    sentences = _sentences(text)
    at = next((i for i, s in enumerate(sentences) if (s.start, s.end) == span), None)
    if at is None:  # a table row is read with its table's caption, else the passage's
        # heading (its subject: "Table 2: Early help performance", "5. Early help
        # performance", for "Families whose needs were met at closure 72% 74% 76%")
        row = next((r for r in rows(text) if (r.start, r.end) == span), None)
        title = (row.title or heading) if row else ""
        return f"{title} {own}" if title else own
    if not at:  # the passage's first sentence
        return own
    before = sentences[at - 1]
    earlier = text[before.start : before.end]
    # a new line starts another item (a minute's bullet, a paragraph): no subject from there
    same_paragraph = "\n" not in text[before.end : span[0]]
    if (
        _BACK.match(own)
        or (subject and not figures(text, before.start, before.end) and same_paragraph)
        or ("\n" not in text[before.start : span[0]] and _parallel(earlier, own))
    ):
        return f"{earlier} {own}"
    return own


def referred(text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """The sentence before, when the sentence at ``span`` refers back to it ("The service
    received 1,046 contacts in 2022/23. Of these, 318 met the threshold …")."""
    sentences = _sentences(text)
    at = next((i for i, s in enumerate(sentences) if (s.start, s.end) == span), None)
    if not at or not _BACK.match(text[span[0] : span[1]]):
        return None
    return sentences[at - 1].start, sentences[at - 1].end


_FIRST_WORD = re.compile(r"[A-Za-z]{3,}")


def _parallel(earlier: str, own: str) -> bool:
    """Whether two sentences (of one paragraph: a numbered one starts a new item) open with
    the same key word, a list written as sentences ("Attendance by health professionals at
    strategy meetings has improved to 69%. Attendance by education staff has improved to
    63%": the second's meetings are the first's)."""
    first, second = _FIRST_WORD.search(earlier), _FIRST_WORD.search(own)
    if first is None or second is None:
        return False
    key = stems(first.group())
    return bool(key) and key == stems(second.group())
