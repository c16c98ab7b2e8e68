"""Window maxima for the impact index: MaxScore that skips row-id windows (issue 18, stop 28).

``index.impact_maxscore.maxscore_windowed`` adds the essential lists into an accumulator a
window of row ids at a time; every posting of an essential list is added, whatever the
window holds.  Here each list also has, per aligned window of ``1 << shift`` row ids, its
largest impact there (``window_maxima``: a table of lists x windows, 0 where the list has
no posting in the window).  Before a window is added, the sum over all the question's
lists of their window maxima (each times its weight) is its bound: if it cannot beat the
k-th best score (theta) with a full heap, no passage of the window can enter, and the
essential lists are moved past it without a posting read.  Otherwise the window's own
bounds decide which lists are essential in it (those whose window maxima, summed from the
smallest list bound up, still cannot beat theta are only looked up), and a passage is
dropped as soon as its score plus the window maxima of the lists not yet looked up cannot
beat theta.  The window maxima are true maxima, rounded to the same ``2**-FIXED_BITS``
grain as every impact (a maximum is one of the list's impacts, and the rounding is
monotone), so nothing is approximated: the top k is ``maxscore_windowed``'s, row ids,
scores and ties (the lower row id), which the tests check.

This is block-max skipping (Ding and Suel, 2011) with blocks aligned on row ids instead of
postings (as "range-based" block maxima: Dimopoulos, Nepomnyachiy and Suel, 2013), so the
lists' windows line up and one table look-up a list gives a window's bound.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from index.impact_maxscore import _NONE, FIXED_BITS, _fixed, _gallop, _sift_down, _sift_up

SHIFT = 12  # windows of 4,096 row ids (``index.impact_maxscore.WINDOW``)


@njit(cache=True, nogil=True)
def _maxima(
    offsets: np.ndarray,
    docids: np.ndarray,
    codes: np.ndarray,
    values: np.ndarray,
    bases: np.ndarray,
    shift: int,
    out: np.ndarray,
) -> None:
    for i in range(offsets.shape[0] - 1):
        base = bases[i]
        for at in range(offsets[i], offsets[i + 1]):
            window = np.int64(docids[at]) >> shift
            value = values[base + codes[at]]
            if value > out[i, window]:
                out[i, window] = value


def window_maxima(
    offsets: np.ndarray,
    docids: np.ndarray,
    codes: np.ndarray,
    values: np.ndarray,
    bases: np.ndarray,
    passages: int,
    shift: int = SHIFT,
) -> np.ndarray:
    """Each list's largest impact in each window of ``1 << shift`` row ids (float32, lists
    x windows; 0 where it holds none), wide enough for ``passages`` row ids and every
    row id held."""
    ends = np.asarray(offsets[1:])[np.diff(offsets) > 0] - 1  # each list's last posting
    last = int(np.max(np.asarray(docids)[ends])) if len(ends) else 0
    windows = max((int(passages) - 1) >> shift, last >> shift, 0) + 1
    out = np.zeros((len(offsets) - 1, windows), dtype=np.float32)
    _maxima(offsets, docids, codes, values, bases, shift, out)
    return out


@njit(cache=True, nogil=True)
def maxscore_ranges(
    offsets: np.ndarray,
    docids: np.ndarray,
    codes: np.ndarray,
    values: np.ndarray,
    bases: np.ndarray,
    lists: np.ndarray,
    weights: np.ndarray,
    bounds: np.ndarray,
    k: int,
    maxima: np.ndarray,
    shift: int,
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """``maxscore_windowed``'s answer (row ids, scores, postings scored) with windows
    skipped by their maxima (see the module notes; ``maxima``: ``window_maxima`` at
    ``shift``), and how many windows were skipped."""
    n = lists.shape[0]
    size_w = np.int64(1) << shift
    heap_scores = np.empty(k, dtype=np.int64)
    heap_docs = np.empty(k, dtype=np.uint32)
    size = 0
    pos = np.empty(n, dtype=np.int64)
    end = np.empty(n, dtype=np.int64)
    upto = np.zeros(n + 1, dtype=np.int64)  # the summed list bounds of lists 0 .. i-1
    table = np.empty(n, dtype=np.int64)
    for i in range(n):
        table[i] = bases[lists[i]]
        pos[i] = offsets[lists[i]]
        end[i] = offsets[lists[i] + 1]
        upto[i + 1] = upto[i] + np.int64(bounds[i] * 2.0**FIXED_BITS + 0.5)
    wup = np.zeros(n + 1, dtype=np.int64)  # the same over this window's maxima
    acc = np.zeros(size_w, dtype=np.int64)
    hit = np.zeros(size_w, dtype=np.bool_)
    touched = np.empty(size_w, dtype=np.int64)
    theta = np.int64(-1)
    first = 0  # lists first .. n-1 are essential over the whole range
    read = 0
    skipped = 0
    floor = np.int64(0)  # every row id below it is done
    while first < n:
        base = _NONE
        for i in range(first, n):
            if pos[i] < end[i] and np.int64(docids[pos[i]]) < floor:
                pos[i] = _gallop(docids, pos[i], end[i], np.uint32(floor))
            if pos[i] < end[i] and docids[pos[i]] < base:
                base = docids[pos[i]]
        if base == _NONE:
            break
        window = np.int64(base) >> shift
        start = window << shift
        limit = start + size_w
        floor = limit
        for i in range(n):
            wup[i + 1] = wup[i] + _fixed(weights[i], maxima[lists[i], window])
        if size == k and wup[n] <= theta:
            skipped += 1
            continue
        # in this window, lists whose summed maxima cannot beat theta are only looked up
        here = first
        if size == k:
            while here < n and wup[here + 1] <= theta:
                here += 1
        held = 0
        for i in range(here, n):
            at = pos[i]
            stop = end[i]
            weight = weights[i]
            base_i = table[i]
            while at < stop and np.int64(docids[at]) < limit:
                slot = np.int64(docids[at]) - start
                acc[slot] += _fixed(weight, values[base_i + codes[at]])
                if not hit[slot]:
                    hit[slot] = True
                    touched[held] = slot
                    held += 1
                at += 1
            read += at - pos[i]
            pos[i] = at
        sparse = held * 16 < size_w
        if sparse:
            touched[:held].sort()
        for walk in range(held if sparse else size_w):
            slot = touched[walk] if sparse else np.int64(walk)
            if not hit[slot]:
                continue
            score = acc[slot]
            acc[slot] = 0
            hit[slot] = False
            doc = np.uint32(start + slot)
            alive = True
            for i in range(here - 1, -1, -1):
                if size == k and score + wup[i + 1] <= theta:
                    alive = False
                    break
                pos[i] = _gallop(docids, pos[i], end[i], doc)
                if pos[i] < end[i] and docids[pos[i]] == doc:
                    score += _fixed(weights[i], values[table[i] + codes[pos[i]]])
                    read += 1
            if not alive:
                continue
            if size < k:
                heap_scores[size] = score
                heap_docs[size] = doc
                _sift_up(heap_scores, heap_docs, size)
                size += 1
            elif score > heap_scores[0]:  # a later row id never wins a tie
                heap_scores[0] = score
                heap_docs[0] = doc
                _sift_down(heap_scores, heap_docs, size, 0)
            else:
                continue
            if size == k:
                theta = heap_scores[0]
                while first < n and upto[first + 1] <= theta:
                    first += 1
                while here < first:  # (the window's split is at least the global one)
                    here += 1
    out_docs = np.empty(size, dtype=np.uint32)
    out_scores = np.empty(size, dtype=np.float64)
    for rank in range(size - 1, -1, -1):
        out_scores[rank] = heap_scores[0] / 2.0**FIXED_BITS
        out_docs[rank] = heap_docs[0]
        heap_scores[0] = heap_scores[rank]
        heap_docs[0] = heap_docs[rank]
        _sift_down(heap_scores, heap_docs, rank, 0)
    return out_docs, out_scores, read, skipped
