"""Dense search details: similarity for passages the loaded FAISS file does not hold."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.base import Query
from index.dense import DenseIndex
from index.store import Store


def test_similarity_reads_vectors_newer_than_the_loaded_index(small_index: Path) -> None:
    store = Store.open(small_index)
    ids, vectors = store.all_embeddings()
    # an index loaded before the last commit: it holds only the first passage
    dense = DenseIndex.empty(vectors.shape[1], store)
    dense.add(ids[:1], vectors[:1])
    query = Query(text="q", vector=vectors[1])
    sims = dense.similarity(query, [int(ids[0]), int(ids[1]), 10**9])
    assert set(sims) == {int(ids[0]), int(ids[1])}  # a removed passage is left out
    assert np.isclose(sims[int(ids[1])], float(vectors[1] @ vectors[1]), atol=1e-5)
    assert np.isclose(sims[int(ids[0])], float(vectors[0] @ vectors[1]), atol=1e-5)
