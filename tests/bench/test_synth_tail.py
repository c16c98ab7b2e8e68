"""bench.synth_tail: the vocabulary's tail drawn into a copy's text, every length kept."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from bench.synth_tail import TOKEN, Tail, TailRewriter, head_terms, spell, zipf_ids

TEXT = (
    "RESOLVED: That the Committee notes the report of the Director of Children's Services "
    "on the 2016/17 budget of £12,500 and asks Councillor Bellerby to report back in "
    "September 2017 on placements, fostering and adoption."
)


def _terms(raw: str) -> str:
    return raw.lower()


def _tail(**given: object) -> Tail:
    rate = {"word": 0.5, "name": 0.5, "number": 0.5}
    return Tail(rate=given.pop("rate", rate), slope=1.5, **given)  # type: ignore[arg-type]


def test_a_rewrite_keeps_every_length_and_every_character_between_tokens() -> None:
    rewriter = TailRewriter(_tail(rate={"word": 1.0, "name": 1.0, "number": 1.0}), _terms)
    out = rewriter.rewrite(TEXT, copy=1, document=3)
    assert len(out) == len(TEXT)
    assert re.sub(r"[^\W_]", "x", out) == re.sub(r"[^\W_]", "x", TEXT)
    before = [m.span() for m in TOKEN.finditer(TEXT)]
    assert [m.span() for m in TOKEN.finditer(out)] == before
    changed = [(a, b) for a, b in zip(TOKEN.findall(TEXT), TOKEN.findall(out), strict=True)]
    # every word and name of 4 letters or more and every number of 3 digits or more
    for old, new in changed:
        kept = len(old) < (3 if old.isdigit() else 4)
        assert (old == new) == kept, (old, new)
        if old.isdigit() and not kept:
            assert new.isdigit() and new[0] != "0"
        if old[0].isupper() and not kept:
            assert new[0].isupper() and new[1:].islower()


def test_the_head_is_kept_and_a_rate_of_zero_changes_nothing() -> None:
    head = frozenset({"committee", "report", "councillor"})
    rewriter = TailRewriter(
        _tail(rate={"word": 1.0, "name": 1.0, "number": 1.0}, head=head), _terms
    )
    out = TOKEN.findall(rewriter.rewrite(TEXT, 1, 1))
    for old, new in zip(TOKEN.findall(TEXT), out, strict=True):
        if old.lower() in head:
            assert new == old
    still = TailRewriter(_tail(rate={"word": 0.0, "name": 0.0, "number": 0.0}), _terms)
    assert still.rewrite(TEXT, 5, 5) == TEXT


def test_a_copy_is_the_same_for_its_seed_and_differs_from_another_copy() -> None:
    rewriter = TailRewriter(_tail(), _terms)
    first = rewriter.rewrite(TEXT, 2, 7, key=7)
    assert rewriter.rewrite(TEXT, 2, 7, key=7) == first
    assert TailRewriter(_tail(), _terms).rewrite(TEXT, 2, 7) == first  # no cache either
    assert rewriter.rewrite(TEXT, 3, 7, key=7) != first
    assert TailRewriter(_tail(seed=1), _terms).rewrite(TEXT, 2, 7) != first


def test_the_invented_terms_follow_the_zipf_law_and_grow_the_vocabulary() -> None:
    rng = np.random.default_rng(0)
    ids = zipf_ids(rng, 400_000, 1.5)
    counts = Counter(ids.tolist())
    assert ids.min() >= 1
    # P(1) / P(2) = 2 ** 1.5 for the discrete law the floored continuous one approximates
    # within its first ranks' error (the floor puts [1, 2) on 1: ratio (1 - 2**-0.5) /
    # (2**-0.5 - 3**-0.5) = 2.29)
    assert 2.1 < counts[1] / counts[2] < 2.5
    rewriter = TailRewriter(_tail(rate={"word": 0.5, "name": 0.5, "number": 0.5}), _terms)
    seen_copies = {t.lower() for t in TOKEN.findall(TEXT)}
    seen_tail = set(seen_copies)
    for copy in range(50):
        seen_tail |= {t.lower() for t in TOKEN.findall(rewriter.rewrite(TEXT, copy, 0))}
    assert len(seen_tail) > 5 * len(seen_copies)


def test_spellings_are_distinct_and_of_the_length_asked() -> None:
    for kind in ("word", "name", "number"):
        for length in (3, 4, 7, 15):
            words = [spell(kind, length, i) for i in range(1, 500)]
            assert all(len(w) == length for w in words)
            assert len(set(words)) == len(words)
    assert spell("word", 6, 9) != spell("name", 6, 9).lower()


def test_the_head_is_the_commonest_terms() -> None:
    assert head_terms(["a a a b b c", "b a"], _terms, 2) == frozenset({"a", "b"})
