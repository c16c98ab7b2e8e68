"""The hit rule and the per-question metrics: pure functions of a question and a ranked list.

A caller turns each question into a :class:`QuestionResult` (the ranked passages, whether
the system answered, how long it took); :mod:`evaluation.scoring` turns a list of those
into figures.  Nothing here knows how passages were retrieved.

The hit rule is the shared sets' (``shared/*/README.md``): a retrieved passage hits a
gold entry when it comes from the file with the same base name and, once every run of
whitespace is collapsed to one space and case is ignored, contains the gold evidence
string.  Ranks are 1-based.

*answer@1* is what a reader sees first: the rank-1 passage hits, and its highlighted span
holds the gold evidence, or at least half of the evidence's words in order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from cqa_core.errors import InvalidQueryError
from cqa_core.text import words
from evaluation.questions import GoldEntry, Question, collapse

# Depth of the ranked list used for MRR, nDCG, page accuracy and (when a result has no
# per-council lists) compare coverage.
DEPTH = 10


@dataclass(frozen=True)
class Retrieved:
    """One retrieved passage, as the evaluation sees it."""

    source: str  # the document's file name (base name; a path is reduced to it)
    text: str
    page: int | None = None  # 1-based PDF page where the passage starts
    council: str | None = None
    highlight: str | None = None  # the span a reader is shown first; None: not offered


@dataclass
class QuestionResult:
    """What a system returned for one question: passages best first, and whether it answered."""

    question: Question
    ranked: list[Retrieved]
    answered: bool
    latency_ms: float
    compare: dict[str, list[Retrieved]] | None = None  # council -> that council's passages


# --- the hit rule ----------------------------------------------------------------------


def _base(name: str) -> str:
    # Gold names files by base name; a system may report a path.
    return PurePath(name.replace("\\", "/")).name


def _folded(s: str) -> str:
    return collapse(s).casefold()


def is_hit(gold: GoldEntry, r: Retrieved) -> bool:
    """True when ``r`` comes from gold's file and contains its evidence (whitespace
    collapsed, case ignored)."""
    return _base(gold.file) == _base(r.source) and _folded(gold.evidence) in _folded(r.text)


def _tokens(s: str) -> list[str]:
    return words(s)


def _in_order(needle: Sequence[str], hay: Sequence[str]) -> int:
    """How many of ``needle``'s words ``hay`` holds in the same order (longest common
    subsequence)."""
    row = [0] * (len(hay) + 1)
    for word in needle:
        prev = 0
        for j, other in enumerate(hay, start=1):
            keep = row[j]
            row[j] = prev + 1 if word == other else max(row[j], row[j - 1])
            prev = keep
    return row[-1]


def highlight_answers(gold: GoldEntry, highlight: str) -> bool:
    """Whether a highlighted span shows the gold evidence: all of it, or at least half of
    its words in order."""
    if _folded(gold.evidence) in _folded(highlight):
        return True
    needed = _tokens(gold.evidence)
    return bool(needed) and 2 * _in_order(needed, _tokens(highlight)) >= len(needed)


def answer_at_1(q: Question, ranked: Sequence[Retrieved]) -> bool | None:
    """answer@1 of one question: the rank-1 passage hits a gold entry and its highlight
    shows that entry's evidence.  None when the question is unanswerable or the rank-1
    passage carries no highlight (a system that offers none)."""
    if not q.answerable or not ranked or ranked[0].highlight is None:
        return None
    top = ranked[0]
    highlight = top.highlight or ""
    return any(is_hit(g, top) and highlight_answers(g, highlight) for g in q.gold)


def page_ok(gold: GoldEntry, r: Retrieved) -> bool:
    """True when ``r`` cites gold's page, or the page before (a passage starting at its foot).

    Only PDF gold has a page; for other gold this is always False.
    """
    if gold.page is None or r.page is None:
        return False
    return r.page in (gold.page, gold.page - 1)


# --- per-question metrics --------------------------------------------------------------


def first_hit_rank(q: Question, ranked: Sequence[Retrieved]) -> int | None:
    """1-based rank of the first passage that hits any gold entry, or None."""
    for rank, r in enumerate(ranked, start=1):
        if any(is_hit(g, r) for g in q.gold):
            return rank
    return None


def ndcg_at_k(q: Question, ranked: Sequence[Retrieved], k: int) -> float:
    """nDCG@k with binary gains.

    A passage is relevant when it hits a gold entry not already credited to a higher
    passage (so a duplicate of the same evidence earns nothing); each relevant passage
    credits one gold entry, the first uncredited one in gold order.  The ideal DCG has
    ``min(len(gold), k)`` relevant passages at the top.  0.0 for a question with no gold.
    """
    n_ideal = min(len(q.gold), k)
    if n_ideal == 0:
        return 0.0
    credited = [False] * len(q.gold)
    dcg = 0.0
    for rank, r in enumerate(ranked[:k], start=1):
        for i, g in enumerate(q.gold):
            if not credited[i] and is_hit(g, r):
                credited[i] = True
                dcg += 1.0 / math.log2(rank + 1)
                break
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, n_ideal + 1))
    return dcg / ideal


def gold_councils(q: Question, council_of_file: Mapping[str, str]) -> dict[str, list[GoldEntry]]:
    """Group a question's gold entries by council, using the manifest's ``file -> council``."""
    by_council: dict[str, list[GoldEntry]] = {}
    for g in q.gold:
        council = council_of_file.get(_base(g.file))
        if council is None:
            raise InvalidQueryError(f"question {q.id}: no council known for gold file {g.file}")
        by_council.setdefault(council, []).append(g)
    return by_council


def compare_coverage(
    q: Question,
    ranked: Sequence[Retrieved],
    compare: Mapping[str, Sequence[Retrieved]] | None,
    council_of_file: Mapping[str, str],
) -> float:
    """Share of the question's gold councils whose gold passage was found.

    With per-council lists (``compare``), a council counts when one of its gold entries is
    hit by a passage in that council's list; without them, by a passage in ``ranked``
    (the caller decides how deep; :func:`score` uses the top :data:`DEPTH`).
    """
    by_council = gold_councils(q, council_of_file)
    if not by_council:
        return 0.0
    covered = 0
    for council, entries in by_council.items():
        pool = ranked if compare is None else compare.get(council, [])
        if any(is_hit(g, r) for g in entries for r in pool):
            covered += 1
    return covered / len(by_council)


def first_hit_page_ok(q: Question, ranked: Sequence[Retrieved], k: int = DEPTH) -> bool | None:
    """Whether the first hit within the top k cites the right page.

    None when there is no hit within k or the first hit is on non-PDF gold.
    """
    rank = first_hit_rank(q, ranked[:k])
    if rank is None:
        return None
    r = ranked[rank - 1]
    paged = [g for g in q.gold if g.page is not None and is_hit(g, r)]
    if not paged:
        return None
    return any(page_ok(g, r) for g in paged)
