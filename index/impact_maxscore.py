"""MaxScore over an impact index's posting lists, compiled with numba (issue 18).

Each list holds, per passage (ascending row ids), one word's whole score in it (a 16-bit
code into the list's table of distinct impacts: ``values[bases[list] + codes[at]]``); a
question's score is the sum of its words' impacts, each times how often the word was
asked.  MaxScore (Turtle and Flood, 1995) walks the lists in the order of their bounds:
once the k-th best score so far (theta) reaches the summed bounds of the smallest lists,
those lists are *non-essential* (a passage found in them alone cannot enter the top k),
so only the other, *essential* lists are walked passage by passage; a passage found there
is looked up in the non-essential lists by galloping search, largest bound first, and
dropped as soon as its score so far plus the bounds of the lists not yet looked up cannot
beat theta.  Nothing is approximated: the top k is the exhaustive one, ties kept by the
lowest row id (passages are met in row-id order, and one that only ties theta does not
enter).

The essential lists are walked a window of ``WINDOW`` row ids at a time, their impacts
added into an accumulator (as tantivy's buffered union does), and the window's passages
then taken in row-id order.  Scores are summed as integers of ``2**-FIXED_BITS`` (each
impact rounded once to that grain, ~1e-12), so a sum is exact whatever the order of its
lists: equal passages (a corpus's copies) score exactly alike, and a bound prunes exactly.

The kernels here and in ``index.impact_blocks`` share their cold pieces (the heap popped
best first, the next passage of the essential lists, the first essential list once theta
rises).  Their hot loops (a window added and walked, a passage offered to the heap, a
list's cursors set up) stay written out in each kernel: through helpers, even ones numba
inlines, they measured 3-11% slower (docs/performance.md, "Repeated kernel code, stop 29").
"""

from __future__ import annotations

import numpy as np
from numba import njit

# A bound is trusted to prune only by this relative margin: the bounds and the scores are
# float64 sums of float32 impacts, summed in different orders.
_SLACK = 1e-9
_NONE = np.uint32(0xFFFFFFFF)
FIXED_BITS = 40  # impacts up to ~2**20 summed over up to ~2**3 lists stay inside int64
WINDOW = 4096


@njit(cache=True, nogil=True)
def _gallop(docids: np.ndarray, lo: int, hi: int, target: np.uint32) -> int:
    """The first position in ``docids[lo:hi]`` holding at least ``target`` (``hi`` if none)."""
    if lo >= hi or docids[lo] >= target:
        return lo
    step = 1
    below = lo  # docids[below] < target
    while lo + step < hi and docids[lo + step] < target:
        below = lo + step
        step *= 2
    left = below + 1
    right = min(lo + step, hi)
    while left < right:
        middle = (left + right) // 2
        if docids[middle] < target:
            left = middle + 1
        else:
            right = middle
    return left


@njit(cache=True, nogil=True)
def _worse(score_a: float, doc_a: np.uint32, score_b: float, doc_b: np.uint32) -> bool:
    """Whether hit a ranks below hit b (lower score, or the same score and a later row id)."""
    return bool(score_a < score_b or (score_a == score_b and doc_a > doc_b))


@njit(cache=True, nogil=True)
def _sift_down(scores: np.ndarray, docs: np.ndarray, size: int, at: int) -> None:
    while True:
        worst = at
        left = 2 * at + 1
        right = left + 1
        if left < size and _worse(scores[left], docs[left], scores[worst], docs[worst]):
            worst = left
        if right < size and _worse(scores[right], docs[right], scores[worst], docs[worst]):
            worst = right
        if worst == at:
            return
        scores[at], scores[worst] = scores[worst], scores[at]
        docs[at], docs[worst] = docs[worst], docs[at]
        at = worst


@njit(cache=True, nogil=True)
def _sift_up(scores: np.ndarray, docs: np.ndarray, at: int) -> None:
    while at > 0:
        parent = (at - 1) // 2
        if not _worse(scores[at], docs[at], scores[parent], docs[parent]):
            return
        scores[at], scores[parent] = scores[parent], scores[at]
        docs[at], docs[parent] = docs[parent], docs[at]
        at = parent


@njit(cache=True, nogil=True, inline="always")
def _best_first(
    heap_scores: np.ndarray, heap_docs: np.ndarray, size: int, scale: float
) -> tuple[np.ndarray, np.ndarray]:
    """The heap's hits, best first (row ids, scores divided by ``scale``), popped from the
    worst; the heap is left empty."""
    out_docs = np.empty(size, dtype=np.uint32)
    out_scores = np.empty(size, dtype=np.float64)
    for rank in range(size - 1, -1, -1):
        out_scores[rank] = heap_scores[0] / scale
        out_docs[rank] = heap_docs[0]
        heap_scores[0] = heap_scores[rank]
        heap_docs[0] = heap_docs[rank]
        _sift_down(heap_scores, heap_docs, rank, 0)
    return out_docs, out_scores


@njit(cache=True, nogil=True, inline="always")
def _essential_from(upto: np.ndarray, first: int, n: int, theta: float) -> int:
    """The first essential list once the k-th best score is ``theta``: the lists whose
    summed float bounds (``upto``) cannot beat it, trusted by ``_SLACK``, are not."""
    while first < n and upto[first + 1] * (1 + _SLACK) <= theta:
        first += 1
    return first


@njit(cache=True, nogil=True, inline="always")
def _next_doc(cur: np.ndarray, first: int, n: int) -> np.uint32:
    """The smallest current row id of lists ``first`` .. ``n - 1`` (``_NONE``: all done)."""
    doc = _NONE
    for i in range(first, n):
        if cur[i] < doc:
            doc = cur[i]
    return doc


@njit(cache=True, nogil=True)
def maxscore(
    offsets: np.ndarray,
    docids: np.ndarray,
    codes: np.ndarray,
    values: np.ndarray,
    bases: np.ndarray,
    lists: np.ndarray,
    weights: np.ndarray,
    bounds: np.ndarray,
    k: int,
) -> tuple[np.ndarray, np.ndarray, int]:
    """The best ``k`` passages for the lists ``lists`` (list ids into ``offsets``, their
    row ids in ``docids`` and impacts coded in ``codes`` / ``values`` / ``bases``; ordered
    by ``bounds`` ascending; ``weights``: how often each word was asked; ``bounds``:
    weight times the list's largest impact): their row ids and scores, best first (ties
    by row id), and how many postings were scored (walked, or landed on by a look-up),
    for the benches."""
    n = lists.shape[0]
    heap_scores = np.empty(k, dtype=np.float64)
    heap_docs = np.empty(k, dtype=np.uint32)
    size = 0
    pos = np.empty(n, dtype=np.int64)
    end = np.empty(n, dtype=np.int64)
    cur = np.empty(n, dtype=np.uint32)  # each essential list's current row id (_NONE: done)
    table = np.empty(n, dtype=np.int64)  # where each list's impacts start in values
    for i in range(n):
        table[i] = bases[lists[i]]
        pos[i] = offsets[lists[i]]
        end[i] = offsets[lists[i] + 1]
        cur[i] = docids[pos[i]] if pos[i] < end[i] else _NONE
    # upto[i]: the summed bounds of lists 0 .. i-1
    upto = np.zeros(n + 1, dtype=np.float64)
    for i in range(n):
        upto[i + 1] = upto[i] + bounds[i]
    part = np.zeros(n, dtype=np.float64)
    theta = 0.0
    first = 0  # lists first .. n-1 are essential
    read = 0
    doc = _next_doc(cur, 0, n)
    while doc != _NONE:
        # score the passage in the essential lists, stepping them, and find the next one
        score = 0.0
        following = _NONE
        for i in range(first, n):
            at = cur[i]
            if at == doc:
                value = weights[i] * values[table[i] + codes[pos[i]]]
                part[i] = value
                score += value
                read += 1
                pos[i] += 1
                at = docids[pos[i]] if pos[i] < end[i] else _NONE
                cur[i] = at
            else:
                part[i] = 0.0
            if at < following:
                following = at
        # the non-essential lists, largest bound first, while the passage can still enter
        alive = True
        for i in range(first - 1, -1, -1):
            if size == k and (score + upto[i + 1]) * (1 + _SLACK) <= theta:
                alive = False
                break
            pos[i] = _gallop(docids, pos[i], end[i], doc)
            part[i] = 0.0
            if pos[i] < end[i] and docids[pos[i]] == doc:
                part[i] = weights[i] * values[table[i] + codes[pos[i]]]
                score += part[i]
                read += 1
        current = doc
        doc = following
        if not alive or (size == k and score * (1 + _SLACK) < theta):
            continue
        total = 0.0  # in one order of the lists for every passage, so that copies tie
        for i in range(n):
            total += part[i]
        if size < k:
            heap_scores[size] = total
            heap_docs[size] = current
            _sift_up(heap_scores, heap_docs, size)
            size += 1
        elif _worse(heap_scores[0], heap_docs[0], total, current):
            heap_scores[0] = total
            heap_docs[0] = current
            _sift_down(heap_scores, heap_docs, size, 0)
        else:
            continue
        if size == k and heap_scores[0] > theta:
            theta = heap_scores[0]
            essential = _essential_from(upto, first, n, theta)
            if essential > first:  # the next passage is the next of the lists still essential
                first = essential
                doc = _next_doc(cur, first, n)
    out_docs, out_scores = _best_first(heap_scores, heap_docs, size, 1.0)
    return out_docs, out_scores, read


@njit(cache=True, nogil=True)
def _fixed(weight: float, impact: float) -> np.int64:
    """``weight * impact`` as an integer of ``2**-FIXED_BITS`` (the same for equal inputs)."""
    return np.int64(weight * impact * 2.0**FIXED_BITS + 0.5)


@njit(cache=True, nogil=True)
def maxscore_windowed(
    offsets: np.ndarray,
    docids: np.ndarray,
    codes: np.ndarray,
    values: np.ndarray,
    bases: np.ndarray,
    lists: np.ndarray,
    weights: np.ndarray,
    bounds: np.ndarray,
    k: int,
) -> tuple[np.ndarray, np.ndarray, int]:
    """``maxscore``'s answer (row ids, scores, postings scored), the essential lists added
    a window of row ids at a time and every sum exact (see the module notes)."""
    n = lists.shape[0]
    heap_scores = np.empty(k, dtype=np.int64)
    heap_docs = np.empty(k, dtype=np.uint32)
    size = 0
    pos = np.empty(n, dtype=np.int64)
    end = np.empty(n, dtype=np.int64)
    upto = np.zeros(n + 1, dtype=np.int64)  # the summed bounds of lists 0 .. i-1
    table = np.empty(n, dtype=np.int64)  # where each list's impacts start in values
    for i in range(n):
        table[i] = bases[lists[i]]
        pos[i] = offsets[lists[i]]
        end[i] = offsets[lists[i] + 1]
        # weight times the list's largest impact, rounded as every impact is below
        upto[i + 1] = upto[i] + np.int64(bounds[i] * 2.0**FIXED_BITS + 0.5)
    acc = np.zeros(WINDOW, dtype=np.int64)
    hit = np.zeros(WINDOW, dtype=np.bool_)
    touched = np.empty(WINDOW, dtype=np.int64)
    theta = np.int64(-1)  # a passage enters a full heap only above it
    first = 0
    read = 0
    while first < n:
        base = _NONE
        for i in range(first, n):
            if pos[i] < end[i] and docids[pos[i]] < base:
                base = docids[pos[i]]
        if base == _NONE:
            break
        start = np.int64(base)
        limit = start + WINDOW
        held = 0
        for i in range(first, n):
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
        # the window's passages in row-id order: its few touched slots sorted, or a scan
        sparse = held * 16 < WINDOW
        if sparse:
            touched[:held].sort()
        for walk in range(held if sparse else WINDOW):
            slot = touched[walk] if sparse else np.int64(walk)
            if not hit[slot]:
                continue
            score = acc[slot]
            acc[slot] = 0
            hit[slot] = False
            doc = np.uint32(start + slot)
            alive = True
            for i in range(first - 1, -1, -1):
                if size == k and score + upto[i + 1] <= theta:
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
    out_docs, out_scores = _best_first(heap_scores, heap_docs, size, 2.0**FIXED_BITS)
    return out_docs, out_scores, read
