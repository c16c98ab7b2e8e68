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
and ``index.impact_maxscore`` finds its exact top k without scoring every passage.

The statistics are those of a freshly built tantivy index of the same passages: tantivy
counts deleted passages in its idf and mean lengths until a merge drops them, so after
removals the two differ slightly until either is rebuilt; any change to the passages means
a rebuild of this index (its impacts hold corpus-wide statistics).  Phrases, filters and
dates stay with tantivy.
"""

from __future__ import annotations

import json
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.base import LexicalText
from index.lexical_tantivy import _WORD, WEIGHTS, query_words

K1, B = np.float32(1.2), np.float32(0.75)  # tantivy's BM25
FILES = ("offsets", "docids", "impacts", "maxima")
# A question whose lists hold more postings than this many times the passages is searched
# by the windowed kernel (its essential lists added a window at a time), others document at
# a time: each was the faster on its side of this line on the 318 recorded searches at 1M
# (docs/performance.md, "An impact index with MaxScore in numba, stop 24").
DENSE = 2.0


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


@dataclass(frozen=True)
class ImpactIndex:
    """Posting lists of served scores (see the module notes), in CSR form by word id."""

    words: dict[str, int]  # analyzer token -> list id
    offsets: np.ndarray  # int64, list i is [offsets[i], offsets[i + 1])
    docids: np.ndarray  # uint32 row ids, ascending within a list
    impacts: np.ndarray  # float32 served score of the word in the passage
    maxima: np.ndarray  # float32 largest impact of each list
    passages: int

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

    def search_tokens(self, tokens: Sequence[str], k: int) -> tuple[list[tuple[int, float]], int]:
        """The best ``k`` passages for the OR of ``tokens`` (a token given twice counts
        twice) as (row id, score), best first, ties by row id; and the postings scored."""
        from index.impact_maxscore import maxscore, maxscore_windowed

        counts = Counter(t for t in tokens if t in self.words)
        if not counts or k <= 0:
            return [], 0
        lists = np.array([self.words[t] for t in counts], dtype=np.int64)
        weights = np.array(list(counts.values()), dtype=np.float64)
        bounds = weights * self.maxima[lists].astype(np.float64)
        order = np.argsort(bounds, kind="stable")
        held = int(np.sum(self.offsets[lists + 1] - self.offsets[lists]))
        kernel = maxscore_windowed if held > DENSE * max(self.passages, 1) else maxscore
        docs, scores, read = kernel(
            self.offsets, self.docids, self.impacts, lists[order], weights[order],
            bounds[order], k,
        )  # fmt: skip
        return [(int(d), float(s)) for d, s in zip(docs, scores, strict=True)], int(read)

    def nbytes(self) -> int:
        """Bytes of the arrays (the word table aside)."""
        return sum(int(getattr(self, name).nbytes) for name in FILES)

    def save(self, folder: Path) -> None:
        """Write the arrays and the word table into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            np.save(folder / f"{name}.npy", getattr(self, name))
        meta = {"passages": self.passages, "words": sorted(self.words, key=self.words.get)}  # type: ignore[arg-type]
        (folder / "words.json").write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> ImpactIndex:
        """The index saved in ``folder``, its arrays mapped, not read."""
        meta = json.loads((folder / "words.json").read_text(encoding="utf-8"))
        arrays = {n: np.asarray(np.load(folder / f"{n}.npy", mmap_mode="r")) for n in FILES}
        words = {w: i for i, w in enumerate(meta["words"])}
        return cls(words=words, passages=int(meta["passages"]), **arrays)


def _field_impacts(
    tokens: np.ndarray, lengths: np.ndarray, vocabulary: int, weight: float
) -> tuple[np.ndarray, np.ndarray]:
    """One field's (word id << 32 | passage position) keys, sorted, and their weighted
    BM25 in float32, as tantivy scores them."""
    n = len(lengths)
    position = np.repeat(np.arange(n, dtype=np.uint64), lengths)
    keys, tf = np.unique((tokens.astype(np.uint64) << np.uint64(32)) | position, return_counts=True)
    word = (keys >> np.uint64(32)).astype(np.int64)
    df = np.bincount(word, minlength=vocabulary).astype(np.float32)
    # tantivy: idf = ln(1 + (N - df + 0.5) / (df + 0.5)), the mean length over every
    # passage (none deleted here), each length stored as a one-byte norm
    total = np.float32(n)
    idf = np.log(np.float32(1) + (total - df + np.float32(0.5)) / (df + np.float32(0.5)))
    average = np.float32(lengths.sum()) / total
    cache = K1 * (np.float32(1) - B + B * _NORMS.astype(np.float32) / average)
    norm_id = np.searchsorted(_NORMS, lengths, side="right") - 1
    passage = (keys & np.uint64(0xFFFFFFFF)).astype(np.int64)
    frequency = tf.astype(np.float32)
    factor = frequency / (frequency + cache[norm_id[passage]])
    score = (idf * (np.float32(1) + K1))[word] * factor * np.float32(weight)
    return keys, score.astype(np.float32)


def build(rows: Iterable[tuple[int, LexicalText]], analyzer: Any) -> ImpactIndex:
    """The impact index of ``rows`` (row id, (heading, body, context)), row ids ascending,
    tokenised by ``analyzer`` (``index.lexical_folder.analyzer()``: the served one)."""
    vocabulary: dict[str, int] = {}
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
    ids = np.frombuffer(rowids, dtype=np.uint32) if rowids else np.zeros(0, np.uint32)
    if len(ids) > 1 and not bool(np.all(np.diff(ids.astype(np.int64)) > 0)):
        raise ValueError("row ids must be ascending")
    size = len(vocabulary)
    keys, scores = zip(
        *(
            _field_impacts(
                np.frombuffer(tokens[f], dtype=np.uint32) if tokens[f] else np.zeros(0, np.uint32),
                np.frombuffer(lengths[f], dtype=np.uint32).astype(np.int64)
                if lengths[f]
                else np.zeros(len(ids), np.int64),
                size,
                WEIGHTS[f],
            )
            for f in range(len(WEIGHTS))
        ),
        strict=True,
    )
    # one list a word: its fields' scores summed (heading, body, context, in float32)
    every = np.concatenate(keys)
    order = np.argsort(every, kind="stable")
    every = every[order]
    summed_scores = np.concatenate(scores)[order]
    starts = np.flatnonzero(np.r_[True, every[1:] != every[:-1]]) if len(every) else every
    impacts = (
        np.add.reduceat(summed_scores, starts).astype(np.float32) if len(every) else summed_scores
    )
    merged = every[starts]
    word = (merged >> np.uint64(32)).astype(np.int64)
    offsets = np.zeros(size + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(np.bincount(word, minlength=size))
    docids = ids[(merged & np.uint64(0xFFFFFFFF)).astype(np.int64)]
    maxima = (
        np.maximum.reduceat(impacts, offsets[:-1]).astype(np.float32)
        if size
        else np.zeros(0, np.float32)
    )
    return ImpactIndex(vocabulary, offsets, docids, impacts, maxima, passages=len(ids))
