"""Whether the answer shown states the value the question asks for: a grade, or a count.

A near miss is often on the asked topic and names the asked measure without its value.
Asked "what grade did Ofsted give the adoption service", the papers show the agenda line
of an Ofsted visit's letter; asked "how many Year 6 children are obese", they show a
budget line in pounds.  Three kinds of value are read, each by how English writes it:

- **a grade** (``answer_kind`` reads the question as asking for one: "what grade / rating",
  "how was it rated"; or it asks by the measure however long its name, "What Use of
  Resources score did ... give", "How did Ofsted grade ...", kept in stop 23): an
  inspection's or a regulator's word for it ("good", "requires improvement", "inadequate"
  ...), a level, a score out of a scale, stars, a grade given as a code beside its noun
  ("a C2 grade", "graded C2", "grade 3"), or, for a score, a figure ("scored 3");
- **a count** ("how many ...", or a "how much" that measures a count:
  ``amount_ask.asks_count`` / ``asks_count_change``): a figure that is not an amount of
  money, nor a date, a year or an item number (``answer_kind.holds_answer`` reads the
  last three out), nor a figure that is part of a name ("ISA 260", "Phase 4", "Appendix
  2": a capitalised word inside the sentence, not a month, and a bare figure) nor "one" as
  a pronoun ("one of the most difficult periods", "no one", "a one-off"): the count's
  attribution (``named``, read by ``named_figure``, which the trend reader shares since
  stop 24), measured in stop 22 and kept in stop 23 by the mean over ten
  bootstrap seeds (docs/quality.md, "Abstention, stop 22" and "Abstention, stop 23");
- **an amount of money asked by the verb** ("What did the new trim trail in New Hall
  Valley cost the town council?"), which ``amount_ask.asks_money`` does not read when the
  subject between "what did" and "cost" is longer than ``answer_kind`` looks (four
  words): an amount of money is stated (docs/quality.md, "Abstention, stop 22").

An amount of money asked for by "how much" or a money noun is read already, on the whole
passage (``abstention.Evidence.amount_missed``); a date is left out, as "when" is often answered
by a year or a month the passage's meeting gives (docs/quality.md, "Abstention, stop 18",
the day-level date).

Two readings judged in stop 25 and left off, each a ``Readings`` switch (docs/quality.md,
"Abstention, stop 25"): ``planned``, an outcome asked and the shown sentence stating it only
as a plan (``outcome_planned``, weighed as a piece of its own), and ``measure``, a count
stated only where its sentence names the thing counted (``states_bound_count``).

``value_missed`` is 0 when no grade or count is asked for, or the shown sentence states
one; 0.5 when only the top passage around it does (the highlight may have missed it); 1
when neither does.  A search of keywords asks for no value this reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from cqa_core.text import STOPWORDS, split_sentences, words
from qa_service.amount_ask import asks_count, asks_count_change, asks_money
from qa_service.answer_kind import Kind, answer_kinds, holds_answer, states_amount
from qa_service.named_figure import NAMED_WORD, without_named_figures
from qa_service.rerank import stems_of, word_matches

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
# "one" and "no" as pronouns or in set phrases, not counts ("one of the most difficult",
# "no one", "a one-off", "no longer").
_NOT_A_COUNT = re.compile(
    r"\bone\s+of\b|\bno[\s-]+one\b|\bone[\s-]+off\b|\bno\s+longer\b|\bone\s+another\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Readings:
    """The readings of English ``value_missed`` makes; the defaults are the stored evidence's.
    bench/fit_attribution.py compares forms by switching them (docs/quality.md, "Abstention,
    stop 22" and "Abstention, stop 23")."""

    # the count's attribution (``states_count``'s ``named``): kept in stop 23
    named: bool = True
    # an amount of money asked by the verb (``asks_cost``): kept in stop 22
    cost: bool = True
    # a decision asked and no resolution's verb stated (``states_decision``): measured in
    # stop 22, not kept
    decision: bool = False
    # a grade asked by its measure however long its name (``asks_grade``'s ``score``): kept
    # in stop 23
    score: bool = True
    # with ``named``, a number word inside a name ("Appendix two"): measured in stop 23, not
    # kept
    words: bool = False
    # an outcome asked and the shown sentence stating its value only as a plan
    # (``outcome_as_plan``): measured in stop 24, not kept
    outcome: bool = False
    # the same, narrowed (no yes-or-no question; the highlight's first sentence only) and
    # weighed as a piece of its own, ``abstention.Evidence.outcome_planned``
    # (``outcome_planned``): read after the stop 24 decision; judged in stop 25, not kept
    # (real-dev-set's false abstentions 3.7 of 68 on the ten-seed mean, over 0.05)
    planned: bool = False
    # a count bound to the measure asked (``states_bound_count``): the figure in a sentence
    # that names the counted thing, by one of its words or its initials; judged in stop 25,
    # not kept (dev-set's caught falls by 2.2 on the ten-seed mean)
    measure: bool = False
    # the answer checks of stop 26 (``asked_slot``; docs/quality.md, "Answer checks for
    # abstention, stop 26"), each a piece of ``abstention.Evidence`` of its own, off unless
    # the merge judges it on a sealed batch: another period shown (``other_period``), only a
    # plan shown where an outcome is asked (``plan_only``), a sibling of the numbered item
    # asked (``other_item``)
    period: bool = False
    plan: bool = False
    sibling: bool = False
    # the answer checks of stop 27 (docs/quality.md, "Abstention checks, stop 27"), off
    # unless the merge judges them on a sealed batch: the plan read wider, an intention in
    # the past or a mandate shown where an outcome is asked (``asked_slot.intent_only``); a
    # count asked and none of the thing counted stated (``asked_slot.count_unbound``)
    intent: bool = False
    counted: bool = False
    # the answer check of stop 32 (docs/quality.md, "Abstention, stop 32: the asked kind not
    # shown"): a kind of answer asked that neither the shown sentence nor its passage holds
    # (``asked_kind_shown.kind_unshown``), read as a cap
    kind: bool = False


def stored_readings() -> Readings:
    """The readings the stored abstention model was fitted with (``abstention_fit.FITTED``'s
    "readings", those it names switched from the defaults): the service gathers its evidence
    as its model was fitted, so ``bench/fit_abstention.py --readings ... --write`` switches a
    reading for the service as a whole."""
    from qa_service.abstention_fit import FITTED

    stored: Any = FITTED.get("readings", {})
    return replace(Readings(), **{str(k): bool(v) for k, v in dict(stored).items()})


# The readings the service reads with (bench/fit_abstention.py ``--readings`` sets it for a run)
STORED = stored_readings()
# An amount of money asked for by the verb: "what did / does / will ... cost".
_ASKS_COST = re.compile(
    r"\bwhat\s+(?:did|does|do|will|would|has|have|had)\b.*\bcost\b", re.IGNORECASE
)


# A grade asked for by the measure it is given in, the measure's name however long ("What
# Use of Resources score did the Audit Commission give ...?", "How did Ofsted grade the
# service?", "How was the service rated?"), where ``answer_kind`` reads "what score / rating /
# grade" side by side only.  "rate" after "what" is a charge ("what weekly rate did it set"),
# not a grade; nor is a noun after "how did / was ...": an active verb is the bare form with
# an object after it, not a preposition nor a verb of change ("How did the council tax rate
# change?", "How did the rate of exclusions compare?"), and a passive one ends in -ed ("How
# is the council tax rate set?" asks no grade).
_ASKS_SCORE = re.compile(
    r"\bwhat\s+(?:[\w'’-]+\s+){0,5}?(?:score|rating|grade)s?\s+"
    r"(?:did|does|do|was|were|is|are|has|have|had|will|would)\b"
    r"|\bhow\s+(?:did|does|do|will|would)\s+(?:[\w'’-]+\s+){0,6}?(?:grade|rate|score|judge)\s+"
    r"(?!(?:in|for|of|over|between|since|from|to|at|by|during|after|before|on|with|change|"
    r"compare|rise|fall|grow|increase|decrease|differ|move|vary|improve|go|look|perform|"
    r"stand|be)\b)\w"
    r"|\bhow\s+(?:was|were|is|are|has|have|had)\s+(?:[\w'’-]+\s+){0,6}?"
    r"(?:grad|rat|scor|judg)ed\b",
    re.IGNORECASE,
)
# A score stated as a figure ("scored 3", "a score of 2"), read only where the measure
# asked is a score (``score``).
_SCORE_VALUE = re.compile(r"\bscor(?:e|ed|es|ing)\s+(?:of\s+|as\s+|at\s+)?\d", re.IGNORECASE)


def asks_grade(question: str, score: bool = False) -> bool:
    """Whether the question asks for a grade ("what rating did the CQC give ..."); with
    ``score``, also by the measure it is given in, however long its name (``_ASKS_SCORE``)."""
    return Kind.GRADE in answer_kinds(question) or (score and bool(_ASKS_SCORE.search(question)))


def asks_for_count(question: str) -> bool:
    """Whether the question asks for a count ("how many ...", "how much have numbers
    gone up ...")."""
    return asks_count(question) or asks_count_change(question)


def states_grade(text: str, score: bool = False) -> bool:
    """Whether ``text`` states a grade's value (``GRADE_VALUE``; with ``score``, also a score
    as a figure, ``_SCORE_VALUE``)."""
    return bool(GRADE_VALUE.search(text)) or (score and bool(_SCORE_VALUE.search(text)))


def states_count(text: str, named: bool = False, words: bool = False) -> bool:
    """Whether ``text`` states a figure that is not money, a date, a year or an item
    number, nor (``named``) part of a name or "one" as a pronoun, nor (``words``, with
    ``named``) a number word that is part of a name."""
    if _OPENING_FIGURE.match(text):
        return True
    text = _MONEY.sub(" ", text)
    if named:
        text = _NOT_A_COUNT.sub(" ", without_named_figures(text))
        if words:
            text = without_named_figures(text, NAMED_WORD)
    return holds_answer(text, Kind.NUMBER)


# A decision stated: a resolution's verb ("resolved", "agreed", "approved", "refused",
# "granted" ...), and "noted" only as what was decided ("the report be noted", "noted the
# report"), not as a report of speech ("the Officer noted that").
_DECIDED = re.compile(
    r"\b(?:resolved|agreed|approved|decided|carried|rejected|refused|endorsed|deferred|"
    r"adopted|declined|granted|withdrawn)\b|\bnoted\b(?!\s+that\b)",
    re.IGNORECASE,
)


def states_decision(text: str) -> bool:
    """Whether ``text`` states a decision (``_DECIDED``)."""
    return bool(_DECIDED.search(text))


# "cost" as a noun, not the verb asked by: after a determiner or a preposition, or before
# "of" or a hyphen ("what did the cabinet do about the cost of living?", "cost-of-living")
_COST_NOUN = re.compile(
    r"\b(?:the|a|an|its|their|this|that|of|for|on|about|total|overall)\s+cost\b"
    r"|\bcost(?:\s+of\b|-)",
    re.IGNORECASE,
)


def asks_cost(question: str) -> bool:
    """Whether the question asks for an amount of money by the verb, its subject of any
    length ("What did the new trim trail in New Hall Valley cost the council?"), where
    ``amount_ask.asks_money`` does not read one; "cost" as a noun is not the verb."""
    return (
        bool(_ASKS_COST.search(question))
        and not _COST_NOUN.search(question)
        and not asks_money(question)
    )


def lacks_value(question: str, text: str, readings: Readings | None = None) -> bool:
    """Whether the question asks for a grade, a count or (``cost``) an amount of money by
    the verb that ``text`` does not state, as ``readings`` read them (None: ``STORED``)."""
    r = readings if readings is not None else STORED
    if asks_grade(question, r.score) and not states_grade(text, r.score):
        return True
    if r.cost and asks_cost(question) and not states_amount(text):
        return True
    if r.decision and Kind.DECISION in answer_kinds(question) and not states_decision(text):
        return True
    if not asks_for_count(question):
        return False
    if r.measure:
        return not states_bound_count(question, text, r.words)
    return not states_count(text, r.named, r.words)


def value_missed(
    question: str, shown: str, passage: str, readings: Readings | None = None
) -> float:
    """0 when the shown sentence states the grade, count or amount asked for (or none is
    asked); 0.5 when only the ``passage`` around it does; 1 when neither does.  With
    ``readings.outcome``, also 1 when the question asks for what happened and the shown
    sentence states the value only as a plan (``outcome_as_plan``).  ``readings`` None:
    ``STORED``."""
    readings = readings if readings is not None else STORED
    if readings.outcome and outcome_as_plan(question, shown):
        return 1.0
    if not lacks_value(question, shown, readings):
        return 0.0
    return 1.0 if lacks_value(question, passage, readings) else 0.5


# --- an outcome asked, a plan shown (stop 24) -------------------------------------------------
#
# Asked "How many tickets were actually sold", "What did the transfer finally cost", "On what
# date was the reception held", the papers show the report before the fact: "The estimated
# costs are ...", "(estimated to be approximately £750 plus VAT)", "confirmed that she would
# ... be hosting a civic reception".  Read by grammar on both sides:
#
# - the question asks for what happened: a figure or a date (``answer_kinds``, or money asked
#   by the verb, ``asks_cost``) in a past or perfect form ("did", "was", "were", "had",
#   "has / have ... been / -ed"), with no modal, future or word of reckoning of its own (so
#   "When will the school open?", "What is the budget for next year?", "What was the
#   estimated cost?" ask for the plan, and nothing is read);
# - the shown sentence states the value only prospectively: every value of the asked kind
#   it holds sits in a clause with a modal or future form (the closed class: will, would,
#   shall, may, might, could, 'll, going to, yet to, is due to do, is to be) or a word of
#   reckoning before the fact (estimated, expected, forecast, projected, proposed, quote,
#   budgeted, planned, target, provisional, indicative, intended, envisaged, and "awaited",
#   passive: the thing not yet come).  Where it holds no value of that kind, the event
#   itself is written so: a modal or future form (a word of reckoning with no value to head
#   names the plan as a thing, "a positive response to the proposal", not the event as to
#   come).  A clause ends at ";", at "but", "whereas", "although", "though", at a comma
#   before "which", "who", "where", "while", and at "and that" (the next clause of reported
#   speech: "had been repaired in 2022/23 ..., and that the forecast for 2023/24 was about
#   70,000" states the outcome, then a forecast).  A parenthesis is a clause of its own for
#   the words of reckoning inside it ("(this may include ...)" makes nothing around it a
#   plan), and its values are read with it and with the clause around it ("The estimated
#   costs are summarised as follows: ... (including 5% contingency)").  Words of reckoning
#   and modals are read in lower case (or opening a clause), so a name ("Planning Policy
#   Manager", "Action Plan") is no plan, and "May" is a month.

_PAST_ASKED = re.compile(
    r"\b(?:did|was|were|had)\b"
    r"|\b(?:has|have)\s+(?:[\w'’-]+\s+){0,4}?(?:been|\w+ed|\w+en|paid|sold|spent|set|made|"
    r"built|held|met|given|taken|bought|cut|lost|won|kept|let)\b",
    re.IGNORECASE,
)
_MODAL_FORM = (
    r"\b(?:will|would|shall|may|might|could|going\s+to|yet\s+to|"
    r"(?:is|are|was|were|be|being)\s+due\s+to\s+"
    r"(?!(?:the|a|an|its|their|his|her|this|that|these|those|our|\d)\b)[a-z]+|"
    r"(?:is|are|was|were|be)\s+to\s+be)\b|\w'll\b"
)
_RECKONING = (
    r"\b(?:estimat(?:e|es|ed|ion|ions|ing)|expected|anticipated|projected|projections?|"
    r"forecasts?|forecasted|forecasting|propos(?:e|es|ed|al|als|ing)|"
    r"quot(?:e|es|ed|ation|ations)|budget(?:s|ed)?|planned|targets?|targeted|provisional(?:ly)?|"
    r"indicative|intend(?:s|ed)?|intention|envisag(?:e|es|ed)|awaited)\b"
)
# lower case (a modal inside a statement, a word of reckoning that is not a name), or
# opening the text ("Estimated costs are ...")
_MODAL = re.compile(_MODAL_FORM)
_PROSPECTIVE = re.compile(rf"{_MODAL_FORM}|{_RECKONING}")
_PROSPECTIVE_OPENING = re.compile(rf"^\W*(?i:{_MODAL_FORM}|{_RECKONING})")
_QUESTION_PLAN = re.compile(rf"(?i:{_RECKONING})|{_MODAL_FORM}|^\W*(?i:{_MODAL_FORM})")
_PARENTHESIS = re.compile(r"\(([^()]*)\)")
_CLAUSE_END = re.compile(
    r";|\b(?:but|whereas|although|though)\b|,\s*(?=(?:which|who|whom|whose|where|while)\b)"
    r"|,?\s*\band\s+that\b",
    re.IGNORECASE,
)


def asks_outcome(question: str) -> tuple[str, ...]:
    """The kinds of value (a figure, a date) the question asks for as what happened: asked
    in a past or perfect form, with no modal, future or word of reckoning of its own; empty
    when it asks for none so."""
    kinds = [k for k in answer_kinds(question) if k in (Kind.NUMBER, Kind.DATE)]
    if Kind.NUMBER not in kinds and asks_cost(question):
        kinds.append(Kind.NUMBER)
    if not kinds or not _PAST_ASKED.search(question) or _QUESTION_PLAN.search(question):
        return ()
    return tuple(kinds)


def prospective(text: str) -> bool:
    """Whether ``text`` is written before the fact: a modal or future form, or a word of
    reckoning, in lower case or opening it."""
    return bool(_PROSPECTIVE.search(text) or _PROSPECTIVE_OPENING.match(text))


def _holds_value(text: str, kinds: tuple[str, ...]) -> bool:
    return any(holds_answer(text, kind) for kind in kinds)


def stated_as_plan(sentence: str, kinds: tuple[str, ...]) -> bool:
    """Whether ``sentence`` states the value of ``kinds`` only prospectively: each value it
    holds in a clause written before the fact (or a parenthesis so written); with none, the
    sentence itself written so."""
    text = sentence.strip()
    if text.startswith("(") and text.rstrip(".;:").endswith(")"):  # a parenthesis alone
        text = text.rstrip(".;:")[1:-1]
    values = plans = 0
    for clause in _CLAUSE_END.split(text):
        if clause is None or not clause.strip():
            continue
        inner = _PARENTHESIS.findall(clause)
        outer = _PARENTHESIS.sub(" ", clause)
        ahead = prospective(outer.strip())
        if _holds_value(outer, kinds):
            values += 1
            plans += ahead
        for part in inner:
            if _holds_value(part, kinds):
                values += 1
                plans += ahead or prospective(part.strip())
    if values:
        return plans == values
    # no value to head: only the verb's form writes the event before the fact ("a
    # positive response to the proposal and the Councillors resolved" is no plan)
    return bool(_MODAL.search(_PARENTHESIS.sub(" ", text)))


def outcome_as_plan(question: str, shown: str) -> bool:
    """Whether the question asks for what happened (``asks_outcome``) and the shown sentence
    states the value only as a plan (``stated_as_plan``)."""
    kinds = asks_outcome(question)
    return bool(kinds and shown and stated_as_plan(shown, kinds))


# A yes-or-no question: an auxiliary first and no question word after it ("Did Tintern
# councillors decide to put rough minutes online before they are formally signed off?" asks
# for no value, though ``answer_kinds`` reads a date into its "before").
_POLAR = re.compile(
    r"^\s*(?:did|does|do|has|have|had|is|are|was|were|will|would|can|could)\b", re.IGNORECASE
)
_WH = re.compile(r"\b(?:when|what|how|which|who|whose)\b", re.IGNORECASE)


def outcome_planned(question: str, shown: str) -> float:
    """``outcome_as_plan`` narrowed (stop 24, after its decision): 1 when a question that is
    not a yes-or-no one asks for what happened and the shown highlight's first sentence (the
    answering one; a modal in a second, "the same solicitor could not act", is another's)
    states its value only as a plan; else 0."""
    if _POLAR.match(question) and not _WH.search(question):
        return 0.0
    spans = split_sentences(shown)
    first = shown[spans[0].start : spans[0].end] if spans else ""
    return 1.0 if outcome_as_plan(question, first) else 0.0


# --- a count bound to the measure asked (stop 25) -----------------------------------------------
#
# Asked "How many EHCP needs assessment requests did Southend refuse in 2021?", the papers
# show a sentence with a figure of another measure ("as set out at Appendix 2", "272 children
# in care"): a count is stated, but not of the thing counted.  The thing is what "how many"
# heads, up to its verb or a preposition ("how many [of the 96] improvement plan actions
# were ...", "how many people has the pilot moved ..."); a count is bound to it when the
# sentence that states the count names one of the thing's words, or the participle said of
# it ("people were waiting": "a waiting list of 91 individuals"), as ``rerank`` matches a
# word (its plural or singular, or its first letters), or writes the thing out by its
# initials ("CLA": "looked after children", "EHCPs": "education, health and care plans").
# where the thing "how many" (or "what share of") heads ends: an auxiliary, a modal, a
# preposition or a conjunction (asked_slot reads the share asked with it)
THING_END = (
    r"(?:did|do|does|were|was|are|is|have|has|had|will|would|could|can|should|might|may|"
    r"in|on|for|at|by|from|to|that|who|which|under|across|per|each|during|between|since|"
    r"over|within|with|after|before|and|or|than|of)"
)
_COUNTED = re.compile(
    r"\bhow\s+many\s+(?:of\s+(?:the|its|their|these|those)\s+(?:[\d,]+\s+)?)?"
    rf"(?P<thing>(?:[\w'’/&-]+\s+){{0,6}}?[\w'’/&-]+)\s+(?={THING_END}\b)"
    # what is said of it, a participle after its auxiliary ("people were waiting",
    # "potholes were repaired"): part of the measure's name
    r"(?:(?:are|is|were|was|have\s+been|has\s+been|had\s+been)\s+(?:\w+ly\s+)?"
    r"(?P<said>\w+(?:ing|ed)))?",
    re.IGNORECASE,
)
# An initialism: two to five capitals, a plural "s" allowed ("CLA", "EHCPs")
_INITIALS = re.compile(r"^([A-Z]{2,5})s?$")
_LINKS = frozenset({"and", "of", "the", "for", "in"})


def counted_thing(question: str) -> tuple[list[str], list[str]]:
    """The words of the thing "how many" counts (content words, lower case) and the
    initialisms among them (their capitals, as written); both empty when none is read."""
    m = _COUNTED.search(question)
    if not m:
        return [], []
    written = re.findall(r"[\w'’&-]+", m.group("thing").replace("/", " "))
    written += [m.group("said")] if m.group("said") else []
    found = [w for w in written if w.lower() not in STOPWORDS and len(w) > 1]
    initials = [i.group(1) for w in found if (i := _INITIALS.match(w))]
    return [w.lower() for w in found], initials


def _spells(initials: str, tokens: list[str]) -> bool:
    """Whether consecutive words of ``tokens`` (links such as "and" left out) have the
    initialism's letters as their initials, in any order ("CLA": "looked after children")."""
    firsts = [t[0] for t in tokens if t not in _LINKS and t[:1].isalpha()]
    want = sorted(initials.lower())
    n = len(want)
    return any(sorted(firsts[i : i + n]) == want for i in range(len(firsts) - n + 1))


def states_bound_count(question: str, text: str, words_too: bool = False) -> bool:
    """Whether a sentence of ``text`` states a count (``states_count``, with the count's
    attribution) and names the thing the question counts (``counted_thing``); with no thing
    read, whether ``text`` states a count at all."""
    thing, initials = counted_thing(question)
    if not thing:
        return states_count(text, named=True, words=words_too)
    for span in split_sentences(text):
        sentence = text[span.start : span.end]
        tokens = words(sentence)
        present = frozenset(tokens)
        stems = stems_of(present)
        named = any(word_matches(w, present, stems) for w in thing) or any(
            _spells(i, tokens) for i in initials
        )
        if named and states_count(sentence, named=True, words=words_too):
            return True
    return False
