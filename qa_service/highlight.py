"""Sentence splitting and choosing the sentence(s) of a passage that answer the question.

The sentence closest to the question in meaning is often the one that repeats it: a
heading, or "Members asked how many people were waiting."  The answer is then the
sentence after it.  So each sentence's cosine is adjusted by what it holds
(``qa_service.answer_kind``): the kind of answer asked for counts for it, a heading or a
restatement of the question counts against it, and the sentence right after a heading or
restatement that was the closest gains; so, by less, does the sentence after the closest
unless the closest already states the kind asked for and the next does not carry it on
("None had been ...", "Of these, ..."), as papers name a topic ("Three quotations were
received.") before they say what came of it.  A reported question
("Members asked what grade ...") is never the answer, and the reply after it counts as
close to the question as the question it answers.  A second sentence joins the span
when the answer runs on into it (the chosen sentence lacks the kind asked for and the next
holds it, or the chosen one leads in to a list: "RESOLVED to approve:", which takes the
list's items up to the one that closes it), or when it scores as well.  Sentences that
hold the kind asked for and score within a margin of the best (a list of declared
interests, each naming a councillor) are told apart by the question's words: for "who
chaired ...", the one naming the word the question asks the person by ("Mr D Millar
(Chair), ..."); otherwise the one naming two or more of them that none of the others
names.  The adjustments and that margin are fitted by cross-validation across councils
(``bench/fit_highlight.py``).

The question is read by ``answer_kind.answer_kinds`` (a reason for "why", a place for
"where", a figure asked for by the measure it names or by a search of keywords) and a
sentence by ``holds_answer`` (an item number or a date is not a figure), ``holds_place`` (a
name after a preposition of place that the question does not give) and ``is_label`` (a line
in capitals, an item number alone, the title of a set of minutes).  When the question names
a year, a sentence that names only other years holds none of what it asks for
(``names_other_years``: last year's overspend is not this year's).

Five readings of stop 25, each a switch of ``SpanRule`` (``CQA_HIGHLIGHT_*``): a figure the
question itself gives holds nothing (``own_values``); asked how far a figure moved, only
sentences stating a change hold it when one does (``change_held``); a name the question gives
tells apart, by itself, a row of a table from the closer row of another organisation
(``names_apart``); a bare item of a resolution is shown under the "RESOLVED - That:" leading
in to it (``item_under_lead``); a sentence repeating the question gives way to the next when
that holds the kind asked too (``restated_beside``).

Four readings of stop 26 (not switches; docs/quality.md, "The answering sentence on real
papers, stop 26"): asked how many of something not money, a sum of money is no count
(``Asked.count``); a line opening with a bare count ("27 young people living with ...")
holds a figure, where ``holds_answer`` reads an opening number as an item number; a yes-or-no
question asking for a figure in words too ("Has it funded ... before, and how much?") is held
by a sentence holding the figure when one does, not by one holding only the decision or date
its form implies (``Asked.by_form``); and a question asking for no kind of answer is shown
the sentence naming the topic with the one saying what came of it (``_with_topic``).

Three readings of stop 27 (not switches; docs/quality.md, "The answering sentence on real
papers, stop 27"): a question asking what a council or its members made of something ("What
was the community council's view on ...?", "What worried councillors about ...?") is held by
a sentence stating a stance ("TCC object to ...", "the Council's concerns about ...") when
one does (``Asked.view``, ``_view_held``); a question asking for no kind of answer has the
sentences as close as the best told apart by the question's words like those holding a kind
(a list of declared interests: ``_told_apart``); and a sentence names the question's words
in any of their forms when sentences are told apart ("permanently excluded" names
"permanent exclusions": ``_named``).

One reading of stop 27's second wave (docs/quality.md, "The answer after the item's
introduction, stop 27"): a sentence that only introduces the item ("The Port Business
Manager presented proposals for harbour dues ...", ``answer_kind.introduces_item``) and
holds none of the kind asked is read as a heading: it names the item, not what came of it;
and a question asking for no kind of answer has the whole passage's sentences told apart
by its words, not those within the tie margin alone (``_told_apart``).

The span is chosen twice (``Chosen``, stop 30): the core answer joins the sentence before or
after only when it scores within ``CORE_MARGIN`` (0.03) of the chosen one, and is what the
abstention's evidence and the trend reader read; the span shown widens a one-sentence core
with a neighbour within the display's margin (``SpanRule.margin``,
``CQA_HIGHLIGHT_NEIGHBOUR_MARGIN``, 0.3), and is what the API, the pages and the CLI mark.
So showing more does not move the abstention, whose fit was made on the core
(docs/quality.md, "The core answer and the shown span, stop 30").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np

from cqa_core.text import STOPWORDS, Span, split_sentences, words
from qa_service.amount_ask import asks_change, asks_count
from qa_service.answer_kind import (
    REASON,
    Kind,
    answer_kinds,
    asks_amount,
    asks_view,
    gives_reason_field,
    holds_answer,
    holds_place,
    holds_view,
    introduces_item,
    is_label,
    kinds_of_form,
    names_other_years,
    reports_question,
    restates,
    role_asked,
    states_amount,
    years_named,
)
from qa_service.config import Settings, default_of
from qa_service.rerank import stems_of, word_matches

__all__ = [
    "CORE_MARGIN",
    "Asked",
    "Chosen",
    "Flags",
    "Span",
    "SpanRule",
    "answer_span",
    "asked_of",
    "best_sentences",
    "choose",
    "flags_of",
    "kind_cosine",
    "leads_in",
    "split_sentences",
]

# A sentence that leads in to what follows: it ends in a colon, perhaps with a dash or the
# first list marker after it ("RESOLVED to approve:", "as follows: -", "agreed:\n1.").
_LEAD_IN = re.compile(
    r":\s*[-\u2013]?\s*(?:\(?(?:\d{1,2}|[a-z]|[ivx]+)[.)]|[\u2022\u00b7\uf0b7])?\s*$",
    re.IGNORECASE,
)
# A list item that is not the last: it ends in ";" or ",", perhaps with "and" / "or".
_RUNS_ON = re.compile(r"[;,]\s*(?:and|or)?\s*$", re.IGNORECASE)
# A sentence that opens by referring back to the one before: it carries on what that one
# said ("None had been judged outstanding ...", "Of these, 94% ...", "This was ...").
_REFERS_BACK = re.compile(
    r"\s*(?:it|its|this|these|that|those|they|their|them|none|neither|both|each|either|"
    r"of\s+(?:these|those|them|which|whom)|most\s+of|all\s+of|some\s+of|many\s+of)\b",
    re.IGNORECASE,
)
# The most items of a list a lead-in takes with it.
_LIST_ITEMS = 6
# How close a neighbour must score to join the core answer (``Chosen.core``), the span the
# abstention's evidence and the trend reader read: the neighbour margin the stored
# abstention fit was made with (qa_service/abstention_fit.py), so the display's wider margin
# (``SpanRule.margin``, ``CQA_HIGHLIGHT_NEIGHBOUR_MARGIN``) leaves the abstention as fitted
# (docs/quality.md, "The core answer and the shown span, stop 30").  Not a setting: another
# value would move the abstention without a refit.
CORE_MARGIN = 0.03
# How many of the question's words a sentence must name, that the other sentences as close
# and holding the kind asked for do not, to be chosen over the closest of them: one shared
# word is chance ("housing"), two are a description ("statutory ... appeal panel").
_DISTINCT = 2
# A percentage: how much something rose or fell by ("rents would rise by 2.7%").
_PERCENT = re.compile(r"\d\s*(?:%|per\s*cent|percent)", re.IGNORECASE)
# A change stated (``SpanRule.change_held``): a percentage, a word of change ("an increase
# of £1.50", "rose to", "a reduction of"), a comparison ("more than", "higher than",
# "compared with") or a figure from one value to another ("from £5.20 to £5.60"): general
# English, the words a change in a figure is told with.
_STATES_CHANGE = re.compile(
    r"\d\s*(?:%|per\s*cent|percent)"
    r"|\b(?:increas(?:e|es|ed|ing)|ris(?:e|es|en|ing)|rose|fall(?:s|en|ing)?|fell|"
    r"drop(?:s|ped|ping)?|reduc(?:e|es|ed|ing|tion|tions)|decreas(?:e|es|ed|ing)|"
    r"declin(?:e|es|ed|ing)|cut|cuts|uplift|grow(?:s|n|th|ing)?|grew|"
    r"(?:up|down)\s+(?:by|from|on)|(?:more|less|fewer|higher|lower|greater)\s+than|"
    r"compared\s+(?:with|to))\b"
    r"|\bfrom\s+£?\d[\d,.]*\w*\s+to\s+£?\d",
    re.IGNORECASE,
)
# A figure as a question writes it ("£6,000", "20mph", "2022/23"): a value it gives.
_VALUE = re.compile(r"\d[\d,./]*\d|\d")
# A year, or a financial year ("2023/24"): read by ``names_other_years``, not masked.
_YEARISH = re.compile(r"(?:19|20)\d\d(?:[/-]\d\d(?:\d\d)?)?")
# A bare list item: a bracketed number or letter ("(5) asks the Cabinet ...", "b) That
# ..."), a letter with a stop ("a. ") or a bullet opening it.
_LIST_ITEM = re.compile(
    r"\s*(?:\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})\)|[a-z]\.\s|[\u2022\u00b7\uf0b7\u25aa\u2013-]\s)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SpanRule:
    """How much what a sentence holds moves it up or down (fitted, see module doc)."""

    # fitted across councils by bench/fit_highlight.py; the defaults are the settings'
    kind_bonus: float = default_of("highlight_kind_bonus")  # holds the kind asked for
    restate_penalty: float = default_of("highlight_restate_penalty")  # a heading, or restates
    after_bonus: float = default_of("highlight_after_bonus")  # follows a restatement
    follow_bonus: float = default_of("highlight_follow_bonus")  # follows the closest one
    # sentences holding the kind asked for within this of the best are told apart by the
    # question's words each names (``choose``)
    tie_margin: float = default_of("highlight_tie_margin")
    # a neighbour this close joins the span shown (``Chosen.shown``) ...
    margin: float = default_of("highlight_neighbour_margin")
    # ... and this close, the core answer the abstention reads (``Chosen.core``)
    core_margin: float = CORE_MARGIN
    # stop 25 readings, each a switch (docs/quality.md, "Rank 1 and the answering sentence,
    # stop 25"): a value the question gives is no answer (``own_values``); a change asked
    # is held by a sentence stating one (``change_held``); a name the question gives tells
    # sentences apart alone (``names_apart``); a bare item of a resolution is shown under
    # the resolution (``item_under_lead``); a sentence repeating the question gives way to
    # the next holding the kind asked (``restated_beside``)
    own_values: bool = default_of("highlight_own_values")
    change_held: bool = default_of("highlight_change_held")
    names_apart: bool = default_of("highlight_names_apart")
    item_under_lead: bool = default_of("highlight_item_under_lead")
    restated_beside: bool = default_of("highlight_restated_beside")

    @classmethod
    def from_settings(cls, settings: Settings) -> SpanRule:
        """The rule ``settings`` (``CQA_HIGHLIGHT_*``) give."""
        return cls(
            kind_bonus=settings.highlight_kind_bonus,
            restate_penalty=settings.highlight_restate_penalty,
            after_bonus=settings.highlight_after_bonus,
            follow_bonus=settings.highlight_follow_bonus,
            tie_margin=settings.highlight_tie_margin,
            margin=settings.highlight_neighbour_margin,
            own_values=settings.highlight_own_values,
            change_held=settings.highlight_change_held,
            names_apart=settings.highlight_names_apart,
            item_under_lead=settings.highlight_item_under_lead,
            restated_beside=settings.highlight_restated_beside,
        )


@dataclass(frozen=True)
class Asked:
    """What a question asks for, as the highlight reads it."""

    kinds: tuple[str, ...] = ()  # ``answer_kind.answer_kinds``
    words: frozenset[str] = frozenset()  # the question's words, to spot restatements
    amount: bool = False  # the figure asked for is an amount of money (``asks_amount``)
    change: bool = False  # ... or how far it moved (``amount_ask.asks_change``)
    years: frozenset[str] = frozenset()  # the years it names (``answer_kind.years_named``)
    role: str = ""  # the word "who" asks the person by (``answer_kind.role_asked``)
    # the figures the question writes ("£6,000", "20mph": ``SpanRule.own_values``)
    values: frozenset[str] = frozenset()
    # the names it gives: words it writes capitalised past its first, folded as
    # ``Flags.named`` folds them ("Banners", "Gate": ``SpanRule.names_apart``)
    names: frozenset[str] = frozenset()
    # "how many" of something that is not money (``amount_ask.asks_count``): an amount of
    # money is no count ("an annual charge of £40 per bin" for "how many households pay")
    count: bool = False
    # the kinds read from a yes-or-no question's form alone (``answer_kind.kinds_of_form``)
    by_form: tuple[str, ...] = ()
    # asks what a council or its members made of something, and no other kind in words
    # (``answer_kind.asks_view``): a sentence stating a stance holds it (``_view_held``)
    view: bool = False


@dataclass(frozen=True)
class Chosen:
    """The span a highlight chooses, twice: ``core`` is the answer, the sentence(s) the rule
    chooses with a neighbour only within ``SpanRule.core_margin`` (what the abstention's
    evidence and the trend reader read); ``shown`` is what a reader is shown, the core with
    a neighbour within the display's ``SpanRule.margin`` when the core is one sentence.  The
    shown span always holds the core."""

    core: list[Span]
    shown: list[Span]


def best_sentences(
    sentence_scores: np.ndarray, spans: list[Span], margin: float = 0.03, max_sentences: int = 2
) -> list[Span]:
    """The best-scoring sentence, plus its neighbour when that scores within ``margin``.

    Adjacent winners are merged into one span so the highlight reads as one piece.
    """
    if not spans:
        return []
    order = np.argsort(-sentence_scores, kind="stable")
    best = int(order[0])
    chosen = [best]
    for i in (best - 1, best + 1):
        if len(chosen) >= max_sentences:
            break
        if 0 <= i < len(spans) and sentence_scores[i] >= sentence_scores[best] - margin:
            chosen.append(i)
    chosen.sort()
    return [Span(spans[chosen[0]].start, spans[chosen[-1]].end)]


@dataclass(frozen=True)
class Flags:
    """What each sentence of a passage holds, as the rule weighs it."""

    answers: tuple[bool, ...]  # holds the kind of answer asked for
    empty: tuple[bool, ...]  # a heading, or repeats the question without answering
    lead_in: tuple[bool, ...]  # ends in a colon: the next sentence goes with it
    reported: tuple[bool, ...] = ()  # a reported question: the next sentence answers it
    runs_on: tuple[bool, ...] = ()  # a list item ending in ";" or ", and": the list goes on
    refers_back: tuple[bool, ...] = ()  # opens by referring back ("None had ...", "Of these")
    named: tuple[frozenset[str], ...] = ()  # the question's content words it names
    role: tuple[bool, ...] = ()  # names the word "who" asks by ("Chair" for "chaired")
    # for a decision asked, 1 a bare list item ("(5) asks ..."), 2 a sentence recording a
    # decision ("RESOLVED - That:"), 0 else (``SpanRule.item_under_lead``)
    item: tuple[int, ...] = ()
    names: frozenset[str] = frozenset()  # the names the question gives (``SpanRule.names_apart``)
    # opens with a name the question does not give, as a table's row its label
    # ("Leaving Care Team | 131 | ...", "Four Oaks - £1,250": ``SpanRule.names_apart``)
    other_label: tuple[bool, ...] = ()
    # the question asks for a kind of answer (``answer_kind.answer_kinds``): what it asks
    # can tell the topic named from what came of it (``_with_topic``)
    kind_asked: bool = True


def flags_of(sentences: Sequence[str], asked: Asked, rule: SpanRule | None = None) -> Flags:
    """Read each sentence once (a rule then only weighs the flags; the rule's switches
    decide how some are read)."""
    rule = rule or SpanRule()
    own = asked.values if rule.own_values else frozenset()
    answers = tuple(any(_holds(s, k, asked, own) for k in asked.kinds) for s in sentences)
    worded = [k for k in asked.kinds if k not in asked.by_form]
    if asked.by_form and worded:
        # a yes-or-no question asking for a figure in words too ("Has the council funded
        # it before, and how much did it give?"): where a sentence holds what is asked in
        # words, one holding only what the form implies (a decision, a date) holds none
        held = tuple(any(_holds(s, k, asked, own) for k in worded) for s in sentences)
        if any(held):
            answers = held
    answers, view = _view_held(sentences, asked, answers)
    if rule.change_held and asked.change and Kind.NUMBER in asked.kinds:
        # how far a figure moved is asked: where a sentence holding a figure states a
        # change, the ones stating a level only ("a Band D charge of £203.41") hold none
        changed = tuple(bool(_STATES_CHANGE.search(s)) for s in sentences)
        if any(a and c for a, c in zip(answers, changed, strict=True)):
            answers = tuple(a and c for a, c in zip(answers, changed, strict=True))
    asked_content = frozenset(_fold(w) for w in asked.words if _is_content(w))
    empty = tuple(
        is_label(s)
        or reports_question(s)
        # a bare introduction of the item ("The Town Clerk presented the proposal ..."),
        # holding none of the kind asked: it names the item, not what came of it
        or (not answers[i] and introduces_item(s))
        or (
            restates(s, asked.words)
            and (
                not answers[i]
                # it repeats the question and the next sentence holds the kind asked
                # too: that one answers (``SpanRule.restated_beside``)
                or (rule.restated_beside and i + 1 < len(answers) and answers[i + 1])
            )
        )
        for i, s in enumerate(sentences)
    )
    return Flags(
        answers,
        empty,
        tuple(leads_in(s) for s in sentences),
        tuple(reports_question(s) for s in sentences),
        tuple(bool(_RUNS_ON.search(s)) for s in sentences),
        tuple(bool(_REFERS_BACK.match(s)) for s in sentences),
        tuple(_named(s, asked_content) for s in sentences) if asked_content else (),
        tuple(_names_role(s, asked.role) for s in sentences) if asked.role else (),
        _items(sentences, asked, rule),
        asked.names if rule.names_apart else frozenset(),
        tuple(_opens_other_name(s, asked.names) for s in sentences) if rule.names_apart else (),
        bool(asked.kinds) or view,
    )


def _view_held(
    sentences: Sequence[str], asked: Asked, answers: tuple[bool, ...]
) -> tuple[tuple[bool, ...], bool]:
    """For a question asking what a council or its members made of something ("What was
    the community council's view on ...?", "What worried councillors about ...?") and no
    other kind in words, the sentences stating a stance ("TCC object to this ...",
    "expressing the Council's concerns about ...") hold what is asked, when one does; the
    second value says whether one does (the question then asks for a kind, and the topic
    is not shown beside it: ``_with_topic``)."""
    if not asked.view or any(k not in asked.by_form for k in asked.kinds):
        return answers, False
    held = tuple(holds_view(s) for s in sentences)
    if not any(held):
        return answers, False
    return held, True


# A row's label: the capitalised words opening a line (after any item number), then a
# cell's separator ("|", a tab, a dash, a colon, a run of spaces) or a figure, as a table's
# row reads flattened ("Leicester | £19.50", "Four Oaks - £1,250"); not a sentence of prose
# opening with a title ("The Director of Place said ...").
_ROW_LABEL = re.compile(
    r"[ \t]*(?:\(?\w{1,3}[.)][ \t]+)?([A-Z][\w'\u2019&.]*(?: [A-Z][\w'\u2019&.]*)*)"
    r"(?:[ \t]*[|\t:\u2013-]|[ ]{2,}|[ \t]*[£$€]?\d)"
)


def _opens_other_name(sentence: str, names: frozenset[str]) -> bool:
    """Whether a sentence is a table's row labelled with a name (capitalised content
    words) of which the question gives none: another organisation's row."""
    match = _ROW_LABEL.match(sentence)
    if not match:
        return False
    label = frozenset(_fold(w) for w in words(match.group(1)) if _is_content(w))
    return bool(label) and not label & names


def _items(sentences: Sequence[str], asked: Asked, rule: SpanRule) -> tuple[int, ...]:
    """Per sentence, for a question asking what was decided (``SpanRule.item_under_lead``):
    1 for a bare list item ("(5) asks the Cabinet to ..."), 2 for a sentence recording a
    decision ("RESOLVED - That the Council:"), else 0; empty for any other question (a
    list of declared interests shows its one item)."""
    if not rule.item_under_lead or Kind.DECISION not in asked.kinds:
        return ()
    return tuple(
        1 if _LIST_ITEM.match(s) else 2 if holds_answer(s, Kind.DECISION) else 0 for s in sentences
    )


def _unvalued(sentence: str, values: frozenset[str]) -> str:
    """A sentence without the figures the question gives (``SpanRule.own_values``): "the
    report on the 20mph schemes approved in 2023" repeats the question's "20mph", it does
    not say how many."""
    if not values:
        return sentence
    return _VALUE.sub(lambda m: " " if m.group(0) in values else m.group(0), sentence)


def _names_role(sentence: str, role: str) -> bool:
    """Whether a sentence names the word a "who" question asks the person by, in any of
    its forms ("Chair" for "chaired", "Proposed" for "proposed")."""
    present = frozenset(words(sentence))
    return word_matches(role, present, stems_of(present))


def _is_content(word: str) -> bool:
    return len(word) > 1 and word.isalpha() and word not in STOPWORDS


def _fold(word: str) -> str:
    """A word with a plural's "s" off ("appeals" is "appeal")."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _named(sentence: str, asked: frozenset[str]) -> frozenset[str]:
    """The question's content words a sentence names, in any form ("permanently" for
    "permanent", "excluded" for "exclusions": ``rerank.word_matches``)."""
    present = _content(sentence)
    stems = stems_of(present)
    return frozenset(w for w in asked if word_matches(w, present, stems))


def _content(sentence: str) -> frozenset[str]:
    return frozenset(_fold(w) for w in words(sentence) if _is_content(w))


# An amount of money as a sentence states it ("£40", "£1.56 million"): no count of things.
_MONEY_STATED = re.compile(r"[£$€]\s?\d[\d,.]*(?:\s*(?:k|m|bn|million|billion)\b)?", re.IGNORECASE)
# A line opening with a count, a bare number then a word in lower case ("27 young people
# living with their former foster carers", a slide's or table's bullet): the number is what
# is counted, not an item number ("3.2 The number ...", "(5) asks ...", "805. Minutes"),
# nor a year ("2021 saw ...").
_COUNT_OPENS = re.compile(r"\s*(?!(?:19|20)\d\d\b)\d{1,3}(?:,\d{3})*\s+[a-z]")


def _holds(sentence: str, kind: str, asked: Asked, own: frozenset[str] = frozenset()) -> bool:
    """Whether a sentence holds the kind asked for; a figure asked for as an amount of
    money ("how much", "what does it pay") is held only by an amount stated ("£2,150"),
    or by a percentage when the question asks how far it moved ("how much are rents going
    up": 2.7%), not by any number ("Three quotations received.", "Occupancy is 91%").
    The ranking's ``kind_cosine`` keeps the plainer reading: with this one it put a
    passage stating some amount first for unanswerable "how much" questions, which the
    abstention then answered (docs/quality.md, "Rank 1 and the highlight, fourth pass").
    A decision's reason field ("Reason: To adopt the ... Plan 2020-2030") holds a reason
    only: the years or sums in it repeat the decision above it.  The figures the
    question gives (``own``, ``SpanRule.own_values``) are read as not there."""
    if kind != REASON and gives_reason_field(sentence):
        return False
    if names_other_years(sentence, asked.years):
        return False
    sentence = _unvalued(sentence, own)
    if kind == Kind.NUMBER and asked.count:
        sentence = _MONEY_STATED.sub(" ", sentence)
    if kind == Kind.NUMBER and not asked.amount and _COUNT_OPENS.match(sentence):
        return True
    if kind == Kind.NUMBER and asked.amount:
        return states_amount(sentence) or (asked.change and bool(_PERCENT.search(sentence)))
    if kind == Kind.PLACE:
        return holds_place(sentence, asked.words)
    return holds_answer(sentence, kind)


def adjusted_scores(scores: np.ndarray, flags: Flags, rule: SpanRule) -> np.ndarray:
    """Each sentence's cosine moved by what it holds (see the module doc)."""
    out = np.asarray(scores, dtype=np.float64).copy()
    if not len(out):
        return out
    # the reply to a reported question is as close to the question as the question it
    # answers ("Members asked what grade ..." / "The Cabinet Member said ... a C2 grade")
    for i in range(len(out) - 1):
        if i < len(flags.reported) and flags.reported[i]:
            out[i + 1] = max(out[i + 1], float(scores[i]))
    out += rule.kind_bonus * np.asarray(flags.answers, dtype=np.float64)
    out -= rule.restate_penalty * np.asarray(flags.empty, dtype=np.float64)
    closest = int(np.argmax(scores))
    if closest + 1 < len(out):
        # the closest names the topic and its successor says what came of it, unless the
        # closest already states the kind of answer asked for ("an overspend of £14.9
        # million"): then the successor is only more detail
        answered = flags.answers[closest] and not flags.empty[closest]
        carries_on = closest + 1 < len(flags.refers_back) and flags.refers_back[closest + 1]
        follow = 0.0 if answered and not carries_on else rule.follow_bonus
        out[closest + 1] += follow + (rule.after_bonus if flags.empty[closest] else 0.0)
    return out


def leads_in(sentence: str) -> bool:
    """Whether a sentence leads in to the next one: it ends in a colon (a list follows)."""
    return bool(_LEAD_IN.search(sentence.rstrip()))


def choose(spans: list[Span], scores: np.ndarray, flags: Flags, rule: SpanRule) -> Chosen:
    """The core answer and the span shown, from read flags (see :func:`answer_span`)."""
    if not spans:
        return Chosen([], [])
    adjusted = adjusted_scores(scores, flags, rule)
    best = _told_apart(adjusted, flags, rule.tie_margin)
    chosen = [best]
    lead = _lead_of(flags, best)
    if lead is not None:
        chosen.append(lead)
    following = best + 1
    if following < len(spans) and (
        (flags.answers[following] and not flags.answers[best])
        or flags.lead_in[best]
        or _carries_on(flags, best, following)
    ):
        chosen.append(following)
        # a lead-in takes its list with it, up to the item that closes it
        if flags.lead_in[best]:
            while (
                chosen[-1] + 1 < len(spans)
                and len(chosen) <= _LIST_ITEMS
                and chosen[-1] < len(flags.runs_on)
                and flags.runs_on[chosen[-1]]
            ):
                chosen.append(chosen[-1] + 1)
    # a sentence told apart from a closer one by a name the question gives (a table's row)
    # is shown without that one (``SpanRule.names_apart``)
    told_by_name = bool(flags.names) and best != _told_apart(
        adjusted, replace(flags, names=frozenset()), rule.tie_margin
    )
    if len(chosen) == 1 and not told_by_name:
        _with_topic(chosen, scores, flags)
    core, shown = chosen, chosen
    if len(chosen) == 1 and not told_by_name:
        core = _with_neighbour(chosen, adjusted, rule.core_margin)
        # the display widens a one-sentence core only: the core's own neighbour stays shown
        shown = core if len(core) > 1 else _with_neighbour(chosen, adjusted, rule.margin)
    return Chosen(_joined(spans, core), _joined(spans, shown))


def _with_neighbour(chosen: list[int], adjusted: np.ndarray, margin: float) -> list[int]:
    """The one chosen sentence with its neighbour (the one before first) when that scores
    within ``margin`` of it."""
    best = chosen[0]
    for i in (best - 1, best + 1):
        if 0 <= i < len(adjusted) and adjusted[i] >= adjusted[best] - margin:
            return [best, i]
    return chosen


def _joined(spans: list[Span], chosen: list[int]) -> list[Span]:
    """The chosen sentences as one span, from the first to the last."""
    return [Span(spans[min(chosen)].start, spans[max(chosen)].end)]


def _with_topic(chosen: list[int], scores: np.ndarray, flags: Flags) -> None:
    """For a question asking for no kind of answer ("What did the council say about ...?",
    "What view did councillors take on ...?"), show the sentence naming the topic with the
    one saying what came of it (``chosen`` extended in place).  Papers name a topic
    ("Frequency of emptying dog waste bins: There had been a problem ...") before they say
    what came of it ("A decision needs to be made as to whether fortnightly emptying is
    enough."); the sentence closest to the question is often the topic, and nothing of a
    kind asked tells the two apart.  So: when the closest is chosen, the sentence after it
    is shown below it; when the one after the closest is chosen (the rule's follow bonus),
    the closest is shown above it; neither when it is a heading or a restatement.  A
    question asking for a kind (a figure, a date, a person, a decision ...) is shown the
    sentence holding it alone, as before."""
    if flags.kind_asked:
        return
    best = chosen[0]
    closest = int(np.argmax(scores))
    other = closest if best == closest + 1 else best + 1 if best == closest else -1
    if 0 <= other < len(flags.empty) and not flags.empty[other]:
        chosen.append(other)


def _lead_of(flags: Flags, best: int) -> int | None:
    """The resolution a bare list item belongs to ("RESOLVED - That the Council:" over
    "(5) asks the Cabinet to ..."): the nearest sentence before it ending in a colon,
    within ``_LIST_ITEMS`` and with only list items between, when it records a decision;
    None when the chosen sentence is no bare list item (or the reading is off or the
    question asks for no decision: ``flags.item`` empty)."""
    if best >= len(flags.item) or flags.item[best] != 1 or flags.lead_in[best]:
        return None
    for i in range(best - 1, max(-1, best - 1 - _LIST_ITEMS), -1):
        if flags.lead_in[i]:
            return i if flags.item[i] == 2 else None
        if flags.item[i] != 1:
            return None
    return None


def _carries_on(flags: Flags, best: int, following: int) -> bool:
    """Whether the sentence after the chosen one carries its answer on: it opens by
    referring back to it and holds the kind asked for too ("... only 2 had been judged
    good." / "None had been judged as outstanding with 17 being judged as inadequate.")."""
    return (
        following < len(flags.refers_back)
        and flags.refers_back[following]
        and flags.answers[best]
        and flags.answers[following]
        and not flags.empty[following]
    )


def _told_apart(adjusted: np.ndarray, flags: Flags, tie_margin: float) -> int:
    """The best sentence by its adjusted score, unless it holds the kind asked for and so do
    others within ``tie_margin`` of it (a list of declared interests, each naming a
    councillor): then, when the question asks who did something and the best does not name
    the word it asks by ("chaired"), the closest of them that does ("Mr D Millar (Chair),
    ..."); otherwise the one of them naming the most of the question's words that none of
    the others names ("... as member of Statutory Appeal Panel" for "which councillor
    declared an interest as a member of a statutory school appeal panel?"), when it names
    at least ``_DISTINCT`` of them and more than the best does.  A question asking for no
    kind of answer has every sentence of the passage that is no heading or restatement
    read so, whatever its score."""
    best = int(np.argmax(adjusted))
    # asked for no kind, every sentence holds what is asked as much as any other
    held = flags.answers if flags.kind_asked else tuple(True for _ in flags.answers)
    if tie_margin <= 0 or not held[best] or flags.empty[best]:
        return best
    # asked for no kind, nothing in the sentences' scores tells the topic from the answer
    # ("The Planning Officer spoke to the application ..." is closest to "Is the plot
    # inside the settlement boundary?", the answer far below): the whole passage is read,
    # and the sentence naming two of the question's words that no other sentence of it
    # names is the one that answers
    within = tie_margin if flags.kind_asked else np.inf
    close = [
        i
        for i, score in enumerate(adjusted)
        if held[i] and not flags.empty[i] and score >= adjusted[best] - within
    ]
    if len(close) < 2:
        return best
    # "who chaired ...": of the lists of names, the one naming the chair ("Mr D Millar
    # (Chair), ...") over another list ("Non-Members also present: ...")
    if flags.role and not flags.role[best]:
        naming = [i for i in close if flags.role[i]]
        if naming:
            return max(naming, key=lambda i: adjusted[i])
    if not flags.named:
        return best

    # a name the question gives counts as a description by itself when the best opens
    # with another name, as a table's row its label (``SpanRule.names_apart``)
    opens_other = best < len(flags.other_label) and flags.other_label[best]
    names = flags.names if opens_other else frozenset()

    def distinct(i: int) -> int:
        others = frozenset().union(*(flags.named[j] for j in close if j != i))
        own = flags.named[i] - others
        return len(own) + (_DISTINCT - 1) * len(own & names)

    told = max(close, key=lambda i: (distinct(i), adjusted[i]))
    if distinct(told) >= _DISTINCT and distinct(told) > distinct(best):
        return told
    return best


def answer_span(
    text: str,
    spans: list[Span],
    scores: np.ndarray,
    asked: Asked | None = None,
    rule: SpanRule | None = None,
) -> Chosen:
    """The core answer and the span a reader is shown (``Chosen``): the sentence that
    answers, and the next one when the answer runs on into it (the chosen sentence lacks the
    kind asked for and its successor holds it, or the chosen one leads in with a colon);
    and a neighbour scoring within the core margin (the core) or the display's margin (the
    span shown)."""
    if not spans:
        return Chosen([], [])
    rule = rule or SpanRule()
    flags = flags_of([text[s.start : s.end] for s in spans], asked or Asked(), rule)
    return choose(spans, scores, flags, rule)


def asked_of(question: str, words: Collection[str]) -> Asked:
    """The highlight's reading of a question."""
    return Asked(
        answer_kinds(question),
        frozenset(words),
        # "how many people ... when it applied for a grant" asks for a count, not money
        amount=asks_amount(question) and not asks_count(question),
        change=asks_change(question),
        years=years_named(question),
        role=role_asked(question),
        count=asks_count(question),
        by_form=kinds_of_form(question),
        view=asks_view(question),
        values=frozenset(v for v in _VALUE.findall(question) if not _YEARISH.fullmatch(v)),
        names=names_given(question),
    )


def names_given(question: str) -> frozenset[str]:
    """The names a question gives: the words it writes capitalised past its first word
    (not a word of the stop list, not "I"), lower-cased and folded as ``Flags.named``
    folds a sentence's words."""
    tokens = re.findall(r"[A-Za-z][\w'’-]*", question)
    return frozenset(
        _fold(t.lower()) for t in tokens[1:] if t[0].isupper() and _is_content(t.lower())
    )


def kind_cosine(text: str, spans: list[Span], scores: np.ndarray, asked: Asked) -> float:
    """The question's cosine to the closest sentence holding the kind of answer asked for
    (0 when the question asks for no kind, or no sentence holds it): the second stage's
    ``answer`` signal."""
    # a place is read for the highlight alone: the ranking's weights were fitted without it
    kinds = [k for k in asked.kinds if k != Kind.PLACE]
    if not kinds:
        return 0.0
    return max(
        (
            float(score)
            for span, score in zip(spans, scores, strict=True)
            if any(holds_answer(text[span.start : span.end], k) for k in kinds)
        ),
        default=0.0,
    )
