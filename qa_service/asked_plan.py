"""An outcome asked and only a plan shown (stop 26), read wider at stop 27.

``plan_only`` (``Readings.plan``, a check of ``qa_service.asked_slot``): the question asks
what happened (a past or perfect form, a yes-or-no question on a past event included, no
modal or future of its own) and the shown sentence writes its event only before the fact (a
modal or future form, "is scheduled / expected / due to", an infinitive of purpose opening
it, a recommendation or proposal) with no finite verb in a past form outside that
construction.  ``intent_only`` (``Readings.intent``) reads it wider: an intention in the past
and a mandate are written before the fact too.
"""

from __future__ import annotations

import re

from cqa_core.text import split_sentences

__all__ = [
    "PREPOSITIONS",
    "asks_happened",
    "intent_only",
    "mandates",
    "plan_only",
    "states_past",
    "written_before",
]

# A question asking what happened, in the slots a plan cannot fill: a yes-or-no question
# opening on a past or perfect auxiliary ("Did ... adopt", "Has ... opened", "Were ...
# finished"); when it happened ("When did / was ..."); how much or how many there were ("How
# many ... were paid", "How much did ... bring in"); or what an event found or came to ("What
# did the trial find", "What were the results of", "How did the trial go").  Not why, who,
# which, nor what was said or decided: a plan or a proposal can answer those.
_AUX_PAST = r"(?:did|was|were|had|has|have)"
_OUTCOME_WORDS = (
    r"find|found|conclude|concluded|show|showed|shown|achieve|achieved|result|results|"
    r"outcome|outcomes|findings|go|went|turn\s+out|end\s+up|ended\s+up|come\s+of"
)
_ASKS_HAPPENED = re.compile(
    rf"^\s*{_AUX_PAST}\b"
    rf"|\bwhen\s+{_AUX_PAST}\b"
    rf"|\bhow\s+(?:much|many|long|far)\b[^?]*?\b{_AUX_PAST}\b"
    r"|\bwhat\s+did\b[^?]*?\bcost\b"
    rf"|\b(?:what|how)\b[^?]*?\b{_AUX_PAST}\b[^?]*?\b(?:{_OUTCOME_WORDS})\b",
    re.IGNORECASE,
)
# The question's own plan or future: a modal, a future form, "going to", "due to"
_MODALS = r"will|would|shall|may|might|could|should|can|must"
_QUESTION_FUTURE = re.compile(
    rf"\b(?:{_MODALS}|going\s+to|due\s+to|expected\s+to|planned\s+to|set\s+to|next)\b|\w'll\b",
    re.IGNORECASE,
)
# The verb written before the fact: a modal (read in lower case, so "May" the month is
# none), "going / yet / due / scheduled / expected / planned / intended / set / proposed /
# about to", an infinitive of purpose or a recommendation opening the sentence ("To seek
# approval ...", "to increase ...", "RECOMMENDED that ..."), a proposal's verb
_PROSPECTIVE = re.compile(
    rf"\b(?:{_MODALS})\b|\w'll\b"
    r"|\b(?:going|yet|due|scheduled|expected|planned|planning|intended|intends?|set|proposed|"
    r"proposes?|proposing|about|aims?|aiming|hopes?|hoping|seeks?|seeking)\s+to\b"
    r"|\bpropos(?:e|es|al|als)\b"
    # a figure reckoned before the fact ("The estimated costs are", "a projected deficit")
    r"|\b(?:estimated|projected|forecast|anticipated|expected|provisional)\b"
)
_OPENING_PURPOSE = re.compile(r"^\W*(?:\(?[a-z0-9]{1,3}[).]\s*)?to\s+[a-z]+", re.IGNORECASE)
_PARENTHESIS = re.compile(r"\([^()]*\)")
# A finite verb in a past form: an auxiliary of the past not heading a plan ("was to",
# "were scheduled to", "was being proposed"), or a verb in -ed after a subject (a name or
# a noun, not a determiner, a preposition or an auxiliary, which make it an adjective or a
# participle)
_PAST_AUX = re.compile(
    r"\b(?:was|were|had|did|has\s+(?:now\s+|already\s+)?been|have\s+(?:now\s+|already\s+)?been)\b"
    r"(?!\s+(?:to|due|going|about|being|scheduled|expected|planned|planning|intended|set|"
    r"proposed|hoping|aiming|seeking)\b)",
    re.IGNORECASE,
)
# (a verb in -ed before "by" is a passive participle: "a trial, funded by the Council")
_PAST_VERB = re.compile(
    r"(?<![\w'’-])(?P<before>[\w'’-]+)[,)]?\s+(?P<verb>[a-z]{3,}ed)\b(?!\s+by\b)"
)
# a relative clause: a plan written in it ("failings, which the partnership must address")
# is not the sentence's own
_RELATIVE = re.compile(r"\b(?:which|who|whom|whose|where)\b", re.IGNORECASE)
# prepositions: after one a word in -ed is no finite verb, and none is a name's kind
# (``asked_series``)
PREPOSITIONS = (
    "of",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "with",
    "to",
    "into",
    "onto",
    "over",
    "under",
    "about",
    "after",
    "before",
    "during",
)
_NOT_SUBJECT = frozenset(
    [
        *PREPOSITIONS,
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "my",
        "any",
        "each",
        "every",
        "some",
        "no",
        "is",
        "are",
        "be",
        "been",
        "being",
        "was",
        "were",
        "has",
        "have",
        "had",
        "will",
        "would",
        "shall",
        "may",
        "might",
        "could",
        "should",
        "can",
        "must",
        "not",
        "and",
        "or",
        "but",
        "if",
        "as",
        "than",
        "newly",
        "recently",
        "fully",
        "partly",
        "previously",
    ]
)
# words in -ed that are no verbs in the past, or the plan's own ("proposed", "planned")
_NOT_PAST = frozenset(
    [
        "need",
        "needed",
        "indeed",
        "bed",
        "red",
        "shed",
        "speed",
        "seed",
        "feed",
        "weed",
        "breed",
        "hundred",
        "proposed",
        "planned",
        "expected",
        "intended",
        "scheduled",
        "estimated",
        "projected",
        "forecasted",
        "anticipated",
        "budgeted",
        "targeted",
        "recommended",
    ]
)


def asks_happened(question: str) -> bool:
    """Whether the question asks for what happened: a past or perfect form ("When did ...",
    "Which firm was appointed", "Did ... adopt", "Has ... opened"), and no modal or future
    form of its own ("When will ...", "What would ...")."""
    return bool(_ASKS_HAPPENED.search(question)) and not _QUESTION_FUTURE.search(question)


# a verb of saying before what was said ("reported that", "advised members that"): the
# report is past, what it reports is the event; a decision's verb ("agreed that", "resolved
# that") is the event itself
_SAYING = re.compile(r"^\s+(?:[a-z]+\s+){0,2}?that\b", re.IGNORECASE)
_DECIDING = frozenset(["agreed", "resolved", "decided", "approved", "determined", "ordered"])


def states_past(sentence: str) -> bool:
    """Whether the sentence has a finite verb in a past form outside a plan's construction
    (a verb of saying before "that" reports, it does not state)."""
    if _PAST_AUX.search(sentence):
        return True
    for m in _PAST_VERB.finditer(sentence):
        before, verb = m.group("before"), m.group("verb").lower()
        if verb in _NOT_PAST or before.lower() in _NOT_SUBJECT:
            continue
        if verb not in _DECIDING and _SAYING.match(sentence[m.end() :]):
            continue
        return True
    return False


def written_before(sentence: str) -> bool:
    """Whether the sentence writes its event before the fact (``_PROSPECTIVE`` in lower
    case, or an infinitive of purpose or a recommendation opening it)."""
    text = sentence.strip()
    if text.startswith("(") and text.rstrip(".;:").endswith(")"):  # a parenthesis alone
        text = text.rstrip(".;:")[1:-1]
    main = _RELATIVE.split(_PARENTHESIS.sub(" ", text), maxsplit=1)[0]
    return bool(_PROSPECTIVE.search(main) or _OPENING_PURPOSE.match(sentence))


def plan_only(question: str, shown: str) -> float:
    """1 when the question asks what happened (``asks_happened``) and the shown highlight's
    first sentence writes its event only before the fact (``written_before``, with no past
    form, ``states_past``); else 0."""
    if not shown.strip() or not asks_happened(question):
        return 0.0
    spans = split_sentences(shown)
    first = shown[spans[0].start : spans[0].end] if spans else shown
    return 1.0 if written_before(first) and not states_past(first) else 0.0


# --- a step before the asked event, read wider than ``plan_only`` (stop 27) -----------------
#
# Three forms of English that write an event before the fact and that ``plan_only`` reads as
# a past: an intention in the past ("The campaign aimed to recruit 40 households", "the
# Council had intended to ..."): the intention is past, the event is not stated; a mandate, a
# bare "be" and a participle after its subject ("that the Portfolio Holder be asked to
# consider", "Agree that up to £210k be added to the capital programme"): what was decided is
# that it be done, not that it was; and a participle after a noun, before a preposition, in a
# clause whose verb is a modal ("Eighteen charge points reserved for taxis would be
# installed"): the participle qualifies the noun, the modal is the clause's verb.
_PAST_INTENT = re.compile(
    r"\b(?:aimed|intended|hoped|sought|wanted|wished|planned|expected|proposed|scheduled)\s+to\b",
    re.IGNORECASE,
)
# a bare "be" with a participle after it (an adverb between allowed): a mandate, unless a
# modal, "to" or a negation heads it ("will be added", "to be funded", "cannot be met")
_BARE_BE = re.compile(
    r"(?P<before>[\w'’]+)\s+(?:(?:also|then|now|not|\w+ly)\s+)?be\s+(?:\w+ly\s+)?"
    r"(?P<verb>[a-z]{3,}(?:ed|en))\b",
    re.IGNORECASE,
)
_HEADS_BE = frozenset(["to", *_MODALS.split("|"), "cannot", "not", "ll", "won't", "can't"])
# verbs of deciding asked: a resolution that a thing be done answers whether it was decided
_ASKS_DECIDING = re.compile(
    r"\b(?:approv|agree|adopt|decid|resolv|accept|endors|vot|sign|support|recommend|authoris|"
    r"authoriz|commission|appoint|award|allocat|grant)\w*",
    re.IGNORECASE,
)
# a participle after a plural noun, before a preposition, with a modal later in its clause
_QUALIFYING = re.compile(
    r"(?<=[a-z]s)\s+(?P<verb>[a-z]{3,}ed)(?=\s+(?:for|in|at|on|from|with|under|through|into|"
    rf"as|to|across|within)\b[^,;:]*?\b(?:{_MODALS})\b)",
    re.IGNORECASE,
)


def _stem_of(word: str) -> str:
    """A verb form's stem, for matching a participle to a question's word ("added": "add").

    Not ``glossary._stem`` nor ``trend_words.stem``: this one lower-cases and takes "en",
    "d" and "s" off too, down to three letters ("speed": "spe"), which only matters between
    two forms of a question's verb; the three differ on most words of the shared corpora
    (docs/quality.md, "Repeated code, stop 29")."""
    w = word.lower()
    for ending in ("ed", "en", "d", "ing", "s"):
        if w.endswith(ending) and len(w) - len(ending) >= 3:
            return w[: -len(ending)]
    return w


# where a mandate is no answer: a question whether a thing is done by now, in the perfect
# ("Has ... opened", "Have ... been installed"), or what an event found or came to ("What
# did the studies find"); not when or how much a council did, which it does by resolving
# ("when did it last put up the charge", shown "that the charge be increased")
_ASKS_DONE_BY_NOW = re.compile(
    r"^\s*(?:has|have|had)\b"
    rf"|\b(?:what|how)\b[^?]*?\b{_AUX_PAST}\b[^?]*?\b(?:{_OUTCOME_WORDS})\b",
    re.IGNORECASE,
)


def mandates(sentence: str, question: str) -> bool:
    """Whether ``sentence`` decides that a thing be done (``_BARE_BE``) where the question
    asks whether it is done by now or what it found (``_ASKS_DONE_BY_NOW``), neither whether
    it was decided (a verb of deciding) nor whether it was done by the mandate's own verb
    ("Has it added ...", shown "that £210k be added")."""
    if not _ASKS_DONE_BY_NOW.search(question) or _ASKS_DECIDING.search(question):
        return False
    asked = {_stem_of(w) for w in re.findall(r"[A-Za-z]{3,}", question)}
    for m in _BARE_BE.finditer(sentence):
        if m.group("before").lower().strip("'’") in _HEADS_BE:
            continue
        if _stem_of(m.group("verb")) in asked:
            continue
        return True
    return False


def intent_only(question: str, shown: str) -> float:
    """``plan_only`` read wider (``Readings.intent``): 1 when the question asks what happened
    and the shown highlight's first sentence writes its event only before the fact, a plan
    as ``plan_only`` reads it, an intention in the past ("aimed to recruit"), or a mandate
    ("that the Portfolio Holder be asked to consider"), with no past form outside them (a
    participle qualifying a noun before a modal is none, "points reserved for taxis would
    be installed"); else 0."""
    if not shown.strip() or not asks_happened(question):
        return 0.0
    spans = split_sentences(shown)
    first = shown[spans[0].start : spans[0].end] if spans else shown
    main = _RELATIVE.split(_PARENTHESIS.sub(" ", first), maxsplit=1)[0]
    before = written_before(first) or bool(_PAST_INTENT.search(main)) or mandates(first, question)
    if not before:
        return 0.0
    rest = _QUALIFYING.sub(" ", _PAST_INTENT.sub(" to", first))
    return 0.0 if states_past(rest) else 1.0
