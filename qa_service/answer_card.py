"""The answer card on top of the results: the answering sentence, its figure and date, its state.

The card is built from the API body the page already has (``AskResponse``): the best passage's
highlighted sentence (its core answer when the highlight, widened by a neighbour, is too long
to show whole: ``quoted``), any figure its core answer states (a percentage, a sum of money,
a count; ``answer_of``) with the date it is "as at", and the answer state.  One extra question
to the engine finds whether a later paper of the same council also answers (``newer_answer``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from cqa_core.text import MONTH_ABBREVIATIONS, MONTH_NAMES
from index.store import Filters
from qa_service.presenters import passage_out
from qa_service.retriever import Engine
from qa_service.schemas.asking import AskResponse, CouncilColumn
from qa_service.schemas.passages import PassageOut

AnswerState = Literal["answered", "weak_match", "not_in_papers"]

STATE_LABELS: dict[str, str] = {
    "answered": "Answered",
    "weak_match": "Weak match",
    "not_in_papers": "Not in the papers",
}


_CARD_STATE: dict[str, AnswerState] = {
    "answered": "answered",
    "weak": "weak_match",
    "none": "not_in_papers",
}


def answer_state(body: AskResponse | CouncilColumn) -> AnswerState:
    """The answer state of an answer or a compare column, in the pages' longer names
    (the API's ``weak`` and ``none`` are ``weak_match`` and ``not_in_papers`` here)."""
    return _CARD_STATE[body.answer_state]


_MONTH = f"(?:{MONTH_NAMES}|{MONTH_ABBREVIATIONS})"
_DATE = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{4}}"
    r"|\d{1,2}/\d{1,2}/\d{4})"
)
_PERIOD = r"(?:(?:Q[1-4]|quarter\s+[1-4])\s+(?:of\s+)?\d{4}(?:/\d{2,4})?|\d{4}/\d{2,4}|\d{4})"
# "as at 31 March 2023", "at the end of March 2023", "as of June 2022"
_AS_AT = re.compile(
    rf"\b(?:as\s+(?:at|of)|at\s+the\s+end\s+of|at|on)\s+(?P<when>{_DATE})", re.IGNORECASE
)
# "in 2017/18", "during Q2 2023/24", "for 2022": a period rather than a day
_FOR = re.compile(rf"\b(?:in|during|for|over)\s+(?:the\s+year\s+)?(?P<when>{_PERIOD})\b", re.I)
_DATES = re.compile(rf"{_DATE}|{_PERIOD}", re.IGNORECASE)
_FIGURE = re.compile(
    r"£\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:bn|m|k|million|billion|thousand)\b)?"
    r"|\b\d[\d,]*(?:\.\d+)?\s?(?:%|per\s?cent\b|percent\b)"
    r"|\b\d[\d,]*\s+(?:out\s+)?of\s+\d[\d,]*\b"
    r"|\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b(?-i:\s+[a-z][a-z-]+)?"
    r"|(?<![\d.(/])\b\d+(?:\.\d+)?(?:mm|cm|km|kg|m|k|bn)?\b(?![.)/]\d|\))(?-i:\s+[a-z][a-z-]+)?",
    re.IGNORECASE,
)
# a number after one of these is a reference, not a figure ("paragraph 3", "page 12")
_REFERENCE = re.compile(
    r"(?:paragraph|para|section|item|page|appendix|annex|table|figure|recommendation|minute"
    r"|no\.|number|option|phase|stage|tier|level|year|clause|part|priority|category|grade|band)"
    r"\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Figure:
    """A figure an answering sentence states and when it was true."""

    value: str  # "42%", "£1.2m", "37 children"
    when: str  # "as at 31 March 2023", "for 2017/18", "as at the meeting of 23 June 2015"
    stated: bool  # whether the paper itself gives the date (else it is the meeting's)
    context: frozenset[str] = frozenset()  # the words before it: what it counts


def figures_in(sentence: str) -> list[tuple[str, frozenset[str]]]:
    """Every figure ``sentence`` states, in order, each with the words since the one before.

    Dates, years, bare numbers, and numbers that refer to a paragraph or page are not
    figures.
    """
    dates = [(m.start(), m.end()) for m in _DATES.finditer(sentence)]
    out = []
    previous = 0
    for m in _FIGURE.finditer(sentence):
        if any(s < m.end() and m.start() < e for s, e in dates):
            continue
        after = sentence[m.end() :].lstrip()[:1]
        numbered = not sentence[: m.start()].strip() and (
            re.match(r"\d+\.\d", m.group(0)) or after.isupper() or after in {")", "."}
        )
        if numbered and not re.search(r"%|per\s?cent", m.group(0), re.I):
            continue  # "2.1 That the Committee ...": the item's number
        if _REFERENCE.search(sentence[: m.start()]) or re.search(
            rf"^\s*{_MONTH}", sentence[m.end() :]
        ):
            continue
        value = _without_function_word(" ".join(m.group(0).split()))
        if re.fullmatch(r"\d+(?:\.\d+)?", value):
            continue  # a bare number ("3.1", "8") says too little to show as a figure
        # what it counts: the words since the figure before it ("turnover of social workers")
        words = re.findall(r"[a-z]+", sentence[previous : m.start()].lower())
        previous = m.end()
        out.append((value, frozenset(w for w in words if w not in _FUNCTION_WORDS)))
    return out


def find_figure(
    sentence: str, passage: str, meeting_date: str | None, like: Figure | None = None
) -> Figure | None:
    """The first figure ``sentence`` states (or, given ``like``, the one of the same measure
    whose preceding words share most with its), with the date it is as at.

    The date is the one the sentence gives, else one the passage gives ("as at ..."), else
    the meeting's.
    """
    found = figures_in(sentence)
    if like is not None:
        same = [f for f in found if figure_kind(f[0]) == figure_kind(like.value)]
        # sorted() is stable: among equals, the first in the sentence
        found = sorted(same, key=lambda f: -len(f[1] & like.context))
    if not found:
        return None
    value, context = found[0]
    for text in (sentence, passage):
        when = _AS_AT.search(text) or _FOR.search(text)
        if when:
            said = " ".join(when.group("when").split())
            kind = "as at " if when.re is _AS_AT else "for "
            return Figure(value, kind + said, True, context)
    if meeting_date:
        return Figure(value, f"as at the meeting of {_long(meeting_date)}", False, context)
    return Figure(value, "date not stated", False, context)


# "11 of 14", "3 to 5": the word after a number is a unit only if it is not one of these
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "per",
        "than",
        "the",
        "to",
        "was",
        "were",
        "with",
    ]
)


def _without_function_word(value: str) -> str:
    number, _, word = value.rpartition(" ")
    return number if number and word.lower() in _FUNCTION_WORDS else value


def _long(iso: str) -> str:
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.day} {d.strftime('%B')} {d.year}"


# The card's sentence is shown whole up to this length, so that it stays on a phone's first
# screen; a longer "sentence" (a table read as one run of text) is cut at a word with "…".
CARD_SENTENCE_CHARS = 280


def clip(text: str, limit: int = CARD_SENTENCE_CHARS) -> str:
    """``text`` whole if it is short enough, else cut at the last word that fits, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "\u2026"


def sentence_of(p: PassageOut) -> str:
    """The passage's highlighted sentence(s), or its opening words when nothing is marked."""
    marked = " ".join(p.text[h.start : h.end] for h in sorted(p.highlights, key=lambda h: h.start))
    return " ".join((marked or p.text[:300]).split())


def answer_of(p: PassageOut) -> str:
    """The passage's core answer (``PassageOut.core``), where the card reads its figure: the
    highlight may show the sentence before it too, whose figure would answer another
    question; the highlighted sentence(s) when no core is given."""
    core = " ".join(p.text[h.start : h.end] for h in sorted(p.core, key=lambda h: h.start))
    return " ".join(core.split()) or sentence_of(p)


def quoted(p: PassageOut, limit: int) -> str:
    """What a short quote of the passage shows: its highlighted sentence(s) when they fit in
    ``limit`` characters, else its core answer (``answer_of``), so that a neighbour shown
    beside the answer does not push the answer out of the quote."""
    sentence = sentence_of(p)
    return sentence if len(sentence) <= limit else answer_of(p)


@dataclass(frozen=True)
class AnswerCard:
    """What the card shows: the state, and for an answer its passage, figure and newer paper."""

    state: AnswerState
    passage: PassageOut | None
    sentence: str = ""
    figure: Figure | None = None
    newer: PassageOut | None = None
    newer_sentence: str = ""
    newer_figure: Figure | None = None

    @property
    def label(self) -> str:
        """The state as the page names it."""
        return STATE_LABELS[self.state]


def best_passage(response: AskResponse, by_confidence: bool = False) -> PassageOut | None:
    """The passage the card shows: the first, or with the results in date order, the one
    that answers with most confidence (the one that made the answer "answered")."""
    if not response.passages:
        return None
    if by_confidence:
        return max(response.passages, key=lambda p: p.confidence)  # the first among equals
    return response.passages[0]


def answer_card(
    response: AskResponse, newer: PassageOut | None = None, by_confidence: bool = False
) -> AnswerCard:
    """The card for an answer: its best passage unless the papers do not answer."""
    state = answer_state(response)
    top = best_passage(response, by_confidence)
    if state == "not_in_papers" or top is None:
        return AnswerCard("not_in_papers" if top is None else state, None)
    figure = find_figure(answer_of(top), top.text, top.citation.meeting_date)
    sentence = clip(quoted(top, CARD_SENTENCE_CHARS))
    said, newer_figure = "", None
    if newer is not None:
        said = sentence_of(newer)
        newer_figure = find_figure(
            answer_of(newer), newer.text, newer.citation.meeting_date, figure
        )
    return AnswerCard(state, top, sentence, figure, newer, said, newer_figure)


NEWER_LOOKED_AT = 3  # later passages checked for a figure of the same measure


def figure_kind(value: str) -> str:
    """What a figure measures, to compare two figures: "%", "£", or its unit word."""
    if "%" in value or re.search(r"per\s?cent", value, re.IGNORECASE):
        return "%"
    if value.startswith("£"):
        return "£"
    unit = value.rpartition(" ")[2]
    return unit.lower() if unit.isalpha() else "number"


def newer_answer(
    engine: Engine, response: AskResponse, figure: Figure, top: PassageOut | None = None
) -> PassageOut | None:
    """A later paper of the same council that answers the question with a figure of the
    same measure (a percentage for a percentage, a sum for a sum), if there is one.

    The question is asked again of that council's meetings after the best passage's, with
    the question's other filters (committee, document type) kept and no end date; a later
    passage that answers with some other number (a count of children for an overspend) is
    not a newer figure.
    """
    top = top or best_passage(response)
    if answer_state(response) != "answered" or top is None:
        return None
    cited = top.citation
    if not cited.council or not cited.meeting_date:
        return None
    try:
        after = (date.fromisoformat(cited.meeting_date) + timedelta(days=1)).isoformat()
    except ValueError:
        return None
    used = response.filters
    filters = Filters(
        council=(cited.council,),
        committee=tuple(used.committee),
        doc_type=tuple(used.doc_type),
        date_from=after,
        has_decision=used.kind == "decision",
    )
    later = engine.ask(response.question, NEWER_LOOKED_AT, filters, infer_filters=False)
    if not later.answered:
        return None
    threshold = engine.settings.answer_threshold
    shown = sentence_of(top)
    for rank, hit in enumerate(later.hits, start=1):
        out = passage_out(hit, rank)
        if sentence_of(out) == shown:
            continue  # the same paper taken to a later meeting: not a newer figure
        found = find_figure(answer_of(out), out.text, out.citation.meeting_date, figure)
        if hit.confidence >= threshold and found is not None:
            return out
    return None


def card_for(engine: Engine, response: AskResponse, by_confidence: bool = False) -> AnswerCard:
    """The answer card of a response, with a newer figure looked up when it states one.

    ``by_confidence``: the results are in date order, so the card takes the passage that
    answers with most confidence rather than the first.
    """
    card = answer_card(response, by_confidence=by_confidence)
    if card.figure is None or card.passage is None:
        return card
    newer = newer_answer(engine, response, card.figure, card.passage)
    return answer_card(response, newer, by_confidence)
