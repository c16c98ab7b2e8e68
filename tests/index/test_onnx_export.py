"""The question encoder's ONNX export: the cache key and its reuse (the vectors against the
model's are checked in tests/integration/test_onnx_encoder.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from index.onnx_export import cache_key, onnx_model_for


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
