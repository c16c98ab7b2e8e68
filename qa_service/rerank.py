"""The second stage: fused candidates re-scored from evidence the first stage cannot weigh.

No cross-encoder ships in an installable package here, so the second stage is a weighted
sum of signals that each measured better on the dev set (see docs/quality.md):

- ``fused``: the reciprocal-rank-fusion score of dense and BM25 search, scaled to 0..1;
- ``passage``: the question's cosine to the passage (heading path included);
- ``sentence``: the question's cosine to the passage's best sentence, from vectors stored
  at ingest, which finds the one sentence that answers inside a passage about more;
- ``coverage``: the share of the question's key terms, weighted by rarity (IDF), that the
  passage or its headings contain, so a passage that names every specific thing asked
  about beats one that only shares the topic; an abbreviation counts where the passage
  spells it out, and a year already applied as a date filter is not counted;
- ``committee``: the share of the distinctive words of the passage's committee that the
  question names ("what did the Corporate Parenting Board decide");
- ``title_block``: a document's cover block (title, date, "Report of" lines) mentions every
  topic of the paper and answers none of them, so it is marked down; so is other front
  matter: the head of a set of minutes (who was present, apologies) and the cover sheet of
  each report inside an agenda pack; but not for a question asking who attended ("who
  substituted for ...?"), which the head of the minutes answers;
- ``decision``: for a question asking what was decided or agreed, whether the passage holds
  a resolution or recommendation (recognised at ingest, ``ingest/decisions.py``);
- ``year``: for a question naming a year, whether the passage writes that year or comes
  from a meeting within a year of it (a preference, never a cut: a budget for one year is
  set at meetings in the year before);
- ``latest``: for a question asking when something last happened ("when did it last
  ...", "most recently"), how recent the passage's meeting is among the candidates' (1 for
  the newest, 0 for the oldest), as the newest paper on the topic answers: so it is scaled
  by the passage's coverage, and the newest paper that is not on the topic gains little;
- ``answer``: for a question asking for a kind of answer (a figure, a date, a person, ...:
  ``answer_kind.answer_kinds``), the cosine of the closest sentence that holds that kind,
  as a passage that only names the topic holds none;
- ``everyday``: for a question in everyday words ("special needs plans", "dumping
  rubbish"), the weighted share of the key terms that the passage does not name itself
  but names in the papers' term for the phrase they are part of ("EHCPs", "fly-tipping":
  ``glossary.EVERYDAY``).  ``coverage`` keeps to the question's own words, as the
  abstention reads it (a near miss sharing only a glossary term must not look like an
  answer); this is the ranking's credit for the passage that answers in the papers' words;
- ``count``: for a question asking "how many" of something, whether the passage writes a
  number right before the thing counted ("318 contacts", "7,500 people", "312 looked after
  children"), as the passage that answers gives the count in those words, while an overview
  of the same report names the things without counting them;
- ``opening``: a paper's first passage when a later passage of the same paper is also a
  candidate (``opening_mark``).  A paper opens by introducing its item ("presented the
  report that outlined ...", the item's title and recommendation, a web page's head) in the
  words any question about the item uses, and the detail asked for follows: when what
  follows was found too, the opening is marked down a little.  Front matter is not marked
  again (``title_block`` marks it already);
- ``procedural``: for a question asking about one of the standard procedural items of a
  meeting (apologies, declarations of interest, the minutes of the last meeting, who was
  present, ...: ``procedural_items``), whether the passage is under that item's own
  heading (its heading path, as ingest found the agenda's items), as the item's own
  passage answers, often in two lines, while the passage of the business item a question
  names the meeting by ("at the meeting where X was congratulated") is longer and closer to
  the question's words.  Such a passage is not front matter for that question.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from cqa_core.text import words
from index.store import PassageRecord
from ingest.procedural import MINUTES_APPROVED
from qa_service.config import Settings, default_of
from qa_service.procedural_items import heads_item

if TYPE_CHECKING:
    from qa_service.query import Understanding

# Words that committees' names share and that say nothing about which committee it is.
_GENERIC_COMMITTEE = frozenset(
    {"committee", "board", "panel", "and", "of", "the", "for", "children", "young", "people"}
    | {"services", "s", "children's"}
)
# Lines that open the front matter of council papers: the head of a set of minutes (who
# attended), a report's cover sheet, an agenda's cover (its membership and venue) and its
# entries.  Minutes often number their items ("20.01.01  Apologies", "805. Present").  Two
# of them make a passage front matter; one alone may open a passage that goes on to say
# something.
_FRONT_MATTER = re.compile(
    r"^\s*(?:\d[\d.]*\s+)?"
    r"(?:present\b|apologies\b|officers?\s*:|also (?:present|in attendance)|in attendance"
    r"|minutes of (?:the|a) (?:remote )?meeting|date of meeting|report of\b|report to\b"
    r"|agenda item\s+\d+\s*$|meeting\s*:|contact officer|wards? affected|key decision"
    r"|membership\s*:|venue\s*:)",
    re.IGNORECASE | re.MULTILINE,
)
# A line linking to one of a meeting's papers, as council web pages list them: "Garden waste
# charges 2022/23 (PDF, 210 KB)", "SEND update pdf icon PDF 97 KB".
_DOCUMENT_LINK = re.compile(
    r"\b(?:pdf|docx?|xlsx?|pptx?|odt)[,\s]+[\d.]+\s*[kmg]b\)?\s*$", re.IGNORECASE | re.MULTILINE
)
# ... and the label over such a list
_PAPERS_LABEL = re.compile(
    r"^\s*(?:supporting|additional|background)\s+(?:documents|papers)\s*:?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# A line that says nothing of itself: an item's number ("40.", "CAB.103"), a label or a title
# (a short line not ending a sentence).
_SHORT_LINE_WORDS = 12
STEM = 5  # characters compared when a word is not found whole ("recruited" ~ "recruitment")


@dataclass(frozen=True)
class Weights:
    """How much each signal counts in the final score (defaults: the ``*_weight`` settings)."""

    fused: float = default_of("fusion_weight")
    passage: float = default_of("passage_weight")
    sentence: float = default_of("sentence_weight")
    coverage: float = default_of("coverage_weight")
    committee: float = default_of("committee_weight")
    title_block: float = default_of("title_block_weight")
    decision: float = default_of("decision_weight")
    year: float = default_of("year_weight")
    latest: float = default_of("latest_weight")
    answer: float = default_of("answer_weight")
    everyday: float = default_of("everyday_weight")
    count: float = default_of("count_weight")
    opening: float = default_of("opening_weight")
    procedural: float = default_of("procedural_weight")

    @classmethod
    def from_settings(cls, settings: Settings) -> Weights:
        """The weights ``settings`` (``CQA_*_WEIGHT``) give."""
        return cls(
            fused=settings.fusion_weight,
            passage=settings.passage_weight,
            sentence=settings.sentence_weight,
            coverage=settings.coverage_weight,
            committee=settings.committee_weight,
            title_block=settings.title_block_weight,
            decision=settings.decision_weight,
            year=settings.year_weight,
            latest=settings.latest_weight,
            answer=settings.answer_weight,
            everyday=settings.everyday_weight,
            count=settings.count_weight,
            opening=settings.opening_weight,
            procedural=settings.procedural_weight,
        )


@dataclass(frozen=True)
class Features:
    """The signals of one candidate passage."""

    fused: float
    passage: float
    sentence: float
    coverage: float = 0.0
    committee: float = 0.0
    title_block: float = 0.0
    decision: float = 0.0
    year: float = 0.0
    latest: float = 0.0
    answer: float = 0.0
    everyday: float = 0.0
    count: float = 0.0
    opening: float = 0.0
    procedural: float = 0.0

    def score(self, w: Weights) -> float:
        """The weighted sum; higher is better."""
        return (
            w.fused * self.fused
            + w.passage * self.passage
            + w.sentence * self.sentence
            + w.coverage * self.coverage
            + w.committee * self.committee
            + w.title_block * self.title_block
            + w.decision * self.decision
            + w.year * self.year
            + w.latest * self.latest
            + w.answer * self.answer
            + w.everyday * self.everyday
            + w.count * self.count
            + w.opening * self.opening
            + w.procedural * self.procedural
        )


def idf_weights(
    terms: Collection[str], vocabulary: Mapping[str, int], passages: int
) -> dict[str, float]:
    """Rarity of each term in the index: ``log(1 + N / (1 + df))``."""
    return {t: math.log(1 + passages / (1 + vocabulary.get(t, 0))) for t in terms}


def concept_weights(
    concepts: Iterable[tuple[str, ...]], vocabulary: Mapping[str, int], passages: int
) -> dict[tuple[str, ...], float]:
    """Rarity of each thing asked about: the mean IDF of its one-word forms.

    A concept's forms are the ways papers write it (``QueryReader``'s ``key_concepts``:
    an abbreviation and its long forms); its phrases do not count towards the weight, so
    spelling an abbreviation out does not make it weigh more.
    """
    out: dict[tuple[str, ...], float] = {}
    for forms in concepts:
        single = [f for f in forms if " " not in f] or list(forms[:1])
        idf = idf_weights(single, vocabulary, passages)
        out[forms] = sum(idf.values()) / len(idf)
    return out


def coverage(passage: PassageRecord, weights: Mapping[tuple[str, ...], float]) -> float:
    """Weighted share of the things asked about that the passage or its headings name.

    ``weights`` maps each concept (its forms, see ``concept_weights``) to its weight.  A
    word counts when the passage has it, its plural or singular, or a word with its first
    letters ("recruited" for "recruitment"); a phrase counts when its words appear in
    order, the last one possibly longer ("child protection plans" for "child protection
    plan").
    """
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return named_weight(" ".join(passage.heading_path) + " " + passage.text, weights) / total


def everyday_share(
    passage: PassageRecord,
    weights: Mapping[tuple[str, ...], float],
    everyday: Iterable[tuple[tuple[str, ...], tuple[str, ...]]],
) -> float:
    """Weighted share of the things asked about (``concept_weights``) that the passage names
    only in the papers' term for the everyday phrase they belong to: "special needs plans"
    asked, "EHCPs" written.  ``everyday`` holds each phrase's words and the papers' terms
    (``Understanding.everyday``); 0 for a question without an everyday phrase."""
    total = sum(weights.values())
    phrases = [(set(phrase_words), forms) for phrase_words, forms in everyday]
    if total <= 0 or not phrases:
        return 0.0
    text = " ".join(passage.heading_path) + " " + passage.text
    credited = 0.0
    for concept, weight in weights.items():
        if named_weight(text, {concept: weight}):
            continue  # named in the question's own words: ``coverage`` counts it
        if any(
            concept[0] in phrase_words and named_weight(text, {forms: weight})
            for phrase_words, forms in phrases
        ):
            credited += weight
    return credited / total


# A count as papers write one before the thing counted: digits, thousands with commas,
# followed by a space.  Not money ("£3,000 a year"), a list or section number ("3. Rents",
# "4.1 The service"), a decimal, a percentage ("45% of") or a date's day ("31/12").
_COUNT = re.compile(
    r"(?<![\w£$€.,/])(?:\d{1,3}(?:,\d{3})+|\d+)(?![\w%.,/:])[ \t]*\n?[ \t]*(?=[A-Za-z])"
)
_YEAR = re.compile(r"(?:19|20)\d\d")


def count_named(text: str, counted: Collection[tuple[str, ...]]) -> float:
    """The ``count`` signal: 1.0 when the text writes a number right before one of the
    things a "how many" question counts (``Understanding.counted``, each with its forms),
    a word matched as ``coverage`` matches it ("7,500 people" for "people", "318 contacts"
    for "contacts") and a phrase word for word ("312 looked after children" for "CLA");
    a year is not a count ("2018 inspection"); 0.0 otherwise, and for any other question."""
    if not counted:
        return 0.0
    for match in _COUNT.finditer(text):
        if _YEAR.fullmatch(match.group(0).strip()):
            continue
        following = words(text[match.end() : match.end() + 80])
        if not following:
            continue
        present = {following[0]}
        present_stems = stems_of(present)
        for forms in counted:
            for form in forms:
                phrase = words(form)
                if len(phrase) == 1 and word_matches(phrase[0], present, present_stems):
                    return 1.0
                if len(phrase) > 1 and following[: len(phrase)] == phrase:
                    return 1.0
    return 0.0


def named_weight(text: str, weights: Mapping[tuple[str, ...], float]) -> float:
    """The summed weight of the concepts (``concept_weights``) that ``text`` names, each
    counted as ``coverage`` counts it."""
    present, stems, joined = _terms(text)
    slashes = {m.group(0).lower() for m in _SLASHED.finditer(text)}
    return sum(
        weight
        for forms, weight in weights.items()
        if any(_has(form, present, stems, joined) or slash_form(form) in slashes for form in forms)
    )


# a word written as its first letter and next consonant with a slash: "Community A/C
# £3,572.58" names the account (financial reports, parish minutes)
_SLASHED = re.compile(r"(?<![\w/])[A-Za-z]/[A-Za-z](?![\w/])")


def slash_form(word: str) -> str:
    """The short form with a slash a word may be written in: its first letter and its next
    consonant ("a/c" for account); "" for a phrase or a word without one."""
    if not word.isalpha():
        return ""
    consonant = next((c for c in word[1:].lower() if c not in "aeiouy"), None)
    return f"{word[0].lower()}/{consonant}" if consonant else ""


def _has(form: str, present: frozenset[str], stems: frozenset[str], joined: str) -> bool:
    if " " in form or not form.isalnum():
        phrase = " ".join(words(form))
        return bool(phrase) and f" {phrase}" in joined
    return word_matches(form, present, stems)


def word_matches(word: str, present: Collection[str], stems: Collection[str]) -> bool:
    """Whether one word is among ``present`` words: itself, its plural or singular, or a
    word with its first ``STEM`` letters (``stems``).  Key-term coverage matches words this
    way, and the question reader asks it of the index's vocabulary."""
    if word in present or (len(word) >= STEM and word[:STEM] in stems):
        return True
    # a short word's plural or singular ("weeks" for "week", "EHCPs" for "EHCP")
    return word + "s" in present or (len(word) > 3 and word.endswith("s") and word[:-1] in present)


def stems_of(present: Iterable[str]) -> frozenset[str]:
    """The first ``STEM`` letters of each word long enough to have them."""
    return frozenset(w[:STEM] for w in present if len(w) >= STEM)


@lru_cache(maxsize=8192)  # the same candidates recur from question to question
def _terms(text: str) -> tuple[frozenset[str], frozenset[str], str]:
    """A text's words, their stems (first letters), and the words joined by single spaces
    (with one in front), for ``coverage``."""
    tokens = words(text)
    present = frozenset(tokens)
    return present, stems_of(present), " " + " ".join(tokens)


def committee_match(question_words: Collection[str], committee: str | None) -> float:
    """Share of the committee's distinctive name words that the question uses."""
    if not committee:
        return 0.0
    distinctive = {w for w in words(committee) if w not in _GENERIC_COMMITTEE}
    if not distinctive:
        return 0.0
    return len(distinctive & set(question_words)) / len(distinctive)


def is_title_block(passage: PassageRecord) -> bool:
    """A cover block or other front matter, which names topics and answers none of them.

    The first passage of a document when it is mostly short lines, or any passage with two
    or more of the lines that open front matter ("Present:", "Apologies", "Date of
    meeting", "Report of", an "Agenda Item 5" stamp on its own line, ...), as the head of
    a set of minutes and each report's cover sheet in an agenda pack have; or a list of
    links to a meeting's papers (``is_document_list``), or the approval of the last
    minutes with titles about it (``approves_minutes_only``).
    """
    if (
        is_front_matter(passage.text)
        or is_document_list(passage.text)
        or approves_minutes_only(passage.text)
    ):
        return True
    if passage.ordinal != 0:
        return False
    lines = [line for line in passage.text.splitlines() if line.strip()]
    short = sum(1 for line in lines if len(line.split()) <= 8)
    return bool(lines) and short / len(lines) >= 0.6


def front_matter_mark(
    passage: PassageRecord, asks_attendance: bool, asks_item: str | None = None
) -> float:
    """The ``title_block`` signal: 1.0 for a cover block or other front matter
    (``is_title_block``); for a question asking who attended a meeting
    (``query_words.ASKS_ATTENDANCE``) the head of the minutes (present, apologies,
    substitutes: ``is_front_matter``) is its answer, so it counts the other way (-1.0: the
    weight that marks it down lifts it as much), and other front matter is not marked.
    For a question asking about a procedural item (``asks_item``: the minutes of the last
    meeting, ...), the passage under that item's heading is its answer, not front matter
    (0.0: its approval of the minutes, say, is not marked)."""
    if asks_attendance:
        return -1.0 if is_front_matter(passage.text) else 0.0
    if asks_item is not None and procedural_mark(passage, asks_item):
        return 0.0
    return 1.0 if is_title_block(passage) else 0.0


def procedural_mark(passage: PassageRecord, asks_item: str | None) -> float:
    """The ``procedural`` signal: 1.0 when the question asks about a procedural item of the
    meeting (``Understanding.asks_item``, ``procedural_items.asked_item``) and the passage
    is under that item's heading (``procedural_items.heads_item``); 0.0 otherwise."""
    if asks_item is None:
        return 0.0
    return 1.0 if heads_item(passage.heading_path, asks_item) else 0.0


def opening_mark(passage: PassageRecord, title_block: float, siblings: Collection[int]) -> float:
    """The ``opening`` signal: 1.0 for a paper's first passage (``ordinal`` 0) when another
    passage of the same paper is among the candidates (``siblings``: the ordinals of the
    candidates of its document, its own included) and it is not marked as front matter
    already (``title_block`` 0: the cover or head is marked once, by its own weight); 0.0
    otherwise, and for a paper of which it is the only candidate."""
    if passage.ordinal != 0 or title_block > 0:
        return 0.0
    return 1.0 if any(o != 0 for o in siblings) else 0.0


def is_document_list(text: str) -> bool:
    """Whether a text is a list of links to a meeting's papers ("Supporting documents:" and
    lines such as "Garden waste charges 2022/23 (PDF, 210 KB)"): at least two such lines
    (the label counting as one, a link at least), and more than half of its lines.  It names the
    topics of the papers it links and answers none of them."""
    lines = [line for line in text.splitlines() if line.strip()]
    links = len(_DOCUMENT_LINK.findall(text))
    listed = links + len(_PAPERS_LABEL.findall(text))
    return links >= 1 and listed >= 2 and 2 * listed > len(lines)


def approves_minutes_only(text: str) -> bool:
    """Whether a text holds nothing but the approval of the last meeting's minutes ("RESOLVED
    - That the minutes of the meeting held on 13 December 2022 be approved as a correct
    record.") and short lines (the item's number and title, the next item's title), the
    opening of most sets of minutes: it names the next item's topic and answers nothing."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    approvals = [line for line in lines if MINUTES_APPROVED.search(line)]
    return bool(approvals) and all(
        line in approvals
        or (len(line.split()) <= _SHORT_LINE_WORDS and not line.endswith("."))
        or line.rstrip(".").replace(".", "").isdigit()
        for line in lines
    )


def is_front_matter(text: str) -> bool:
    """Whether a text holds two or more of the lines that open front matter ("Present",
    "Apologies", "Report of", ...): the head of a set of minutes or a report's cover."""
    return len(_FRONT_MATTER.findall(text)) >= 2


_YEARS = re.compile(r"\b((?:19|20)\d\d)(?:\s*[/-]\s*(\d\d(?:\d\d)?))?\b")


@dataclass(frozen=True)
class YearPreference:
    """The years a question names, and the meeting dates they read as."""

    years: frozenset[str]  # "2019", and "2018/19" as "2018/19"
    date_from: str
    date_to: str

    def written(self, text: str) -> bool:
        """Whether the text writes one of the years (a financial year in any of its
        spellings: 2018/19, 2018-19, 2018/2019)."""
        return any(_year_key(m.group(1), m.group(2)) in self.years for m in _YEARS.finditer(text))

    def match(self, passage: PassageRecord) -> float:
        """1.0 when the passage writes one of the years or comes from a meeting in the
        range."""
        if self.written(passage.text):
            return 1.0
        date = passage.document.meta.meeting_date
        return 1.0 if date and self.date_from <= date <= self.date_to else 0.0


def _year_key(first: str, second: str | None) -> str:
    if not second:
        return first
    return f"{first}/{second[-2:]}"


def year_preference(understood: Understanding) -> YearPreference | None:
    """The preference for the years a question names ("in 2019", "2023/24"); None for a
    question naming none, or only a one-sided bound ("since 2019"), which is a filter."""
    if not (understood.date_from and understood.date_to):
        return None
    years = frozenset(
        _year_key(m.group(1), m.group(2))
        for phrase in understood.date_phrases
        for m in _YEARS.finditer(phrase)
    )
    return YearPreference(years, understood.date_from, understood.date_to)


def recency(dates: Iterable[str | None]) -> dict[str, float]:
    """Each meeting date's place among ``dates``: 1.0 for the newest, 0.0 for the oldest,
    evenly between (by rank, not by days, so one old paper does not squeeze the rest); an
    empty map when fewer than two distinct dates are given."""
    distinct = sorted({d for d in dates if d})
    if len(distinct) < 2:
        return {}
    return {d: i / (len(distinct) - 1) for i, d in enumerate(distinct)}


def on_topic(recent: float, covered: float) -> float:
    """The ``latest`` signal: a meeting's recency (``recency``) scaled by the passage's
    key-term coverage, as "when did it last ..." is answered by the newest paper *on the
    topic*: the newest candidate that names none of what is asked gains nothing."""
    return recent * covered
