"""A pruned tier searched first: certified answers are the exact top k (stop 31)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("numba")  # the [bench] extra

from index import impact as impact_module
from index.impact import ImpactIndex, build, code_impacts, phrase_lists
from index.impact_pruned import CANDIDATES, TIER_FILE, Tier, build_tier, exact_scores, search
from index.impact_tight import ALL, maxscore_tight
from index.lexical_folder import analyzer
from index.lexical_tantivy import TantivyIndex, store_texts
from tests.index.test_impact import (  # noqa: F401
    PHRASES,
    QUERIES,
    _ordered,
    served,
)
from tests.index.test_impact_tight import _case


@pytest.mark.parametrize("n", [1, 3, 50, 10**6])
@pytest.mark.parametrize("seed", range(10))
def test_the_tier_keeps_each_lists_highest_impacts(seed: int, n: int) -> None:
    """Each list keeps its ``n`` highest impacts (ties: the lowest row ids) in row-id
    order, and its cut is the largest impact left out (0 when kept whole)."""
    offsets, docids, impacts, *_ = _case(seed, whole=seed % 2 == 0)
    codes, values, bases = code_impacts(impacts, offsets)
    tier = build_tier(offsets, docids, codes, values, bases, n)
    for i in range(len(offsets) - 1):
        lo, hi = int(offsets[i]), int(offsets[i + 1])
        order = sorted(range(lo, hi), key=lambda j: (-float(impacts[j]), int(docids[j])))
        kept = sorted(order[:n])
        a, b = int(tier.offsets[i]), int(tier.offsets[i + 1])
        assert tier.docids[a:b].tolist() == docids[kept].tolist()
        got = values[int(bases[i]) + tier.codes[a:b].astype(np.int64)]
        assert got.tolist() == impacts[kept].tolist()
        left = [float(impacts[j]) for j in order[n:]]
        assert float(tier.cuts[i]) == (max(left) if left else 0.0)


@pytest.mark.parametrize("n", [1, 20, 400, 10**6])
@pytest.mark.parametrize("whole", [True, False])
@pytest.mark.parametrize("seed", range(30))
def test_a_certified_answer_is_the_exact_top_k(seed: int, whole: bool, n: int) -> None:
    """Whenever the tier certifies its answer, it is ``maxscore_tight``'s top k row for
    row and score for score; a tier that keeps every list whole certifies when its
    candidates are every passage the lists hold."""
    offsets, docids, impacts, lists, weights, k, _passages = _case(seed, whole)
    coded = code_impacts(impacts, offsets)
    ordered = _ordered(offsets, impacts, lists, weights)
    want = maxscore_tight(offsets, docids, *coded, *ordered, k, *ALL)
    tier = build_tier(offsets, docids, *coded, n)
    docs, scores, _read, certified = search(tier, offsets, docids, *coded, *ordered, k)
    if certified:
        assert docs.tolist() == want[0].tolist()
        assert scores.tolist() == want[1].tolist()
    if n >= len(docids) and len(np.unique(docids)) <= CANDIDATES * k:
        assert certified
    # the exact scores of the returned passages, whatever the certificate
    rows = np.sort(docs.astype(np.int64))
    fixed, _looked = exact_scores(offsets, docids, *coded, *ordered[:2], rows)
    assert sorted(fixed.tolist()) == sorted(np.round(scores * 2.0**40).astype(np.int64).tolist())


def test_a_strong_short_list_is_certified_from_the_tier() -> None:
    """One strong rare word and one weak word in every passage: the tier keeps the rare
    list whole and 60 of the common one, and the best rare passages' scores beat every
    left-out passage's (at most the common word's cut, plus the last candidate's partial
    score), so the top 3 is certified reading far fewer postings than the lists hold; it
    is the exhaustive top 3."""
    passages = 50_000
    rows = np.arange(passages, dtype=np.uint32)
    rare = rows[::1000]
    docids = np.concatenate([rare, rows])
    common = np.linspace(0.5, 1.0, passages).astype(np.float32)
    impacts = np.concatenate([(9.0 + rare / 1e4).astype(np.float32), common])
    offsets = np.array([0, len(rare), len(rare) + passages], dtype=np.int64)
    coded = code_impacts(impacts, offsets)
    ordered = _ordered(offsets, impacts, [0, 1], [1.0, 1.0])
    tier = build_tier(offsets, docids, *coded, 60)
    docs, scores, read, certified = search(tier, offsets, docids, *coded, *ordered, 3)
    want = maxscore_tight(offsets, docids, *coded, *ordered, 3, *ALL)
    assert certified
    assert docs.tolist() == want[0].tolist() == [49000, 48000, 47000]
    assert scores.tolist() == want[1].tolist()
    assert read <= len(rare) + 60 + 2 * CANDIDATES * 3  # the tier, and its look-ups


def test_an_uncertified_answer_falls_back_to_the_whole_index() -> None:
    """Two words in every passage, their highest impacts in different passages: the
    tier's candidates cannot be certified, and the served search (``PRUNED_EXACT``) falls
    back to the exact top k; without ``PRUNED_EXACT`` it keeps the tier's answer."""
    passages = 4_000
    rows = np.arange(passages, dtype=np.uint32)
    a = ((rows * 7919) % passages).astype(np.float32) / passages + 1.0
    b = ((rows * 104729) % passages).astype(np.float32) / passages + 1.0
    docids = np.concatenate([rows, rows])
    impacts = np.concatenate([a, b])
    offsets = np.array([0, passages, 2 * passages], dtype=np.int64)
    codes, values, bases = code_impacts(impacts, offsets)
    index = ImpactIndex(
        {"a": 0, "b": 1}, offsets, docids, codes, values, bases,
        np.array([a.max(), b.max()], dtype=np.float32), passages,
    )  # fmt: skip
    tiered = index.with_tier(10)
    ordered = _ordered(offsets, impacts, [0, 1], [1.0, 1.0])
    *_, certified = search(tiered.tier, offsets, docids, codes, values, bases, *ordered, 20)
    assert not certified
    want = index.search_tokens(["a", "b"], 20)[0]
    assert tiered.search_tokens(["a", "b"], 20)[0] == want
    try:
        impact_module.PRUNED_EXACT = False
        assert tiered.search_tokens(["a", "b"], 20)[0] != want
    finally:
        impact_module.PRUNED_EXACT = True


@pytest.fixture(scope="module")
def fresh(served: TantivyIndex) -> ImpactIndex:  # noqa: F811
    return build(store_texts(served.store), analyzer(), phrase_lists(served, PHRASES, analyzer()))


@pytest.mark.parametrize("n", [1, 4, 10_000])
@pytest.mark.parametrize("terms", QUERIES)
@pytest.mark.parametrize("k", [1, 5, 20])
def test_the_served_search_with_a_tier_is_the_same(
    fresh: ImpactIndex,
    terms: tuple[str, ...],
    k: int,
    n: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every question searched with a tier of any size (certified, or fallen back to the
    whole index) ranks and scores as without it."""
    monkeypatch.setattr(impact_module, "TIGHT", 0.0)
    want = fresh.search(terms, analyzer(), k)
    assert fresh.with_tier(n).search(terms, analyzer(), k) == want


def test_the_tier_saved_is_loaded_with_the_index(fresh: ImpactIndex, tmp_path: Path) -> None:
    """A tier saved in the index folder (``TIER_FILE``) comes back with ``load``."""
    fresh.save(tmp_path)
    assert ImpactIndex.load(tmp_path).tier is None
    tiered = fresh.with_tier(3)
    assert tiered.tier is not None
    tiered.tier.save(tmp_path / TIER_FILE.format(n=3))
    loaded = ImpactIndex.load(tmp_path).tier
    assert isinstance(loaded, Tier) and loaded.n == 3
    for name in ("offsets", "docids", "codes", "cuts"):
        assert np.array_equal(getattr(loaded, name), getattr(tiered.tier, name))
    want = fresh.search_tokens(["children", "care"], 5)[0]
    assert replace(fresh, tier=loaded).search_tokens(["children", "care"], 5)[0] == want
