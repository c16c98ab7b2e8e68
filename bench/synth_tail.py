"""Distinct copies of a synthetic corpus: the vocabulary's missing tail, drawn per passage.

``bench.scale_text`` makes millions of passages by copying a 20k-passage direct index; the
generator's vocabulary is ~2,555 analyzer words, so the copies' vocabulary stops there and
every word's posting list is the copies' multiple of one passage's, where a real corpus's
vocabulary keeps growing with its size (Heaps' law) and spreads its tokens over a long
Zipf tail (``bench.vocab_growth`` measures both).  ``TailRewriter`` rewrites a copy's text
so that it is no copy: each token of a kind (word, name, number) whose term is not one of
the ``head`` (the base corpus's commonest terms, kept as they are) is replaced, with the
kind's probability ``rate``, by a term drawn from a Zipf law (``P(id) ~ id ** -slope``) of
invented terms of the same kind and the same length.  The replacement has the token's
length, so every character offset the store holds (passages, sentences, decisions,
commitments) stays valid; the copy keeps its structure, headings and numbers of passages.
Each document's draws are seeded from ``(seed, copy, document)``, so a copy's text depends
only on those.

The invented terms are ``slope``-Zipf ids spelled in a length's letters (or digits): a
word is lower-case letters, a name capitalized letters, a number digits (no leading
zero); an id and a length give one spelling, distinct for ids below the length's capacity
(26 ** L spellings, 9 * 10 ** (L - 1) numbers).  The analyzer (stemmer) may fold a few
spellings together; the measures are taken through it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

TOKEN = re.compile(r"[^\W_]+")  # tantivy's simple tokenizer's words
KINDS = ("word", "name", "number")
_SPREAD = 2654435761  # odd, not a multiple of 3, 5 or 13: a bijection mod 26**L and 9*10**k
_SALT = {"word": 0, "name": 7_919, "number": 104_729}
_LETTERS = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)
_MAX_ID = 10**12


@dataclass(frozen=True)
class Tail:
    """The rewrite's parameters (see the module notes)."""

    rate: dict[str, float]  # kind -> share of its tokens outside the head replaced
    slope: float  # Zipf exponent of the invented terms' ids
    head: frozenset[str] = field(default_factory=frozenset)  # terms never replaced
    min_length: int = 4  # shorter words and names are kept (few spellings)
    min_digits: int = 3  # and shorter numbers
    seed: int = 0

    def describe(self) -> dict[str, Any]:
        return {
            "rate": self.rate,
            "slope": self.slope,
            "head": len(self.head),
            "min_length": self.min_length,
            "min_digits": self.min_digits,
            "seed": self.seed,
        }

    def to_json(self) -> str:
        return json.dumps({**self.describe(), "head": sorted(self.head)})

    @classmethod
    def from_json(cls, text: str) -> Tail:
        raw = json.loads(text)
        return cls(
            rate={k: float(v) for k, v in raw["rate"].items()},
            slope=float(raw["slope"]),
            head=frozenset(raw["head"]),
            min_length=int(raw["min_length"]),
            min_digits=int(raw["min_digits"]),
            seed=int(raw["seed"]),
        )


def kind_of(raw: str) -> str:
    """A token's kind: a number (any digit), a name (capitalized), else a word."""
    if any(c.isdigit() for c in raw):
        return "number"
    return "name" if raw[0].isupper() else "word"


def head_terms(texts: Iterable[str], terms: Any, size: int) -> frozenset[str]:
    """The ``size`` commonest analyzer terms of ``texts`` (``terms``: raw token -> term)."""
    count: Counter[str] = Counter()
    for text in texts:
        for raw in TOKEN.findall(text):
            term = terms(raw)
            if term is not None:
                count[term] += 1
    return frozenset(t for t, _ in count.most_common(size))


def zipf_ids(rng: np.random.Generator, n: int, slope: float) -> np.ndarray:
    """``n`` ids >= 1 with ``P(id) ~ id ** -slope`` (ids below ``_MAX_ID``), by the inverse
    of the continuous law's distribution, floored."""
    u = rng.random(n)
    if abs(slope - 1.0) < 1e-9:
        x = np.exp(u * np.log(_MAX_ID))
    else:
        a, b = 1.0, float(_MAX_ID) ** (1.0 - slope)
        x = (a + u * (b - a)) ** (1.0 / (1.0 - slope))
    return np.minimum(np.floor(x), _MAX_ID - 1).astype(np.int64)


def spell(kind: str, length: int, ident: int) -> str:
    """The invented term ``ident`` of ``kind`` and ``length`` characters."""
    if kind == "number":
        span = 9 * 10 ** (length - 1)
        value = (ident * _SPREAD + _SALT[kind]) % span + 10 ** (length - 1)
        return str(value)
    letters = min(length, 13)  # 26 ** 13 < 2 ** 63
    value = (ident * _SPREAD + _SALT[kind] + length) % 26**letters
    out = bytearray()
    for _ in range(letters):
        value, digit = divmod(value, 26)
        out.append(int(_LETTERS[digit]))
    while len(out) < length:  # a longer token: its letters repeated
        out.append(out[len(out) - letters])
    word = out.decode("ascii")
    return word.capitalize() if kind == "name" else word


class TailRewriter:
    """Rewrites texts as the module notes say; ``terms`` maps a raw token to its analyzer
    term (``bench.vocab_growth.Terms``)."""

    def __init__(self, tail: Tail, terms: Any) -> None:
        self.tail = tail
        self.terms = terms
        self._spans: dict[Any, tuple[np.ndarray, np.ndarray, list[str]]] = {}

    def spans(self, key: Any, text: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """The replaceable tokens of ``text`` (cached under ``key``): their starts, ends and
        kinds."""
        found = self._spans.get(key)
        if found is None:
            starts, ends, kinds = [], [], []
            for match in TOKEN.finditer(text):
                raw = match.group()
                kind = kind_of(raw)
                shortest = self.tail.min_digits if kind == "number" else self.tail.min_length
                if len(raw) < shortest:
                    continue
                term = self.terms(raw)
                if term is None or term in self.tail.head:
                    continue
                starts.append(match.start())
                ends.append(match.end())
                kinds.append(kind)
            found = (np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64), kinds)
            if key is not None:
                self._spans[key] = found
        return found

    def rewrite(self, text: str, copy: int, document: int, key: Any = None) -> str:
        """``text`` with its tail drawn for copy ``copy`` of document ``document``."""
        if not text:
            return text
        starts, ends, kinds = self.spans(key, text)
        if not len(starts):
            return text
        rng = np.random.default_rng([self.tail.seed, copy, document])
        rates = np.array([self.tail.rate.get(k, 0.0) for k in kinds])
        picked = np.flatnonzero(rng.random(len(starts)) < rates)
        if not len(picked):
            return text
        ids = zipf_ids(rng, len(picked), self.tail.slope)
        pieces, at = [], 0
        for i, ident in zip(picked.tolist(), ids.tolist(), strict=True):
            s, e = int(starts[i]), int(ends[i])
            pieces.append(text[at:s])
            pieces.append(spell(kinds[i], e - s, ident))
            at = e
        pieces.append(text[at:])
        return "".join(pieces)
