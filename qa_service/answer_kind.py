"""What a question asks for, and whether a sentence holds that kind of answer.

"How many ...", "what percentage ..." ask for a number; "when ..." for a date; "who ..."
for a person or body; "what grade / rating / judgement ..." for a grade; "what did they
decide ..." for a decision.  A sentence that holds none of what was asked for, or that
only repeats the question's own words ("Members asked how many people were waiting."), or
a heading, is not the answer even when it is the closest to the question; the sentence
after it often is.

The patterns are about how English asks and answers these kinds of question, never about
one question.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from enum import StrEnum

from cqa_core.text import words


class Kind(StrEnum):
    """The kinds of answer a question can ask for."""

    NUMBER = "number"
    DATE = "date"
    PERSON = "person"
    GRADE = "grade"
    DECISION = "decision"


_ASKS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (
        Kind.GRADE,
        re.compile(
            r"\b(?:what|which)\s+(?:grade|rating|judge?ment|outcome|verdict|score)\b"
            r"|\bhow\s+(?:was|were|is|are|did)\b.*\b(?:rated|graded|judged|assessed|"
            r"inspected|do|doing|perform|performing)\b"
            r"|\b(?:rated|graded|judged)\b",
            re.IGNORECASE,
        ),
    ),
    (
        Kind.NUMBER,
        re.compile(
            r"\bhow\s+(?:many|much|long|far|often|big|large|high|low)\b"
            r"|\bwhat\s+(?:was\s+|is\s+|were\s+|are\s+)?(?:the\s+)?(?:number|percentage|"
            r"proportion|share|rate|amount|cost|price|fee|charge|total|sum|figure|budget|"
            r"level|size|value|overspend|deficit|increase|rise|saving|savings)\b"
            r"|\b(?:what|which)\s+(?:percentage|proportion|share|per\s*cent)\b",
            re.IGNORECASE,
        ),
    ),
    (
        Kind.DATE,
        re.compile(r"\bwhen\b|\bwhat\s+(?:date|year|month|day)\b|\bby\s+when\b", re.IGNORECASE),
    ),
    (
        Kind.PERSON,
        re.compile(
            r"\bwho\b|\bwhom\b|\bwhich\s+(?:officer|member|councillor|committee|body|"
            r"organisation|organization|company|firm|person|director|cabinet\s+member)\b",
            re.IGNORECASE,
        ),
    ),
    (
        Kind.DECISION,
        re.compile(
            r"\b(?:decide|decided|agree|agreed|resolve|resolved|approve|approved|vote|voted|"
            r"recommend|recommended|decision|outcome|result)\b",
            re.IGNORECASE,
        ),
    ),
)

_NUMBER = re.compile(
    r"£\s?\d|\d+(?:[.,]\d+)*\s*(?:%|per\s*cent|percent)|\b\d[\d,.]*\b"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|half|"
    r"quarter|third|none|no)\b",
    re.IGNORECASE,
)
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE = re.compile(
    rf"\b(?:{_MONTHS})\b|\b(?:19|20)\d\d\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b"
    r"|\b(?:spring|summer|autumn|winter|quarter)\b",
    re.IGNORECASE,
)
_PERSON = re.compile(
    r"\b(?:Councillor|Cllr|Mr|Mrs|Ms|Dr|Chair(?:man)?|Director|Leader|Mayor|Cabinet Member|"
    r"Officer|Head of|Chief Executive|Ofsted|CQC|Committee|Board|Panel|Cabinet)\b"
    r"|\b[A-Z][a-z]+\s+[A-Z][a-z]+\b",
)
_GRADE = re.compile(
    r"\b(?:outstanding|good|requires improvement|inadequate|adequate|satisfactory|"
    r"poor|excellent|rated|graded|judged|judgement|judgment|rating|failings|strengths)\b",
    re.IGNORECASE,
)
_DECISION = re.compile(
    r"\b(?:resolved|agreed|approved|decided|carried|lost|rejected|refused|endorsed|noted|"
    r"recommended|deferred|adopted|accepted|declined|granted|supported|votes?)\b",
    re.IGNORECASE,
)
_HOLDS: dict[Kind, re.Pattern[str]] = {
    Kind.NUMBER: _NUMBER,
    Kind.DATE: _DATE,
    Kind.PERSON: _PERSON,
    Kind.GRADE: _GRADE,
    Kind.DECISION: _DECISION,
}
# Reported questions: "Members asked how many ...", "A member queried whether ...".
_ASKED = re.compile(
    r"\b(?:asked|queried|enquired|inquired|questioned|wanted to know|sought clarification)\b"
    r"|\?\s*$",
    re.IGNORECASE,
)


def asked_kinds(question: str) -> tuple[Kind, ...]:
    """The kinds of answer a question asks for, most specific first (often none)."""
    return tuple(kind for kind, pattern in _ASKS if pattern.search(question))


def holds(sentence: str, kind: Kind) -> bool:
    """Whether a sentence holds an answer of the given kind."""
    return bool(_HOLDS[kind].search(sentence))


# A table or figure caption ("Table 1: Supervision compliance by team"), or a table's
# header row: cells of words without a figure.
_CAPTION = re.compile(r"^(?:table|figure|chart|appendix)\s+[\dA-Z]+\b", re.IGNORECASE)


def is_heading(sentence: str) -> bool:
    """A heading or label line: short, without a verb's full stop, or numbered like "3.2
    Performance"; a table or figure caption; a table's header row."""
    text = sentence.strip()
    tokens = text.split()
    if not tokens:
        return True
    if _CAPTION.match(text):
        return True
    if "|" in text:  # a table row: a header when most of its cells hold no figure
        cells = [c for c in text.split("|") if c.strip()]
        return 2 * sum(any(ch.isdigit() for ch in c) for c in cells) < len(cells)
    if text.endswith((".", "?", "!", ";", ":")) and len(tokens) > 4:
        return False
    return len(tokens) <= 8 and not text.endswith(".")


def restates(sentence: str, question_words: Collection[str]) -> bool:
    """A reported question ("Members asked how many ..."), or a sentence made mostly of the
    question's own words."""
    if _ASKED.search(sentence):
        return True
    own = set(words(sentence))
    if not own or not question_words:
        return False
    shared = len(own & set(question_words))
    return shared / len(own) >= 0.6
