"""Block-compressed row ids and block maxima for the impact index (issue 18, stop 26).

Each posting list's row ids are cut into blocks of ``BLOCK`` postings (the last of a list
shorter).  A block stores its first and last row id, its largest impact (its *block
maximum*), the bit width of its gaps and where its bits start; the gaps after its first
row id (each less one, so a run of consecutive passages packs to nothing) follow, packed
little-endian into ``uint32`` words at that width, each block starting on a word.  The
impacts stay the index's 16-bit codes, one a posting in list order, so a posting's code is
found by its position (list start + block within the list x ``BLOCK`` + place in block).

Both MaxScore kernels here read the lists through a cursor that decodes one block of a
list at a time; the look-up of a passage in a non-essential list gallops over the blocks'
last row ids first, then decodes that block only.  With block maxima a candidate is
dropped before any block is decoded when its score so far plus its blocks' maxima (the
blocks it would fall in, of the lists not yet looked up) cannot beat the k-th best score:
the look-ups that cannot change the top k are skipped.  Nothing is approximated: a block
maximum is the block's true largest impact, so the top k is the exhaustive one (the same
ranking, scores and ties as ``index.impact_maxscore``, which the tests check).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from index.impact_maxscore import (
    _NONE,
    _SLACK,
    FIXED_BITS,
    WINDOW,
    _best_first,
    _essential_from,
    _fixed,
    _gallop,
    _next_doc,
    _sift_down,
    _sift_up,
    _worse,
)

BLOCK = 128
BLOCK_FILES = ("block_starts", "block_first", "block_last", "block_width", "block_at",
               "block_max", "packed")  # fmt: skip


class Blocks(NamedTuple):
    """The lists' blocks (see the module notes)."""

    starts: np.ndarray  # int64 (lists + 1): list i's blocks are [starts[i], starts[i + 1])
    first: np.ndarray  # uint32 per block: its first row id
    last: np.ndarray  # uint32 per block: its last row id
    width: np.ndarray  # uint8 per block: bits a gap (less one)
    at: np.ndarray  # int64 (blocks + 1): where each block's words start in ``packed``
    maximum: np.ndarray  # float32 per block: its largest impact
    packed: np.ndarray  # uint32 words (one spare at the end, so a read never runs over)


@njit(cache=True, nogil=True)
def _widths(offsets: np.ndarray, docids: np.ndarray, block_counts: np.ndarray) -> tuple:
    """Each block's first and last row id, gap width and words (see ``pack``)."""
    blocks = int(block_counts.sum())
    first = np.empty(blocks, dtype=np.uint32)
    last = np.empty(blocks, dtype=np.uint32)
    width = np.empty(blocks, dtype=np.uint8)
    words = np.empty(blocks, dtype=np.int64)
    b = 0
    for i in range(offsets.shape[0] - 1):
        for lo in range(offsets[i], offsets[i + 1], BLOCK):
            hi = min(lo + BLOCK, offsets[i + 1])
            largest = np.int64(0)
            for at in range(lo + 1, hi):
                gap = np.int64(docids[at]) - np.int64(docids[at - 1]) - 1
                if gap > largest:
                    largest = gap
            bits = 0
            while largest > 0:
                bits += 1
                largest >>= 1
            first[b] = docids[lo]
            last[b] = docids[hi - 1]
            width[b] = bits
            words[b] = (bits * (hi - lo - 1) + 31) // 32
            b += 1
    return first, last, width, words


@njit(cache=True, nogil=True)
def _pack(
    offsets: np.ndarray, docids: np.ndarray, width: np.ndarray, at: np.ndarray, out: np.ndarray
) -> None:
    b = 0
    for i in range(offsets.shape[0] - 1):
        for lo in range(offsets[i], offsets[i + 1], BLOCK):
            hi = min(lo + BLOCK, offsets[i + 1])
            bits = np.int64(width[b])
            if bits:
                position = at[b] * 32
                for j in range(lo + 1, hi):
                    gap = np.uint64(np.int64(docids[j]) - np.int64(docids[j - 1]) - 1)
                    word = position >> 5
                    shift = np.uint64(position & 31)
                    out[word] |= np.uint32((gap << shift) & np.uint64(0xFFFFFFFF))
                    if shift + np.uint64(bits) > 32:
                        out[word + 1] |= np.uint32(gap >> (np.uint64(32) - shift))
                    position += bits
            b += 1


def pack(offsets: np.ndarray, docids: np.ndarray, impacts: np.ndarray) -> Blocks:
    """The lists ``offsets`` of ``docids`` (ascending within a list) and their
    ``impacts`` (float32, decoded) as blocks."""
    offsets = np.ascontiguousarray(offsets, dtype=np.int64)
    docids = np.ascontiguousarray(docids, dtype=np.uint32)
    counts = -(-np.diff(offsets) // BLOCK)
    starts = np.zeros(len(offsets), dtype=np.int64)
    starts[1:] = np.cumsum(counts)
    first, last, width, words = _widths(offsets, docids, counts)
    at = np.zeros(len(first) + 1, dtype=np.int64)
    at[1:] = np.cumsum(words)
    packed = np.zeros(int(at[-1]) + 1, dtype=np.uint32)
    _pack(offsets, docids, width, at, packed)
    lo = (
        np.repeat(offsets[:-1], counts)
        + (np.arange(len(first)) - np.repeat(starts[:-1], counts)) * BLOCK
    )
    maximum = (
        np.maximum.reduceat(np.asarray(impacts, dtype=np.float32), lo).astype(np.float32)
        if len(lo)
        else np.zeros(0, np.float32)
    )
    return Blocks(starts, first, last, width, at, maximum, packed)


def joined(parts: list[Blocks]) -> Blocks:
    """Blocks of consecutive groups of lists, as one (``pack`` of the groups together)."""
    starts, at = [np.zeros(1, np.int64)], [np.zeros(1, np.int64)]
    blocks = words = 0
    for part in parts:
        starts.append(part.starts[1:] + blocks)
        at.append(part.at[1:] + words)
        blocks += int(part.starts[-1])
        words += int(part.at[-1])
    return Blocks(
        np.concatenate(starts),
        np.concatenate([p.first for p in parts] or [np.zeros(0, np.uint32)]),
        np.concatenate([p.last for p in parts] or [np.zeros(0, np.uint32)]),
        np.concatenate([p.width for p in parts] or [np.zeros(0, np.uint8)]),
        np.concatenate(at),
        np.concatenate([p.maximum for p in parts] or [np.zeros(0, np.float32)]),
        np.concatenate([p.packed[:-1] for p in parts] + [np.zeros(1, np.uint32)]),
    )


@njit(cache=True, nogil=True)
def _decode(
    b: int, n: int, first: np.ndarray, width: np.ndarray, at: np.ndarray, packed: np.ndarray,
    out: np.ndarray,
) -> None:  # fmt: skip
    """Block ``b``'s ``n`` row ids into ``out[:n]``."""
    doc = np.uint64(first[b])
    out[0] = first[b]
    bits = np.int64(width[b])
    if bits == 0:
        for t in range(1, n):
            doc += np.uint64(1)
            out[t] = doc
        return
    mask = (np.uint64(1) << np.uint64(bits)) - np.uint64(1)
    position = at[b] * 32
    for t in range(1, n):
        word = position >> 5
        shift = np.uint64(position & 31)
        pair = np.uint64(packed[word]) | (np.uint64(packed[word + 1]) << np.uint64(32))
        doc += ((pair >> shift) & mask) + np.uint64(1)
        out[t] = doc
        position += bits


@njit(cache=True, nogil=True)
def decode_list(
    lo: int, hi: int, b0: int, first: np.ndarray, width: np.ndarray, at: np.ndarray,
    packed: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """A list's row ids (postings ``lo .. hi``, blocks from ``b0``), decoded."""
    out = np.empty(hi - lo, dtype=np.uint32)
    buf = np.empty(BLOCK, dtype=np.uint32)
    b = b0
    for start in range(lo, hi, BLOCK):
        n = min(BLOCK, hi - start)
        _decode(b, n, first, width, at, packed, buf)
        out[start - lo : start - lo + n] = buf[:n]
        b += 1
    return out


@njit(cache=True, nogil=True)
def positions(
    lo: int, hi: int, b0: int, b1: int, first: np.ndarray, last: np.ndarray,
    width: np.ndarray, at: np.ndarray, packed: np.ndarray, wanted: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Where each of ``wanted`` (row ids, ascending) sits in the list of postings ``lo ..
    hi`` (blocks ``b0 .. b1``), as a posting position, or -1 when it is not there: the
    blocks' last row ids galloped, a block decoded only when a row id may be in it."""
    out = np.full(wanted.shape[0], -1, dtype=np.int64)
    buf = np.empty(BLOCK, dtype=np.uint32)
    b = b0
    held = -1
    n = 0
    t = 0
    for w in range(wanted.shape[0]):
        doc = wanted[w]
        if b < b1 and last[b] < doc:
            b = _gallop(last, b, b1, doc)
        if b >= b1:
            break
        if first[b] > doc:
            continue
        if held != b:
            n = min(BLOCK, hi - (lo + (b - b0) * BLOCK))
            _decode(b, n, first, width, at, packed, buf)
            held = b
            t = 0
        while t < n and buf[t] < doc:
            t += 1
        if t < n and buf[t] == doc:
            out[w] = lo + (b - b0) * BLOCK + t
    return out


# A list's cursor is a row of ``st`` (int64): its current block, its blocks' end, its first
# block, its first and end posting, the block decoded into its row of ``buf`` (-1: none),
# that block's postings and the current posting's place in it.
_BLOCK, _STOP, _BEGIN, _LO, _HI, _HELD, _SIZE, _PLACE = range(8)


@njit(cache=True, nogil=True)
def _open(i: int, lst: int, offsets: np.ndarray, starts: np.ndarray, st: np.ndarray) -> None:
    st[i, _BLOCK] = starts[lst]
    st[i, _BEGIN] = starts[lst]
    st[i, _STOP] = starts[lst + 1]
    st[i, _LO] = offsets[lst]
    st[i, _HI] = offsets[lst + 1]
    st[i, _HELD] = -1
    st[i, _SIZE] = 0
    st[i, _PLACE] = 0


@njit(cache=True, nogil=True)
def _load(i: int, first: np.ndarray, width: np.ndarray, at: np.ndarray, packed: np.ndarray,
          st: np.ndarray, buf: np.ndarray) -> None:  # fmt: skip
    """Decode list ``i``'s current block into its buffer (if not already)."""
    b = st[i, _BLOCK]
    if st[i, _HELD] == b:
        return
    n = min(BLOCK, st[i, _HI] - (st[i, _LO] + (b - st[i, _BEGIN]) * BLOCK))
    _decode(b, n, first, width, at, packed, buf[i])
    st[i, _HELD] = b
    st[i, _SIZE] = n
    st[i, _PLACE] = 0


@njit(cache=True, nogil=True)
def _current(i: int, first: np.ndarray, width: np.ndarray, at: np.ndarray, packed: np.ndarray,
             st: np.ndarray, buf: np.ndarray) -> np.uint32:  # fmt: skip
    """List ``i``'s current row id (``_NONE`` once done)."""
    if st[i, _BLOCK] >= st[i, _STOP]:
        return _NONE
    _load(i, first, width, at, packed, st, buf)
    return buf[i, st[i, _PLACE]]


@njit(cache=True, nogil=True)
def maxscore_blocks(
    offsets: np.ndarray, starts: np.ndarray, first: np.ndarray, last: np.ndarray,
    width: np.ndarray, at: np.ndarray, maximum: np.ndarray, packed: np.ndarray,
    codes: np.ndarray, values: np.ndarray, bases: np.ndarray, lists: np.ndarray,
    weights: np.ndarray, bounds: np.ndarray, k: int,
) -> tuple[np.ndarray, np.ndarray, int]:  # fmt: skip
    """``index.impact_maxscore.maxscore`` (document at a time) over block-compressed
    lists, the non-essential look-ups bounded by block maxima (see the module notes)."""
    n = lists.shape[0]
    st = np.empty((n, 8), dtype=np.int64)
    buf = np.empty((n, BLOCK), dtype=np.uint32)
    heap_scores = np.empty(k, dtype=np.float64)
    heap_docs = np.empty(k, dtype=np.uint32)
    size = 0
    table = np.empty(n, dtype=np.int64)
    cur = np.empty(n, dtype=np.uint32)
    for i in range(n):
        _open(i, lists[i], offsets, starts, st)
        table[i] = bases[lists[i]]
        cur[i] = _current(i, first, width, at, packed, st, buf)
    upto = np.zeros(n + 1, dtype=np.float64)
    for i in range(n):
        upto[i + 1] = upto[i] + bounds[i]
    part = np.zeros(n, dtype=np.float64)
    near = np.zeros(n + 1, dtype=np.float64)  # the block maxima of lists 0 .. i-1
    maybe = np.zeros(n, dtype=np.bool_)
    theta = 0.0
    first_essential = 0
    read = 0
    doc = _next_doc(cur, 0, n)
    while doc != _NONE:
        score = 0.0
        following = _NONE
        for i in range(first_essential, n):
            here = cur[i]
            if here == doc:
                place = st[i, _PLACE]
                posting = st[i, _LO] + (st[i, _BLOCK] - st[i, _BEGIN]) * BLOCK + place
                value = weights[i] * values[table[i] + codes[posting]]
                part[i] = value
                score += value
                read += 1
                # (a call a posting costs more than the step: the next block's only)
                place += 1
                st[i, _PLACE] = place
                if place < st[i, _SIZE]:
                    here = buf[i, place]
                else:
                    st[i, _BLOCK] += 1
                    here = _current(i, first, width, at, packed, st, buf)
                cur[i] = here
            else:
                part[i] = 0.0
            if here < following:
                following = here
        alive = True
        if first_essential > 0:
            if size == k and (score + upto[first_essential]) * (1 + _SLACK) <= theta:
                alive = False
            else:
                # the blocks doc would fall in: their maxima bound what is left
                for i in range(first_essential):
                    part[i] = 0.0
                    b = st[i, _BLOCK]
                    if b < st[i, _STOP] and last[b] < doc:
                        b = _gallop(last, b, st[i, _STOP], doc)
                        st[i, _BLOCK] = b
                    maybe[i] = b < st[i, _STOP] and first[b] <= doc
                    near[i + 1] = near[i] + (
                        weights[i] * maximum[st[i, _BLOCK]] if maybe[i] else 0.0
                    )
                for i in range(first_essential - 1, -1, -1):
                    if size == k and (score + near[i + 1]) * (1 + _SLACK) <= theta:
                        alive = False
                        break
                    if not maybe[i]:
                        continue
                    if st[i, _HELD] != st[i, _BLOCK]:
                        _load(i, first, width, at, packed, st, buf)
                    t = st[i, _PLACE]
                    while t < st[i, _SIZE] and buf[i, t] < doc:
                        t += 1
                    st[i, _PLACE] = t
                    found = np.int64(-1)
                    if t < st[i, _SIZE] and buf[i, t] == doc:
                        found = st[i, _LO] + (st[i, _BLOCK] - st[i, _BEGIN]) * BLOCK + t
                    if found >= 0:
                        part[i] = weights[i] * values[table[i] + codes[found]]
                        score += part[i]
                        read += 1
        current = doc
        doc = following
        if not alive or (size == k and score * (1 + _SLACK) < theta):
            continue
        total = 0.0
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
            essential = _essential_from(upto, first_essential, n, theta)
            if essential > first_essential:
                first_essential = essential
                doc = _next_doc(cur, first_essential, n)
    out_docs, out_scores = _best_first(heap_scores, heap_docs, size, 1.0)
    return out_docs, out_scores, read


@njit(cache=True, nogil=True)
def maxscore_blocks_windowed(
    offsets: np.ndarray, starts: np.ndarray, first: np.ndarray, last: np.ndarray,
    width: np.ndarray, at: np.ndarray, maximum: np.ndarray, packed: np.ndarray,
    codes: np.ndarray, values: np.ndarray, bases: np.ndarray, lists: np.ndarray,
    weights: np.ndarray, bounds: np.ndarray, k: int,
) -> tuple[np.ndarray, np.ndarray, int]:  # fmt: skip
    """``index.impact_maxscore.maxscore_windowed`` over block-compressed lists, the
    non-essential look-ups bounded by block maxima (see the module notes)."""
    n = lists.shape[0]
    st = np.empty((n, 8), dtype=np.int64)
    buf = np.empty((n, BLOCK), dtype=np.uint32)
    heap_scores = np.empty(k, dtype=np.int64)
    heap_docs = np.empty(k, dtype=np.uint32)
    size = 0
    upto = np.zeros(n + 1, dtype=np.int64)
    table = np.empty(n, dtype=np.int64)
    for i in range(n):
        _open(i, lists[i], offsets, starts, st)
        table[i] = bases[lists[i]]
        upto[i + 1] = upto[i] + np.int64(bounds[i] * 2.0**FIXED_BITS + 0.5)
    near = np.zeros(n + 1, dtype=np.int64)
    maybe = np.zeros(n, dtype=np.bool_)
    acc = np.zeros(WINDOW, dtype=np.int64)
    hit = np.zeros(WINDOW, dtype=np.bool_)
    touched = np.empty(WINDOW, dtype=np.int64)
    theta = np.int64(-1)
    first_essential = 0
    read = 0
    while first_essential < n:
        base = _NONE
        for i in range(first_essential, n):
            here = _current(i, first, width, at, packed, st, buf)
            if here < base:
                base = here
        if base == _NONE:
            break
        start = np.int64(base)
        limit = start + WINDOW
        held = 0
        for i in range(first_essential, n):
            weight = weights[i]
            base_i = table[i]
            while st[i, _BLOCK] < st[i, _STOP] and np.int64(first[st[i, _BLOCK]]) < limit:
                if st[i, _HELD] != st[i, _BLOCK]:
                    _load(i, first, width, at, packed, st, buf)
                t = st[i, _PLACE]
                stop = st[i, _SIZE]
                position = st[i, _LO] + (st[i, _BLOCK] - st[i, _BEGIN]) * BLOCK
                while t < stop and np.int64(buf[i, t]) < limit:
                    slot = np.int64(buf[i, t]) - start
                    acc[slot] += _fixed(weight, values[base_i + codes[position + t]])
                    if not hit[slot]:
                        hit[slot] = True
                        touched[held] = slot
                        held += 1
                    t += 1
                read += t - st[i, _PLACE]
                st[i, _PLACE] = t
                if t < stop:
                    break
                st[i, _BLOCK] += 1
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
            if first_essential > 0:
                if size == k and score + upto[first_essential] <= theta:
                    alive = False
                else:
                    for i in range(first_essential):
                        b = st[i, _BLOCK]
                        if b < st[i, _STOP] and last[b] < doc:
                            b = _gallop(last, b, st[i, _STOP], doc)
                            st[i, _BLOCK] = b
                        maybe[i] = b < st[i, _STOP] and first[b] <= doc
                        near[i + 1] = near[i] + (
                            _fixed(weights[i], maximum[st[i, _BLOCK]]) if maybe[i] else np.int64(0)
                        )
                    for i in range(first_essential - 1, -1, -1):
                        if size == k and score + near[i + 1] <= theta:
                            alive = False
                            break
                        if not maybe[i]:
                            continue
                        if st[i, _HELD] != st[i, _BLOCK]:
                            _load(i, first, width, at, packed, st, buf)
                        t = st[i, _PLACE]
                        while t < st[i, _SIZE] and buf[i, t] < doc:
                            t += 1
                        st[i, _PLACE] = t
                        found = np.int64(-1)
                        if t < st[i, _SIZE] and buf[i, t] == doc:
                            found = st[i, _LO] + (st[i, _BLOCK] - st[i, _BEGIN]) * BLOCK + t
                        if found >= 0:
                            score += _fixed(weights[i], values[table[i] + codes[found]])
                            read += 1
            if not alive:
                continue
            if size < k:
                heap_scores[size] = score
                heap_docs[size] = doc
                _sift_up(heap_scores, heap_docs, size)
                size += 1
            elif score > heap_scores[0]:
                heap_scores[0] = score
                heap_docs[0] = doc
                _sift_down(heap_scores, heap_docs, size, 0)
            else:
                continue
            if size == k:
                theta = heap_scores[0]
                while first_essential < n and upto[first_essential + 1] <= theta:
                    first_essential += 1
    out_docs = np.empty(size, dtype=np.uint32)
    out_scores = np.empty(size, dtype=np.float64)
    for rank in range(size - 1, -1, -1):
        out_scores[rank] = heap_scores[0] / 2.0**FIXED_BITS
        out_docs[rank] = heap_docs[0]
        heap_scores[0] = heap_scores[rank]
        heap_docs[0] = heap_docs[rank]
        _sift_down(heap_scores, heap_docs, rank, 0)
    return out_docs, out_scores, read
