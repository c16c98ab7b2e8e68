"""The question encoder's ONNX exports against the model: vectors within the stated cosine.

In tests/integration, after tests/ingest: loading the model grows this process, and the
hostile-corpus test measures the peak memory of the ``cqa`` children it starts (which
inherit the parent's resident pages until they exec).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from index.onnx_export import onnx_model_for
from tests.conftest import SHARED


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
