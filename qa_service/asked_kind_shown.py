"""Whether the answer shown holds the kind of answer a question asks for: an answer check.

A question asks for a kind of answer: a person ("which councillor ..."), a date ("when
..."), a figure ("how many / how much ...", "what percentage ..."), a grade ("what rating
..."), as the service's question reader reads it (``answer_kind.answer_kinds``).  A near
miss often asks for a kind the papers never give: the councillor who signed a policy off,
where the minutes say only "That the Allocations Policy be approved."; the date a
consultation closes, where the report says only that one is to be held.  ``kind_unshown``
fires when neither the shown answer (the top passage's answering sentence) nor the passage
around it holds an answer of a kind asked, read by the service's span readers
(``answer_kind.holds_answer``, ``abstention_value.states_grade``):

- **a person**, only where the question asks for one by a noun of a person ("which
  councillor / member / officer / cabinet member / director / person", the nouns
  ``answer_kind`` reads "which ..." as asking a person by): a person named by an honorific
  (``PERSON_NAME``, "Councillor R J Kendrick", "Cllrs Evans & Hillard") or without one beside
  an office, in a list of those present or a signature block (``UNHONOURED_NAME``, "Catherine
  Wilson, Strategic Lead ...", "Jane Smith (Head of Planning)"; docs/quality.md, "Abstention,
  stop 32: a person named without an honorific").  A bare "who" is
  not read: its answer may be a body or a role written in lower case ("the charity",
  "multi-academy trusts"), which no span reader here reads, and such questions must not be
  refused;
- **a date**: a month, a year, a season, a numeric date; not where the meeting's own date,
  printed in every citation, answers it: a decision asked (``query_words.ASKS_DECISION``,
  "When did Oakhaven decide ...?") or the latest time (``ASKS_LATEST``, "when did it last
  ..."), nor where only a yes-or-no question's form asks it (``kinds_of_form``);
- **a figure**: a figure that is not a date or an item number;
- **a grade**: a grade's word or value.

It is read as a cap (``abstention.Model.caps``: where it fires, at best a weak match) when the
stored readings switch it on (``abstention_value.Readings.kind``); docs/quality.md,
"Abstention, stop 32: the asked kind not shown".
"""

from __future__ import annotations

import re

from ingest.structure import HONORIFIC, SURNAME
from qa_service.abstention_value import states_grade
from qa_service.answer_kind import Kind, answer_kinds, holds_answer, kinds_of_form
from qa_service.query_words import ASKS_DECISION, ASKS_LATEST

# The kinds read
KINDS = (Kind.PERSON, Kind.DATE, Kind.NUMBER, Kind.GRADE)
# A person named by an honorific (or several, "Cllrs Evans & Hillard"), with initials or a
# first name or neither before the surname ("Councillor Kendrick"): the reading of a name in
# a list of members (``ingest.structure``), the honorific alone allowed before a surname
PERSON_NAME = re.compile(
    rf"\b{HONORIFIC}s?\.?\s+(?:(?:[A-Z]\.?\s*){{1,3}}\s|[A-Z][a-z]+\s+)?{SURNAME}"
)
# A person named without an honorific, in the forms papers print an officer or member by: a
# given name and a surname (a middle initial allowed), or initials with their points and a
# surname ("S. Tautz"), beside an office, after a comma, in
# brackets, after a dash or on the next line ("Catherine Wilson, Strategic Lead ...", "Jane
# Smith (Head of Planning)", a signature block), or after the office and a comma ("the
# Director of Children's Services, Sarah Jones"); or at the head of a list of those present
# ("Present: Janet Whitcombe (Chair), ...", "Apologies were received from Karen Blakey").
# The offices are those the service reads a person by (``answer_kind``'s offices, "Cabinet
# Member", "Head of", "Chief Executive"), with the office-holders its minutes name ("Town
# Clerk", "Portfolio Holder", "Manager", "Lead"); a word of an office or a body is no given
# name nor surname ("Cabinet Member, Chief Executive", "Planning Committee (Chair)").
_OFFICE_WORD = (
    r"(?:Chair(?:man|woman|person)?|Vice-Chair(?:man)?|Director|Leader|Lead|Mayor|Member|"
    r"Officer|Head|Executive|Clerk|Manager|Holder|Councillor)"
)
_BODY_WORD = r"(?:Council|Committee|Board|Panel|Cabinet|Services?|Group|Team|Partnership)"
_NOT_NAME = rf"(?!(?:{_OFFICE_WORD}|{_BODY_WORD}|The|This|That|These|Those|A|An|Our|Their|Its)s?\b)"
_GIVEN_SURNAME = (
    rf"(?<![\w'’&.-])(?:{_NOT_NAME}[A-Z][a-z]+(?:[ \t]+[A-Z]\.?)?[ \t]+|(?:[A-Z]\.[ \t]*){{1,3}})"
    rf"{_NOT_NAME}{SURNAME}(?![\w'’&])"
)
# an office: up to four capitalised words before an office's word ("Strategic Lead",
# "Senior Democratic Services Officer", "Assistant Director", "Head of Planning"), not one
# after "The" (a heading, then a sentence: "Trim Trail\nThe Assistant Town Clerk reported")
_OFFICE = rf"(?:(?!The\b)[A-Z][\w'’&-]*[ \t]+){{0,4}}{_OFFICE_WORD}\b"
UNHONOURED_NAME = re.compile(
    # "Catherine Wilson, Strategic Lead", "Jane Smith (Head of Planning)", "Gareth Lowther -
    # Chief Executive"; a signature block: the name a line of its own, the office the next;
    # "Catherine Wilman  Democratic Services Officer" (a table's columns); a dash's office
    # not the subject of a verb after it ("Preservation Trust – Clerk had contacted ...")
    rf"{_GIVEN_SURNAME}(?:[ \t]*[,(]|[ \t]{{2,}}|\t)[ \t]*{_OFFICE}"
    rf"|{_GIVEN_SURNAME}[ \t]*[-–—][ \t]*{_OFFICE}(?![ \t]+(?!(?:of|for|and|to|in|at)\b)[a-z])"
    rf"|^[ \t]*{_GIVEN_SURNAME}[ \t]*\n[ \t]*{_OFFICE}"
    # "the Director of Children's Services, Sarah Jones", "Planning Enforcement Officer: Amy
    # Longford"; not two words of a longer name ("Service Manager, Independent Reviewing and
    # Child Protection", "Chief Executive, High Life Highland", "Officer Service: Annual Report")
    rf"|\b{_OFFICE_WORD}\b(?:[ \t]+(?:of|for|and|&|the|[A-Z][\w'’&-]*)){{0,8}}[,:][ \t]*"
    rf"{_GIVEN_SURNAME}(?![ \t]+[A-Z&])"
    # "Present: Janet Whitcombe (Chair), ...", "Apologies were received from Karen Blakey";
    # not a paper's contact ("Contact: Samantha Parker  Email: ..."), a field of its front
    # matter (``ingest.structure``) that names whom to ask about the papers, not who did
    # anything in them
    rf"|\b(?i:present|in\s+attendance|attendees|apologies(?:\s+for\s+absence)?)[ \t]*:\s*"
    rf"{_GIVEN_SURNAME}"
    rf"|\b(?i:apologies(?:\s+for\s+absence)?\s+(?:were|was)\s+received\s+from)\s+"
    rf"{_GIVEN_SURNAME}",
    re.MULTILINE,
)
# "which <a noun of a person>": answer_kind's reading of "which ..." as asking a person,
# less its bodies (committee, body, organisation, company, firm): a person is to be named
WHICH_PERSON = re.compile(
    r"\bwhich\s+(?:officer|member|councillor|person|director|cabinet\s+member)\b", re.IGNORECASE
)


def asked_kinds(question: str) -> list[str]:
    """The kinds of answer ``question`` asks for that the check reads, in words (not a
    yes-or-no question's form alone): a person only by a noun of one, a date only where
    the meeting's own date does not answer it (a decision asked, or the latest time)."""
    shape = kinds_of_form(question)
    kinds = [k for k in answer_kinds(question) if k in KINDS and k not in shape]
    if Kind.PERSON in kinds and not WHICH_PERSON.search(question):
        kinds.remove(Kind.PERSON)
    if Kind.DATE in kinds and (ASKS_DECISION.search(question) or ASKS_LATEST.search(question)):
        kinds.remove(Kind.DATE)
    return kinds


def shows(text: str, kind: str) -> bool:
    """Whether ``text`` holds an answer of ``kind`` (for a person, one named by an
    honorific or beside an office without one)."""
    if kind == Kind.PERSON:
        return bool(PERSON_NAME.search(text) or UNHONOURED_NAME.search(text))
    if kind == Kind.GRADE:
        return states_grade(text, score=True) or holds_answer(text, kind)
    return holds_answer(text, kind)


def kind_unshown(question: str, shown: str, passage: str) -> float:
    """1 when ``question`` asks a kind of answer (``asked_kinds``) that neither the ``shown``
    answer nor the ``passage`` around it holds; else 0 (the shown answer lacking it while
    the passage holds it refused more answerable questions than it caught near misses)."""
    missing = [k for k in asked_kinds(question) if not shows(shown, k)]
    return 1.0 if any(not shows(passage, k) for k in missing) else 0.0
