"""MaxScore whose windows are added in tight loops (issue 18, stop 30).

``index.impact_maxscore.maxscore_windowed`` adds the essential lists a window of row ids
at a time, then takes each passage of the window in turn and looks it up in every
non-essential list by galloping search.  On the questions that make the first pass's
tail (a dozen words, several of them in a third or more of the passages, k of 180) most
passages of a window survive the first bound check, so that pass pays a galloping
search a passage and a list, ~10-20 ns a posting scored, where adding a list over a
window costs ~2 (docs/performance.md, "The first pass in tight loops, stop 30").  Here:

- each list's impacts are turned once a question into the fixed-point integers the sums
  are made of (times the word's weight), so a posting costs one table read;
- a list is added over a window by a loop with no test in it: the window's end in the
  list is found first, by one galloping search;
- a window whose non-essential lists hold few postings next to its essential ones (at
  most ``RATIO`` times) has them added whole too, and its passages are offered to the
  heap in row-id order, as if every list were essential;
- otherwise the passages that may still enter (their essential score plus the
  non-essential lists' bounds beats theta) are kept in row-id order, and each
  non-essential list, largest bound first, is added whole over the window or galloped
  for the kept passages, whichever is fewer steps; after a galloped list the passages
  that can no longer enter are dropped.

Scores are the same integer sums of ``2**-FIXED_BITS`` as ``maxscore_windowed``'s, each
bound prunes only what cannot beat theta, and passages reach the heap in row-id order
(a later row id never wins a tie), so the top k is ``maxscore_windowed``'s row for row
and score for score.  ``lo`` / ``hi`` restrict the search to row ids ``[lo, hi)``: the
top k of the whole is the best k of the ranges' top ks (``merge``), which lets a search
run on several threads (numba releases the GIL).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from index.impact_maxscore import (
    _NONE,
    FIXED_BITS,
    _best_first,
    _fixed,
    _gallop,
    _sift_down,
    _sift_up,
)

# Row ids a window: the accumulator (int64) is 128 KB, in the second-level cache.  16,384
# was faster than 4,096 and 65,536 on the 309 first passes of the 1M index (stop 30).
WINDOW = 1 << 14
# A non-essential list is added whole over a window when it holds at most this many
# postings there a passage still kept (a galloping search costs several postings' adds).
RATIO = 8
_END = np.int64(_NONE)
ALL = (0, 0xFFFFFFFF)  # lo, hi: every row id


@njit(cache=True, nogil=True)
def _tables(
    values: np.ndarray, bases: np.ndarray, lists: np.ndarray, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each list's impacts as the fixed-point integers of weight x impact (``_fixed``),
    one table after another, and where each list's table starts."""
    n = lists.shape[0]
    starts = np.zeros(n + 1, dtype=np.int64)
    for i in range(n):
        starts[i + 1] = starts[i] + bases[lists[i] + 1] - bases[lists[i]]
    out = np.empty(starts[n], dtype=np.int64)
    for i in range(n):
        base = bases[lists[i]]
        for j in range(starts[i + 1] - starts[i]):
            out[starts[i] + j] = _fixed(weights[i], values[base + j])
    return out, starts


@njit(cache=True, nogil=True, inline="always")
def _window_end(docids: np.ndarray, at: int, end: int, limit: np.int64) -> int:
    """The first position from ``at`` holding a row id at or past ``limit``."""
    if limit >= _END:
        return end
    return _gallop(docids, at, end, np.uint32(limit))


@njit(cache=True, nogil=True, inline="always")
def _add(
    acc: np.ndarray, docids: np.ndarray, codes: np.ndarray, table: np.ndarray,
    first: int, at: int, stop: int, start: np.int64,
) -> None:  # fmt: skip
    for j in range(at, stop):
        acc[np.int64(docids[j]) - start] += table[first + codes[j]]


@njit(cache=True, nogil=True)
def maxscore_tight(
    offsets: np.ndarray,
    docids: np.ndarray,
    codes: np.ndarray,
    values: np.ndarray,
    bases: np.ndarray,
    lists: np.ndarray,
    weights: np.ndarray,
    bounds: np.ndarray,
    k: int,
    lo: int,
    hi: int,
) -> tuple[np.ndarray, np.ndarray, int]:
    """``maxscore_windowed``'s answer (row ids, scores, postings scored) over the row ids
    ``[lo, hi)`` (``ALL``: every row id; see the module notes).  ``lo`` and ``hi`` have no
    defaults: numba's dispatch of a call that leaves them out took ~80 us, six times the
    whole search on the three sets' indexes."""
    n = lists.shape[0]
    table, table_at = _tables(values, bases, lists, weights)
    heap_scores = np.empty(k, dtype=np.int64)
    heap_docs = np.empty(k, dtype=np.uint32)
    size = 0
    pos = np.empty(n, dtype=np.int64)
    end = np.empty(n, dtype=np.int64)
    upto = np.zeros(n + 1, dtype=np.int64)  # the summed bounds of lists 0 .. i-1
    lowest, highest = _END, np.int64(-1)  # the row ids the lists hold in the range
    for i in range(n):
        pos[i] = _gallop(docids, offsets[lists[i]], offsets[lists[i] + 1], np.uint32(lo))
        end[i] = _window_end(docids, pos[i], offsets[lists[i] + 1], np.int64(hi))
        upto[i + 1] = upto[i] + np.int64(bounds[i] * 2.0**FIXED_BITS + 0.5)
        if end[i] > pos[i]:
            lowest = min(lowest, np.int64(docids[pos[i]]))
            highest = max(highest, np.int64(docids[end[i] - 1]))
    # windows no longer than the row ids held: a small index allocates (and clears) little
    width = WINDOW
    if highest - lowest + 1 < width:
        width = max(int(highest - lowest + 1), 1)
    acc = np.zeros(width, dtype=np.int64)
    kept = np.empty(width, dtype=np.int64)  # the window's passages that may still enter
    theta = np.int64(-1)  # a passage enters a full heap only above it
    first = 0  # lists first .. n-1 are essential
    read = 0
    while first < n:
        base = _NONE
        for i in range(first, n):
            if pos[i] < end[i] and docids[pos[i]] < base:
                base = docids[pos[i]]
        if base == _NONE:
            break
        start = np.int64(base)
        limit = start + width
        essential = 0
        top = 0  # slots past the last passage added are not scanned (a small index)
        for i in range(first, n):
            stop = _window_end(docids, pos[i], end[i], limit)
            _add(acc, docids, codes, table, table_at[i], pos[i], stop, start)
            if stop > pos[i]:
                top = max(top, int(np.int64(docids[stop - 1]) - start) + 1)
            essential += stop - pos[i]
            pos[i] = stop
        read += essential
        whole = True
        for i in range(first):
            pos[i] = _gallop(docids, pos[i], end[i], np.uint32(start))
            if _window_end(docids, pos[i], end[i], limit) - pos[i] > RATIO * essential:
                whole = False
        if whole:
            for i in range(first):
                stop = _window_end(docids, pos[i], end[i], limit)
                _add(acc, docids, codes, table, table_at[i], pos[i], stop, start)
                if stop > pos[i]:
                    top = max(top, int(np.int64(docids[stop - 1]) - start) + 1)
                read += stop - pos[i]
                pos[i] = stop
            # the window's passages in row-id order (an impact is never 0: BM25 > 0)
            for slot in range(top):
                score = acc[slot]
                if score == 0:
                    continue
                acc[slot] = 0
                if score <= theta:
                    continue
                doc = np.uint32(start + slot)
                if size < k:
                    heap_scores[size] = score
                    heap_docs[size] = doc
                    _sift_up(heap_scores, heap_docs, size)
                    size += 1
                else:
                    heap_scores[0] = score
                    heap_docs[0] = doc
                    _sift_down(heap_scores, heap_docs, size, 0)
                if size == k:
                    theta = heap_scores[0]
        else:  # first > 0: the heap is full
            need = theta - upto[first]
            dirty = top  # the accumulator's slots written, cleared after
            held = 0
            for slot in range(top):
                if acc[slot] > need:
                    kept[held] = slot
                    held += 1
            for i in range(first - 1, -1, -1):
                if held == 0:
                    break
                stop = _window_end(docids, pos[i], end[i], limit)
                if stop - pos[i] <= RATIO * held:
                    _add(acc, docids, codes, table, table_at[i], pos[i], stop, start)
                    if stop > pos[i]:
                        dirty = max(dirty, int(np.int64(docids[stop - 1]) - start) + 1)
                    read += stop - pos[i]
                else:
                    at = pos[i]
                    for j in range(held):
                        at = _gallop(docids, at, stop, np.uint32(start + kept[j]))
                        if at == stop:
                            break
                        if np.int64(docids[at]) == start + kept[j]:
                            acc[kept[j]] += table[table_at[i] + codes[at]]
                            read += 1
                    need = theta - upto[i]
                    alive = 0
                    for j in range(held):
                        if acc[kept[j]] > need:
                            kept[alive] = kept[j]
                            alive += 1
                    held = alive
                pos[i] = stop
            for j in range(held):
                score = acc[kept[j]]
                if score <= theta:
                    continue
                heap_scores[0] = score
                heap_docs[0] = np.uint32(start + kept[j])
                _sift_down(heap_scores, heap_docs, size, 0)
                theta = heap_scores[0]
            acc[:dirty] = 0
        if size == k:
            while first < n and upto[first + 1] <= theta:
                first += 1
    out_docs, out_scores = _best_first(heap_scores, heap_docs, size, 2.0**FIXED_BITS)
    return out_docs, out_scores, read


def merge(
    parts: list[tuple[np.ndarray, np.ndarray, int]], k: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """The best ``k`` of several ranges' top ks (each best first, ties by row id): the
    whole range's top k, as one search would give it, and the postings scored."""
    docs = np.concatenate([p[0] for p in parts])
    scores = np.concatenate([p[1] for p in parts])
    order = np.lexsort((docs, -scores))[:k]
    return docs[order], scores[order], sum(int(p[2]) for p in parts)
