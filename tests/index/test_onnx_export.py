"""The question encoder's ONNX export: the cache key, and vectors close to the model's."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from index.onnx_export import cache_key, onnx_model_for
from tests.conftest import SHARED


def _fake_model_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "my-model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    (folder / "model.safetensors").write_bytes(b"weights")
    return folder


def test_cache_key_is_stable_and_follows_the_weights(tmp_path: Path) -> None:
    folder = _fake_model_dir(tmp_path)
    first = cache_key(folder)
    assert cache_key(folder) == first
    weights = folder / "model.safetensors"
    weights.write_bytes(b"other weights")
    os.utime(weights, ns=(1, 1))
    assert cache_key(folder) != first


def test_a_cached_export_is_reused_without_the_model(tmp_path: Path) -> None:
    # The file present under the key is returned as is: nothing is exported again.
    folder = _fake_model_dir(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    existing = cache / f"my-model-{cache_key(folder)}-int8.onnx"
    existing.write_bytes(b"onnx")
    assert onnx_model_for(folder, cache, "int8") == existing


def test_unknown_precision_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        onnx_model_for(_fake_model_dir(tmp_path), tmp_path, "int4")


def _questions() -> list[str]:
    path = SHARED / "dev-set" / "questions.jsonl"
    if not path.exists():
        return ["what did Ofsted say about thresholds", "LAC placement stability 2019"]
    return [json.loads(line)["question"] for line in path.read_text().splitlines() if line]


@pytest.mark.integration
@pytest.mark.parametrize(("precision", "floor"), [("fp32", 0.9999), ("int8", 0.98)])
def test_onnx_vectors_match_the_model(
    real_embedder, tmp_path_factory: pytest.TempPathFactory, precision: str, floor: float
) -> None:  # type: ignore[no-untyped-def]
    from index.embedder import OnnxEmbedder, bundled_model_path
    from qa_service.config import Settings

    folder = bundled_model_path()
    path = onnx_model_for(folder, Settings().model_cache, precision)
    encoder = OnnxEmbedder(path, folder)
    assert encoder.name == real_embedder.name and encoder.dim == real_embedder.dim
    questions = _questions()
    single = np.vstack([encoder.encode([q]) for q in questions])  # as questions are asked
    cosine = (single * real_embedder.encode(questions)).sum(axis=1)
    assert cosine.min() >= floor
    assert np.allclose(np.linalg.norm(single, axis=1), 1.0, atol=1e-4)
    batch = encoder.encode(questions)  # padded batches (int8 activations scale per batch)
    assert (batch * single).sum(axis=1).min() >= (0.9999 if precision == "fp32" else 0.98)
    assert encoder.encode([]).shape == (0, encoder.dim)
