"""MaxScore added in tight loops: the windowed kernel's top k, row for row (stop 30)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

pytest.importorskip("numba")  # the [bench] extra

from index import impact as impact_module
from index.impact import ImpactIndex, build, code_impacts, phrase_lists
from index.impact_maxscore import maxscore_windowed
from index.impact_tight import ALL, WINDOW, maxscore_tight, merge
from index.lexical_folder import analyzer
from index.lexical_tantivy import TantivyIndex, store_texts
from tests.index.test_impact import (  # noqa: F401
    PHRASES,
    QUERIES,
    _exhaustive,
    _ordered,
    served,
)


def _case(seed: int, whole: bool) -> tuple[Any, ...]:
    """Random lists over several windows of row ids (offsets, row ids, impacts, the lists
    asked, their weights, k): shares from 0.001 to every passage, so that some lists are
    essential and some looked up; impacts small and whole (copies' ties) or any."""
    rng = np.random.default_rng(seed)
    words = int(rng.integers(1, 9))
    passages = int(rng.integers(1, 4 * WINDOW))
    offsets, docids, impacts = [0], [], []
    for _ in range(words):
        share = rng.choice([0.001, 0.02, 0.3, 0.8, 1.0])
        held = np.flatnonzero(rng.random(passages) < share)
        values = rng.integers(1, 5, size=len(held)) if whole else rng.random(len(held)) * 9 + 0.01
        docids += held.tolist()
        impacts += values.astype(np.float32).tolist()
        offsets.append(len(docids))
    lists = rng.choice(words, size=int(rng.integers(1, words + 1)), replace=False).tolist()
    weights = rng.integers(1, 3, size=len(lists)).astype(np.float64).tolist()
    k = int(rng.choice([1, 7, 60, 180, 5_000]))
    return (
        np.array(offsets, dtype=np.int64), np.array(docids, dtype=np.uint32),
        np.array(impacts, dtype=np.float32), lists, weights, k, passages,
    )  # fmt: skip


@pytest.mark.parametrize("whole", [True, False])
@pytest.mark.parametrize("seed", range(40))
def test_it_finds_the_windowed_kernels_top_k(seed: int, whole: bool) -> None:
    """The top k is the exhaustive one, and ``maxscore_windowed``'s row for row and score
    for score (the same fixed-point sums, ties by the lower row id)."""
    offsets, docids, impacts, lists, weights, k, _passages = _case(seed, whole)
    coded = code_impacts(impacts, offsets)
    ordered = _ordered(offsets, impacts, lists, weights)
    docs, scores, _read = maxscore_tight(offsets, docids, *coded, *ordered, k, *ALL)
    want = _exhaustive(offsets, docids, impacts, lists, weights, k)
    assert [int(d) for d in docs] == [d for d, _ in want]
    assert scores.tolist() == pytest.approx([s for _, s in want], rel=1e-9)
    windowed = maxscore_windowed(offsets, docids, *coded, *ordered, k)
    assert docs.tolist() == windowed[0].tolist()
    assert scores.tolist() == windowed[1].tolist()


@pytest.mark.parametrize("whole", [True, False])
@pytest.mark.parametrize("seed", range(25))
def test_ranges_merged_give_the_whole_top_k(seed: int, whole: bool) -> None:
    """Split at any row ids (ties across a cut included), the ranges' top ks merged are
    the whole range's top k, as the split search on threads takes them."""
    offsets, docids, impacts, lists, weights, k, passages = _case(seed, whole)
    coded = code_impacts(impacts, offsets)
    ordered = _ordered(offsets, impacts, lists, weights)
    want = maxscore_tight(offsets, docids, *coded, *ordered, k, *ALL)
    rng = np.random.default_rng(seed + 1000)
    cuts = sorted({0, *rng.integers(0, passages + 1, size=int(rng.integers(1, 4))).tolist()})
    bounds = [*cuts, 0xFFFFFFFF]
    parts = [
        maxscore_tight(offsets, docids, *coded, *ordered, k, bounds[i], bounds[i + 1])
        for i in range(len(cuts))
    ]
    docs, scores, read = merge(parts, k)
    assert docs.tolist() == want[0].tolist()
    assert scores.tolist() == want[1].tolist()
    assert read >= want[2] or len(cuts) == 1


def test_a_windows_few_kept_passages_are_looked_up_not_added_whole() -> None:
    """Two strong rare lists and one in every passage, weak: once the heap is full the
    common list is not essential, and in each window only the few passages of the rare
    lists are looked up in it (galloped): past the first window (where the heap fills,
    every list added) only the rare lists' postings and their look-ups are scored; the top
    k is still the exhaustive one."""
    passages = 4 * WINDOW
    rows = np.arange(passages, dtype=np.uint32)
    rare = rows[::97]
    rarer = rows[::89]
    docids = np.concatenate([rare, rarer, rows])
    impacts = np.concatenate(
        [np.full(len(rare), 9.0), np.full(len(rarer), 8.0), np.full(passages, 0.5)]
    ).astype(np.float32)
    offsets = np.cumsum([0, len(rare), len(rarer), passages]).astype(np.int64)
    coded = code_impacts(impacts, offsets)
    lists, weights = [0, 1, 2], [1.0, 1.0, 1.0]
    ordered = _ordered(offsets, impacts, lists, weights)
    docs, scores, read = maxscore_tight(offsets, docids, *coded, *ordered, 5, *ALL)
    want = _exhaustive(offsets, docids, impacts, lists, weights, 5)
    assert [int(d) for d in docs] == [d for d, _ in want]
    assert scores.tolist() == pytest.approx([s for _, s in want])
    assert read < WINDOW + 3 * (len(rare) + len(rarer))


@pytest.fixture(scope="module")
def fresh(served: TantivyIndex) -> ImpactIndex:  # noqa: F811
    return build(store_texts(served.store), analyzer(), phrase_lists(served, PHRASES, analyzer()))


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("terms", QUERIES)
@pytest.mark.parametrize("k", [1, 5, 20, 10_000])
def test_the_served_search_by_tight_loops_is_the_same(
    fresh: ImpactIndex,
    terms: tuple[str, ...],
    k: int,
    threads: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every question searched by ``maxscore_tight`` (on 1-3 threads) ranks row for row
    and scores as by the windowed kernel it replaces."""
    monkeypatch.setattr(impact_module, "TIGHT", float("inf"))
    monkeypatch.setattr(impact_module, "DENSE", 0.0)
    want = fresh.search(terms, analyzer(), k)
    monkeypatch.setattr(impact_module, "TIGHT", 0.0)
    got = replace(fresh, threads=threads).search(terms, analyzer(), k)
    assert got == want


def test_questions_above_the_line_are_searched_in_tight_loops(
    fresh: ImpactIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above ``TIGHT`` postings a passage the served search takes ``maxscore_tight``;
    below it, the document-at-a-time kernel, as before."""
    import index.impact_tight as tight

    called: list[int] = []
    kernel = tight.maxscore_tight

    def counted(*args: Any) -> Any:
        called.append(1)
        return kernel(*args)

    monkeypatch.setattr(tight, "maxscore_tight", counted)
    monkeypatch.setattr(impact_module, "TIGHT", 0.0)
    fresh.search_tokens(["children", "care"], 5)
    assert called == [1]
    monkeypatch.setattr(impact_module, "TIGHT", float("inf"))
    fresh.search_tokens(["children", "care"], 5)
    assert called == [1]
