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

This module weighs and chooses; the question and the sentences are read in
``qa_service.highlight_read`` (``asked_of``, ``flags_of``), and the rule's weights and
switches, bound to the settings, are ``qa_service.span_rule.SpanRule``.  Both are
importable from here as before.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from cqa_core.text import Span, split_sentences
from qa_service.highlight_read import (
    Asked,
    Flags,
    asked_of,
    flags_of,
    kind_cosine,
    leads_in,
    names_given,
)
from qa_service.span_rule import CORE_MARGIN, SpanRule

__all__ = [
    "CORE_MARGIN",
    "Asked",
    "Chosen",
    "Flags",
    "Span",
    "SpanRule",
    "adjusted_scores",
    "answer_span",
    "asked_of",
    "best_sentences",
    "choose",
    "flags_of",
    "kind_cosine",
    "leads_in",
    "names_given",
    "split_sentences",
]

# The most items of a list a lead-in takes with it.
_LIST_ITEMS = 6
# How many of the question's words a sentence must name, that the other sentences as close
# and holding the kind asked for do not, to be chosen over the closest of them: one shared
# word is chance ("housing"), two are a description ("statutory ... appeal panel").
_DISTINCT = 2


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
