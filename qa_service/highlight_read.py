"""What a question asks and what each sentence of a passage holds, as the highlight reads them.

``asked_of`` reads the question (``Asked``) and ``flags_of`` each sentence once (``Flags``);
``qa_service.highlight`` then weighs the flags by its rule and chooses the span (its module
doc tells the readings of each stop).  ``kind_cosine`` is the ranking's ``answer`` signal,
read with the same ``holds_answer``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from cqa_core.text import STOPWORDS, Span, words
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
from qa_service.rerank import stems_of, word_matches
from qa_service.span_rule import SpanRule

__all__ = ["Asked", "Flags", "asked_of", "flags_of", "kind_cosine", "leads_in", "names_given"]

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


def leads_in(sentence: str) -> bool:
    """Whether a sentence leads in to the next one: it ends in a colon (a list follows)."""
    return bool(_LEAD_IN.search(sentence.rstrip()))


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
