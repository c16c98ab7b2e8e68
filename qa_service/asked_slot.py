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

Each check is read in a module of its own, and importable from here as before:
``asked_period`` (``other_period``), ``asked_plan`` (``plan_only`` and its wider reading of
stop 27, ``intent_only``), ``asked_series`` (``other_item``); the count check of stop 27,
``count_unbound``, is this module's.  ``abstention`` calls them all through this module.
"""

from __future__ import annotations

import re

from cqa_core.text import STOPWORDS, split_sentences, words
from qa_service import abstention_value
from qa_service.asked_period import Period, other_period, periods
from qa_service.asked_plan import (
    asks_happened,
    intent_only,
    mandates,
    plan_only,
    states_past,
    written_before,
)
from qa_service.asked_series import (
    counts_named,
    named_kinds,
    ordinals_named,
    other_item,
    other_named,
)
from qa_service.glossary import everyday_terms
from qa_service.rerank import stems_of, word_matches

__all__ = [
    "Period",
    "asks_happened",
    "count_unbound",
    "counts_named",
    "intent_only",
    "mandates",
    "named_kinds",
    "ordinals_named",
    "other_item",
    "other_named",
    "other_period",
    "periods",
    "plan_only",
    "states_past",
    "written_before",
]

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
