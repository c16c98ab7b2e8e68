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
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from cqa_core.text import STOPWORDS, Span, split_sentences, words
from qa_service.amount_ask import asks_change, asks_count
from qa_service.answer_kind import (
    REASON,
    Kind,
    answer_kinds,
    asks_amount,
    gives_reason_field,
    holds_answer,
    holds_place,
    is_label,
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
    "Asked",
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
# How many of the question's words a sentence must name, that the other sentences as close
# and holding the kind asked for do not, to be chosen over the closest of them: one shared
# word is chance ("housing"), two are a description ("statutory ... appeal panel").
_DISTINCT = 2
# A percentage: how much something rose or fell by ("rents would rise by 2.7%").
_PERCENT = re.compile(r"\d\s*(?:%|per\s*cent|percent)", re.IGNORECASE)


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
    margin: float = 0.03  # a neighbour this close joins the span

    @classmethod
    def from_settings(cls, settings: Settings) -> SpanRule:
        """The rule ``settings`` (``CQA_HIGHLIGHT_*``) give."""
        return cls(
            kind_bonus=settings.highlight_kind_bonus,
            restate_penalty=settings.highlight_restate_penalty,
            after_bonus=settings.highlight_after_bonus,
            follow_bonus=settings.highlight_follow_bonus,
            tie_margin=settings.highlight_tie_margin,
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


def flags_of(sentences: Sequence[str], asked: Asked) -> Flags:
    """Read each sentence once (a rule then only weighs the flags)."""
    answers = tuple(any(_holds(s, k, asked) for k in asked.kinds) for s in sentences)
    asked_content = frozenset(_fold(w) for w in asked.words if _is_content(w))
    empty = tuple(
        is_label(s) or reports_question(s) or (restates(s, asked.words) and not answers[i])
        for i, s in enumerate(sentences)
    )
    return Flags(
        answers,
        empty,
        tuple(leads_in(s) for s in sentences),
        tuple(reports_question(s) for s in sentences),
        tuple(bool(_RUNS_ON.search(s)) for s in sentences),
        tuple(bool(_REFERS_BACK.match(s)) for s in sentences),
        tuple(_content(s) & asked_content for s in sentences) if asked_content else (),
        tuple(_names_role(s, asked.role) for s in sentences) if asked.role else (),
    )


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


def _content(sentence: str) -> frozenset[str]:
    return frozenset(_fold(w) for w in words(sentence) if _is_content(w))


def _holds(sentence: str, kind: str, asked: Asked) -> bool:
    """Whether a sentence holds the kind asked for; a figure asked for as an amount of
    money ("how much", "what does it pay") is held only by an amount stated ("£2,150"),
    or by a percentage when the question asks how far it moved ("how much are rents going
    up": 2.7%), not by any number ("Three quotations received.", "Occupancy is 91%").
    The ranking's ``kind_cosine`` keeps the plainer reading: with this one it put a
    passage stating some amount first for unanswerable "how much" questions, which the
    abstention then answered (docs/quality.md, "Rank 1 and the highlight, fourth pass").
    A decision's reason field ("Reason: To adopt the ... Plan 2020-2030") holds a reason
    only: the years or sums in it repeat the decision above it."""
    if kind != REASON and gives_reason_field(sentence):
        return False
    if names_other_years(sentence, asked.years):
        return False
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


def choose(spans: list[Span], scores: np.ndarray, flags: Flags, rule: SpanRule) -> list[Span]:
    """The chosen span from read flags (see :func:`answer_span`)."""
    if not spans:
        return []
    adjusted = adjusted_scores(scores, flags, rule)
    best = _told_apart(adjusted, flags, rule.tie_margin)
    chosen = [best]
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
    if len(chosen) == 1:
        for i in (best - 1, best + 1):
            if 0 <= i < len(spans) and adjusted[i] >= adjusted[best] - rule.margin:
                chosen.append(i)
                break
    chosen.sort()
    return [Span(spans[chosen[0]].start, spans[chosen[-1]].end)]


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
    at least ``_DISTINCT`` of them and more than the best does."""
    best = int(np.argmax(adjusted))
    if tie_margin <= 0 or not flags.answers[best] or flags.empty[best]:
        return best
    close = [
        i
        for i, score in enumerate(adjusted)
        if flags.answers[i] and not flags.empty[i] and score >= adjusted[best] - tie_margin
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

    def distinct(i: int) -> int:
        others = frozenset().union(*(flags.named[j] for j in close if j != i))
        return len(flags.named[i] - others)

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
) -> list[Span]:
    """The span a reader is shown: the sentence that answers, and the next one when the
    answer runs on into it (the chosen sentence lacks the kind asked for and its successor
    holds it, or the chosen one leads in with a colon) or it scores within the margin."""
    if not spans:
        return []
    flags = flags_of([text[s.start : s.end] for s in spans], asked or Asked())
    return choose(spans, scores, flags, rule or SpanRule())


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
