"""Whether the answer shown states the value the question asks for: a grade, or a count.

A near miss is often on the asked topic and names the asked measure without its value.
Asked "what grade did Ofsted give the adoption service", the papers show the agenda line
of an Ofsted visit's letter; asked "how many Year 6 children are obese", they show a
budget line in pounds.  Two kinds of value are read, each by how English writes it:

- **a grade** (``answer_kind`` reads the question as asking for one: "what grade / rating",
  "how was it rated"): an inspection's or a regulator's word for it ("good", "requires
  improvement", "inadequate" ...), a level, a score out of a scale, stars, or a grade given
  as a code beside its noun ("a C2 grade", "graded C2", "grade 3");
- **a count** ("how many ...", or a "how much" that measures a count:
  ``amount_ask.asks_count`` / ``asks_count_change``): a figure that is not an amount of
  money, nor a date, a year or an item number (``answer_kind.holds_answer`` reads the
  last three out).

An amount of money asked for is read already, on the whole passage
(``abstention.Evidence.amount_missed``); a date is left out, as "when" is often answered
by a year or a month the passage's meeting gives (docs/quality.md, "Abstention, stop 18",
the day-level date).

``value_missed`` is 0 when no grade or count is asked for, or the shown sentence states
one; 0.5 when only the top passage around it does (the highlight may have missed it); 1
when neither does.  A search of keywords asks for no value this reads.
"""

from __future__ import annotations

import re

from qa_service.amount_ask import asks_count, asks_count_change
from qa_service.answer_kind import Kind, answer_kinds, holds_answer

# A grade's value: the words inspections and regulators grade in, a level, a score out of
# a scale, stars; or a code of a letter and a digit next to "grade", "rated", "rating" or
# "judgement" ("a C2 grade", "rated as G1").
GRADE_VALUE = re.compile(
    r"\b(?:outstanding|good|requires improvement|inadequate|satisfactory|adequate|poor|"
    r"excellent|weak|strong|level\s+\d|\d\s+out\s+of\s+\d|\d\s*stars?|grade\s+\d)\b"
    r"|\b(?:grade[sd]?|rat(?:ed|ing)|judged)\s+(?:of\s+|as\s+|at\s+)?[A-Z]\d\b"
    r"|\b[A-Z]\d\s+(?:grade|rating|judge?ment)\b",
    re.IGNORECASE,
)
# An amount of money (a currency sign before a figure, or a figure in k, m, bn or pounds):
# not a count.
_MONEY = re.compile(
    r"[£$€]\s?\d[\d,.]*(?:\s*(?:k|m|bn|million|billion|thousand)\b)?"
    r"|\b\d[\d,.]*\s*(?:k|m|bn|pounds)\b",
    re.IGNORECASE,
)
# A sentence opening on a figure that a lower-case word follows ("318 met the threshold")
# states it; ``holds_answer`` reads an opening number as an item number ("3.2 Performance").
_OPENING_FIGURE = re.compile(r"^\s*\d[\d,]*\s+[a-z]")


def asks_grade(question: str) -> bool:
    """Whether the question asks for a grade ("what rating did the CQC give ...")."""
    return Kind.GRADE in answer_kinds(question)


def asks_for_count(question: str) -> bool:
    """Whether the question asks for a count ("how many ...", "how much have numbers
    gone up ...")."""
    return asks_count(question) or asks_count_change(question)


def states_grade(text: str) -> bool:
    """Whether ``text`` states a grade's value (``GRADE_VALUE``)."""
    return bool(GRADE_VALUE.search(text))


def states_count(text: str) -> bool:
    """Whether ``text`` states a figure that is not money, a date, a year or an item
    number."""
    if _OPENING_FIGURE.match(text):
        return True
    return holds_answer(_MONEY.sub(" ", text), Kind.NUMBER)


def lacks_value(question: str, text: str) -> bool:
    """Whether the question asks for a grade or a count that ``text`` does not state."""
    if asks_grade(question) and not states_grade(text):
        return True
    return asks_for_count(question) and not states_count(text)


def value_missed(question: str, shown: str, passage: str) -> float:
    """0 when the shown sentence states the grade or count asked for (or none is asked);
    0.5 when only the ``passage`` around it does; 1 when neither does."""
    if not lacks_value(question, shown):
        return 0.0
    return 1.0 if lacks_value(question, passage) else 0.5
