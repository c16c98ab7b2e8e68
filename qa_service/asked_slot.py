"""Checks of the shown answer against what the question asks (abstention, stop 26).

A near miss is on the asked topic: the similarity of passage and question cannot tell it
from an answer (docs/quality.md, "Why abstention does not transfer, stop 25").  What can is
the slot the question asks to fill, read from its grammar, against what the shown answer
states.  Three checks, each a piece of ``abstention.Evidence`` behind a ``Readings`` switch
(off in the stored fit unless the merge turns it on; docs/quality.md, "Answer checks for
abstention, stop 26"):

- ``other_period`` (``Readings.period``): the question asks about one period (a year, a
  financial year, a month of a year), and the shown sentence states periods (not those a
  figure is compared with), none of which overlaps it, while the top passage around it
  states none that does: the answer shown is another year's;
- ``plan_only`` (``Readings.plan``): the question asks what happened (a past or perfect
  form, a yes-or-no question on a past event included, no modal or future of its own) and
  the shown sentence writes its event only before the fact (a modal or future form, "is
  scheduled / expected / due to", an infinitive of purpose opening it, a recommendation or
  proposal) with no finite verb in a past form outside that construction;
- ``other_item`` (``Readings.sibling``): the question names an item of a series by its
  ordinal ("the third monitoring visit", "the second round", "Phase 4", "Tranche Two") and
  the top passage names the same series' other members ("the first round", "Tranche One",
  "two monitoring visits") and never the one asked; or names a thing of a kind ("Walmley
  play area") and the passage names none of its name's words but another of the kind
  ("Mere Green play area"): the passage is about a sibling.

Each is 0 or 1, read by general English (closed classes: modal verbs, auxiliaries, ordinal
and cardinal number words, month names), never by a question's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cqa_core.text import STOPWORDS, split_sentences, words
from qa_service import abstention_value
from qa_service.glossary import everyday_terms
from qa_service.rerank import stems_of, word_matches

# --- the period asked and the periods stated -----------------------------------------------

_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# a month before a year ("March 2020", "31 March 2022"), a financial year or a span of
# years ("2018/19", "2018-2019", "2020-2030"), or a year alone
_PERIOD = re.compile(
    rf"\b(?:(?P<month>{_MONTH})\.?\s+)?(?P<first>(?:19|20)\d\d)"
    r"(?:\s*[/\-\u2013]\s*(?P<second>(?:19|20)?\d\d)(?!\d))?\b",
    re.IGNORECASE,
)
# a bound rather than a period: "since 2019", "by March 2016", "before 2023", "until 2024"
_BOUND = re.compile(
    r"\b(?:since|by|before|after|until|till|from|up\s+to|prior\s+to)\s+(?:the\s+)?"
    r"(?:(?:start|end|beginning)\s+of\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Period:
    """A span of months, ``start`` to ``end`` inclusive (year * 12 + month - 1)."""

    start: int
    end: int

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end


# a period a figure is compared with ("compared with 14% in 2021", "up from 258 in 2020",
# "higher than in 2019"): the baseline, not the period of the figure stated
_BASELINE = re.compile(
    r"\b(?:compared\s+(?:with|to)|than|against|(?:up|down|rising|falling|rose|fell)\s+from)"
    r"\s+(?:[^\s.;]+\s+){0,5}?$",
    re.IGNORECASE,
)


def periods(text: str, bounds: bool = True, baselines: bool = True) -> list[Period]:
    """The periods ``text`` writes: a month of a year, a financial year ("2018/19",
    "2018-2019": April to March), a span of years ("2020-2030"), a year; without ``bounds``,
    leaving out those written as a bound ("since 2019", "by March 2016"); without
    ``baselines``, those a figure is compared with ("compared with 14% in 2021")."""
    out = []
    for m in _PERIOD.finditer(text):
        if not bounds and _BOUND.search(text[: m.start()]):
            continue
        if not baselines and _BASELINE.search(text[: m.start()]):
            continue
        first = int(m.group("first"))
        second = m.group("second")
        if m.group("month"):
            month = next(
                i for i, name in enumerate(_MONTHS) if name.startswith(m.group("month").lower()[:3])
            )
            at = first * 12 + month
            out.append(Period(at, at))
            if second is None:
                continue
        if second is None:
            out.append(Period(first * 12, first * 12 + 11))
            continue
        last = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
        if last == first + 1:  # a financial year, April to March
            out.append(Period(first * 12 + 3, last * 12 + 2))
        elif last > first + 1:  # a span of years
            out.append(Period(first * 12, last * 12 + 11))
        else:  # "2019-20" read as a financial year above; anything else: the first year
            out.append(Period(first * 12, first * 12 + 11))
    return out


def other_period(question: str, shown: str, passage: str, meeting_date: str | None = None) -> float:
    """1 when the question asks about a period (not a bound) that the shown sentence does
    not state while it states others, none overlapping it, and the passage around it states
    no period overlapping it either; else 0.  A month asked that is the passage's meeting's
    month names the meeting ("in March 2018"), not the period of a figure: 0."""
    asked = periods(question, bounds=False)
    if not asked or len(asked) != len(periods(question)):
        return 0.0
    met = int(meeting_date[:4]) * 12 + int(meeting_date[5:7]) - 1 if meeting_date else None
    if (
        met is not None
        and all(a.start == a.end for a in asked)
        and any(a.start == met for a in asked)
    ):
        return 0.0
    stated = periods(shown, baselines=False)
    if not stated or any(p.overlaps(a) for p in stated for a in asked):
        return 0.0
    # a figure as at a day or month at most a quarter before a meeting held in the period
    # asked is that period's latest figure ("At 31 December 2024, 84% ...", asked "2025")
    if (
        met is not None
        and any(a.start <= met <= a.end for a in asked)
        and all(p.start == p.end and 0 <= met - p.end <= 3 for p in stated)
    ):
        return 0.0
    if any(p.overlaps(a) for p in periods(passage) for a in asked):
        return 0.0
    return 1.0


# --- an outcome asked, only a plan shown -----------------------------------------------------

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
_PREPOSITIONS = (
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
        *_PREPOSITIONS,
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


# --- an item of a series named by its ordinal, its sibling shown ---------------------------

_ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
]
_CARDINALS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]
_SUFFIXED = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$", re.IGNORECASE)
# "Phase 4", "Tranche Two", "Round 2", "Stage III": a series' item after its noun
_SERIES_NOUNS = r"phase|tranche|round|stage|wave|cohort|part|year|quarter|visit"
_AFTER_NOUN = re.compile(
    rf"\b(?P<noun>{_SERIES_NOUNS})\s+(?P<n>\d{{1,2}}|{'|'.join(_CARDINALS)})\b", re.IGNORECASE
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}
# "the third monitoring visit", "the second round of applications": an ordinal before a
# noun of up to two words before it
_BEFORE_NOUN = re.compile(
    rf"\b(?P<ord>{'|'.join(_ORDINALS)}|\d{{1,2}}(?:st|nd|rd|th))\s+"
    r"(?P<noun>(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)\b",
    re.IGNORECASE,
)
# a count of the series' items ("two monitoring visits"): how many have been so far
_COUNT_BEFORE = re.compile(
    rf"\b(?P<n>\d{{1,2}}|{'|'.join(_CARDINALS)})\s+(?P<noun>(?:[a-z][\w-]*\s+){{0,2}}?[a-z][\w-]*)\b",
    re.IGNORECASE,
)


def _number(word: str) -> int | None:
    w = word.lower()
    if w.isdigit():
        return int(w)
    if w in _ORDINALS:
        return _ORDINALS.index(w) + 1
    if w in _CARDINALS:
        return _CARDINALS.index(w) + 1
    if m := _SUFFIXED.match(w):
        return int(m.group(1))
    return _ROMAN.get(w)


def _head(noun: str) -> str:
    """The noun's last word, singular (a crude "s" off): what the series is of."""
    last = noun.lower().split()[-1]
    return last[:-1] if last.endswith("s") and not last.endswith("ss") else last


def ordinals_named(text: str) -> dict[str, set[int]]:
    """The series' items ``text`` names by number: noun (its head, singular) -> numbers."""
    out: dict[str, set[int]] = {}
    for m in _AFTER_NOUN.finditer(text):
        n = _number(m.group("n"))
        if n is not None:
            out.setdefault(m.group("noun").lower(), set()).add(n)
    for m in _BEFORE_NOUN.finditer(text):
        n = _number(m.group("ord"))
        if n is not None:
            out.setdefault(_head(m.group("noun")), set()).add(n)
    return out


def counts_named(text: str) -> dict[str, set[int]]:
    """The counts ``text`` gives of things ("two monitoring visits"): head noun -> counts."""
    out: dict[str, set[int]] = {}
    for m in _COUNT_BEFORE.finditer(text):
        n = _number(m.group("n"))
        if n is not None:
            out.setdefault(_head(m.group("noun")), set()).add(n)
    return out


# A named thing of a kind: capitalised words (not a possessive, the owner, nor opening a
# sentence) before a lower-case noun or two, the kind ("Walmley play area", "Church Lane
# allotments")
_CAPITAL = r"[A-Z][\w&-]*(?<!'s)(?<!’s)"
_NAMED_KIND = re.compile(
    rf"(?<=[a-z,]\s)((?:{_CAPITAL}\s+){{1,3}})([a-z]{{3,}}(?:\s+[a-z]{{3,}})?)\b"
)
# words that end a name's kind, or are none: prepositions, auxiliaries, determiners
_NOT_KIND = frozenset(
    [
        *_PREPOSITIONS,
        "the",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "did",
        "does",
        "has",
        "have",
        "had",
        "will",
        "would",
        "what",
        "when",
        "how",
        "which",
        "who",
        "why",
        "than",
        "that",
        "this",
        "these",
        "those",
        "its",
        "their",
        "said",
        "say",
        "says",
        "been",
        "being",
    ]
)


def named_kinds(text: str) -> list[tuple[tuple[str, ...], str]]:
    """The named things of ``text``: (the name's words, the kind's words)."""
    out = []
    for m in _NAMED_KIND.finditer(text):
        name, kind = m.group(1).split(), m.group(2).split()
        if kind[0] in _NOT_KIND:
            continue
        kind = kind[:1] if len(kind) > 1 and kind[1] in _NOT_KIND else kind
        out.append((tuple(name), " ".join(kind)))
    return out


def other_named(question: str, passage: str) -> bool:
    """Whether the question names a thing of a kind ("Walmley play area") none of whose
    name's words the passage writes, while the passage names another of that kind ("Mere
    Green play area")."""
    lowered = passage.lower()
    for name, kind in named_kinds(question):
        if any(w.lower() in lowered for w in name):
            continue
        sibling = re.compile(rf"(?<=[a-z,]\s)(?:{_CAPITAL}\s+){{1,3}}{re.escape(kind)}\b")
        if sibling.search(passage):
            return True
    return False


def other_item(question: str, passage: str) -> float:
    """1 when the question names an item of a series by its number (``ordinals_named``)
    above the first, and the passage names other items of the same series, or counts fewer
    of them than the number asked, and never the item asked; or names a thing of a kind
    that the passage does not name while it names another of the kind (``other_named``);
    else 0."""
    if other_named(question, passage):
        return 1.0
    asked = ordinals_named(question)
    if not asked:
        return 0.0
    named = ordinals_named(passage)
    counted = counts_named(passage)
    for noun, numbers in asked.items():
        shown = named.get(noun, set())
        if numbers & shown:
            continue
        fewer = any(c < min(numbers) for c in counted.get(noun, set()))
        if (shown - numbers) or fewer:
            return 1.0
    return 0.0


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


# --- a count asked, none of the thing counted stated (stop 27) -------------------------------


# A share asked ("what proportion of new EHCPs ...", "what percentage of its B roads ..."),
# the thing it is a share of up to its verb or a preposition, as ``counted_thing`` reads
# "how many"; a share stated: a percentage, "half", "a third", "one in five"
_SHARE_ASKED = re.compile(
    r"\bwhat\s+(?:proportion|percentage|share|per\s*cent(?:age)?)\s+of\s+"
    r"(?:(?:the|its|their|all)\s+)?"
    rf"(?P<thing>(?:[\w'’/&-]+\s+){{0,6}}?[\w'’/&-]+)\s+(?={abstention_value.THING_END}\b)",
    re.IGNORECASE,
)
_SHARE_STATED = re.compile(
    r"\d[\d.,]*\s*(?:%|per\s*cent|percent)|\b(?:half|third|quarter|fifth)\b"
    r"|\b(?:one|\d+)\s+in\s+(?:every\s+)?\w+\b",
    re.IGNORECASE,
)


def _states_share_of(text: str, thing: list[str]) -> bool:
    """Whether a sentence of ``text`` states a share and names one of ``thing``'s words."""
    for span in split_sentences(text):
        sentence = text[span.start : span.end]
        present = frozenset(words(sentence))
        stems = stems_of(present)
        if _SHARE_STATED.search(sentence) and any(word_matches(w, present, stems) for w in thing):
            return True
    return False


def count_unbound(question: str, shown: str, passage: str) -> float:
    """1 when the question asks how many of a thing (``abstention_value.counted_thing``) and
    neither the shown highlight nor the top passage around it has a sentence that states a
    count and names the thing (by one of its words, its initials, or the papers' term for an
    everyday word of it, ``glossary``: "kids", children), or asks what share of a thing
    (``_SHARE_ASKED``) and neither states a share in a sentence naming it; else 0.  The
    passage answers for another measure's figure ("Five schools ... projected places"), or
    another group's share ("16.1% of adults" asked "women"), or none."""
    share = _SHARE_ASKED.search(question)
    if share:
        thing = [
            w.lower()
            for w in re.findall(r"[\w'’&-]+", share.group("thing"))
            if w.lower() not in STOPWORDS and len(w) > 1
        ]
        if not thing:
            return 0.0
        return 0.0 if any(_states_share_of(t, thing) for t in (shown, passage)) else 1.0
    if not abstention_value.asks_for_count(question):
        return 0.0
    thing, _ = abstention_value.counted_thing(question)
    if not thing:
        return 0.0
    variants = [question]
    for term in everyday_terms(question):
        for form in term.forms:
            variants.append(question.replace(term.phrase, form))
    for text in (shown, passage):
        if any(abstention_value.states_bound_count(q, text) for q in variants):
            return 0.0
    return 1.0
