"""A forward index of the keyword fields, to score a few candidates exactly (issue 18).

tantivy-py scores a passage only through a query searched over the index, so scoring a
first pass's few hundred candidates by the whole question (``TantivyIndex._among``) costs
tantivy's union sought to each of them: ~4,096 documents' postings a candidate, whatever the
index size (docs/performance.md, "A first pass without the commonest words, stop 21").
This index holds, for each passage and keyword field, its terms (as analysed for tantivy)
with their counts and the field's length as tantivy's one-byte fieldnorm, on disk as numpy
arrays read through memory maps, so that a candidate costs its own ~100 entries.

``ForwardIndex.score`` computes tantivy's BM25 of a query of single words OR-ed over the
fields (each field boosted), in float32 in tantivy's order, with the document frequencies
and passage count read from the tantivy searcher and the fields' average lengths from the
total token counts recorded here (tantivy's own, while the index holds no deleted
passages), so a candidate's score is the one tantivy serves: bit for bit on every shared
hit of the 318 dev-set searches at 1M; tantivy's union, once a clause's postings run out,
sums the later passages' clauses in another order, so a score can differ in its last bit
or two.  Phrases are not scored (that would need positions): the caller keeps tantivy for
them.  Off, not kept (docs/performance.md, "A forward index for the second pass, stop 22").

    python -m index.forward build INDEX_DIR     # writes INDEX_DIR/lexical.forward

The folder records the store generation it was built from; ``TantivyIndex`` uses it only
while that matches the store and its passage count matches the searcher's.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FOLDER = "lexical.forward"
K1 = np.float32(1.2)  # tantivy's BM25 constants
B = np.float32(0.75)
_FIELD_BITS = 2  # a key is term id << 2 | field
# identical field texts (a document's facts, repeated headings) are analysed once, up to
# this many distinct texts held at a time
_CACHE = 200_000


def fieldnorm_table() -> np.ndarray:
    """The lengths tantivy's 256 fieldnorm ids stand for: exact up to 23, then Lucene's
    four-bit-mantissa scale (each id a length, strictly increasing)."""
    values = []
    for code in range(256):
        if code < 24:
            values.append(code)
            continue
        rest = code - 24
        bits, shift = rest & 0b111, rest >> 3
        values.append(24 + (bits if shift == 0 else (bits | 8) << (shift - 1)))
    return np.asarray(values, dtype=np.uint32)


_NORMS = fieldnorm_table()


def fieldnorm_id(length: int) -> int:
    """tantivy's fieldnorm id of a field of ``length`` tokens (the largest not above it)."""
    return int(np.searchsorted(_NORMS, length, side="right")) - 1


@dataclass(frozen=True)
class ForwardMeta:
    """What a forward index was built from."""

    fields: tuple[str, ...]
    passages: int
    generation: int
    tokens: tuple[int, ...]  # each field's token count over every passage


class ForwardIndex:
    """Each passage's field terms, counts and fieldnorms, memory-mapped (see the module)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        raw = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.meta = ForwardMeta(
            fields=tuple(raw["fields"]),
            passages=int(raw["passages"]),
            generation=int(raw["generation"]),
            tokens=tuple(int(t) for t in raw["tokens"]),
        )
        words = (folder / "vocab.txt").read_text(encoding="utf-8").split("\n")
        self.vocab = {w: i for i, w in enumerate(words[: int(raw["vocab"])])}
        self.slot = np.load(folder / "slot.npy", mmap_mode="r")  # row id -> position
        self.offsets = np.load(folder / "offsets.npy", mmap_mode="r")
        self.keys = np.load(folder / "keys.npy", mmap_mode="r")
        self.counts = np.load(folder / "counts.npy", mmap_mode="r")
        self.norms = np.load(folder / "norms.npy", mmap_mode="r")  # (passages, fields)
        self._table = np.zeros(len(self.vocab) << _FIELD_BITS, dtype=np.int32)
        self._lock = threading.Lock()

    @classmethod
    def open(cls, index_dir: Path) -> ForwardIndex | None:
        """The forward index of an index folder, or None when it has none."""
        folder = index_dir / FOLDER
        return cls(folder) if (folder / "meta.json").exists() else None

    def size(self) -> int:
        """Bytes on disk."""
        return sum(p.stat().st_size for p in self.folder.iterdir())

    def _scores(
        self,
        rowids: Sequence[int],
        words: Sequence[str],
        weights: Sequence[float],
        doc_freq: Callable[[str, str], int],
        total: int,
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """``score``'s row ids and float32 scores, as arrays."""
        n_fields = len(self.meta.fields)
        ids = np.asarray(rowids, dtype=np.int64)
        if ids.size == 0:
            return ids, np.zeros(0, dtype=np.float32)
        if ids.min() < 0 or ids.max() >= len(self.slot):
            return None
        pos = np.asarray(self.slot[ids], dtype=np.int64)
        if (pos < 0).any():
            return None
        starts = np.asarray(self.offsets[pos], dtype=np.int64)
        lengths = np.asarray(self.offsets[pos + 1], dtype=np.int64) - starts
        owner = np.repeat(np.arange(ids.size), lengths)
        entry = np.arange(int(lengths.sum()), dtype=np.int64) - np.repeat(
            np.cumsum(lengths) - lengths, lengths
        )
        entry += starts[owner]
        keys = np.asarray(self.keys[entry])
        # the entries of the query's terms, grouped by term and field (one pass over the
        # candidates' entries, whatever the number of clauses)
        clauses = [
            (token, f, (term << _FIELD_BITS) | f)
            for token in words
            if (term := self.vocab.get(token)) is not None
            for f in range(n_fields)
        ]
        scores = np.zeros(ids.size, dtype=np.float32)
        if not clauses:
            return ids, scores
        wanted = np.unique(np.asarray([key for _, _, key in clauses], dtype=np.int64))
        with self._lock:  # a table from key to its place in ``wanted`` (+1), 0 elsewhere
            self._table[wanted] = np.arange(1, wanted.size + 1, dtype=np.int32)
            at = self._table[keys]
            self._table[wanted] = 0
        hit = np.flatnonzero(at)
        group = at[hit] - 1
        order = np.argsort(group, kind="stable")
        hit = hit[order]
        bounds = np.searchsorted(group[order], np.arange(wanted.size + 1))
        counts = np.asarray(self.counts[entry[hit]]).astype(np.float32)
        owners = owner[hit]
        norms = np.asarray(self.norms[pos])  # (candidates, fields) fieldnorm ids
        total32 = np.float32(total)
        # per field: the tf normaliser of each fieldnorm id (tantivy's cache)
        lengths32 = _NORMS.astype(np.float32)
        caches = []
        for f in range(n_fields):
            average = np.float32(self.meta.tokens[f]) / total32
            caches.append(K1 * ((np.float32(1.0) - B) + (B * lengths32) / average))
        # tantivy sums the clauses (each word in each field) one after another, in the
        # query's order, in float32 (see the module notes for where its order differs)
        for token, f, key in clauses:
            u = int(np.searchsorted(wanted, key))
            span = slice(int(bounds[u]), int(bounds[u + 1]))
            if span.start == span.stop:
                continue
            df = int(doc_freq(self.meta.fields[f], token))
            if not df:
                continue
            x = (np.float32(total - df) + np.float32(0.5)) / (np.float32(df) + np.float32(0.5))
            # f32 ln as Rust's (correctly rounded; numpy's float32 log is not always)
            idf = np.float32(math.log(float(np.float32(1.0) + x)))
            weight = idf * (np.float32(1.0) + K1)
            tf = counts[span]
            who = owners[span]
            column = np.zeros(ids.size, dtype=np.float32)
            column[who] = (weight * (tf / (tf + caches[f][norms[who, f]]))) * np.float32(weights[f])
            scores = scores + column
        return ids, scores

    def score(
        self,
        rowids: Sequence[int],
        words: Sequence[str],
        weights: Sequence[float],
        doc_freq: Callable[[str, str], int],
        total: int,
    ) -> list[tuple[int, float]] | None:
        """Every passage of ``rowids`` with its BM25 score for ``words`` (analysed tokens,
        one clause each, repeats counted as tantivy counts them) OR-ed over the fields,
        each weighted ``weights``: tantivy's score, by ``doc_freq(field, token)`` over
        ``total`` passages.  None when a passage is not in this index."""
        scored = self._scores(rowids, words, weights, doc_freq, total)
        if scored is None:
            return None
        return [(int(i), float(s)) for i, s in zip(*scored, strict=True)]

    def top(
        self,
        rowids: Sequence[int],
        words: Sequence[str],
        weights: Sequence[float],
        doc_freq: Callable[[str, str], int],
        total: int,
        k: int,
    ) -> list[tuple[int, float]] | None:
        """The best ``k`` of ``score``'s passages that score above 0, best first, ties by
        row id (as ``TantivyIndex`` orders its hits)."""
        scored = self._scores(rowids, words, weights, doc_freq, total)
        if scored is None:
            return None
        ids, scores = scored
        best = np.lexsort((ids, -scores))[:k]
        return [(int(ids[i]), float(scores[i])) for i in best if scores[i] > 0]


def build(index_dir: Path) -> ForwardIndex:
    """Write the forward index of the passages of ``index_dir``'s store, as its tantivy
    index reads them (``store_rows``), and open it."""
    from index.lexical_rows import store_rows
    from index.store import Store

    store = Store.open(index_dir)
    try:
        rows = ((rowid, texts) for rowid, texts, _date in store_rows(store))
        return write(index_dir / FOLDER, rows, store.generation())
    finally:
        store.close()


def write(
    folder: Path,
    rows: Iterable[tuple[int, Sequence[str]]],
    generation: int,
    fields: tuple[str, ...] | None = None,
) -> ForwardIndex:
    """Write the forward index of ``rows`` (row id, each field's text, in ``fields``'
    order: the keyword fields unless given) to ``folder``, analysed as tantivy analyses
    them, and open it.  ``generation``: the store's, for ``TantivyIndex`` to check."""
    from index.lexical_folder import _FIELDS, analyzer

    fields = fields or _FIELDS
    words = analyzer()
    vocab: dict[str, int] = {}
    cache: dict[str, tuple[list[int], list[int], int]] = {}
    rowids = array("q")
    offsets = array("q", [0])
    keys = array("I")
    counts = array("H")
    norms = bytearray()
    tokens = [0] * len(fields)
    for rowid, texts in rows:
        rowids.append(rowid)
        for f, text in enumerate(texts):
            got = cache.get(text)
            if got is None:
                analysed = words.analyze(text)
                counted = Counter(analysed)
                got = (
                    [vocab.setdefault(t, len(vocab)) for t in counted],
                    [min(c, 65535) for c in counted.values()],
                    len(analysed),
                )
                if len(cache) >= _CACHE:
                    cache.clear()
                cache[text] = got
            terms, tfs, length = got
            keys.extend((t << _FIELD_BITS) | f for t in terms)
            counts.extend(tfs)
            tokens[f] += length
            norms.append(fieldnorm_id(length))
        offsets.append(len(keys))
    if len(vocab) >= 1 << (32 - _FIELD_BITS):
        raise ValueError("too many distinct terms for 30-bit ids")
    aside = folder.with_name(folder.name + ".new")
    shutil.rmtree(aside, ignore_errors=True)
    aside.mkdir(parents=True)
    ids = np.frombuffer(rowids, dtype=np.int64)
    slot = np.full(int(ids.max()) + 1 if ids.size else 0, -1, dtype=np.int32)
    slot[ids] = np.arange(ids.size, dtype=np.int32)
    np.save(aside / "slot.npy", slot)
    np.save(aside / "offsets.npy", np.frombuffer(offsets, dtype=np.int64))
    np.save(aside / "keys.npy", np.frombuffer(keys, dtype=np.uint32))
    np.save(aside / "counts.npy", np.frombuffer(counts, dtype=np.uint16))
    np.save(
        aside / "norms.npy",
        np.frombuffer(bytes(norms), dtype=np.uint8).reshape(ids.size, len(fields)),
    )
    (aside / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    meta = {
        "fields": list(fields),
        "passages": int(ids.size),
        "generation": int(generation),
        "tokens": tokens,
        "vocab": len(vocab),
    }
    (aside / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    aside.rename(folder)
    return ForwardIndex(folder)


def main(argv: list[str] | None = None) -> int:
    """``build INDEX_DIR``: write the folder's forward index."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["build"])
    parser.add_argument("index", type=Path)
    args = parser.parse_args(argv)
    built = build(args.index)
    print(
        json.dumps(
            {
                "passages": built.meta.passages,
                "vocab": len(built.vocab),
                "entries": len(built.keys),
                "bytes": built.size(),
            }
        ),
        file=sys.stdout,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
