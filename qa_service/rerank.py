"""The second stage: fused candidates re-scored from evidence the first stage cannot weigh.

No cross-encoder ships in an installable package here, so the second stage is a weighted
sum of signals that each measured better on the dev set (see docs/quality.md):

- ``fused``: the reciprocal-rank-fusion score of dense and BM25 search, scaled to 0..1;
- ``passage``: the question's cosine to the passage (heading path included);
- ``sentence``: the question's cosine to the passage's best sentence, from vectors stored
  at ingest, which finds the one sentence that answers inside a passage about more;
- ``coverage``: the share of the question's key terms, weighted by rarity (IDF), that the
  passage or its headings contain, so a passage that names every specific thing asked
  about beats one that only shares the topic;
- ``committee``: the share of the distinctive words of the passage's committee that the
  question names ("what did the Corporate Parenting Board decide");
- ``title_block``: a document's cover block (title, date, "Report of" lines) mentions every
  topic of the paper and answers none of them, so it is marked down.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache

from index.lexical import words
from index.store import PassageRecord

# Words that committees' names share and that say nothing about which committee it is.
_GENERIC_COMMITTEE = frozenset(
    {"committee", "board", "panel", "and", "of", "the", "for", "children", "young", "people"}
    | {"services", "s", "children's"}
)
_STEM = 5  # characters compared when a word is not found whole ("recruited" ~ "recruitment")


@dataclass(frozen=True)
class Weights:
    """How much each signal counts in the final score."""

    fused: float = 1.0
    passage: float = 1.0
    sentence: float = 0.5
    coverage: float = 1.0
    committee: float = 0.2
    title_block: float = -0.3


@dataclass(frozen=True)
class Features:
    """The signals of one candidate passage."""

    fused: float
    passage: float
    sentence: float
    coverage: float = 0.0
    committee: float = 0.0
    title_block: float = 0.0

    def score(self, w: Weights) -> float:
        """The weighted sum; higher is better."""
        return (
            w.fused * self.fused
            + w.passage * self.passage
            + w.sentence * self.sentence
            + w.coverage * self.coverage
            + w.committee * self.committee
            + w.title_block * self.title_block
        )


def idf_weights(
    terms: Collection[str], vocabulary: Mapping[str, int], passages: int
) -> dict[str, float]:
    """Rarity of each term in the index: ``log(1 + N / (1 + df))``."""
    return {t: math.log(1 + passages / (1 + vocabulary.get(t, 0))) for t in terms}


def coverage(passage: PassageRecord, idf: Mapping[str, float]) -> float:
    """IDF-weighted share of the key terms that the passage or its headings contain."""
    total = sum(idf.values())
    if total <= 0:
        return 0.0
    present, stems = _terms(" ".join(passage.heading_path) + " " + passage.text)
    found = sum(
        weight
        for term, weight in idf.items()
        if term in present or (len(term) >= _STEM and term[:_STEM] in stems)
    )
    return found / total


@lru_cache(maxsize=8192)  # the same candidates recur from question to question
def _terms(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """A text's words, and their stems (first letters), for ``coverage``."""
    present = frozenset(words(text))
    return present, frozenset(w[:_STEM] for w in present if len(w) >= _STEM)


def committee_match(question_words: Collection[str], committee: str | None) -> float:
    """Share of the committee's distinctive name words that the question uses."""
    if not committee:
        return 0.0
    distinctive = {w for w in words(committee) if w not in _GENERIC_COMMITTEE}
    if not distinctive:
        return 0.0
    return len(distinctive & set(question_words)) / len(distinctive)


def is_title_block(passage: PassageRecord) -> bool:
    """The first passage of a document when it is mostly short lines: a cover block."""
    if passage.ordinal != 0:
        return False
    lines = [line for line in passage.text.splitlines() if line.strip()]
    short = sum(1 for line in lines if len(line.split()) <= 8)
    return bool(lines) and short / len(lines) >= 0.6
