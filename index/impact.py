"""An impact index of the served keyword scores, searched by MaxScore (issue 18; measured,
not served: docs/performance.md, "An impact index with MaxScore in numba, stop 24").

tantivy-py scores every passage holding any word of a question (docs/performance.md,
"/api/ask at 10M, stop 19").  This index holds, for each word of the analyzer, one posting
list: per passage (ascending row ids, ``uint32``), the word's whole served score in it
(``float32``), i.e. the sum over the three fields of the field's weight times tantivy's
BM25 of the word there (k1 1.2, b 0.75, idf from the field's document frequency over all
passages, the field's mean length, tantivy's one-byte field norms), computed in float32 as
tantivy does.  So a question's first pass (its words OR-ed over the three fields, each
word a clause: ``index.lexical_tantivy.query_text``) scores the same here as in tantivy,
and ``index.impact_maxscore`` finds its exact top k without scoring every passage (above
``TIGHT`` postings a passage, ``index.impact_tight``: the same top k, its windows added in
tight loops, stop 30).

The statistics are those of a freshly built tantivy index of the same passages: tantivy
counts deleted passages in its idf and mean lengths until a merge drops them, so after
removals the two differ slightly until either is rebuilt; any change to the passages means
a rebuild of this index (its impacts hold corpus-wide statistics).  Filters and dates stay
with tantivy.

Phrases (stop 25): each multiword term of a finite vocabulary (the glossary's, given at
build) has a list too, of its served clause's score (quoted, over the three fields with
their weights) in every passage holding it, as tantivy itself scores it
(``phrase_lists``), keyed by its analyzer tokens (``phrase_key``).  So the served second
pass (``TantivyIndex._among``: the first pass's candidates re-scored by the phrased query)
is a look-up of each clause's list (``ImpactIndex.among``), and ``ImpactIndex.search`` is
the whole unfiltered served search; a phrase outside the lists is left to tantivy.

Impacts are stored exactly, as 16-bit codes into each list's table of its distinct
impacts (``code_impacts``: at 1M at most 22,797 a list): half the bytes of float32, and
no score changes (nothing to re-check).  ``build`` holds every posting in memory;
``build_ranges`` writes the same arrays, bit for bit, a range of passages at a time.

Built with ``blocks`` (stop 26), the row ids are not stored as they are but as gaps
bit-packed in blocks of 128 with each block's largest impact (``index.impact_blocks``),
and the kernels there decode a block at a time and skip the look-ups block maxima rule
out: the same top k, fewer bytes.
"""

from __future__ import annotations

import ctypes
import functools
import json
import math
import os
import sys
import zipfile
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from index.base import LexicalText
from index.impact_blocks import BLOCK_FILES, Blocks, joined, pack
from index.impact_pruned import TIER_FILE, Tier, build_tier
from index.impact_pruned import search as pruned_search
from index.lexical_tantivy import _WORD, RESCORE_FETCH, WEIGHTS, query_words, rescore_fetch

K1, B = np.float32(1.2), np.float32(0.75)  # tantivy's BM25
FILES = ("offsets", "docids", "codes", "values", "bases", "maxima")
FOLDER = "impact"  # in an index folder, where the service looks for it (``open_current``)
# A list holds at most this many distinct impacts (its codes are 16-bit).
CODES = 1 << 16
# A question whose lists hold more postings than this many times the passages is searched
# by the windowed kernel (its essential lists added a window at a time), others document at
# a time: each was the faster on its side of this line on the 318 recorded searches at 1M
# (docs/performance.md, "An impact index with MaxScore in numba, stop 24").
DENSE = 2.0
# With window maxima (``ImpactIndex.windows``), only the dense questions are searched by
# the kernel that skips windows (``index.impact_windows``); False: every question.
DENSE_ONLY = True
# On plain row ids, a question whose lists hold more postings than this many times the
# passages is searched by ``index.impact_tight.maxscore_tight`` (its windows added in tight
# loops), which returns the windowed kernel's top k and scores; inf: as before stop 30 (the
# kernels above).  At 1M it was the faster for 0.75-0.9 of the searches from 0.1 times the
# passages up, and took the first pass's p95 to ~0.6 (docs/performance.md, "The first pass
# in tight loops, stop 30").
TIGHT = 0.5
# With a pruned tier (``ImpactIndex.tier``, ``index.impact_pruned``), a search above
# ``TIGHT`` is made over the tier first; True: when the tier cannot certify its top k the
# whole index is searched (exact); False: the tier's top k is kept (an approximation).
PRUNED_EXACT = True
WINDOW_FILE = "window_maxima_{shift}.npy"


def fieldnorm_table() -> np.ndarray:
    """tantivy's 256 field-norm values (a length is stored as the largest not above it):
    exact up to 24, then 3 mantissa bits."""
    values = []
    for code in range(256):
        if code < 24:
            values.append(code)
            continue
        byte = code - 24
        bits, shift = byte & 7, byte >> 3
        values.append(24 + (bits if shift == 0 else (bits | 8) << (shift - 1)))
    return np.array(values, dtype=np.int64)


_NORMS = fieldnorm_table()


def first_pass_words(terms: Sequence[str]) -> list[str]:
    """The clauses of the served first pass for ``terms``: with a multiword term, its
    words each once (``query_text(terms, "words")``), else the terms as quoted.  tantivy's
    query parser keeps one of identical clauses ("care" OR "care" scores as "care"), but
    two clauses of one token ("Care" OR "care", "home" OR "homes") count twice."""
    if any(len(_WORD.findall(t)) > 1 for t in terms):
        return query_words(list(terms))
    return list(dict.fromkeys(t.replace("\\", " ").replace('"', " ") for t in terms))


# A phrase's list: its key (``phrase_key``), row ids ascending (``uint32``) and the served
# clause's score in each passage (``float32``).
PhraseList = tuple[str, np.ndarray, np.ndarray]
# The range build's passages a range, and postings a block of words when the ranges merge.
RANGE_PASSAGES = 100_000
MERGE_POSTINGS = 4_000_000
_HEADER = 128  # bytes of a written .npy header (padded, so the shape can be filled in last)


def phrase_key(phrase: str, analyzer: Any) -> str | None:
    """The key of a multiword clause's list: the analyzer's tokens of ``phrase`` (a term as
    ``query_text`` quotes it), joined by spaces; None unless it is two or more tokens, one
    a word (a word the analyzer drops, over 40 characters, leaves a gap in the positions
    that tantivy's phrase query keeps, so such a clause is not listed)."""
    inner = phrase.replace("\\", " ").replace('"', " ")
    tokens = analyzer.analyze(inner)
    if len(tokens) < 2 or len(tokens) != len(_WORD.findall(inner)):
        return None
    return " ".join(tokens)


def phrase_lists(tantivy: Any, phrases: Iterable[str], analyzer: Any) -> Iterator[PhraseList]:
    """Each phrase's served clause (quoted, over the three fields with their weights:
    ``TantivyIndex._parse``) scored by tantivy itself on every passage holding it, by row
    id; a key once, phrases without one left out.  ``tantivy``: a ``TantivyIndex`` of the
    same passages, freshly built (as the word lists' statistics are that index's)."""
    from index.lexical_tantivy import _phrase

    searcher = tantivy._searcher
    seen: set[str] = set()
    for phrase in phrases:
        key = phrase_key(phrase, analyzer)
        if key is None or key in seen:
            continue
        seen.add(key)
        parsed = tantivy._parse(_phrase(phrase))
        count = int(searcher.search(parsed, 1, count=True).count or 0)
        hits = sorted(tantivy._hits(searcher, parsed, count)) if count else []
        yield (
            key,
            np.array([r for r, _ in hits], dtype=np.uint32),
            np.array([s for _, s in hits], dtype=np.float32),
        )


@dataclass(frozen=True)
class ImpactIndex:
    """Posting lists of served scores (see the module notes), in CSR form by list id: the
    words' lists, then the phrases'."""

    words: dict[str, int]  # analyzer token -> list id
    offsets: np.ndarray  # int64, list i is [offsets[i], offsets[i + 1])
    docids: np.ndarray  # uint32 row ids, ascending within a list
    # the served score of the word (the phrase) in each passage, exactly, as a 16-bit code
    # into its list's table of distinct impacts: values[bases[i] + codes[at]] for list i
    codes: np.ndarray  # uint16
    values: np.ndarray  # float32, each list's distinct impacts ascending
    bases: np.ndarray  # int64, list i's table is values[bases[i]:bases[i + 1]]
    maxima: np.ndarray  # float32 largest impact of each list (0 for an empty one)
    passages: int
    phrases: dict[str, int] = field(default_factory=dict)  # phrase_key -> list id
    generation: int | None = None  # the store generation it was built from, if stamped
    # built with blocks: the row ids block-compressed, with block maxima (``docids`` empty)
    blocks: Blocks | None = None
    # each list's largest impact per window of ``1 << window_shift`` row ids (stop 28,
    # ``index.impact_windows``): with it, a dense question skips the windows that cannot
    # hold a passage of its top k
    windows: np.ndarray | None = None
    window_shift: int = 12
    # a search by ``maxscore_tight`` split into this many ranges of row ids, each on its
    # own thread (numba releases the GIL), their top ks merged: the same top k
    threads: int = 1
    # each list's highest impacts, searched first above ``TIGHT`` (stop 31,
    # ``index.impact_pruned``; loaded from ``tier_N`` in the folder when there, which no
    # build writes)
    tier: Tier | None = None
    # with a tier: keep its top k when it cannot certify it (the approximation), whatever
    # ``PRUNED_EXACT`` says; set by ``served_tier`` above a passage count (stop 32)
    approximate: bool = False

    def tokens(self, terms: Sequence[str], analyzer: Any) -> list[str] | None:
        """The analyzer's tokens of the first pass's clauses (one a clause), or None when
        a clause is not one token (tantivy would search it as a phrase)."""
        out = []
        for clause in first_pass_words(terms):
            found = analyzer.analyze(clause)
            if len(found) > 1:
                return None
            out += found
        return out

    def clauses(self, terms: Sequence[str], analyzer: Any) -> Counter[int] | None:
        """The clauses of the served query for ``terms`` (``query_text(terms)``: each term
        quoted, identical literals once) as list ids, each with how often it is given (two
        literals of one token or one phrase count twice, as tantivy scores them); None
        when a clause of several words has no list here (tantivy must score it)."""
        out: Counter[int] = Counter()
        for literal in dict.fromkeys(t.replace("\\", " ").replace('"', " ") for t in terms):
            tokens = analyzer.analyze(literal)
            if len(tokens) == 1 and len(_WORD.findall(literal)) == 1:
                if tokens[0] in self.words:
                    out[self.words[tokens[0]]] += 1
            elif tokens:
                key = phrase_key(literal, analyzer)
                if key is None or key not in self.phrases:
                    return None
                out[self.phrases[key]] += 1
        return out

    def search_tokens(self, tokens: Sequence[str], k: int) -> tuple[list[tuple[int, float]], int]:
        """The best ``k`` passages for the OR of ``tokens`` (a token given twice counts
        twice) as (row id, score), best first, ties by row id; and the postings scored."""
        return self.search_lists(Counter(self.words[t] for t in tokens if t in self.words), k)

    def search_lists(self, counts: Counter[int], k: int) -> tuple[list[tuple[int, float]], int]:
        """``search_tokens`` over list ids (words' or phrases'), each with its weight."""
        from index.impact_blocks import maxscore_blocks, maxscore_blocks_windowed
        from index.impact_maxscore import maxscore, maxscore_windowed

        if not counts or k <= 0:
            return [], 0
        lists = np.array(list(counts), dtype=np.int64)
        weights = np.array(list(counts.values()), dtype=np.float64)
        bounds = weights * self.maxima[lists].astype(np.float64)
        order = np.argsort(bounds, kind="stable")
        held = int(np.sum(self.offsets[lists + 1] - self.offsets[lists]))
        dense = held > DENSE * max(self.passages, 1)
        if self.windows is not None and self.blocks is None and (dense or not DENSE_ONLY):
            from index.impact_windows import maxscore_ranges

            docs, scores, read, _skipped = maxscore_ranges(
                self.offsets, self.docids, self.codes, self.values, self.bases, lists[order],
                weights[order], bounds[order], k, self.windows, self.window_shift,
            )  # fmt: skip
        elif self.blocks is not None:
            blocked = maxscore_blocks_windowed if dense else maxscore_blocks
            docs, scores, read = blocked(
                self.offsets, *self.blocks, self.codes, self.values,
                self.bases, lists[order], weights[order], bounds[order], k,
            )  # fmt: skip
        elif held > TIGHT * max(self.passages, 1) and self.tier is not None:
            docs, scores, read, certified = pruned_search(
                self.tier, self.offsets, self.docids, self.codes, self.values, self.bases,
                lists[order], weights[order], bounds[order], k,
            )  # fmt: skip
            if not certified and PRUNED_EXACT and not self.approximate:
                docs, scores, more = self._tight(lists[order], weights[order], bounds[order], k)
                read += more
        elif held > TIGHT * max(self.passages, 1):
            docs, scores, read = self._tight(lists[order], weights[order], bounds[order], k)
        else:
            kernel = maxscore_windowed if dense else maxscore
            docs, scores, read = kernel(
                self.offsets, self.docids, self.codes, self.values, self.bases, lists[order],
                weights[order],
                bounds[order], k,
            )  # fmt: skip
        return [(int(d), float(s)) for d, s in zip(docs, scores, strict=True)], int(read)

    def _tight(
        self, lists: np.ndarray, weights: np.ndarray, bounds: np.ndarray, k: int
    ) -> tuple[np.ndarray, np.ndarray, int]:
        """``maxscore_tight`` over the whole row-id range, or over ``threads`` ranges of
        about as many passages on as many threads, merged (``impact_tight.merge``)."""
        from index.impact_tight import ALL, maxscore_tight, merge

        arrays = (self.offsets, self.docids, self.codes, self.values, self.bases)
        if self.threads <= 1:
            return maxscore_tight(*arrays, lists, weights, bounds, k, *ALL)
        cuts = [self.passages * t // self.threads for t in range(self.threads)] + [0xFFFFFFFF]
        cuts[0] = 0

        def part(t: int) -> tuple[np.ndarray, np.ndarray, int]:
            return maxscore_tight(*arrays, lists, weights, bounds, k, cuts[t], cuts[t + 1])

        pool = _pool(self.threads - 1)
        others = [pool.submit(part, t) for t in range(1, self.threads)]
        return merge([part(0)] + [f.result() for f in others], k)

    def among(
        self, clauses: Counter[int], rowids: Sequence[int], k: int
    ) -> list[tuple[int, float]]:
        """``TantivyIndex._among`` from the lists: the best ``k`` of the passages ``rowids``
        by their summed clause scores (``clauses``), those matching no clause left out,
        best first, ties by row id.  Each list is looked up for the candidates by binary
        search, in one order for every passage (so copies tie exactly)."""
        candidates = np.asarray(rowids, dtype=np.int64)
        wanted = candidates.astype(np.uint32)  # the lists' type: nothing copied
        total = np.zeros(len(candidates), dtype=np.float64)
        matched = np.zeros(len(candidates), dtype=bool)
        for list_id, weight in clauses.items():
            lo, hi = int(self.offsets[list_id]), int(self.offsets[list_id + 1])
            if hi == lo or not len(candidates):
                continue
            if self.blocks is not None:
                at, held = self._positions(list_id, wanted)
            else:
                docs = self.docids[lo:hi]
                at = np.minimum(np.searchsorted(docs, wanted), hi - lo - 1)
                held = docs[at] == wanted
            # only the candidates' impacts decoded
            codes = self.codes[lo + at].astype(np.int64)
            values = self.values[int(self.bases[list_id]) + codes].astype(np.float64)
            total += np.where(held, weight * values, 0.0)
            matched |= held
        keep = np.flatnonzero(matched)
        order = np.lexsort((candidates[keep], -total[keep]))[:k]
        return [(int(candidates[keep][i]), float(total[keep][i])) for i in order]

    def search(
        self, terms: Sequence[str], analyzer: Any, k: int, fetch: int | None = None
    ) -> list[tuple[int, float]] | None:
        """``TantivyIndex.search`` without filters, from the lists: the first pass by
        MaxScore and, with a multiword term, the second pass (``RESCORE_FETCH`` x k
        candidates re-scored by the phrases) looked up, falling back as served to the
        whole query (here MaxScore over its clauses' lists) when fewer than k of a full
        candidate list match it; ``fetch``: the first pass's k (``RESCORE_FETCH`` x k
        unless given).  None when a clause has no list (a phrase outside the listed
        vocabulary): the caller searches tantivy."""
        terms = [t for t in terms if t.strip()]
        if not terms or k <= 0:
            return []
        multiword = any(len(_WORD.findall(t)) > 1 for t in terms)
        if not multiword:
            tokens = self.tokens(terms, analyzer)
            return None if tokens is None else self.search_tokens(tokens, k)[0]
        clauses = self.clauses(terms, analyzer)
        tokens = self.tokens(terms, analyzer)
        if clauses is None or tokens is None:
            return None
        fetch = rescore_fetch(k, RESCORE_FETCH) if fetch is None else fetch
        wide, _read = self.search_tokens(tokens, fetch)
        found = self.among(clauses, [r for r, _ in wide], k)
        if len(found) < k and len(wide) == fetch:
            return self.search_lists(clauses, k)[0]
        return found

    def _positions(self, list_id: int, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where each row id of ``wanted`` sits in a block-compressed list (its place
        from the list's start; 0 where absent) and whether it is there: the blocks'
        last row ids galloped, only the blocks that may hold one decoded."""
        from index.impact_blocks import positions

        assert self.blocks is not None
        b = self.blocks
        lo, hi = int(self.offsets[list_id]), int(self.offsets[list_id + 1])
        order = np.argsort(wanted, kind="stable")
        found = positions(
            lo, hi, int(b.starts[list_id]), int(b.starts[list_id + 1]), b.first, b.last,
            b.width, b.at, b.packed, np.ascontiguousarray(wanted[order]),
        )  # fmt: skip
        at = np.zeros(len(wanted), dtype=np.int64)
        held = np.zeros(len(wanted), dtype=bool)
        at[order] = np.where(found >= 0, found - lo, 0)
        held[order] = found >= 0
        return at, held

    def list_docids(self, list_id: int) -> np.ndarray:
        """List ``list_id``'s row ids (``uint32``), decoded if block-compressed."""
        lo, hi = int(self.offsets[list_id]), int(self.offsets[list_id + 1])
        if self.blocks is None:
            return np.asarray(self.docids[lo:hi])
        from index.impact_blocks import decode_list

        b = self.blocks
        return decode_list(lo, hi, int(b.starts[list_id]), b.first, b.width, b.at, b.packed)

    def list_impacts(self, list_id: int) -> np.ndarray:
        """List ``list_id``'s impacts (float32), decoded."""
        lo, hi = int(self.offsets[list_id]), int(self.offsets[list_id + 1])
        return np.asarray(
            self.values[int(self.bases[list_id]) + self.codes[lo:hi].astype(np.int64)]
        )

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays saved, by file name (without the row ids when block-compressed)."""
        out = {n: getattr(self, n) for n in FILES if n != "docids" or self.blocks is None}
        if self.blocks is not None:
            out |= dict(zip(BLOCK_FILES, self.blocks, strict=True))
        return out

    def nbytes(self) -> int:
        """Bytes of the arrays (the word table aside)."""
        return sum(int(a.nbytes) for a in self.arrays().values())

    def save(self, folder: Path) -> None:
        """Write the arrays and the word and phrase tables into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, values in self.arrays().items():
            np.save(folder / f"{name}.npy", values)
        if self.windows is not None:
            np.save(folder / WINDOW_FILE.format(shift=self.window_shift), self.windows)
        _save_tables(folder, self.words, self.phrases, self.passages, self.generation)

    @classmethod
    def load(cls, folder: Path) -> ImpactIndex:
        """The index saved in ``folder``, its arrays mapped, not read."""
        meta = json.loads((folder / "words.json").read_text(encoding="utf-8"))
        blocked = (folder / f"{BLOCK_FILES[0]}.npy").exists()

        def mapped(name: str) -> np.ndarray:
            return np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r"))

        arrays = {n: mapped(n) for n in FILES if n != "docids" or not blocked}
        if blocked:
            arrays["docids"] = np.zeros(0, dtype=np.uint32)
        words = {w: i for i, w in enumerate(meta["words"])}
        phrases = {p: len(words) + i for i, p in enumerate(meta.get("phrases", []))}
        windows = sorted(folder.glob(WINDOW_FILE.format(shift="*")))
        tiers = sorted(folder.glob(TIER_FILE.format(n="*")))
        return cls(
            words=words,
            passages=int(meta["passages"]),
            phrases=phrases,
            generation=meta.get("generation"),
            blocks=Blocks(*(mapped(n) for n in BLOCK_FILES)) if blocked else None,
            windows=np.load(windows[0], mmap_mode="r") if windows else None,
            window_shift=int(windows[0].stem.rsplit("_", 1)[1]) if windows else 12,
            threads=1,
            tier=Tier.load(tiers[0]) if tiers and not blocked else None,
            approximate=False,
            **arrays,
        )

    def with_windows(self, shift: int = 12) -> ImpactIndex:
        """This index with its window maxima computed (``index.impact_windows``; every
        posting read once), for plain row ids."""
        from dataclasses import replace

        from index.impact_windows import window_maxima

        if self.blocks is not None:
            raise ValueError("window maxima are for plain row ids")
        table = window_maxima(
            self.offsets, self.docids, self.codes, self.values, self.bases, self.passages, shift
        )
        return replace(self, windows=table, window_shift=shift)

    def with_tier(self, n: int) -> ImpactIndex:
        """This index with a pruned tier of each list's ``n`` highest impacts
        (``index.impact_pruned``), for plain row ids; save it with ``tier.save(folder /
        TIER_FILE.format(n=n))``."""
        from dataclasses import replace

        if self.blocks is not None:
            raise ValueError("a tier is for plain row ids")
        tier = build_tier(self.offsets, self.docids, self.codes, self.values, self.bases, n)
        return replace(self, tier=tier)


def tier_size(passages: int, share: float) -> int:
    """A served tier's postings a list: ``share`` of the passages, at least 1."""
    return max(1, math.ceil(share * passages))


def served_tier(impact: ImpactIndex, above: int, share: float) -> ImpactIndex:
    """The impact index as the engine serves it (``CQA_IMPACT_TIER_ABOVE``, stop 32): up to
    ``above`` passages without a tier, the exact first pass whatever tier a folder holds;
    above, with a tier of ``tier_size(passages, share)`` postings a list (the folder's
    ``tier_N`` of that size when saved, else built now) searched as the approximation
    (``approximate``: its top k kept when it cannot certify it).  ``above`` 0: as loaded
    (a saved tier searched exact, ``PRUNED_EXACT``: stop 31; the benches' own tiers)."""
    from dataclasses import replace

    if above <= 0:
        return impact
    if impact.passages <= above or impact.blocks is not None:
        return replace(impact, tier=None, approximate=False)
    n = tier_size(impact.passages, share)
    tiered = impact if impact.tier is not None and impact.tier.n == n else impact.with_tier(n)
    return replace(tiered, approximate=True)


def open_served(index_dir: Path, generation: int, above: int, share: float) -> ImpactIndex | None:
    """``open_current``, then ``served_tier``; with the tier saved as ``tier_N`` in the
    impact folder (``bench/impact_pruned.py build --n N --out DIR/impact``) it is mapped,
    not built at each start."""
    found = open_current(index_dir, generation)
    if found is None or above <= 0 or found.passages <= above or found.blocks is not None:
        return None if found is None else served_tier(found, above, share)
    saved = index_dir / FOLDER / TIER_FILE.format(n=tier_size(found.passages, share))
    if saved.exists():
        from dataclasses import replace

        found = replace(found, tier=Tier.load(saved))
    return served_tier(found, above, share)


def save_served_tier(folder: Path, above: int, share: float) -> int | None:
    """Save into the impact index ``folder`` the tier ``open_served`` serves for it
    (``CQA_IMPACT_TIER_ABOVE`` ``above``, ``CQA_IMPACT_TIER_SHARE`` ``share``), so that
    start-up maps it instead of building it (~6 s at 10M from the page cache, more cold);
    its size, or None when none is served (at or below ``above``, block-compressed lists).
    Written beside and renamed into place (``save_tier``)."""
    impact = ImpactIndex.load(folder)
    if above <= 0 or impact.passages <= above or impact.blocks is not None:
        return None
    n = tier_size(impact.passages, share)
    if not (folder / TIER_FILE.format(n=n)).exists():
        save_tier(impact, n, folder)
    return n


def save_tier(impact: ImpactIndex, n: int, folder: Path) -> Tier:
    """Build ``impact``'s tier of ``n`` and save it as ``folder``'s ``tier_N``, written
    beside and renamed into place, so that a reader never maps half a tier."""
    import shutil

    target = folder / TIER_FILE.format(n=n)
    partial = target.with_name(f".{target.name}.partial")  # not a "tier_*" to a reader
    shutil.rmtree(partial, ignore_errors=True)
    tier = impact.with_tier(n).tier
    assert tier is not None
    tier.save(partial)
    shutil.rmtree(target, ignore_errors=True)  # a tier of that size saved before
    os.replace(partial, target)
    return tier


@functools.cache
def _pool(workers: int) -> ThreadPoolExecutor:
    """The threads a split search runs its other ranges on (one pool a size, kept)."""
    return ThreadPoolExecutor(workers, thread_name_prefix="impact")


def built_from(folder: Path) -> int | None:
    """The store generation the impact index in ``folder`` was built from
    (``build_ranges(..., generation=...)``); None if it names none or cannot be read."""
    try:
        meta = json.loads((folder / "words.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    generation = meta.get("generation")
    return generation if isinstance(generation, int) else None


def open_current(index_dir: Path, generation: int) -> ImpactIndex | None:
    """The impact index in ``index_dir``/``FOLDER`` if it was built from the store's
    ``generation`` (``built_from``), else None: any commit since makes its corpus-wide
    statistics stale, and tantivy answers until it is rebuilt."""
    folder = index_dir / FOLDER
    if built_from(folder) != generation:
        return None
    return ImpactIndex.load(folder)


def _save_tables(
    folder: Path, words: dict[str, int], phrases: dict[str, int], n: int, generation: int | None
) -> None:
    meta = {
        "generation": generation,
        "passages": n,
        "words": sorted(words, key=words.__getitem__),
        "phrases": sorted(phrases, key=phrases.__getitem__),
    }
    (folder / "words.json").write_text(json.dumps(meta), encoding="utf-8")


# --- the build ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Range:
    """Some passages' tokens, counted: per field, (word id << 32 | the passage's position in
    the range) keys, ascending, with the word's frequency there; and each passage's
    length in tokens per field."""

    rowids: np.ndarray  # uint32
    keys: tuple[np.ndarray, ...]  # uint64, per field
    tf: tuple[np.ndarray, ...]  # int64, per field
    lengths: tuple[np.ndarray, ...]  # int64, per field


def _count(
    rows: Iterable[tuple[int, LexicalText]], analyzer: Any, vocabulary: dict[str, int]
) -> _Range:
    """``rows`` tokenised (new words added to ``vocabulary``) and counted per field."""
    rowids = array("I")
    tokens = [array("I") for _ in WEIGHTS]
    lengths = [array("I") for _ in WEIGHTS]
    # the passages of a document share their context, and often their heading
    last: list[str | None] = [None] * len(WEIGHTS)
    last_ids: list[list[int]] = [[] for _ in WEIGHTS]
    for rowid, text in rows:
        rowids.append(rowid)
        for f, value in enumerate(text):
            if value != last[f]:
                last[f] = value
                last_ids[f] = [
                    vocabulary.setdefault(t, len(vocabulary)) for t in analyzer.analyze(value)
                ]
            tokens[f].extend(last_ids[f])
            lengths[f].append(len(last_ids[f]))
    ids = np.frombuffer(rowids, dtype=np.uint32).copy() if rowids else np.zeros(0, np.uint32)
    keys, tfs, sizes = [], [], []
    for f in range(len(WEIGHTS)):
        size = np.frombuffer(lengths[f], dtype=np.uint32).astype(np.int64) if lengths[f] else (
            np.zeros(len(ids), np.int64)
        )  # fmt: skip
        words = np.frombuffer(tokens[f], dtype=np.uint32) if tokens[f] else np.zeros(0, np.uint32)
        position = np.repeat(np.arange(len(ids), dtype=np.uint64), size)
        key, tf = np.unique(
            (words.astype(np.uint64) << np.uint64(32)) | position, return_counts=True
        )
        keys.append(key)
        tfs.append(tf.astype(np.int64))
        sizes.append(size)
    return _Range(ids, tuple(keys), tuple(tfs), tuple(sizes))


@dataclass(frozen=True)
class _Statistics:
    """The corpus-wide figures BM25 reads, per field: document frequencies by word id,
    the passages, and the summed lengths (tantivy's, none deleted)."""

    df: tuple[np.ndarray, ...]  # int64 by word id
    passages: int
    length_sums: tuple[int, ...]

    @staticmethod
    def of(counted: _Range, vocabulary: int) -> _Statistics:
        return _Statistics(
            tuple(
                np.bincount((k >> np.uint64(32)).astype(np.int64), minlength=vocabulary)
                for k in counted.keys
            ),
            len(counted.rowids),
            tuple(int(x.sum()) for x in counted.lengths),
        )

    def plus(self, other: _Statistics) -> _Statistics:
        size = max(len(self.df[0]), len(other.df[0]))
        return _Statistics(
            tuple(
                _padded(a, size) + _padded(b, size) for a, b in zip(self.df, other.df, strict=True)
            ),
            self.passages + other.passages,
            tuple(a + b for a, b in zip(self.length_sums, other.length_sums, strict=True)),
        )


def _padded(values: np.ndarray, size: int) -> np.ndarray:
    return np.concatenate([values, np.zeros(size - len(values), values.dtype)])


def _scored(counted: _Range, stats: _Statistics) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The range's postings, one a (word, passage): word ids, row ids (both ascending, by
    word then row) and impacts, each field's weighted BM25 in float32 as tantivy scores
    it (idf ln(1 + (N - df + 0.5) / (df + 0.5)), the field's mean length, one-byte
    norms), the fields summed in the order heading, body, context."""
    total = np.float32(stats.passages)
    keys, scores = [], []
    for f, weight in enumerate(WEIGHTS):
        df = stats.df[f].astype(np.float32)
        idf = np.log(np.float32(1) + (total - df + np.float32(0.5)) / (df + np.float32(0.5)))
        average = np.float32(stats.length_sums[f]) / total
        cache = K1 * (np.float32(1) - B + B * _NORMS.astype(np.float32) / average)
        norm_id = np.searchsorted(_NORMS, counted.lengths[f], side="right") - 1
        key = counted.keys[f]
        word = (key >> np.uint64(32)).astype(np.int64)
        passage = (key & np.uint64(0xFFFFFFFF)).astype(np.int64)
        frequency = counted.tf[f].astype(np.float32)
        factor = frequency / (frequency + cache[norm_id[passage]])
        score = (idf * (np.float32(1) + K1))[word] * factor * np.float32(weight)
        keys.append(key)
        scores.append(score.astype(np.float32))
    # one posting a word and passage: its fields' scores summed (in float32)
    every = np.concatenate(keys)
    order = np.argsort(every, kind="stable")
    every = every[order]
    summed = np.concatenate(scores)[order]
    if not len(every):
        return np.zeros(0, np.int64), np.zeros(0, np.uint32), np.zeros(0, np.float32)
    starts = np.flatnonzero(np.r_[True, every[1:] != every[:-1]])
    impacts = np.add.reduceat(summed, starts).astype(np.float32)
    merged = every[starts]
    word = (merged >> np.uint64(32)).astype(np.int64)
    docids = counted.rowids[(merged & np.uint64(0xFFFFFFFF)).astype(np.int64)]
    return word, docids, impacts


def code_impacts(
    impacts: np.ndarray, offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The lists ``offsets`` of ``impacts`` (float32, each above 0) as 16-bit codes into
    each list's table of its distinct impacts, ascending: (codes, values, bases), with
    ``values[bases[i] + codes[at]] == impacts[at]`` for list i, bit for bit.  A list of
    more than ``CODES`` distinct impacts is refused (at 1M the most was 22,797)."""
    lists = len(offsets) - 1
    which = np.repeat(np.arange(lists, dtype=np.int64), np.diff(offsets))
    bits = np.ascontiguousarray(impacts, dtype=np.float32).view(np.uint32).astype(np.int64)
    unique, inverse = np.unique((which << np.int64(32)) | bits, return_inverse=True)
    owner = unique >> np.int64(32)
    bases = np.searchsorted(owner, np.arange(lists + 1, dtype=np.int64)).astype(np.int64)
    if lists and int(np.diff(bases).max(initial=0)) > CODES:
        raise ValueError(f"a list holds more than {CODES} distinct impacts")
    codes = (inverse.ravel() - bases[which]).astype(np.uint16)
    values = (unique & np.int64(0xFFFFFFFF)).astype(np.uint32).view(np.float32)
    return codes, values, bases


def _check_ascending(rowids: np.ndarray, previous: int) -> None:
    ids = rowids.astype(np.int64)
    if len(ids) and (ids[0] <= previous or not bool(np.all(np.diff(ids) > 0))):
        raise ValueError("row ids must be ascending")


def build(
    rows: Iterable[tuple[int, LexicalText]],
    analyzer: Any,
    phrases: Iterable[PhraseList] = (),
    blocks: bool = False,
) -> ImpactIndex:
    """The impact index of ``rows`` (row id, (heading, body, context)), row ids ascending,
    tokenised by ``analyzer`` (``index.lexical_folder.analyzer()``: the served one), all
    in memory; with ``phrases`` (``phrase_lists``) listed after the words; with
    ``blocks``, the row ids block-compressed with block maxima (``index.impact_blocks``)."""
    vocabulary: dict[str, int] = {}
    counted = _count(rows, analyzer, vocabulary)
    _check_ascending(counted.rowids, -1)
    size = len(vocabulary)
    word, docids, impacts = _scored(counted, _Statistics.of(counted, size))
    offsets = np.zeros(size + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(np.bincount(word, minlength=size))
    maxima = (
        np.maximum.reduceat(impacts, offsets[:-1]).astype(np.float32)
        if size
        else np.zeros(0, np.float32)
    )
    keys: dict[str, int] = {}
    more_docs, more_impacts, more_offsets, more_maxima = [docids], [impacts], [offsets], [maxima]
    end = int(offsets[-1])
    for key, ids, scores in phrases:
        keys[key] = size + len(keys)
        more_docs.append(ids.astype(np.uint32))
        more_impacts.append(scores.astype(np.float32))
        end += len(ids)
        more_offsets.append(np.array([end], dtype=np.int64))
        more_maxima.append(np.array([scores.max(initial=0)], dtype=np.float32))
    all_offsets = np.concatenate(more_offsets)
    all_impacts = np.concatenate(more_impacts)
    all_docs = np.concatenate(more_docs)
    codes, values, bases = code_impacts(all_impacts, all_offsets)
    packed = pack(all_offsets, all_docs, all_impacts) if blocks else None
    return ImpactIndex(
        vocabulary,
        all_offsets,
        all_docs if packed is None else np.zeros(0, np.uint32),
        codes,
        values,
        bases,
        np.concatenate(more_maxima),
        passages=len(counted.rowids),
        phrases=keys,
        blocks=packed,
    )


class _BlockWriter:
    """``Blocks`` written a group of lists at a time (``index.impact_blocks.pack``'s
    output for consecutive lists), as ``ImpactIndex.save`` writes them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.parts: list[Blocks] = []  # the per-list and per-block figures, a few a block
        self.words = _NpyWriter(folder / "packed.npy", np.dtype(np.uint32))

    def add(self, part: Blocks) -> None:
        self.words.write(part.packed[:-1])
        self.parts.append(part._replace(packed=np.zeros(1, np.uint32)))

    def close(self) -> None:
        self.words.write(np.zeros(1, np.uint32))  # the spare word
        self.words.close()
        whole = joined(self.parts)
        for name, values in zip(BLOCK_FILES[:-1], whole[:-1], strict=True):
            np.save(self.folder / f"{name}.npy", values)


class _NpyWriter:
    """A one-dimensional .npy file written front to back, its length filled in at the end
    (the header padded to ``_HEADER`` bytes)."""

    def __init__(self, path: Path, dtype: np.dtype[Any]) -> None:
        self.dtype = np.dtype(dtype)
        self.count = 0
        self.handle = open(path, "wb")  # noqa: SIM115 (closed by close)
        self.handle.write(b"\0" * _HEADER)

    def write(self, values: np.ndarray) -> None:
        self.handle.write(np.ascontiguousarray(values, dtype=self.dtype).tobytes())
        self.count += len(values)

    def close(self) -> None:
        text = repr({"descr": self.dtype.str, "fortran_order": False, "shape": (self.count,)})
        body = text.encode("latin1")
        head = b"\x93NUMPY\x01\x00" + (_HEADER - 10).to_bytes(2, "little")
        self.handle.seek(0)
        self.handle.write(head + body.ljust(_HEADER - 11) + b"\n")
        self.handle.close()


def _save_run(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """``np.savez``'s file (read back by ``np.load``), deflated at level 1: a range's
    counted postings take ~1,640 bytes a passage as they are, ~240 so (the 20k passages
    of the synthetic corpus: 0.25 s of CPU a 20k), so the runs of 10M passages are ~2.4
    GB on disk instead of ~16 GB."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, array_ in arrays.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as fh:
                np.lib.format.write_array(fh, np.asanyarray(array_), allow_pickle=False)


# bytes compressed or read at a time: the merge holds up to one read chunk's decompressed
# leftover (~3 times this) a run, 2 runs a range: ~150 MB for the 100 ranges of 10M
_STREAM_CHUNK = 1 << 18


def _write_stream(path: Path, values: np.ndarray) -> None:
    """A range's scored row ids or impacts in word order, as one zlib stream (level 1:
    ~0.34 of the bytes on the synthetic corpus, so the runs of 10M passages take ~2.3 GB
    instead of ~6.8)."""
    data = np.ascontiguousarray(values).reshape(-1).view(np.uint8)
    packer = zlib.compressobj(1)
    with open(path, "wb") as fh:
        for at in range(0, len(data), _STREAM_CHUNK):
            fh.write(packer.compress(data[at : at + _STREAM_CHUNK].tobytes()))
        fh.write(packer.flush())


class _Stream:
    """``_write_stream``'s file read front to back: ``read(n)`` gives its next ``n`` bytes;
    ``offset`` is how far into the file the reading has gone (opened for each chunk, so
    the merge holds no file open a range)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = 0
        self._unpacker = zlib.decompressobj()
        self._held = bytearray()

    def read(self, size: int) -> bytes:
        while len(self._held) < size:
            with open(self.path, "rb") as fh:
                fh.seek(self.offset)
                chunk = fh.read(_STREAM_CHUNK)
            if not chunk:
                raise ValueError(f"{self.path} ends before {size} more bytes")
            self.offset += len(chunk)
            self._held += self._unpacker.decompress(chunk)
        out = bytes(self._held[:size])
        del self._held[:size]
        return out


_PUNCH_HOLE = 0x02 | 0x01  # FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE (Linux)
_PAGE = 1 << 16


@functools.cache
def _libc() -> Any:
    return ctypes.CDLL(None, use_errno=True)


def release(path: Path, upto: int) -> bool:
    """Give the file system back the blocks of ``path``'s first ``upto`` bytes (rounded
    down to 64 KiB), which read as zeros after; the size stays.  The merge reads each
    range's run front to back, so its peak disk is about the runs' or the lists' size, not
    their sum (at 10M ~2.3 GB of runs and ~5.3 GB of lists).  False where the system or file
    system cannot (then nothing changes)."""
    length = upto - upto % _PAGE
    if length <= 0 or not sys.platform.startswith("linux"):
        return False
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError:
        return False
    try:
        done = _libc().fallocate(fd, _PUNCH_HOLE, ctypes.c_longlong(0), ctypes.c_longlong(length))
        return bool(done == 0)
    finally:
        os.close(fd)


def build_ranges(
    rows: Iterable[tuple[int, LexicalText]],
    analyzer: Any,
    folder: Path,
    phrases: Iterable[PhraseList] = (),
    range_passages: int = RANGE_PASSAGES,
    merge_postings: int = MERGE_POSTINGS,
    generation: int | None = None,
    blocks: bool = False,
) -> dict[str, int]:
    """``build``'s index written into ``folder`` (as ``ImpactIndex.save``; open it with
    ``ImpactIndex.load``), in memory bounded by the range and not by the corpus:

    1. the passages a range of ``range_passages`` at a time, tokenised and counted per
       field, written to ``folder``/runs, the corpus-wide statistics summed;
    2. each range's postings scored with those statistics and written in word order;
    3. the ranges merged a block of words (about ``merge_postings`` postings) at a time:
       a word's list is its lists of the ranges one after another (they hold ascending row
       ids), read from the files, not mapped; then the phrases' lists after the words'.

    Only the vocabulary and a few figures a word and range stay in memory.  The arrays
    are equal to ``build``'s, bit for bit.  ``generation``: the store generation of
    ``rows``, recorded for ``open_current``; ``blocks``: the row ids written
    block-compressed, with block maxima, a block of words at a time (as ``build``'s
    ``blocks``).  Returns the postings and ranges written."""
    runs = folder / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    vocabulary: dict[str, int] = {}
    stats: _Statistics | None = None
    source = iter(rows)
    ranges = 0
    previous = -1
    while True:
        counted = _count(islice(source, range_passages), analyzer, vocabulary)
        if not len(counted.rowids):
            break
        _check_ascending(counted.rowids, previous)
        previous = int(counted.rowids[-1])
        part = _Statistics.of(counted, len(vocabulary))
        stats = part if stats is None else stats.plus(part)
        saved: dict[str, Any] = {"rowids": counted.rowids}
        for f in range(len(WEIGHTS)):
            saved |= {f"keys{f}": counted.keys[f], f"tf{f}": counted.tf[f]}
            saved[f"lengths{f}"] = counted.lengths[f]
        _save_run(runs / f"counted{ranges}.npz", saved)
        ranges += 1
        del counted
    size = len(vocabulary)
    if stats is None:
        stats = _Statistics(tuple(np.zeros(0, np.int64) for _ in WEIGHTS), 0, (0,) * len(WEIGHTS))
    stats = _Statistics(
        tuple(_padded(d, size) for d in stats.df), stats.passages, stats.length_sums
    )
    # a word's postings in each range (at most a range's passages: int32)
    counts = np.zeros((ranges, size), dtype=np.int32)
    for r in range(ranges):
        with np.load(runs / f"counted{r}.npz") as saved:
            counted = _Range(
                saved["rowids"],
                tuple(saved[f"keys{f}"] for f in range(len(WEIGHTS))),
                tuple(saved[f"tf{f}"] for f in range(len(WEIGHTS))),
                tuple(saved[f"lengths{f}"] for f in range(len(WEIGHTS))),
            )
        word, docids, impacts = _scored(counted, stats)
        del counted
        counts[r] = np.bincount(word, minlength=size)
        _write_stream(runs / f"docids{r}.z", docids)
        _write_stream(runs / f"impacts{r}.z", impacts)
        (runs / f"counted{r}.npz").unlink()
    # the merge, a block of words at a time
    offsets = np.zeros(size + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(counts.sum(axis=0, dtype=np.int64))
    read = np.zeros(ranges, dtype=np.int64)  # each range's postings merged so far
    streams = [
        (_Stream(runs / f"docids{r}.z"), _Stream(runs / f"impacts{r}.z")) for r in range(ranges)
    ]
    out_docs = (
        _BlockWriter(folder) if blocks else _NpyWriter(folder / "docids.npy", np.dtype(np.uint32))
    )
    out_codes = _NpyWriter(folder / "codes.npy", np.dtype(np.uint16))
    out_values = _NpyWriter(folder / "values.npy", np.dtype(np.float32))
    bases = [np.zeros(1, np.int64)]
    maxima = [np.zeros(0, np.float32)]

    def coded(impacts: np.ndarray, block_offsets: np.ndarray) -> None:
        codes, values, block_bases = code_impacts(impacts, block_offsets)
        out_codes.write(codes)
        bases.append(block_bases[1:] + bases[-1][-1])
        out_values.write(values)

    first = 0
    while first < size:
        # words first .. last-1: at least one, and up to merge_postings postings
        last = int(np.searchsorted(offsets, offsets[first] + merge_postings, side="right")) - 1
        last = min(max(last, first + 1), size)
        base = offsets[first]
        block_docs = np.empty(int(offsets[last] - base), dtype=np.uint32)
        block_impacts = np.empty(len(block_docs), dtype=np.float32)
        block = counts[:, first:last].astype(np.int64)
        before = np.cumsum(block, axis=0) - block  # a word's postings in earlier ranges
        for r in range(ranges):
            lo = int(read[r])
            hi = lo + int(block[r].sum())
            read[r] = hi
            if hi == lo:
                continue
            starts = np.zeros(last - first + 1, dtype=np.int64)  # the range's word starts
            starts[1:] = np.cumsum(block[r])
            word = np.repeat(np.arange(last - first), block[r])
            at = offsets[first + word] - base + before[r, word] + np.arange(hi - lo) - starts[word]
            docs_in, impacts_in = streams[r]
            block_docs[at] = np.frombuffer(docs_in.read(4 * (hi - lo)), np.uint32)
            block_impacts[at] = np.frombuffer(impacts_in.read(4 * (hi - lo)), np.float32)
            for stream in streams[r]:  # read front to back: what was read is given back
                release(stream.path, stream.offset)
        if isinstance(out_docs, _BlockWriter):
            out_docs.add(pack(offsets[first : last + 1] - base, block_docs, block_impacts))
        else:
            out_docs.write(block_docs)
        coded(block_impacts, offsets[first : last + 1] - base)
        maxima.append(np.maximum.reduceat(block_impacts, offsets[first:last] - base))
        first = last
    for r in range(ranges):
        (runs / f"docids{r}.z").unlink()
        (runs / f"impacts{r}.z").unlink()
    runs.rmdir()
    keys: dict[str, int] = {}
    ends = [offsets]
    end = int(offsets[-1])
    for key, ids, scores in phrases:
        keys[key] = size + len(keys)
        one = np.array([0, len(ids)], dtype=np.int64)
        if isinstance(out_docs, _BlockWriter):
            out_docs.add(pack(one, ids, scores.astype(np.float32)))
        else:
            out_docs.write(ids)
        coded(scores.astype(np.float32), np.array([0, len(ids)], dtype=np.int64))
        end += len(ids)
        ends.append(np.array([end], dtype=np.int64))
        maxima.append(np.array([scores.max(initial=0)], dtype=np.float32))
    out_docs.close()
    out_codes.close()
    out_values.close()
    np.save(folder / "bases.npy", np.concatenate(bases))
    np.save(folder / "offsets.npy", np.concatenate(ends))
    np.save(folder / "maxima.npy", np.concatenate(maxima).astype(np.float32))
    _save_tables(folder, vocabulary, keys, stats.passages, generation)
    return {"postings": end, "ranges": ranges, "words": size, "phrases": len(keys)}
