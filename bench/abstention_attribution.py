"""Whom and what the value in a shown sentence belongs to, against what the question asks.

On real papers a near miss is a sentence stating a value of the asked kind, but for
something else: a plan where the question asks what happened, another year, another hall
of the same council.  The readings here are English grammar, never one question's words:

- **plan for outcome** (``plan_for_outcome``): the question asks what happened (its verb is
  a past form: "did", "was", "were", "had", and it holds no modal or future form, nor a
  word of reckoning before the fact), asks for a value (a figure or a date), and the shown
  sentence states it as reckoned before the fact: a modal or future verb form ("would",
  "will", "is to be", "due to", "yet to"), or a word of reckoning ("estimated",
  "expected", "forecast", "proposed", "quote", "budget", "planned", "awaited").  A
  question that itself names a plan ("How much did Glasgow budget ...?", "What savings
  were the proposals expected to deliver?") asks for the plan, so nothing fires;
- **another named thing** (``other_named``): the question names a thing by a proper name
  of two or more words whose last word is a common noun ("Tintern Village Hall", "Sutton
  Park"), the shown sentence does not write it, and the nearest name with the same last
  word written at or before the shown sentence in its passage is another ("Llandogo
  Hall"): what the sentence states ("the Hall ... ground rent is £40") is said of that one.

Each is 0 or 1 (1 counts against answering).  Measured by bench/fit_attribution.py and
not kept (docs/quality.md, "Abstention, stop 22"): both fire on answerable questions whose
answers are written as plans or beside a sibling's name, so they stay here, out of the
service.
"""

from __future__ import annotations

import re

from qa_service.answer_kind import Kind, answer_kinds

# A question asked in the past: its auxiliary or copula is a past form (a closed class).
_PAST = re.compile(r"\b(?:did|was|were|had)\b", re.IGNORECASE)
# A modal or a future form (closed classes): "would", "will", "is to be", "due to", "yet to".
# Lower case only: inside a statement a modal is written in lower case, and "May" is a
# month.
_MODAL = re.compile(
    r"\b(?:will|would|shall|should|may|might|could|can|going\s+to|due\s+to|yet\s+to|"
    r"(?:is|are|was|were)\s+to\s+be)\b|\w+'ll\b"
)
# The words English states a figure as reckoned before the fact with: the estimate, the
# expectation, the forecast, the proposal, the quote, the budget, the plan, the wait.
_RECKONED = re.compile(
    r"\b(?:estimat\w*|expect\w*|anticipat\w*|project(?:ed|ions?)|forecast\w*|propos\w*|"
    r"quot(?:e|es|ed|ation|ations)|budget\w*|plann?\w*|envisag\w*|intend\w*|indicative|"
    r"provisional\w*|await\w*|target\w*)\b",
    re.IGNORECASE,
)
# A proper name: two or more capitalised words in a row ("Tintern Village Hall").
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)+\b")
# The question's opening word and the words a name may not end in to count as a named
# thing (a council's own name is the search's filter, not the thing asked about).
_NOT_A_THING = re.compile(r"^(?:Council|Councils|Borough|County|City|District|Parish)$")


def plan_form(sentence: str) -> bool:
    """Whether a sentence states what it says as a plan: a modal or future verb form, or a
    word of reckoning before the fact."""
    return bool(_MODAL.search(sentence) or _RECKONED.search(sentence))


def asks_outcome(question: str, kinds: tuple[str, ...] = (Kind.NUMBER, Kind.DATE)) -> bool:
    """Whether the question asks for the value of what happened: a figure or a date (of
    ``kinds``), asked in the past, with no modal, future or reckoning form of its own."""
    if not set(answer_kinds(question)) & set(kinds):
        return False
    return bool(_PAST.search(question)) and not plan_form(question)


def plan_for_outcome(
    question: str, shown: str, kinds: tuple[str, ...] = (Kind.NUMBER, Kind.DATE)
) -> float:
    """1 when the question asks for what happened and the shown sentence states a plan."""
    return 1.0 if shown and asks_outcome(question, kinds) and plan_form(shown) else 0.0


def named_things(question: str) -> list[str]:
    """The proper names of two or more words the question names things by, its opening
    word left off ("What ground rent ..." is no name)."""
    out = []
    for m in _NAME.finditer(question):
        words = m.group(0).split()
        if m.start() == 0:
            words = words[1:]
        if len(words) >= 2 and not _NOT_A_THING.match(words[-1]):
            out.append(" ".join(words))
    return out


def other_named(question: str, shown: str, passage: str) -> float:
    """1 when a thing the question names is not written in the shown sentence and the
    nearest name sharing its last word at or before the sentence in the passage is
    another: the sentence speaks of that one."""
    if not shown or not passage:
        return 0.0
    at = passage.find(shown)
    end = len(passage) if at < 0 else at + len(shown)
    for name in named_things(question):
        if name.casefold() in shown.casefold():
            continue
        head = name.split()[-1]
        before = [
            m.group(0)
            for m in _NAME.finditer(passage[:end])
            if m.group(0).split()[-1].casefold() == head.casefold()
        ]
        last = before[-1].casefold() if before else ""
        if last and not last.endswith(name.casefold()) and not name.casefold().endswith(last):
            return 1.0
    return 0.0
