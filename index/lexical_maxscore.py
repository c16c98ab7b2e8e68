"""An exact MaxScore first pass over tantivy-py queries (issue 18).

tantivy-py scores every passage holding any word of a question (``index.lexical_tantivy``:
no block-max WAND behind its ``MultiCollector``), so a search costs the postings of all
its words, and the most common words hold most of them.  MaxScore leaves those words out
of a first pass and proves afterwards that nothing was lost:

- each word clause (the word over the three fields, boosted) scores at most its bound:
  its best score, the top hit of the clause searched alone once per searcher and cached
  (``EXACT_MAXIMA``), or BM25's ``sum over fields of boost * idf * (k1 + 1)`` (tantivy:
  ``tf / (tf + norm) < 1``; idf ``ln(1 + (N - df + 0.5) / (df + 0.5))`` with N and df
  over the whole searcher, deleted passages included);
- the words with the most postings a unit of bound, whose bounds sum to ``ub`` at most a
  share of the other words' bounds, are the non-essential ones;
- the first pass searches the essential words alone for their best ``FIRST`` passages;
  the served query, restricted to those passages' row ids (scored 0, so each score is the
  served one), gives its best ``k`` among them, and θ, the k-th score;
- a passage outside them scores at most ``s + ub`` over all words, where ``s`` is the
  last essential score of the first pass (0 when it found fewer than ``FIRST``: then every
  passage outside holds no essential word).  If ``s + ub < θ`` with a margin for float
  rounding, no passage outside can reach the top ``k``, ties included, so the restricted
  search's hits are the served search's, in tantivy's order; otherwise ``None`` and the
  caller searches as served.

Exact, but off (``lexical_tantivy.MAXSCORE``): at 10M passages of the synthetic corpus
(each passage 500 times) the check passed too rarely for the postings it saved, and the
restricted search plus the fallbacks made the lexical search about twice as slow
(docs/performance.md, "An exact MaxScore first pass, stop 19").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from index.lexical_folder import _FIELDS, _tantivy, analyzer

K1 = 1.2  # tantivy's BM25 constants (query/bm25.rs)
# The first pass's size: more passages lower ``s`` (a check that passes more often) but
# make the restricted search seek more row ids.
FIRST = 3000
# Non-essential words are the commonest ones whose bounds sum to at most this share of
# the essential words' bounds (a larger share: a cheaper first pass, a check that fails
# more often).
SHARE = 0.1
# Each word's bound is its clause's highest score, found by searching it alone once per
# searcher (cached), rather than the formula's (tf saturated in every field), which at 10M
# was a median 2.0 times the gap the check must fit in.
EXACT_MAXIMA = True
# A relative margin on the check, for f32 sums taken in another order than tantivy's.
_MARGIN = 1e-4
_TOTAL = re.compile(r'"value":\s*([0-9.eE+-]+),\s*"description":\s*"N, total number of docs"')


@dataclass
class Outcome:
    """What one MaxScore search did: ``exact`` (the check passed), the postings of the
    words searched against all of them."""

    exact: bool
    words: int
    computed: int
    essential: int
    postings: int
    essential_postings: int


def bounds(
    searcher: Any, words: list[str], weights: dict[str, float], total: int
) -> tuple[list[float | None], list[int]]:
    """Each word clause's score bound (None: not one token, so never left out) and its
    postings over the fields, with ``total`` passages (deleted ones included)."""
    words_analyzer = analyzer()
    found: list[float | None] = []
    postings: list[int] = []
    for word in words:
        tokens = words_analyzer.analyze(word)
        if len(tokens) != 1:
            found.append(None)
            postings.append(0)
            continue
        bound, count = 0.0, 0
        for field, boost in weights.items():
            df = int(searcher.doc_freq(field, tokens[0]))
            count += df
            if df:
                bound += boost * math.log(1 + (total - df + 0.5) / (df + 0.5)) * (K1 + 1)
        found.append(bound)
        postings.append(count)
    return found, postings


def maxima(
    lexical: Any, searcher: Any, words: list[str], fields: tuple[str, ...] | None
) -> tuple[list[float | None], int]:
    """Each word clause's highest score over the live passages (None: not one token), the
    best hit of the clause searched alone, cached on ``lexical`` for its ``searcher`` (a
    reload starts afresh); and how many were not cached (each a search of its postings)."""
    from index.lexical_tantivy import _phrase

    if getattr(lexical, "_maxima_searcher", None) is not searcher:
        lexical._maxima_searcher = searcher
        lexical._maxima = {}
    cache: dict[tuple[Any, str], float] = lexical._maxima
    words_analyzer = analyzer()
    found: list[float | None] = []
    computed = 0
    for word in words:
        if len(words_analyzer.analyze(word)) != 1:
            found.append(None)
            continue
        key = (fields, word)
        if key not in cache:
            hits = searcher.search(lexical._parse(_phrase(word), fields), 1, count=False).hits
            cache[key] = float(hits[0][0]) if hits else 0.0
            computed += 1
        found.append(cache[key])
    return found, computed


def split(
    ub: list[float | None], share: float = SHARE, postings: list[int] | None = None
) -> list[int]:
    """The indexes of the non-essential words: the most postings a unit of bound first
    (the smallest bounds first without ``postings``; a word without postings saves
    nothing), as many as keep their bounds' sum at most ``share`` of the rest's (at least
    one word stays essential)."""
    if postings is None:
        order = sorted((i for i, b in enumerate(ub) if b is not None), key=lambda i: ub[i] or 0.0)
    else:
        order = sorted(
            (i for i, b in enumerate(ub) if b is not None and postings[i] > 0),
            key=lambda i: -postings[i] / max(ub[i] or 0.0, 1e-9),
        )
    whole = sum(b for b in ub if b is not None)  # a phrase (None) counts as 0 here
    chosen: list[int] = []
    spent = 0.0
    for i in order[: len(ub) - 1]:
        bound = ub[i] or 0.0
        if spent + bound > share * (whole - spent - bound):
            break
        chosen.append(i)
        spent += bound
    return chosen


def searcher_total(searcher: Any, schema: Any, address: Any, rowid: int) -> int:
    """N of tantivy's idf (every passage ever added to the live segments, deleted ones
    included), read from the explanation of a row-id term query on a live passage."""
    tantivy = _tantivy()
    explained = tantivy.Query.term_query(schema, "rowid", rowid).explain(searcher, address)
    match = _TOTAL.search(explained.to_json())
    if match is None:  # pragma: no cover - tantivy's explanation changed
        raise RuntimeError("tantivy's explanation holds no N")
    return int(float(match.group(1)))


def top(
    lexical: Any,
    searcher: Any,
    words: list[str],
    query: Any,
    k: int,
    fields: tuple[str, ...] | None = None,
    first: int | None = None,
    share: float | None = None,
) -> tuple[list[tuple[int, float]] | None, Outcome]:
    """The best ``k`` hits of ``query`` (the OR of ``words``, one clause each, over
    ``fields``) as ``lexical._hits`` gives them, or None when the check fails
    (``first``, ``share``: ``FIRST``, ``SHARE`` unless given)."""
    # at least a few times k, so that a filter's over-fetched top list can pass the check
    first = max(FIRST if first is None else first, 4 * k)
    share = SHARE if share is None else share
    from index.lexical_tantivy import WEIGHTS, query_text

    weights = {f: w for f, w in zip(_FIELDS, WEIGHTS, strict=True) if f in (fields or _FIELDS)}
    total = int(searcher.num_docs)
    ub, postings = bounds(searcher, words, weights, total)
    computed = 0
    if EXACT_MAXIMA:
        ub, computed = maxima(lexical, searcher, words, fields)
    left = split(ub, share, postings)
    outcome = Outcome(False, len(words), computed, len(words) - len(left), sum(postings), 0)
    if not left:
        return None, outcome
    out = set(left)
    kept = [w for i, w in enumerate(words) if i not in out]
    outcome.essential_postings = sum(p for i, p in enumerate(postings) if i not in out)
    essential = lexical._parse(query_text(kept), fields)
    hits = searcher.search(essential, first, count=False).hits
    if not hits:
        return None, outcome
    rowids = searcher.fast_field_values("rowid", [address for _score, address in hits])
    live = [(int(r), hit[1]) for r, hit in zip(rowids, hits, strict=True) if r is not None]
    if not live:
        return None, outcome
    ids = [rowid for rowid, _address in live]
    # the bounds again with tantivy's own N (the passages of the live segments)
    exact_total = searcher_total(searcher, lexical._index.schema, live[0][1], live[0][0])
    if exact_total != total and not EXACT_MAXIMA:
        ub, _ = bounds(searcher, words, weights, exact_total)
    rest = sum(ub[i] or 0.0 for i in left)
    last = float(hits[-1][0]) if len(hits) >= first else 0.0
    found = lexical._among(searcher, query, ids, k)
    if len(found) < k:
        return None, outcome
    theta = found[-1][1]
    if (last + rest) * (1 + _MARGIN) >= theta:
        return None, outcome
    outcome.exact = True
    return found, outcome
