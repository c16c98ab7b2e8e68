"""Window maxima for the impact index: windows skipped, the same top k (stop 28)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("numba")  # the [bench] extra

from index import impact as impact_module
from index.impact import ImpactIndex, build, code_impacts, phrase_lists
from index.impact_maxscore import maxscore_windowed
from index.impact_windows import maxscore_ranges, window_maxima
from index.lexical_folder import analyzer
from index.lexical_tantivy import TantivyIndex, store_texts
from tests.index.test_impact import (  # noqa: F401
    PHRASES,
    QUERIES,
    _exhaustive,
    _ordered,
    _random_case,
    served,
)


@pytest.mark.parametrize("shift", [3, 6, 9, 12])
@pytest.mark.parametrize("whole", [True, False])
@pytest.mark.parametrize("seed", range(25))
def test_skipping_windows_keeps_the_exhaustive_top_k(seed: int, whole: bool, shift: int) -> None:
    """Random lists (many ties, or impacts strong in stretches): the top k with windows
    skipped is the exhaustive one and ``maxscore_windowed``'s, row for row, ties by row
    id, and never scores more postings than it."""
    case = _random_case(seed, whole, stretches=True)
    offsets, docids, impacts, lists, weights, k, passages = case
    coded = code_impacts(impacts, offsets)
    table = window_maxima(offsets, docids, *coded, passages, shift)
    ordered = _ordered(offsets, impacts, lists, weights)
    docs, scores, read, _skipped = maxscore_ranges(
        offsets, docids, *coded, *ordered, k, table, shift
    )
    want = _exhaustive(offsets, docids, impacts, lists, weights, k)
    assert [int(d) for d in docs] == [d for d, _ in want]
    assert scores.tolist() == pytest.approx([s for _, s in want], rel=1e-9)
    plain = maxscore_windowed(offsets, docids, *coded, *ordered, k)
    assert docs.tolist() == plain[0].tolist()
    assert scores.tolist() == plain[1].tolist()  # the same fixed-point sums
    assert read <= plain[2]


def test_window_maxima_are_each_windows_largest_impact() -> None:
    rng = np.random.default_rng(7)
    held = [np.sort(rng.choice(5_000, size=n, replace=False)) for n in (0, 3, 900, 5_000)]
    offsets = np.cumsum([0] + [len(h) for h in held]).astype(np.int64)
    docids = np.concatenate(held).astype(np.uint32)
    impacts = (rng.random(len(docids)) * 7).astype(np.float32)
    table = window_maxima(offsets, docids, *code_impacts(impacts, offsets), 5_000, 8)
    assert table.shape == (4, (4_999 >> 8) + 1)
    for i in range(4):
        want = np.zeros(table.shape[1], dtype=np.float32)
        lo, hi = offsets[i], offsets[i + 1]
        np.maximum.at(want, docids[lo:hi].astype(np.int64) >> 8, impacts[lo:hi])
        assert table[i].tobytes() == want.tobytes()


def test_windows_that_cannot_enter_are_skipped() -> None:
    """Two lists, every passage in both, strong in the first and the last window only:
    once the top k is full in the first, the lists' bounds still let any later passage
    in, so the plain windowed kernel walks one list to the end; the windows' maxima do
    not, so every window between is skipped (no posting read), and the same top k (the
    last window's) is found."""
    passages, shift = 64 * 8, 3
    docids = np.tile(np.arange(passages, dtype=np.uint32), 2)
    rows = np.arange(passages)
    one = np.select([rows < 8, rows >= passages - 8], [5.0, 6.0], 1.0).astype(np.float32)
    impacts = np.concatenate([one, one])
    offsets = np.array([0, passages, 2 * passages], dtype=np.int64)
    coded = code_impacts(impacts, offsets)
    table = window_maxima(offsets, docids, *coded, passages, shift)
    ordered = (np.array([0, 1]), np.ones(2), np.array([6.0, 6.0]))
    docs, scores, read, skipped = maxscore_ranges(
        offsets, docids, *coded, *ordered, 3, table, shift
    )
    plain = maxscore_windowed(offsets, docids, *coded, *ordered, 3)
    assert docs.tolist() == plain[0].tolist() == [504, 505, 506]
    assert scores.tolist() == plain[1].tolist() == [12.0, 12.0, 12.0]
    assert skipped == passages // 8 - 2
    # the first window's 16 postings, the last's 8 of the essential list and 3 look-ups
    assert read == 27 and plain[2] > passages


@pytest.fixture(scope="module")
def fresh(served: TantivyIndex) -> ImpactIndex:  # noqa: F811
    return build(store_texts(served.store), analyzer(), phrase_lists(served, PHRASES, analyzer()))


@pytest.mark.parametrize("dense_only", [True, False])
@pytest.mark.parametrize("terms", QUERIES)
@pytest.mark.parametrize("k", [1, 5, 20, 10_000])
def test_an_index_with_window_maxima_searches_the_same(
    fresh: ImpactIndex,
    terms: tuple[str, ...],
    k: int,
    dense_only: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every question searched with window maxima (every question by the skipping kernel,
    or the dense ones) ranks row for row and scores as without them."""
    monkeypatch.setattr(impact_module, "DENSE", 0.0)  # the windowed kernel for all
    monkeypatch.setattr(impact_module, "DENSE_ONLY", dense_only)
    windowed = fresh.with_windows(4)
    assert windowed.windows is not None
    want = fresh.search(terms, analyzer(), k)
    got = windowed.search(terms, analyzer(), k)
    assert got == want


def test_window_maxima_are_saved_and_loaded(fresh: ImpactIndex, tmp_path: Path) -> None:
    windowed = fresh.with_windows(5)
    windowed.save(tmp_path / "impact")
    loaded = ImpactIndex.load(tmp_path / "impact")
    assert loaded.window_shift == 5 and loaded.windows is not None
    assert np.asarray(loaded.windows).tobytes() == np.asarray(windowed.windows).tobytes()
    assert ImpactIndex.load(tmp_path / "impact").search_tokens(["children"], 5) == (
        fresh.search_tokens(["children"], 5)
    )
    fresh.save(tmp_path / "bare")
    assert ImpactIndex.load(tmp_path / "bare").windows is None
