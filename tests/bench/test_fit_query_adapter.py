"""The query adapter's fit (bench/fit_query_adapter.py) on made-up vectors: no index, no
model.  Questions whose vectors sit off their passages by a shared direction are pulled
back onto them; a strong pull toward the identity leaves them as they were."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from bench.fit_query_adapter import (
    AdaptedDense,
    Adapter,
    Config,
    Item,
    SwitchedEmbedder,
    chunked,
    dense_ranks,
    fit,
    pseudo_for,
)


class _Passages:
    """Just what ``fit`` and ``dense_ranks`` read of a set's passages."""

    def __init__(self, vectors: np.ndarray) -> None:
        self.vectors = vectors.astype(np.float32)
        self.ids = list(range(len(vectors)))


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def _problem(seed: int) -> tuple[dict[str, _Passages], list[Item]]:
    """40 passages; each question is its passage seen through a shared distortion (a large
    component along one direction every question shares), so by cosine alone it often
    ranks another passage first."""
    rng = np.random.default_rng(seed)
    dim = 24
    passages = _unit(rng.normal(size=(40, dim)))
    drift = _unit(rng.normal(size=dim))
    items = []
    for i in range(40):
        q = _unit(passages[i] + 1.5 * drift + 0.3 * rng.normal(size=dim))
        items.append(Item("made-up", q, [i], (f"council {i % 4}",), True))
    return {"made-up": _Passages(passages)}, items


def _mrr(adapter: Adapter | None, items: list[Item], passages: dict[str, _Passages]) -> float:
    ranks = [dense_ranks(adapter, it, passages) for it in items]  # type: ignore[arg-type]
    return float(np.mean([1 / r for r in ranks]))


def test_the_identity_adapter_changes_nothing() -> None:
    rng = np.random.default_rng(0)
    v = _unit(rng.normal(size=(5, 8)))
    adapter = Adapter(rng.normal(size=(2, 8)).astype(np.float32), np.zeros((8, 2), np.float32))
    assert np.allclose(adapter.apply(v), v, atol=1e-6)


def test_adapted_vectors_are_unit_length() -> None:
    rng = np.random.default_rng(1)
    adapter = Adapter(rng.normal(size=(3, 8)), rng.normal(size=(8, 3)))
    out = adapter.apply(_unit(rng.normal(size=(6, 8))))
    assert out.dtype == np.float32
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_a_fit_on_some_councils_helps_another() -> None:
    passages, items = _problem(2)
    train = [it for it in items if it.groups[0] != "council 0"]
    held = [it for it in items if it.groups[0] == "council 0"]
    adapter = fit(train, passages, Config(True, False, 0.01), rank=4, steps=150)  # type: ignore[arg-type]
    assert adapter is not None
    assert _mrr(adapter, held, passages) > _mrr(None, held, passages)


def test_a_strong_pull_toward_the_identity_keeps_it() -> None:
    passages, items = _problem(3)
    adapter = fit(items, passages, Config(True, False, 100.0), rank=4, steps=50)  # type: ignore[arg-type]
    assert adapter is not None
    assert np.abs(adapter.up @ adapter.down).max() < 1e-3


def test_nothing_to_fit_on_gives_no_adapter() -> None:
    passages, items = _problem(4)
    assert fit(items, passages, Config(False, True, 0.1)) is None  # type: ignore[arg-type]


def test_pseudo_pairs_come_only_from_the_folds_councils() -> None:
    _, items = _problem(5)
    pseudo = [Item("made-up", it.vector, it.positives, it.groups, False) for it in items]
    training = [it for it in items if it.groups[0] in ("council 1", "council 2")]
    kept = pseudo_for(training, pseudo)
    assert kept
    assert {it.groups[0] for it in kept} == {"council 1", "council 2"}


@pytest.mark.parametrize("k", [1, 2, 3])
def test_chunks_deal_councils_into_k_folds(k: int) -> None:
    _, items = _problem(6)
    dealt = chunked(items, k)
    assert len({it.groups[0] for it in dealt}) == k
    same = {(a.groups[0], b.groups[0]) for a, b in zip(items, dealt, strict=True)}
    assert len({c for c, _ in same}) == len(same)  # a council stays in one chunk


def test_the_switched_encoder_adapts_only_while_set() -> None:
    class Fixed:
        name, dim = "fixed", 4
        known_words = frozenset({"council"})

        def encode(self, texts: Sequence[str]) -> np.ndarray:
            return np.tile(_unit(np.arange(1, 5, dtype=np.float32)), (len(texts), 1))

    switched = SwitchedEmbedder(Fixed())
    plain = switched.encode(["a"])
    switched.adapter = Adapter(
        np.eye(1, 4, dtype=np.float32), np.eye(4, 1, k=-3).astype(np.float32)
    )
    assert not np.allclose(switched.encode(["a"]), plain)
    switched.adapter = None
    assert np.allclose(switched.encode(["a"]), plain)
    assert switched.known_words == frozenset({"council"})


@dataclass
class _Query:
    text: str
    vector: np.ndarray | None


def test_dense_only_moves_the_vector_of_the_dense_search_alone() -> None:
    class Inner:
        kind = "exact"

        def __init__(self) -> None:
            self.seen: list[np.ndarray] = []

        def search(self, query: Any, n: int, filters: Any) -> list[tuple[int, float]]:
            self.seen.append(query.vector)
            return []

        def similarity(self, query: Any, rowids: list[int]) -> dict[int, float]:
            self.seen.append(query.vector)
            return {}

    class Plain:
        name, dim = "plain", 4

        def encode(self, texts: Sequence[str]) -> np.ndarray:
            return np.tile(_unit(np.arange(1, 5, dtype=np.float32)), (len(texts), 1))

    switched = SwitchedEmbedder(Plain(), dense_only=True)
    switched.adapter = Adapter(
        np.eye(1, 4, dtype=np.float32), np.eye(4, 1, k=-3).astype(np.float32)
    )
    plain = switched.encode(["a"])[0]
    inner = Inner()
    dense = AdaptedDense(inner, switched)
    dense.search(_Query("a", plain), 5, None)
    dense.similarity(_Query("a", plain), [1])
    assert np.allclose(switched.encode(["a"])[0], plain)  # the sentences' vector: plain
    assert all(np.allclose(v, switched.adapter.apply(plain[None, :])[0]) for v in inner.seen)
    assert not np.allclose(inner.seen[0], plain)
    assert dense.kind == "exact"
