from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from bench.filtered_probes import recall_at
from index.base import Query
from index.dense_ondisk import OnDiskDenseIndex, filtered_probes
from index.filters import Allowed, Filters
from index.ondisk_build import build_base

pytestmark = pytest.mark.usefixtures("one_faiss_thread")


def test_recall_counts_the_exact_top_10_found_in_the_top_10() -> None:
    assert recall_at([1, 2, 3], [3, 2, 1]) == 1.0
    assert recall_at(list(range(20)), list(range(5, 25))) == 0.5  # 5..9 of 5..14
    assert recall_at([7], [7, 8]) == 0.5
    assert recall_at([], []) == 1.0  # nothing passes: nothing to miss


def test_the_bench_searches_the_lists_as_the_index_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(20, 32))
    vectors = centres[rng.integers(0, 20, 3000)] + 0.4 * rng.normal(size=(3000, 32))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    ids = np.arange(3000, dtype=np.int64)
    shards = ((ids[s : s + 1000], vectors[s : s + 1000]) for s in range(0, 3000, 1000))
    dense = OnDiskDenseIndex.open_base(build_base(tmp_path, vectors[::2], shards, nlist=32))
    allowed = Allowed.of(ids[ids % 7 == 0])  # 429 of 3,000: through the lists, not exact
    monkeypatch.setattr("index.dense_ondisk.EXACT_FILTERED", 10)
    dense.store = SimpleNamespace(allowed=lambda _filters: allowed)  # type: ignore[assignment]
    nprobe = filtered_probes(32, dense.nprobe, allowed.count / dense.count())
    for row in range(0, 3000, 97):
        query = Query(text="q", vector=vectors[row])
        served = [i for i, _ in dense.search(query, 12, Filters(council=("any",)))]
        listed = dense.search_lists(vectors[row], 12, allowed.bitmap, nprobe)  # the bench's
        assert served == [i for i, _ in listed]
        assert all(i % 7 == 0 for i in served)
