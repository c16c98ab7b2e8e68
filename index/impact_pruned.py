"""A pruned tier of the impact index, searched first (issue 18, stop 31).

The first pass's cost is the postings its lists hold (``index.impact_tight``), which grow
with the corpus.  The tier keeps of each list its ``n`` highest impacts (ties: the lowest
row ids), in row-id order, with the same 16-bit codes into the list's table of impacts,
and the list's *cut*: the largest impact it left out (0 for a list of at most ``n``
postings, kept whole).  A search over the tier reads at most ``n`` postings a list, at any
corpus size:

1. ``maxscore_tight`` over the tier's lists gives the ``m`` passages of the best partial
   scores (the impacts the tier kept), ``m`` >= k;
2. each of them is scored exactly, every list looked up in the whole index (galloping,
   the candidates in row-id order: ``exact_scores``), in the kernels' fixed-point sums;
3. the best k of them by exact score, ties by row id.

**Certified**: a passage outside the ``m`` has every left-out impact at most its list's
cut, so its score is at most the summed cuts (times the words' weights) plus, when the
tier held more than ``m`` passages, the ``m``-th partial score.  When the k-th exact
score is above that, no passage outside can enter: the k are the exact top k, row for
row and score for score (``search`` says so).  Else ``search`` says not: the caller runs
the exact search (``ImpactIndex`` with ``PRUNED_EXACT``) or keeps the tier's answer, an
approximation (docs/performance.md, "A bounded first pass, stop 31").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numba import njit

from index.impact_maxscore import FIXED_BITS, _fixed, _gallop
from index.impact_tight import ALL, maxscore_tight

# Candidates scored exactly (step 2), as a multiple of k: 4, 16 and 64 kept 0.75, 0.89 and
# 0.97 of the exact top k on the 1M index's first passes with a tier of 65,536 (stop 31).
CANDIDATES = 16
TIER_FILE = "tier_{n}"  # the tier's folder in an impact index folder


@dataclass(frozen=True)
class Tier:
    """Each list's ``n`` highest impacts in CSR form by list id (row ids ascending), coded
    as the whole index's (its ``values`` / ``bases`` tables), and each list's cut."""

    n: int
    offsets: np.ndarray  # int64
    docids: np.ndarray  # uint32
    codes: np.ndarray  # uint16
    cuts: np.ndarray  # float32: the largest impact a list left out (0: kept whole)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("offsets", "docids", "codes", "cuts"):
            np.save(folder / f"{name}.npy", getattr(self, name))
        (folder / "n").write_text(str(self.n), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Tier:
        """A saved tier, its arrays mapped, not read."""

        def mapped(name: str) -> np.ndarray:
            return np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r"))

        n = int((folder / "n").read_text(encoding="utf-8"))
        return cls(n, mapped("offsets"), mapped("docids"), mapped("codes"), mapped("cuts"))


@njit(cache=True)
def _kept(codes: np.ndarray, n: int, table: int) -> tuple[np.ndarray, np.int64]:
    """Which postings of one list (its codes, in row-id order) hold its ``n`` highest
    impacts (codes ascend with impacts; ties: the first in row-id order), and the highest
    code left out (-1: none)."""
    count = np.zeros(table + 1, dtype=np.int64)
    for c in codes:
        count[c] += 1
    # the lowest code kept, and how many of it are kept
    above = 0
    low = table
    while low >= 0 and above + count[low] < n:
        above += count[low]
        low -= 1
    keep = np.zeros(codes.shape[0], dtype=np.bool_)
    if low < 0:  # (n >= the list's length: not called so)
        keep[:] = True
        return keep, np.int64(-1)
    room = n - above
    left = np.int64(-1)
    for j in range(codes.shape[0]):
        c = np.int64(codes[j])
        if c > low:
            keep[j] = True
        elif c == low and room > 0:
            keep[j] = True
            room -= 1
        elif c > left:
            left = c
    return keep, left


def build_tier(
    offsets: np.ndarray,
    docids: np.ndarray,
    codes: np.ndarray,
    values: np.ndarray,
    bases: np.ndarray,
    n: int,
) -> Tier:
    """The tier of an impact index with plain row ids (``ImpactIndex``'s arrays): each
    list's ``n`` highest impacts, or the whole list when it holds at most ``n``."""
    lengths = np.diff(offsets)
    kept = np.minimum(lengths, n)
    out_offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    out_offsets[1:] = np.cumsum(kept)
    out_docs = np.empty(int(out_offsets[-1]), dtype=np.uint32)
    out_codes = np.empty(len(out_docs), dtype=np.uint16)
    cuts = np.zeros(len(lengths), dtype=np.float32)
    short = lengths <= n
    # the short lists copied in runs of consecutive lists (most of a vocabulary)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], short.astype(np.int8), [0]))))
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        lo, hi = int(offsets[a]), int(offsets[b])
        at = int(out_offsets[a])
        out_docs[at : at + hi - lo] = docids[lo:hi]
        out_codes[at : at + hi - lo] = codes[lo:hi]
    for i in np.flatnonzero(~short):
        lo, hi = int(offsets[i]), int(offsets[i + 1])
        table = int(bases[i + 1] - bases[i]) - 1
        keep, left = _kept(np.asarray(codes[lo:hi]), n, table)
        at = int(out_offsets[i])
        out_docs[at : at + n] = np.asarray(docids[lo:hi])[keep]
        out_codes[at : at + n] = np.asarray(codes[lo:hi])[keep]
        cuts[i] = values[int(bases[i]) + left] if left >= 0 else 0.0
    return Tier(n, out_offsets, out_docs, out_codes, cuts)


@njit(cache=True, nogil=True)
def exact_scores(
    offsets: np.ndarray,
    docids: np.ndarray,
    codes: np.ndarray,
    values: np.ndarray,
    bases: np.ndarray,
    lists: np.ndarray,
    weights: np.ndarray,
    rows: np.ndarray,
) -> tuple[np.ndarray, int]:
    """The fixed-point scores (``_fixed`` summed, as the kernels sum them) of the passages
    ``rows`` (ascending row ids) over ``lists``, each list galloped once from its start;
    and the look-ups made."""
    scores = np.zeros(rows.shape[0], dtype=np.int64)
    looked = 0
    for i in range(lists.shape[0]):
        at = offsets[lists[i]]
        end = offsets[lists[i] + 1]
        base = bases[lists[i]]
        for j in range(rows.shape[0]):
            at = _gallop(docids, at, end, np.uint32(rows[j]))
            looked += 1
            if at == end:
                break
            if docids[at] == rows[j]:
                scores[j] += _fixed(weights[i], values[base + codes[at]])
    return scores, looked


@njit(cache=True, nogil=True)
def _bound(weights: np.ndarray, cuts: np.ndarray) -> np.int64:
    """The summed cuts in the kernels' fixed point: at least the left-out impacts' sum
    for any passage (``_fixed`` rounds monotonically)."""
    total = np.int64(0)
    for i in range(weights.shape[0]):
        if cuts[i] > 0:
            total += _fixed(weights[i], cuts[i])
    return total


def search(
    tier: Tier,
    offsets: np.ndarray,
    docids: np.ndarray,
    codes: np.ndarray,
    values: np.ndarray,
    bases: np.ndarray,
    lists: np.ndarray,
    weights: np.ndarray,
    bounds: np.ndarray,
    k: int,
    candidates: int = CANDIDATES,
) -> tuple[np.ndarray, np.ndarray, int, bool]:
    """The best ``k`` of the tier's best ``candidates`` x k passages by exact score (row
    ids, scores, best first, ties by row id), the postings read and looked up, and whether
    they are certified to be the exact top k (see the module notes).  ``lists`` in the
    order of their ``bounds`` (weight x the list's largest impact, as for the kernels)."""
    m = max(k, candidates * k)
    rows, partial, read = maxscore_tight(
        tier.offsets, tier.docids, tier.codes, values, bases, lists, weights, bounds, m, *ALL
    )
    outside = _bound(weights, np.asarray(tier.cuts[lists], dtype=np.float32))
    if len(rows) == m:
        outside += np.int64(round(float(partial[-1]) * 2.0**FIXED_BITS))
    order = np.argsort(rows, kind="stable")
    ascending = np.ascontiguousarray(rows[order].astype(np.int64))
    fixed, looked = exact_scores(offsets, docids, codes, values, bases, lists, weights, ascending)
    best = np.lexsort((ascending, -fixed))[:k]
    found_rows = ascending[best].astype(np.uint32)
    found = fixed[best]
    # (fewer than k: every passage with a score is here, certified only if none is outside)
    certified = bool(found[-1] > outside) if len(found) == k else bool(outside == 0)
    return found_rows, found / 2.0**FIXED_BITS, int(read) + int(looked), certified
