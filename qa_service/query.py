"""Query understanding: abbreviations spelt out, typos corrected, and the council or years
that a question names read as filters.

Everything here is a rule about how people write questions to councils, never about one
question: the abbreviations are the domain's (``glossary``), a typo is a word that neither
the index nor the model's vocabulary knows but that is one or two edits from a word the
index holds, and a council is named by the distinctive part of its name.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from cqa_core.text import STOPWORDS, query_terms
from qa_service import glossary
from qa_service.glossary import ABBREVIATIONS, annotate, everyday_terms, is_glossary_word
from qa_service.rerank import stems_of, word_matches

# Words of a council's formal name that do not identify it.
_GENERIC_NAME_WORDS = frozenset(
    {"county", "borough", "city", "metropolitan", "district", "council", "london", "royal"}
    | {"of", "the", "and"}
)
_WORD = re.compile(r"[A-Za-z][\w'’-]*|\d[\d/]*")
_FINANCIAL_YEAR = re.compile(r"\b((?:19|20)\d\d)\s*[/-]\s*(\d\d)\b")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
# Words about the request rather than its subject: "compare councils", "across councils",
# "Oakhaven vs Ravensholt".  They would otherwise pull in any passage that says "councils".
_REQUEST_WORDS = re.compile(
    r"\b(?:(?:compare|comparing|compared|across|in|at|for|between|among|amongst)\s+)?"
    r"(?:(?:the|different|other|all|several|each)\s+)?"
    r"(?:councils|local authorities|authorities)\b(?!\s+tax)"
    r"|\b(?:vs|versus)\b\.?",
    re.IGNORECASE,
)
# A question asking what was decided ("what did it agree?", "when was it approved?", "why
# was it turned down?") is answered by a resolution or recommendation.  Verbs only: "a MASH
# decision" or "threshold decisions" name a subject, not a request for what a meeting
# decided.
_ASKS_DECISION = re.compile(
    r"\b(?:decide|decided|agree|agreed|resolve|resolved|approve|approved|recommend|recommended"
    r"|refuse|refused|reject|rejected|turn(?:ed)?\s+down)\b",
    re.IGNORECASE,
)
# A question asking for the latest time something happened ("when did it last ...", "most
# recently", "the latest ...") is answered by the newest of the papers that discuss it;
# "last year" or "over the last four years" name a period instead.
_ASKS_LATEST = re.compile(
    r"\b(?:most\s+recent(?:ly)?|latest|last"
    r"(?!\s+(?:\w+\s+)?(?:years?|months?|weeks?|days?|quarters?)\b))\b",
    re.IGNORECASE,
)
# Words that say how a question is put, not what it is about: adverbs, pronoun forms and
# light verbs.  They stay in the lexical search, where BM25's own weighting sorts them out,
# but are not key terms: in a small archive "keep" or "back" can be rarer than "threshold",
# and coverage weighs rarity.  They are the Glasgow IR stop list's (as scikit-learn ships
# it) less its nouns ("front", "interest", "fire", "system", ...), its number words and
# "may" (also a month), which can be what a question asks about; its light verbs count in
# every form ("keeps", "getting", "taken").
_FILLER = frozenset(
    [
        "across",
        "afterwards",
        "almost",
        "alone",
        "along",
        "already",
        "although",
        "always",
        "among",
        "amongst",
        "another",
        "anyhow",
        "anyone",
        "anything",
        "anyway",
        "anywhere",
        "around",
        "back",
        "became",
        "become",
        "becomes",
        "becoming",
        "beforehand",
        "behind",
        "beside",
        "besides",
        "beyond",
        "cannot",
        "cant",
        "couldnt",
        "done",
        "due",
        "either",
        "else",
        "elsewhere",
        "enough",
        "even",
        "ever",
        "every",
        "everyone",
        "everything",
        "everywhere",
        "except",
        "former",
        "formerly",
        "give",
        "go",
        "hasnt",
        "hence",
        "hereafter",
        "hereby",
        "herein",
        "hereupon",
        "however",
        "indeed",
        "keep",
        "latter",
        "latterly",
        "least",
        "less",
        "made",
        "meanwhile",
        "might",
        "moreover",
        "mostly",
        "must",
        "namely",
        "neither",
        "never",
        "nevertheless",
        "nobody",
        "none",
        "noone",
        "nothing",
        "nowhere",
        "often",
        "onto",
        "others",
        "otherwise",
        "perhaps",
        "please",
        "put",
        "rather",
        "see",
        "seem",
        "seemed",
        "seeming",
        "seems",
        "several",
        "since",
        "somehow",
        "someone",
        "something",
        "sometime",
        "sometimes",
        "somewhere",
        "still",
        "take",
        "thence",
        "thereafter",
        "thereby",
        "therefore",
        "therein",
        "thereupon",
        "though",
        "throughout",
        "thru",
        "thus",
        "together",
        "toward",
        "towards",
        "upon",
        "us",
        "via",
        "well",
        "whatever",
        "whence",
        "whenever",
        "whereafter",
        "whereas",
        "whereby",
        "wherein",
        "whereupon",
        "wherever",
        "whether",
        "whither",
        "whoever",
        "whole",
        "whose",
        "within",
        "without",
        "yet",
        "first",
        "last",
        "next",
        "keeps",
        "keeping",
        "kept",
        "gets",
        "getting",
        "takes",
        "taking",
        "took",
        "taken",
        "gives",
        "giving",
        "gave",
        "given",
        "goes",
        "going",
        "went",
        "gone",
        "make",
        "makes",
        "making",
        "puts",
        "putting",
        "sees",
        "seeing",
        "saw",
        "seen",
    ]
)
# The endings of contractions ("they're", "we've", "didn't"), which tokenising would leave
# as words of their own ("re", "ve"); the "re" of "re-referral" is not one of them.
_CONTRACTION = re.compile(r"(?<=[A-Za-z])(?:['’](?:re|ve|ll|d|m)|n['’]t)\b", re.IGNORECASE)
_SINCE = re.compile(r"\b(?:since|after|from)\s+(?:the\s+)?$", re.IGNORECASE)
_BEFORE = re.compile(r"\b(?:before|until|prior to)\s+(?:the\s+)?$", re.IGNORECASE)


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


def council_short_name(council: str) -> str:
    """The distinctive part of a council's name: "Northmoor County Council" -> "Northmoor"."""
    words = [w for w in re.split(r"\s+", council.strip()) if w]
    kept = [w for w in words if w.lower() not in _GENERIC_NAME_WORDS]
    return " ".join(kept)


class QueryReader:
    """Reads questions against what one index holds (its councils and its words)."""

    def __init__(
        self,
        councils: Sequence[str] = (),
        vocabulary: Mapping[str, int] | None = None,
        known_words: Collection[str] = (),
        expand: bool = True,
        correct_typos: bool = True,
    ) -> None:
        self.expand = expand
        self.correct_typos = correct_typos
        self.vocabulary = dict(vocabulary or {})
        self.known_words = frozenset(known_words)
        self._councils: list[tuple[re.Pattern[str], str, str]] = []
        for council in councils:
            short = council_short_name(council)
            if len(short) < 3:
                continue
            pattern = re.compile(
                r"\b" + r"\s+".join(map(re.escape, short.split())) + r"(?:['’]s)?\b",
                re.IGNORECASE,
            )
            self._councils.append((pattern, council, short))
        self._candidates = [w for w, df in self.vocabulary.items() if df >= 2 and w.isalpha()]
        self._stems = stems_of(self.vocabulary)

    # --- the parts -------------------------------------------------------------------

    def councils_named(self, question: str) -> tuple[list[str], list[str]]:
        """Councils whose distinctive name the question contains, and the words matched."""
        found: list[str] = []
        phrases: list[str] = []
        for pattern, council, _short in self._councils:
            match = pattern.search(question)
            if match:
                found.append(council)
                phrases.append(match.group(0))
        return found, phrases

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
        subject = _REQUEST_WORDS.sub(" ", question)
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
        date_from, date_to, date_words = read_years(question)
        terms = list(dict.fromkeys([*query_terms(_CONTRACTION.sub("", corrected)), *extra_terms]))
        # tokenised as the terms are, so "Northmoor's" leaves out "northmoor" (and its "s")
        filter_words = {w for phrase in council_words for w in query_terms(phrase)}
        key_terms = tuple(
            t
            for t in terms
            if " " not in t and t not in filter_words and t not in _FILLER and t not in added_forms
        )
        return Understanding(
            question=question,
            model_text=model_text,
            terms=tuple(terms),
            councils=tuple(councils),
            date_from=date_from,
            date_to=date_to,
            council_phrases=tuple(council_words),
            date_phrases=tuple(date_words),
            expansions=tuple(dict.fromkeys(expansions)),
            corrections=tuple(corrections),
            key_terms=key_terms,
            key_concepts=tuple(
                c
                for c in (
                    _concepts(key_terms, implied, recognised)
                    if self.expand
                    else [(t,) for t in key_terms]
                )
                if any(self.in_index(form) for form in c)
            ),
            asks_decision=bool(_ASKS_DECISION.search(question)),
            asks_latest=bool(_ASKS_LATEST.search(question)),
        )


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


def read_years(question: str) -> tuple[str | None, str | None, list[str]]:
    """A meeting-date range from the years a question names.

    Papers about a year are written during it or in the year after, so "in 2018" reads as
    meetings from 1 January 2018 to 31 December 2019, and the financial year "2017/18" as
    1 April 2017 to 31 December 2018.  "since 2015" is only a lower bound and "before
    2015" only an upper one.
    """
    lows: list[str] = []
    highs: list[str] = []
    words: list[str] = []
    taken: list[tuple[int, int]] = []
    for match in _FINANCIAL_YEAR.finditer(question):
        first, second = int(match.group(1)), int(match.group(2))
        if (first + 1) % 100 != second:
            continue
        taken.append(match.span())
        words.append(match.group(0))
        _bound(question[: match.start()], f"{first}-04-01", f"{first + 1}-12-31", lows, highs)
    for match in _YEAR.finditer(question):
        if any(s <= match.start() < e for s, e in taken):
            continue
        year = int(match.group(1))
        words.append(match.group(0))
        _bound(question[: match.start()], f"{year}-01-01", f"{year + 1}-12-31", lows, highs)
    if not words:
        return None, None, []
    date_from = min(lows) if lows else None
    date_to = max(highs) if highs else None
    return date_from, date_to, words


def _bound(before: str, low: str, high: str, lows: list[str], highs: list[str]) -> None:
    if _SINCE.search(before):
        lows.append(low)
    elif _BEFORE.search(before):
        highs.append(f"{int(low[:4]) - 1}-12-31")
    else:
        lows.append(low)
        highs.append(high)
