"""``CQA_IMPACT_TIER_ABOVE``: the impact index's first pass approximated by a tier of each
list's highest impacts only above a passage count (stop 32), exact at and below it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("numba")  # the [bench] extra

from index.embedder import HashingEmbedder
from index.impact import (
    FOLDER,
    ImpactIndex,
    build_ranges,
    code_impacts,
    open_served,
    save_served_tier,
    served_tier,
    tier_size,
)
from index.impact_pruned import TIER_FILE
from index.lexical_folder import analyzer
from index.lexical_tantivy import store_texts
from index.store import Store
from qa_service.config import Settings
from qa_service.retriever import Engine


def _uncertified(passages: int = 4_000) -> ImpactIndex:
    """Two words in every passage, their highest impacts in different passages: a small
    tier cannot certify its top k (tests/index/test_impact_pruned.py)."""
    rows = np.arange(passages, dtype=np.uint32)
    a = ((rows * 7919) % passages).astype(np.float32) / passages + 1.0
    b = ((rows * 104729) % passages).astype(np.float32) / passages + 1.0
    offsets = np.array([0, passages, 2 * passages], dtype=np.int64)
    codes, values, bases = code_impacts(np.concatenate([a, b]), offsets)
    return ImpactIndex(
        {"a": 0, "b": 1}, offsets, np.concatenate([rows, rows]), codes, values, bases,
        np.array([a.max(), b.max()], dtype=np.float32), passages,
    )  # fmt: skip


def test_at_or_below_the_threshold_the_first_pass_is_exact() -> None:
    index = _uncertified()
    exact = index.search_tokens(["a", "b"], 20)[0]
    for above in (4_000, 10_000):
        served = served_tier(index.with_tier(10), above, 0.0025)
        assert served.tier is None and not served.approximate
        assert served.search_tokens(["a", "b"], 20)[0] == exact


def test_above_the_threshold_the_tier_s_answer_is_kept() -> None:
    """The served tier keeps its top k where it cannot certify it (``approximate``), even
    with ``PRUNED_EXACT`` on (the default), which alone would search the whole index."""
    index = _uncertified()
    exact = index.search_tokens(["a", "b"], 20)[0]
    served = served_tier(index, 3_999, 0.0025)
    assert served.approximate
    assert served.tier is not None and served.tier.n == tier_size(4_000, 0.0025) == 10
    assert served.search_tokens(["a", "b"], 20)[0] != exact


def test_a_threshold_of_0_serves_the_index_as_loaded() -> None:
    tiered = _uncertified().with_tier(10)
    assert served_tier(tiered, 0, 0.5) is tiered


def test_the_default_threshold_is_above_the_tests_and_the_shipped_sets() -> None:
    """So answers at their size (and the 1M benches') are the exact first pass's."""
    assert Settings().impact_tier_above > 1_000_000
    assert tier_size(10_000_000, Settings().impact_tier_share) == 65_536


def _impact(index: Path) -> int:
    store = Store.open(index)
    try:
        generation = store.generation()
        build_ranges(store_texts(store), analyzer(), index / FOLDER, generation=generation)
        return generation
    finally:
        store.close()


def test_a_saved_tier_of_the_served_size_is_mapped_not_built(
    small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generation = _impact(small_index)
    loaded = ImpactIndex.load(small_index / FOLDER)
    n = tier_size(loaded.passages, 0.5)
    tier = loaded.with_tier(n).tier
    assert tier is not None
    tier.save(small_index / FOLDER / TIER_FILE.format(n=n))

    def unbuilt(self: ImpactIndex, n: int) -> ImpactIndex:
        raise AssertionError("built again")

    monkeypatch.setattr(ImpactIndex, "with_tier", unbuilt)
    served = open_served(small_index, generation, 1, 0.5)
    assert served is not None and served.approximate
    assert served.tier is not None and served.tier.n == n


def test_the_served_tier_is_saved_where_start_up_maps_it(
    small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generation = _impact(small_index)
    folder = small_index / FOLDER
    passages = ImpactIndex.load(folder).passages
    assert save_served_tier(folder, passages, 0.5) is None  # none served at the threshold
    n = save_served_tier(folder, 1, 0.5)
    assert n == tier_size(passages, 0.5)
    assert sorted(p.name for p in folder.glob("*tier_*")) == [TIER_FILE.format(n=n)]

    def unbuilt(self: ImpactIndex, n: int) -> ImpactIndex:
        raise AssertionError("built again")

    monkeypatch.setattr(ImpactIndex, "with_tier", unbuilt)
    assert save_served_tier(folder, 1, 0.5) == n  # saved already: kept
    served = open_served(small_index, generation, 1, 0.5)
    assert served is not None and served.tier is not None and served.tier.n == n


@pytest.mark.parametrize("above", [None, 1])
def test_the_engine_serves_the_tier_only_above_the_threshold(
    small_index: Path, above: int | None
) -> None:
    _impact(small_index)
    changes = {} if above is None else {"impact_tier_above": above}
    settings = Settings(index=small_index, impact_index=True, **changes)
    engine = Engine(small_index, HashingEmbedder(), settings)
    try:
        impact = engine.lexical.impact
        assert impact is not None
        assert impact.approximate == (above is not None)
        assert (impact.tier is not None) == (above is not None)
        if above is not None:
            assert impact.tier is not None
            assert impact.tier.n == tier_size(impact.passages, settings.impact_tier_share)
        assert engine.ask("looked after children placements").hits
    finally:
        engine.close()
