"""What a question asks for, and whether a sentence holds that kind of answer.

"How many ...", "what percentage ..." ask for a number; "when ..." for a date; "who ..."
for a person or body; "what grade / rating / judgement ..." for a grade; "what did they
decide ..." for a decision; "where ..." for a place (read by the highlight alone).  A
sentence that holds none of what was asked for, or that only repeats the question's own
words ("Members asked how many people were waiting."), or a heading, is not the answer
even when it is the closest to the question; the sentence after it often is.

The patterns are about how English asks and answers these kinds of question, never about
one question.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from enum import StrEnum

from cqa_core.text import MONTH_ABBREVIATIONS, MONTH_NAMES, words
from qa_service.rerank import is_front_matter


class Kind(StrEnum):
    """The kinds of answer a question can ask for."""

    NUMBER = "number"
    DATE = "date"
    PERSON = "person"
    GRADE = "grade"
    DECISION = "decision"
    PLACE = "place"


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
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|half|"
    r"quarter|third|none|no)\b",
    re.IGNORECASE,
)
_MONTHS = f"{MONTH_NAMES}|{MONTH_ABBREVIATIONS}".lower()  # read without regard to case
_DATE = re.compile(
    rf"\b(?:{_MONTHS})\b|\b(?:19|20)\d\d\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b"
    r"|\b(?:spring|summer|autumn|winter|quarter)\b",
    re.IGNORECASE,
)
_PERSON = re.compile(
    r"\b(?:Councillor|Cllr|Mr|Mrs|Ms|Dr|Chair(?:man)?|Director|Leader|Mayor|Cabinet Member|"
    r"Officer|Head of|Chief Executive|Ofsted|CQC|Committee|Board|Panel|Cabinet)\b"
    # a name: two capitalised words, the first not a determiner ("The Pound", "This Council")
    r"|\b(?!(?:The|This|That|These|Those|A|An|Our|Their|Its|Each|Every|All|No)\s)"
    r"[A-Z][a-z]+\s+[A-Z][a-z]+\b",
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
_DAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
# A place: a preposition of place, then a name ("re-sited on Fryer's Wharf", "held at
# Tintern Village Hall", "sent to the Marsh Lane facility"); the prepositions are the
# closed class English says where with, a month or a day is a time, not a place.
_PLACE = re.compile(
    r"\b(?i:at|in|on|to|into|onto|outside|inside|near|beside|opposite|behind|within|"
    r"towards?)\s+(?:the\s+)?"
    rf"(?!(?i:{_MONTHS}|{_DAYS})\b)([A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)*)"
)
_HOLDS: dict[Kind, re.Pattern[str]] = {
    Kind.PLACE: _PLACE,
    Kind.NUMBER: _NUMBER,
    Kind.DATE: _DATE,
    Kind.PERSON: _PERSON,
    Kind.GRADE: _GRADE,
    Kind.DECISION: _DECISION,
}
# Reported questions: "Members asked how many ...", "A member queried whether ...".
# "Asked" reports a question when a question word follows ("asked how many", "asked about
# the volume"), not a request ("asked the Board to support", "Councillors asked to look").
_ASKED = re.compile(
    r"\basked\s+(?:\w+\s+){0,3}?(?:how|what|whether|if|why|when|who|which|where|about|for\s+"
    r"(?:an?\s+)?(?:update|clarification|details|assurance|explanation))\b"
    r"|\b(?:queried|enquired|inquired|questioned|wanted to know|sought clarification)\b"
    r"|\?\s*$",
    re.IGNORECASE,
)


def asked_kinds(question: str) -> tuple[Kind, ...]:
    """The kinds of answer a question asks for, most specific first (often none): the
    plain reading that ``answer_kinds`` starts from."""
    return tuple(kind for kind, pattern in _ASKS if pattern.search(question))


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


def reports_question(sentence: str) -> bool:
    """A reported question ("Members asked how many ...", "Councillor X queried ..."), or a
    question put in the papers: it asks, and the answer, if any, follows it."""
    return bool(_ASKED.search(sentence))


def restates(sentence: str, question_words: Collection[str]) -> bool:
    """A reported question ("Members asked how many ..."), or a sentence made mostly of the
    question's own words."""
    if reports_question(sentence):
        return True
    own = set(words(sentence))
    if not own or not question_words:
        return False
    shared = len(own & set(question_words))
    return shared / len(own) >= 0.6


# --- the fuller reading the highlight and the second stage use (the abstention's evidence
# reads an amount asked for with ``asks_amount`` below, built on it) -----------------------

# "Why ...?" asks for a reason; the sentence that gives one says so.
REASON = "reason"
_ASKS_REASON = re.compile(
    r"\bwhy\b|\bwhat\s+(?:was|were|is|are)?\s*(?:the\s+)?(?:reasons?|cause|grounds)\b"
    r"|\bwhat\s+(?:prompted|caused|led\s+to)\b",
    re.IGNORECASE,
)
_HOLDS_REASON = re.compile(
    r"\b(?:because|owing\s+to|due\s+to|as\s+a\s+result|in\s+order\s+to|so\s+that|reasons?|"
    r"therefore|since|given\s+that|following|as\s+(?:the|it|they|there|this|a|an)\b)",
    re.IGNORECASE,
)
# Questions that ask for a figure without "how many": "what was the estimated total cost",
# "how old", "what does it pay", "per hour".  The nouns are the measures papers report, not
# any one question's topic.
_ASKS_FIGURE = re.compile(
    r"\bwhat\s+(?:[\w'’]+\s+){0,6}?(?:cost|costs|price|fee|fees|charge|charges|total|sum|"
    r"figure|figures|budget|level|rate|rates|amount|value|number|percentage|proportion|"
    r"overspend|deficit|saving|savings|grant|precept|allowance|target|result|results)\b"
    r"|\bhow\s+old\b|\bwhat\s+(?:does|do|did|will)\s+\w+(?:\s+\w+){0,3}\s+(?:pay|cost|spend|"
    r"charge|raise)\b|\bper\s+(?:hour|week|month|year|annum|head|cent)\b",
    re.IGNORECASE,
)
# Dates asked for by name ("net zero target dates", "what timescales ...").
_ASKS_DATES = re.compile(
    r"\b(?:dates|deadlines?|timescales?|timetable|target\s+date)\b", re.IGNORECASE
)
_ASKS_WHOSE = re.compile(r"\bwhose\b", re.IGNORECASE)
# "Where" asks for a place where it opens the question or a clause of it ("Where did ...",
# "..., and where?"), not where it joins a clause ("the areas where dogs are banned").
_ASKS_WHERE = re.compile(r"(?:^|[,;:(\-\u2013]\s*|\b(?:and|or|but)\s+)where\b", re.IGNORECASE)
# "When" asks for a date where it opens the question or a clause of it ("when did ...",
# "..., and when will ..."), not where it joins a clause ("what did they find when they
# revisited ...", "how many were waiting when the inspectors arrived").
_ASKS_WHEN = re.compile(
    r"(?:^|[,;:(\-\u2013]\s*|\b(?:and|or|but)\s+)(?:when|by\s+when)\b"
    r"|\bwhat\s+(?:date|year|month|day)\b",
    re.IGNORECASE,
)
# "Who" asks for a person where it opens the question or a clause of it, not where it
# qualifies a noun ("do young people who grew up in care ...").
_ASKS_WHO = re.compile(
    r"(?:^|[,;:(]\s*|\b(?:and|or|but)\s+)(?:who|whom)\b"
    r"|\bwhich\s+(?:officer|member|councillor|committee|body|organisation|organization|"
    r"company|firm|person|director|cabinet\s+member)\b",
    re.IGNORECASE,
)
# The word a "who" question names the person by: the verb or office right after "who"
# (past an auxiliary or an article): "Who chaired ...", "who was the Chair of ...", "who
# proposed ...", "who signed off ...".
_ROLE = re.compile(
    r"(?:^|[,;:(]\s*|\b(?:and|or|but)\s+)(?:who|whom)\s+"
    r"(?:(?:was|were|is|are|did|does|do|has|have|had|will|would|can|could|should|the|a|an)"
    r"\s+)*([a-z][a-z'\u2019-]*)",
    re.IGNORECASE,
)
# A leading item or paragraph number ("3.2", "13/24", "805.") is a label, not a figure.
_ITEM_NUMBER = re.compile(r"^\s*\(?\d[\d./]*\)?\s+|^\s*\d[\d./]*\s*$")
# A heading line glued to the sentence under it ("Background\n3.1 The number of ...").
_LEAD_LABEL = re.compile(r"^[^\n.]{0,80}\n(?=.)")
# Dates and years, which are not the figure a "how many / how much" question asks for.
_DATES = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\b|\b(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
    r"|\b(?:19|20)\d\d(?:\s*[/-]\s*\d\d(?:\d\d)?)?\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b",
    re.IGNORECASE,
)

# A question put as a question (a question word or an auxiliary verb first, or a question
# mark), as against a search of keywords ("Oakhaven overspend forecast 2023/24").
_QUESTION = re.compile(
    r"^(?:what|which|who|whom|whose|when|where|why|how|is|are|was|were|do|does|did|has|have|"
    r"had|can|could|will|would|should|shall|may|might)\b|\?\s*$",
    re.IGNORECASE,
)

# A yes-or-no question on what a council or its members did or will do ("Will Milburn's
# parish council cover the cost ...?", "Were Tintern councillors happy with ...?"): the
# answer is what they resolved.
_ASKS_WHETHER_DONE = re.compile(
    r"^(?:will|would|has|have|had|did|do|does|were|was)\s+(?:[\w'’]+\s+){0,3}?"
    r"(?:council|councils|councillors|committee|cabinet|board|panel)\b",
    re.IGNORECASE,
)

# A yes-or-no question on whether something has happened before ("Has a house ever been
# given planning permission on the site before?"): the answer says when it did.
_ASKS_EVER = re.compile(
    r"^(?:has|have|had|did|was|were)\b.*\b(?:ever|before|previously)\b", re.IGNORECASE
)


# "How many / how much" asks for a figure; a word of deciding in the same clause after it
# says what is counted ("how many schemes has it approved", "how much capital was
# approved", "how many contacts were waiting for a decision"), not that a decision is asked.
_COUNT_ASKED = re.compile(r"\bhow\s+(?:many|much)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:?]|\b(?:and|or|but)\b", re.IGNORECASE)
_DECISION_ASKED = dict(_ASKS)[Kind.DECISION]


def _decision_counted(question: str) -> bool:
    """Whether every word of deciding in a question follows "how many / how much" in its
    own clause: it qualifies what is counted."""
    found = list(_DECISION_ASKED.finditer(question))
    if not found:
        return False
    for match in found:
        clause = _CLAUSE_BREAK.split(question[: match.start()])[-1]
        if not _COUNT_ASKED.search(clause):
            return False
    return True


def answer_kinds(question: str) -> tuple[str, ...]:
    """``asked_kinds`` read more fully, for choosing the highlighted sentence: also a
    reason ("why ...?"); a person for "whose", but not for a "who" that only qualifies a
    noun; a date asked for by name ("target dates", "timescales"); a figure asked for by
    the measure it names ("what was the estimated total cost"); a decision for a
    yes-or-no question on what a council or its members did or will do ("Will the parish
    council cover the cost ...?"); a date for one on whether something happened before
    ("Has a house ever been given permission on the site before?"); and a figure for a
    search of keywords that asks for nothing else ("Oakhaven overspend forecast 2023/24")."""
    read = asked_kinds(question)
    kinds: list[str] = list(read)
    if Kind.PERSON in kinds and not _ASKS_WHO.search(question.strip()):
        kinds.remove(Kind.PERSON)
    if Kind.DATE in kinds and not _ASKS_WHEN.search(question.strip()):
        kinds.remove(Kind.DATE)
    if Kind.DECISION in kinds and Kind.NUMBER in kinds and _decision_counted(question):
        kinds.remove(Kind.DECISION)
    if Kind.PERSON not in kinds and _ASKS_WHOSE.search(question):
        kinds.append(Kind.PERSON)
    if Kind.NUMBER not in kinds and _ASKS_FIGURE.search(question):
        kinds.append(Kind.NUMBER)
    if Kind.DATE not in kinds and _ASKS_DATES.search(question):
        kinds.append(Kind.DATE)
    if _ASKS_WHERE.search(question.strip()):
        kinds.append(Kind.PLACE)
    if _ASKS_REASON.search(question):
        kinds.append(REASON)
    if Kind.DECISION not in kinds and _ASKS_WHETHER_DONE.search(question.strip()):
        kinds.append(Kind.DECISION)
    if Kind.DATE not in kinds and _ASKS_EVER.search(question.strip()):
        kinds.append(Kind.DATE)
    if not kinds and not read and not _QUESTION.search(question.strip()):
        kinds.append(Kind.NUMBER)  # a search of keywords on a topic: its figures answer
    return tuple(kinds)


def kinds_of_form(question: str) -> tuple[str, ...]:
    """The kinds ``answer_kinds`` reads from a yes-or-no question's form alone, not from a
    word asking for them: a decision for one on what a council did ("Has the town council
    funded ...?"), a date for one on whether something happened before; empty when the
    question asks for that kind in words too ("..., and when?")."""
    read = asked_kinds(question)
    form = []
    if Kind.DECISION not in read and _ASKS_WHETHER_DONE.search(question.strip()):
        form.append(Kind.DECISION)
    if (
        Kind.DATE not in read
        and not _ASKS_DATES.search(question)
        and _ASKS_EVER.search(question.strip())
    ):
        form.append(Kind.DATE)
    return tuple(form)


def holds_place(sentence: str, question_words: Collection[str]) -> bool:
    """Whether a sentence names a place the question does not ("re-sited on Fryer's
    Wharf" for "where ... moved to"): a place the question already names ("an update on
    the Public Spaces Protection Order") is what it asks about, not where."""
    asked = {w.casefold() for w in question_words}
    return any(not set(words(m.group(1))) <= asked for m in _PLACE.finditer(sentence))


# A year or a span of years as papers write them: "2019", a financial year "2023/24" or
# "2023-24", a period "2020-2030".
_YEAR_MENTION = re.compile(r"\b((?:19|20)\d\d)(?:\s*[/-]\s*((?:19|20)?\d\d))?\b")


# A year a change is counted from ("risen by 31% since 2019/20"): the figure is today's; a
# year something is due by ("net zero by 2030"): the figure is a target, set now.
_SINCE = re.compile(r"\b(?:since|by)\s+(?:(?:the\s+)?(?:start|end)\s+of\s+)?$", re.IGNORECASE)


def years_named(text: str) -> frozenset[str]:
    """The years a text names, each as a key: "2019" for a year, "fy2023" for the
    financial year 2023/24, and each year of a longer period ("2020-2030"); not a year a
    change is counted from ("since 2019/20") or that something is due by ("by 2030")."""
    keys: set[str] = set()
    for m in _YEAR_MENTION.finditer(text):
        if _SINCE.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        first, second = int(m.group(1)), m.group(2)
        if second is None:
            keys.add(str(first))
            continue
        last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        if last == first + 1 and len(second) == 2:
            keys.add(f"fy{first}")  # a financial year, "2023/24"
        elif first < last <= first + 30:
            keys.update(str(y) for y in range(first, last + 1))
        else:
            keys.add(str(first))
    return frozenset(keys)


def _year_matches(key: str, other: frozenset[str]) -> bool:
    """Whether a year key falls in or holds one of ``other``: a financial year holds the
    two years it spans ("2023/24" and "November 2023"), not the financial year before."""
    if key in other:
        return True
    if key.startswith("fy"):
        first = int(key[2:])
        return str(first) in other or str(first + 1) in other
    year = int(key)
    return f"fy{year - 1}" in other or f"fy{year}" in other


def names_other_years(sentence: str, asked_years: frozenset[str]) -> bool:
    """Whether a sentence names years and none of those the question asks about ("overspends
    of £3.1 million in 2021/22 and £4.4 million in 2022/23" for "overspend forecast
    2023/24"): what it states is another year's."""
    if not asked_years:
        return False
    named = years_named(sentence)
    return bool(named) and not any(_year_matches(k, asked_years) for k in named)


# The reason field of a decision sheet: "Reason: To adopt the final ... Plan 2020-2030",
# "Reasons for the decision: ..." (the label, up to its colon, opens the line).
_REASON_FIELD = re.compile(r"\s*reasons?\b[^:.]{0,40}:", re.IGNORECASE)


def gives_reason_field(sentence: str) -> bool:
    """Whether a sentence is a decision's reason field ("Reason: To adopt ..."): it says
    why, restating the decision's words (a plan's years, its sums) to do so, so what else
    it holds is not where the decision states it."""
    return bool(_REASON_FIELD.match(sentence))


def holds_answer(sentence: str, kind: str) -> bool:
    """Whether a sentence holds an answer of ``kind`` (one of ``answer_kinds``), a heading
    line glued to its start not counting, nor, for a figure, an item number or a date."""
    if kind == REASON:
        return bool(_HOLDS_REASON.search(sentence))
    text = _LEAD_LABEL.sub("", sentence.strip(), count=1)
    if kind == Kind.NUMBER:
        text = _DATES.sub(" ", _ITEM_NUMBER.sub("", text, count=1))
    return bool(_HOLDS[Kind(kind)].search(text))


# The title of an agenda item as a link to its papers, as council web pages print it:
# "SEND update pdf icon PDF 97 KB".
_LINK_LABEL = re.compile(r"\bPDF\s+\d+\s*[KM]B\s*$", re.IGNORECASE)
# The title of a set of minutes, however long: "Minutes of Meeting of the Education ...
# Committee held in the Council Chamber ... on Thursday, 8 October 2015 at 10.05 am."
_MINUTES_TITLE = re.compile(
    r"^(?:(?:draft|unconfirmed|confirmed)\s+)?minutes\s+of\s+(?:an?\s+|the\s+)?"
    r"(?:[\w-]+\s+){0,2}?meeting\s+(?:of|held)\b",
    re.IGNORECASE,
)


def is_label(sentence: str) -> bool:
    """A heading as ``is_heading`` reads one, a line in capitals ("REVIEW OF THE TAXI
    LICENSING POLICY"), an item number alone ("3479."), an agenda item's title as a link
    to its papers ("SEND update pdf icon PDF 97 KB"), the title of a set of minutes
    ("Minutes of a meeting of the Council held ..."), or the head of a set of minutes
    ("Present ... Apologies ...", ``rerank.is_front_matter``)."""
    if is_heading(sentence):
        return True
    text = sentence.strip()
    if _ITEM_NUMBER.fullmatch(text) or _LINK_LABEL.search(text) or is_front_matter(text):
        return True
    if _MINUTES_TITLE.match(text):
        return True
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and all(c.isupper() for c in letters)


# The money measures papers report, each with the forms a question asks for it in: a
# question naming one asks for an amount of money.  The one list of money words:
# ``amount_ask`` reads these as money too, with the further nouns papers count money in
# that do not by themselves ask for an amount ("rate", "tax", "income").
MONEY_ASKED: dict[str, tuple[str, ...]] = {
    "cost": ("cost", "costs", "costing"),
    "price": ("price",),
    "fee": ("fee", "fees"),
    "rent": ("rent",),
    "precept": ("precept",),
    "budget": ("budget",),
    "spend": ("spend", "spent", "spending"),
    "saving": ("saving", "savings", "save"),
    "charge": ("charge", "charges"),
    "grant": ("grant",),
    "pay": ("pay", "paid"),
    "funding": ("funding",),
}
# A figure asked for as an amount of money: "how much", or one of the money measures.
_ASKS_AMOUNT = re.compile(
    r"\bhow\s+much\b|\b(?:"
    + "|".join(form for forms in MONEY_ASKED.values() for form in forms)
    + r")\b",
    re.IGNORECASE,
)
# An amount stated: a currency sign before a figure, or a figure in thousands, millions or
# pounds ("£1,500", "2.4m", "40 thousand pounds").
_AMOUNT = re.compile(
    r"[£$€]\s?\d|\b\d[\d,.]*\s*(?:k|m|bn|million|billion|thousand|pounds)\b|\bpounds\b",
    re.IGNORECASE,
)


def asks_amount(question: str) -> bool:
    """Whether a question asks for an amount of money: it asks for a figure
    (``answer_kinds``) and names money ("how much", cost, fee, budget, savings ...)."""
    return Kind.NUMBER in answer_kinds(question) and bool(_ASKS_AMOUNT.search(question))


def states_amount(sentence: str) -> bool:
    """Whether a sentence states an amount of money (a currency sign before a figure, or a
    figure in thousands, millions or pounds)."""
    return bool(_AMOUNT.search(sentence))


def role_asked(question: str) -> str:
    """The word a question asking who did something names the person by ("chaired" in
    "Who chaired the committee on 8 October?", "chair" in "who was the chair of ...",
    "proposed" in "who proposed the motion"), lower-cased; "" for any other question.
    Lists of names tell their people apart by such words ("Mr D Millar (Chair)",
    "Proposed by Cllr Evans")."""
    match = _ROLE.search(question.strip())
    return match.group(1).lower() if match else ""


# --- a view asked (stop 27; the highlight alone reads it) ---------------------------------

# A question asking what a council or its members made of something: their view, opinion,
# position or response ("What was the community council's view on ...?", "What did the
# councillors think of ...?"), what worried them or what concerns they raised, whether they
# were happy or willing.  General English for asking a stance, not any one question's topic.
_ASKS_VIEW = re.compile(
    r"\b(?:views?|opinions?|position|stance|reactions?|response|feelings?|attitude)\s+"
    r"(?:on|of|about|to|towards?)\b"
    r"|\bwhat\s+did\s+(?:[\w'’]+\s+){1,6}?(?:think|feel|make)\s+(?:of|about)\b"
    r"|\b(?:worr(?:y|ied|ies)|concerns?|concerned|objections?|objected|misgivings|"
    r"reservations)\b"
    r"|\b(?:happy|unhappy|satisfied|willing|keen|pleased|opposed)\b",
    re.IGNORECASE,
)
# A sentence stating a stance: a decision (``_DECISION``), or a word of agreeing, objecting,
# supporting, welcoming, worrying or feeling ("TCC object to this ...", "expressing the
# Council's concerns about ...", "they happy for Penterry Ward to be passed ...").
_HOLDS_VIEW = re.compile(
    r"\b(?:object(?:s|ed|ing|ions?)?|oppos(?:e|es|ed|ing|ition)|support(?:s|ed|ive)?|"
    r"concerns?|concerned|worr(?:y|ied|ies)|welcom(?:e|ed|es)|happy|unhappy|pleased|"
    r"disappointed|satisfied|willing|unwilling|keen|felt|feel|feels|views?|"
    r"thought|believed?|agree(?:d|s)?|disagree(?:d|s)?|favou?r(?:ed)?|"
    r"reservations|misgivings)\b",
    re.IGNORECASE,
)


def asks_view(question: str) -> bool:
    """Whether a question asks what a council or its members made of something (their
    view, what worried them, whether they were happy with it) and no other kind of answer
    in words (``answer_kinds`` past those a yes-or-no question's form implies: a figure,
    a date, a person, a grade, a decision, a place or a reason)."""
    if not _ASKS_VIEW.search(question):
        return False
    form = kinds_of_form(question)
    return all(kind in form for kind in answer_kinds(question))


def holds_view(sentence: str) -> bool:
    """Whether a sentence states a stance: a decision, or a word of agreeing, objecting,
    supporting, welcoming, worrying or feeling."""
    text = _LEAD_LABEL.sub("", sentence.strip(), count=1)
    return bool(_DECISION.search(text) or _HOLDS_VIEW.search(text))


# A sentence introducing an item of business: someone presented, introduced, spoke to,
# brought forward or reported on the report / proposal / application / update
# ("The Town Clerk presented the proposal from St James Church ...", "The Head of Planning
# reported on the Planning Enforcement Improvement Plan, which ..."): it names the item,
# not what came of it.  General English of minutes, no council's words.
_INTRODUCES = re.compile(
    r"(?<!\bbeen\s)(?<!\bwas\s)(?<!\bwere\s)(?<!\bbe\s)(?<!\bis\s)(?<!\bare\s)"
    r"\b(?:presented|introduced|spoke\s+to|brought\s+forward|reported\s+on|"
    r"took\s+(?:members|the\s+\w+)\s+through)\s+(?:(?:the|a|an|his|her|their|its)\s+)?"
    r"(?:[\w'\u2019-]+\s+){0,6}?"
    r"(?:report|reports|proposals?|application|item|update|paper|plan|programme|"
    r"strategy|policy|review|presentation|petition|motion|scheme|bid|request)\b",
    re.IGNORECASE,
)
# What a sentence reports someone saying: a verb of saying with "that" after it ("and
# advised that the site formed part of the garden", "informed Members that there was a
# dedicated budget"): the sentence then states something besides the item.
_REPORTS_CONTENT = re.compile(
    r"\b(?:advis|inform|said|say|stat|explain|not|confirm|highlight|told|tell|add|"
    r"report|reminded|indicat|emphasis|emphasiz|stress|clarif|propos|suggest|recommend)"
    r"\w*\s+(?:\w+\s+){0,2}?that\b",
    re.IGNORECASE,
)


def introduces_item(sentence: str) -> bool:
    """Whether a sentence only introduces an item of business: someone presented /
    introduced / spoke to / reported on the report, proposal, application ... and it
    reports nobody saying anything of it ("... and advised that the site ..." states
    something: no bare introduction)."""
    return bool(_INTRODUCES.search(sentence)) and not _REPORTS_CONTENT.search(sentence)
