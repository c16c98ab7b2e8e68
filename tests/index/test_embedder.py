"""The real model's wrapper without loading it: its declared dimension, and lazy loading."""

from __future__ import annotations

import json
from pathlib import Path

from index.embedder import SentenceTransformerEmbedder, bundled_model_path, dimension_from_files


def test_the_bundled_model_declares_384_dimensions() -> None:
    assert dimension_from_files(bundled_model_path()) == 384


def test_a_dense_layer_sets_the_dimension(tmp_path: Path) -> None:
    (tmp_path / "2_Dense").mkdir()
    (tmp_path / "2_Dense" / "config.json").write_text(json.dumps({"out_features": 256}))
    modules = [
        {"path": "", "type": "sentence_transformers.models.Transformer"},
        {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"path": "2_Dense", "type": "sentence_transformers.models.Dense"},
    ]
    (tmp_path / "modules.json").write_text(json.dumps(modules))
    assert dimension_from_files(tmp_path) == 256


def test_an_undeclared_dimension_is_unknown(tmp_path: Path) -> None:
    assert dimension_from_files(tmp_path) is None


def test_lazy_embedder_loads_nothing_until_it_embeds() -> None:
    embedder = SentenceTransformerEmbedder(lazy=True)
    assert embedder.dim == 384 and embedder.name
    assert embedder._loaded is None
