"""Whether a question asks for an amount of money, "how much" read by what it measures.

``answer_kind.asks_amount`` takes "how much" as asking for money.  It often asks instead
how far a count has moved: "How much have EHCP numbers gone up ...?", "By how much did the
number of children in care fall?", "How much of a rise in the number of referrals ...?".
Such a question is answered by a count or a percentage, so a passage that states no amount
of money is no near miss.  The reading here is general English, not any one question's
words:

- "how much" followed by an auxiliary ("have", "did", "are" ...) measures the change of the
  subject that follows, up to a verb of change ("gone up", "risen", "fell", "increased");
  the subject is a count when its head is "number(s)", a noun naming a count ("population",
  "caseload"), a phrase "the number of ...", or a plural noun that is not money ("EHCP
  numbers", "pupils", against "council rents", "fees");
- "how much" naming a change ("rise", "increase", "fall" ...) "in the number of" asks for a
  count too.

"How many" asks for a count even when the question names money elsewhere ("How many people
were waiting ... when it applied for a grant?"), unless it asks for money too ("..., and at
what cost?"): ``asks_count``, read by the highlight.

A verb of change followed by an object ("How much did councils increase rents?") measures
the object, so the count reading needs the verb to close its clause: the question ends, or a
preposition or a time follows.
"""

from __future__ import annotations

import re

from qa_service.answer_kind import MONEY_ASKED, asks_amount

_AUX = (
    r"(?:have|has|had|did|do|does|is|are|was|were|will|would|could|can|might|may|should|"
    r"shall)"
)
# Verbs of change, in their forms after an auxiliary ("have gone up", "did fall", "are
# rising"): general English, the verbs a change in a figure is told with.
_CHANGE = (
    r"(?:(?:go|goes|gone|went|going)\s+(?:up|down)|(?:been\s+)?(?:rise|rises|risen|rose|rising|"
    r"grow|grows|grown|grew|growing|fall|falls|fallen|fell|falling|drop|drops|dropped|dropping|"
    r"increase|increased|increasing|decrease|decreased|decreasing|decline|declined|declining|"
    r"climb|climbed|climbing|change|changed|changing|shrink|shrunk|shrank|shrinking|"
    r"jump|jumped|soar|soared|reduce|reduced|expand|expanded))"
)
# "how much [more|further] AUX <subject, up to eight words> CHANGE <what follows>"
_DEGREE = re.compile(
    rf"\bhow\s+much\s+(?:(?:more|less|further|longer)\s+)?{_AUX}\s+"
    rf"(?P<subject>(?:[\w'’-]+\s+){{0,7}}?[\w'’-]+)\s+(?:\w+ly\s+)?{_CHANGE}\b(?P<rest>.*)",
    re.IGNORECASE | re.DOTALL,
)
# What may close the clause after the verb: the end, punctuation, a conjunction, a
# preposition or a time ("gone up in Hillingdon", "fallen since 2020", "risen this year").
_CLOSES = re.compile(
    r"^\s*(?:$|[?.,;:!)]|(?:in|over|since|from|to|by|between|during|across|at|for|on|under|"
    r"within|after|before|this|last|each|every|per|and|or|but|compared|than|so|as|year|years|"
    r"recently|overall|\d)\b)",
    re.IGNORECASE,
)
# "how much (of a|of an)? rise/increase ... in the number(s) of"
_CHANGE_IN_NUMBER = re.compile(
    r"\bhow\s+much\s+(?:of\s+an?\s+)?(?:[\w-]+\s+){0,2}?(?:rise|increase|growth|fall|drop|"
    r"decline|decrease|reduction|change|jump)\b(?:\s+[\w'’-]+){0,4}?\s+in\s+(?:the\s+)?"
    r"numbers?\s+of\b",
    re.IGNORECASE,
)
# A question asking how far something moved: "by how much", "how much more", "put ... up",
# "going up", "rent increase", "cut".
_ASKS_CHANGE = re.compile(
    rf"\bby\s+how\s+much\b|\bhow\s+much\s+(?:more|less|higher|lower)\b|\bup\s+by\b"
    rf"|\bput\s+(?:[\w'’]+\s+){{0,4}}?(?:up|down)\b|\b{_CHANGE}\b|\b(?:cut|cuts|uplift|reduction)\b",
    re.IGNORECASE,
)
# Nouns that name a count in the singular (a plural noun names one by its form).
_COUNT_NOUNS = frozenset(
    {"number", "numbers", "population", "headcount", "count", "caseload", "attendance"}
)
# Plural nouns without a final -s.
_IRREGULAR_PLURALS = frozenset({"people", "children", "men", "women", "persons"})
# Money, by the nouns papers count it in: a plural of these is an amount, not a count.  The
# measures a question asks for money with (``answer_kind.MONEY_ASKED``, as nouns), and
# further nouns that name money without asking for an amount by themselves.
_MONEY = frozenset(MONEY_ASKED) | {"spending", "tax", "wage", "salary", "income", "revenue"}
_MONEY |= {"reserve", "balance", "debt", "arrear", "fund", "deficit", "overspend", "surplus"}
_MONEY |= {"bill", "tariff", "rate", "payment", "allowance", "money", "cash", "capital"}
_MONEY |= {"subsidy", "loan", "expenditure", "earning", "receipt", "taking", "contribution"}
_MONEY |= {"premium", "fine", "levy", "pound", "penny", "pence"}

# Where a noun's modifier starts after its head.
_MODIFIER = re.compile(
    r"\s+(?:of|on|in|for|at|with|from|by|to|into|across|among|under|who|which|that)\s+",
    re.IGNORECASE,
)


def _singular(word: str) -> str:
    """The word without a plural ending (a rough cut, enough to tell money from a count)."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") else word


def _is_count(subject: str) -> bool:
    """Whether a subject ("EHCP numbers", "the number of children in care") names a count."""
    if re.search(r"\bnumbers?\s+of\b", subject, re.IGNORECASE):
        return True
    # the head comes before any modifier ("spending on agency workers": "spending")
    head = _MODIFIER.split(subject, maxsplit=1)[0].split()[-1].lower()
    if head.endswith(("'s", "’s", "'", "’")):
        return False  # a possessive ("Lindenport's") is not the subject's head
    if head in _MONEY or _singular(head) in _MONEY:
        return False
    if head in _COUNT_NOUNS or head in _IRREGULAR_PLURALS:
        return True
    plural = head.endswith("s") and not head.endswith(("ss", "us", "is"))
    return plural and len(head) > 3


def asks_count_change(question: str) -> bool:
    """Whether the question's "how much" measures a count (or its change), not money:
    "How much have EHCP numbers gone up ...?", "how much of a rise in the number of ..."."""
    if _CHANGE_IN_NUMBER.search(question):
        return True
    match = _DEGREE.search(question)
    if match is None or not _CLOSES.match(match.group("rest")):
        return False
    return _is_count(match.group("subject"))


_MONEY_FORMS = "|".join(form for forms in MONEY_ASKED.values() for form in forms)
# "how many <noun>": the noun counted ("how many people", against "how many pounds").
_HOW_MANY = re.compile(r"\bhow\s+many\s+(?P<noun>[\w'’-]+)", re.IGNORECASE)
# Money asked for in so many words: "how much", "what ... cost", "at what cost".
_MONEY_ASKED_FOR = re.compile(
    rf"\bhow\s+much\b|\bwhat\s+(?:[\w'’-]+\s+){{0,3}}?(?:{_MONEY_FORMS})\b", re.IGNORECASE
)


def asks_count(question: str) -> bool:
    """Whether a question asks "how many" of something that is not money and asks for no
    money besides: "How many people were waiting ... when it applied for a grant?" asks for
    a count, the grant only placing it ("How many homes ..., and at what cost?" asks for
    both)."""
    match = _HOW_MANY.search(question)
    if match is None or _MONEY_ASKED_FOR.search(question):
        return False
    noun = match.group("noun").lower()
    return noun not in _MONEY and _singular(noun) not in _MONEY


def asks_money(question: str) -> bool:
    """Whether a question asks for an amount of money: ``answer_kind.asks_amount``, unless
    its "how much" measures a count (``asks_count_change``)."""
    return asks_amount(question) and not asks_count_change(question)


def asks_change(question: str) -> bool:
    """Whether a question asks how far something moved ("how much are rents going up",
    "by how much did it raise council tax", "how much more will my council tax be"): a
    percentage then answers it as well as an amount."""
    return bool(_ASKS_CHANGE.search(question))
