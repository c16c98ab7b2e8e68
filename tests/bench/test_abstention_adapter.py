"""The adapted cosine as abstention evidence (bench/abstention_adapter.py) on made-up
numbers: no index, no model.  The nesting never lets a fold's council reach the adapter or
the classifier that judges it, and a feature that separates the classes is used."""

from __future__ import annotations

import numpy as np

from bench.abstention_adapter import (
    VARIANTS,
    Row,
    adapted_cosine,
    best_cosine,
    chunk_of,
    columns,
    fit_arrays,
    nested_states,
)
from bench.fit_query_adapter import Adapter
from qa_service.abstention import ANSWERED, FEATURES, NOT_IN_PAPERS


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def test_best_cosine_reads_passages_and_sentences() -> None:
    v = _unit(np.array([1.0, 0.0, 0.0]))
    returned = [
        _unit(np.array([[0.0, 1.0, 0.0], [0.6, 0.8, 0.0]])),  # passage, one sentence
        _unit(np.array([[0.8, 0.0, 0.6]])),
    ]
    assert abs(best_cosine(v, returned) - 0.8) < 1e-6
    assert best_cosine(v, []) == 0.0


def test_the_identity_adapter_moves_nothing() -> None:
    rng = np.random.default_rng(1)
    vector = _unit(rng.normal(size=8))
    row = Row("s", True, ("a",), np.zeros(len(FEATURES)), vector, [_unit(rng.normal(size=(3, 8)))])
    zero = Adapter(np.zeros((2, 8), np.float32), np.zeros((8, 2), np.float32))
    assert abs(adapted_cosine(zero, row) - adapted_cosine(None, row)) < 1e-6


def test_columns_add_or_replace_the_cosine() -> None:
    evidence = np.arange(len(FEATURES), dtype=np.float64)
    assert list(columns(VARIANTS[0], evidence, 9.0)) == list(evidence)
    added = columns(VARIANTS[1], evidence, 9.0)
    assert len(added) == len(FEATURES) + 1 and added[-1] == 9.0
    swapped = columns(VARIANTS[2], evidence, 9.0)
    assert swapped[FEATURES.index("cosine")] == 9.0 and len(swapped) == len(FEATURES)
    assert evidence[FEATURES.index("cosine")] != 9.0  # the evidence itself is left alone


def test_fit_arrays_answers_the_answerable_side() -> None:
    rng = np.random.default_rng(2)
    y = np.array([True] * 60 + [False] * 20)
    x = rng.normal(size=(80, 3))
    x[:, 0] += np.where(y, 2.0, -2.0)
    model = fit_arrays(x, y)
    states = [model.state(v) for v in x]
    caught = sum(s != ANSWERED for s, a in zip(states, y, strict=True) if not a)
    false = sum(s != ANSWERED for s, a in zip(states, y, strict=True) if a)
    assert caught >= 18 and false <= 3
    assert model.state(None) == NOT_IN_PAPERS


def _rows(seed: int) -> list[Row]:
    """Eight councils of ten questions; the base evidence is noise, and only the question's
    vector (its cosine to the returned passage) tells answerable from not."""
    rng = np.random.default_rng(seed)
    rows = []
    passage = _unit(np.eye(6)[0])
    for i in range(80):
        answerable = i % 4 != 0
        near = 0.9 if answerable else 0.3
        v = _unit(near * passage + (1 - near) * _unit(rng.normal(size=6)))
        evidence = rng.normal(size=len(FEATURES))
        rows.append(Row("s", answerable, (f"c{i % 8}",), evidence, v, [passage[None, :]]))
    return rows


def test_the_nesting_keeps_the_fold_out_and_the_feature_counts() -> None:
    rows = _rows(3)
    chunk = chunk_of([r.groups[0] for r in rows], 3)
    asked: list[tuple[str, int]] = []

    def outer(fold: str) -> Adapter | None:
        asked.append((fold, -1))
        return None

    def inner(fold: str, part: int) -> Adapter | None:
        asked.append((fold, part))
        return None

    plain = nested_states(rows, VARIANTS[0], outer, inner, chunk)
    added = nested_states(rows, VARIANTS[1], outer, inner, chunk)
    # each held-out question's feature is from its own fold's outer adapter
    assert {f for f, p in asked if p == -1} == {f"c{i}" for i in range(8)}
    # the inner adapters of a fold are asked for the chunks of the other councils only
    for fold, part in asked:
        if part >= 0:
            others = {c for c, k in chunk.items() if k == part and c != fold}
            assert others, (fold, part)

    def wrong(states: list[str]) -> int:
        return sum((s == ANSWERED) != r.answerable for s, r in zip(states, rows, strict=True))

    assert wrong(added) < wrong(plain)
    assert sum(s != ANSWERED for s, r in zip(added, rows, strict=True) if not r.answerable) >= 15


def test_chunks_deal_councils_round_robin() -> None:
    chunk = chunk_of(["b", "a", "c", "a", "d"], 2)
    assert chunk == {"a": 0, "b": 1, "c": 0, "d": 1}
