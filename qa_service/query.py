"""Query understanding: abbreviations spelt out, typos corrected, and the council or years
that a question names read as filters.

Everything here is a rule about how people write questions to councils, never about one
question: the abbreviations are the domain's (``glossary``), a typo is a word that neither
the index nor the model's vocabulary knows but that is one or two edits from a word the
index holds, and a council is named by the distinctive part of its name.  The filters are
read in ``query_filters``; the words about how a question is put, as against what it asks
about, are in ``query_words``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from cqa_core.text import STOPWORDS, query_terms, words
from qa_service import glossary
from qa_service.glossary import ABBREVIATIONS, annotate, everyday_terms, is_glossary_word
from qa_service.procedural_items import asked_item
from qa_service.query_filters import CouncilNames, WordLed, read_years
from qa_service.query_words import (
    ASKS_ATTENDANCE,
    ASKS_DECISION,
    ASKS_LATEST,
    CONTRACTION,
    FILLER,
    HOW_MANY,
    REQUEST_WORDS,
)
from qa_service.rerank import stems_of, word_matches

_WORD = re.compile(r"[A-Za-z][\w'’-]*|\d[\d/]*")


@dataclass(frozen=True)
class Understanding:
    """A question as the retriever reads it."""

    question: str
    model_text: str  # what the model embeds: typos corrected, abbreviations spelt out
    terms: tuple[str, ...]  # lexical terms; a term with a space is a phrase
    councils: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    council_phrases: tuple[str, ...] = ()  # the words the councils were read from
    # councils named by a formal name that no paper of the index is from ("Cardiff Council")
    unknown_councils: tuple[str, ...] = ()
    date_phrases: tuple[str, ...] = ()  # the words the dates were read from
    expansions: tuple[str, ...] = ()  # "LAC = looked after children"
    corrections: tuple[str, ...] = ()  # "theshold -> threshold"
    key_terms: tuple[str, ...] = field(default=())  # content words that are not filters
    # The key terms as the things asked about, each with the other ways papers write it
    # (an abbreviation and its long forms); the first form of each is one of ``key_terms``.
    # A term no passage of the index could match (a colloquial word where the papers use a
    # formal one) is the question's wording, not a thing a passage lacks, and is left out.
    key_concepts: tuple[tuple[str, ...], ...] = field(default=())
    asks_decision: bool = False  # "what was decided?": resolutions and recommendations answer
    asks_latest: bool = False  # "when did it last ...?": the newest paper on it answers
    asks_attendance: bool = False  # "who substituted for ...?": the minutes' head answers
    # the procedural item of the meeting asked about ("apologies", "minutes", ...:
    # ``procedural_items.asked_item``), None for a question about the meeting's business
    asks_item: str | None = None
    # ``model_text`` without the councils it names, "" when it names none: a named council
    # is a filter, so every passage searched is that council's, and its name in the
    # question only draws the vector to the passages that print it (a cover, the head of a
    # set of minutes), not to the ones that answer (``retriever.query_vectors``)
    topic_text: str = ""
    # ... and without the committees it names too, for the passages' vector only, "" when
    # it names none: a committee is read from the papers' metadata (``committee_match``)
    search_text: str = ""
    # Each everyday phrase of the question ("special needs plans") as its content words and
    # the papers' terms for it ("education, health and care plan", "ehcp"), for the
    # ranking's ``everyday`` signal (``rerank.everyday_share``)
    everyday: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    # What a "how many" question counts: the key concepts (with their forms) named right
    # after "how many" ("how many CLA" -> CLA, "looked after children"), for the ranking's
    # ``count`` signal (``rerank.count_named``); () for any other question
    counted: tuple[tuple[str, ...], ...] = ()


class QueryReader:
    """Reads questions against what one index holds (its councils and its words)."""

    def __init__(
        self,
        councils: Sequence[str] = (),
        vocabulary: Mapping[str, int] | None = None,
        known_words: Collection[str] = (),
        expand: bool = True,
        correct_typos: bool = True,
        committees: Sequence[str] = (),
    ) -> None:
        self.expand = expand
        # the index's committees by name, but not a council itself ("Full Council"), whose
        # name is also the ordinary word ("council tax")
        self._committees = WordLed()
        for c in committees:
            if c.split() and c.split()[-1].lower() != "council":
                pattern = r"\b" + r"\s+".join(map(re.escape, c.split())) + r"\b"
                self._committees.add(c.strip(), re.compile(pattern, re.IGNORECASE))
        self.correct_typos = correct_typos
        self.vocabulary = dict(vocabulary or {})
        # the most passages any one word is in: the base of an idf (``trend``)
        self.largest = max(self.vocabulary.values(), default=0)
        self.known_words = frozenset(known_words)
        self._council_names = CouncilNames(councils)
        self._candidates = [w for w, df in self.vocabulary.items() if df >= 2 and w.isalpha()]
        self._stems = stems_of(self.vocabulary)

    # --- the parts -------------------------------------------------------------------

    def councils_named(self, question: str) -> tuple[list[str], list[str]]:
        """Councils whose distinctive name the question contains, and the words matched."""
        return self._council_names.named(question)

    def unknown_councils(self, question: str) -> tuple[str, ...]:
        """Councils the question names by a formal name that no paper of the index is from
        and whose distinctive words no passage holds ("Cardiff Council"): a body the papers
        write about under such a name ("the Children in Care Council", "Essex County
        Council" in Southend's papers) is not one."""
        return tuple(
            name
            for name, words in self._council_names.unknown(question)
            if not any(self.in_index(w) for w in words)
        )

    def committees_named(self, question: str) -> list[str]:
        """The words of the question that name one of the index's committees."""
        return [m.group(0) for _, m in self._committees.found(question)]

    def correct(self, word: str) -> str | None:
        """The index word a misspelt ``word`` most likely meant, or None if it is not a typo."""
        w = word.lower()
        if (
            len(w) < 5
            or not w.isalpha()
            or w in self.vocabulary
            or w in self.known_words
            or w in STOPWORDS
            or is_glossary_word(w)
            or not self._candidates
        ):
            return None
        limit = 1 if len(w) < 9 else 2
        matches = process.extract(
            w, self._candidates, scorer=OSA.distance, score_cutoff=limit, limit=20
        )
        if not matches:
            return None
        best = min(matches, key=lambda m: (m[1], -self.vocabulary.get(m[0], 0), m[0]))
        return str(best[0])

    def in_index(self, form: str) -> bool:
        """Whether some passage could hold ``form`` as key-term coverage matches it.

        A word counts when the index holds it, its plural or singular, or a word with its
        first letters (``qa_service.rerank.coverage``); a phrase when it holds every word.
        Without a vocabulary (an index written before it was kept) everything counts.
        """
        if not self.vocabulary:
            return True
        parts = query_terms(form) if " " in form else [form]
        return bool(parts) and all(word_matches(w, self.vocabulary, self._stems) for w in parts)

    # --- the whole question ------------------------------------------------------------

    def read(self, question: str) -> Understanding:
        """Correct, expand and read filters from ``question``."""
        subject = REQUEST_WORDS.sub(" ", question)
        if not subject.strip(" ?,.-"):
            subject = question
        corrections: list[str] = []
        expansions: list[str] = []
        extra_terms: list[str] = []
        recognised: set[str] = set()  # abbreviations read as such
        pieces: list[str] = []  # the question for the model: corrected and spelt out
        plain: list[str] = []  # corrected only, for the lexical terms
        at = 0
        for match in _WORD.finditer(subject):
            word = match.group(0)
            key = word.lower().strip("'’")
            replacement = word
            long_forms = glossary.abbreviation(word) if self.expand else None  # "SEND", not "send"
            if long_forms:
                recognised.add(key)
                expansions.append(f"{word} = {long_forms[0]}")
                replacement = f"{word} ({long_forms[0]})"
                extra_terms.extend(long_forms)
            elif self.correct_typos:
                fixed = self.correct(key)
                if fixed:
                    corrections.append(f"{word} -> {fixed}")
                    replacement = fixed
            gap = subject[at : match.start()]
            pieces += [gap, replacement]
            plain += [gap, replacement if replacement.isalpha() else word]
            at = match.end()
        pieces.append(subject[at:])
        plain.append(subject[at:])
        model_text = re.sub(r"\s+([?.,;:])", r"\1", re.sub(r"\s{2,}", " ", "".join(pieces)))
        model_text = model_text.strip()
        corrected = "".join(plain)
        # Everyday words stay, with the papers' terms beside them ("dog mess (dog fouling)")
        everyday = everyday_terms(corrected) if self.expand else []
        if everyday:
            model_text = annotate(model_text)
        for found in everyday:
            expansions.append(f"{found.phrase} = {found.forms[0]}")
            extra_terms.extend(found.forms)
        # The papers' terms search, but are not things a passage must hold: coverage (and so
        # the confidence) stays with the question's own words, so a near miss that only
        # shares a glossary term does not look like an answer.
        added_forms = {f for found in everyday for f in found.forms} - set(query_terms(corrected))

        # A long form in the question also searches for its abbreviation, as papers use both.
        lowered = corrected.lower()
        implied: list[str] = []  # abbreviations of long forms the question spells out
        for abbreviation, long_forms in ABBREVIATIONS.items() if self.expand else ():
            if len(abbreviation) >= 3 and any(f in lowered for f in long_forms):
                extra_terms.append(abbreviation)
                implied.append(abbreviation)

        councils, council_words = self.councils_named(question)
        committees = self.committees_named(question)
        date_from, date_to, date_words = read_years(question)
        terms = list(dict.fromkeys([*query_terms(CONTRACTION.sub("", corrected)), *extra_terms]))
        # tokenised as the terms are, so "Northmoor's" leaves out "northmoor" (and its "s")
        filter_words = {w for phrase in council_words for w in query_terms(phrase)}
        key_terms = tuple(
            t
            for t in terms
            if " " not in t and t not in filter_words and t not in FILLER and t not in added_forms
        )
        key_concepts = tuple(
            c
            for c in (
                _concepts(key_terms, implied, recognised)
                if self.expand
                else [(t,) for t in key_terms]
            )
            if any(self.in_index(form) for form in c)
        )
        return Understanding(
            question=question,
            model_text=model_text,
            terms=tuple(terms),
            councils=tuple(councils),
            date_from=date_from,
            date_to=date_to,
            council_phrases=tuple(council_words),
            unknown_councils=self.unknown_councils(question),
            date_phrases=tuple(date_words),
            expansions=tuple(dict.fromkeys(expansions)),
            corrections=tuple(corrections),
            key_terms=key_terms,
            key_concepts=key_concepts,
            asks_decision=bool(ASKS_DECISION.search(question)),
            asks_latest=bool(ASKS_LATEST.search(question)),
            asks_attendance=bool(ASKS_ATTENDANCE.search(question))
            or asked_item(question) in ("apologies", "attendance"),
            asks_item=asked_item(question),
            topic_text=without_phrases(model_text, council_words),
            search_text=without_phrases(model_text, council_words + committees)
            if committees
            else "",
            everyday=tuple((tuple(query_terms(f.phrase)), f.forms) for f in everyday),
            counted=counted_of(corrected, key_concepts),
        )


def counted_of(question: str, concepts: Sequence[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """What a "how many" question counts: the key concepts (``Understanding.key_concepts``)
    of the run of words right after "how many", up to the first word that is not one ("how
    many contacts were waiting" -> contacts; "how many of the 96 improvement plan actions
    were complete" -> 96, improvement, plan, actions); () for a question not asking "how
    many", or naming no key concept within two words of it."""
    match = HOW_MANY.search(question)
    if match is None:
        return ()
    by_word = {c[0]: c for c in concepts}
    found: list[tuple[str, ...]] = []
    for at, word in enumerate(words(question[match.end() :])):
        concept = by_word.get(word)
        if concept is not None:
            found.append(concept)
        elif found or at >= 2:  # the run has ended, or nothing counted is named next to it
            break
    return tuple(found)


def without_phrases(text: str, phrases: Sequence[str]) -> str:
    """``text`` with each of ``phrases`` (a council's or committee's name, as whole words,
    any case) taken out; "" when none is found.  (Read as "the council" instead, the
    question drew the vector to passages about the council as such: fewer questions were
    answered first.)"""
    out = text
    for phrase in phrases:
        out = re.sub(r"\b" + re.escape(phrase) + r"\b", " ", out, flags=re.IGNORECASE)
    out = re.sub(r"\s+([?.,;:])", r"\1", re.sub(r"\s{2,}", " ", out)).strip()
    return out if out != text else ""


def _concepts(
    key_terms: Sequence[str], implied: Sequence[str], recognised: Collection[str] = ()
) -> tuple[tuple[str, ...], ...]:
    """The key terms grouped as things asked about, each with the forms papers use for it.

    An abbreviation the question uses counts as found where a passage spells it out ("CPP"
    in the question, "child protection plan" in the minutes).  The abbreviations implied by
    a long form in the question ("children in care": LAC, CLA, CiC) are one thing, not three,
    found wherever any of them or their long forms is.  Only ``recognised`` abbreviations
    count as such ("SEND", not "send").
    """
    concepts: list[tuple[str, ...]] = []
    group: list[str] = []
    for term in key_terms:
        if term in implied:
            group.append(term)
        elif term in ABBREVIATIONS and term in recognised:
            concepts.append((term, *ABBREVIATIONS[term]))
        else:
            concepts.append((term,))
    if group:
        forms = [*group, *(f for a in group for f in ABBREVIATIONS[a])]
        concepts.append(tuple(dict.fromkeys(forms)))
    return tuple(concepts)
