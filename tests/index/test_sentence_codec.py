"""Sentence vectors stored smaller: each codec round-trips, readers take any mix."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cqa_core.limits import IngestLimits
from index.sentence_codec import CODECS, bytes_per_vector, decode, decode_one, encode
from index.store import Store
from indexing.writer import IndexWriter
from qa_service.config import Settings
from qa_service.runtime import limits


def _unit(n: int, dim: int = 384) -> np.ndarray:
    vectors = np.random.default_rng(0).normal(size=(n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.mark.parametrize(
    ("codec", "tolerance"), [("float32", 0.0), ("float16", 1e-3), ("int8", 1e-2)]
)
def test_each_codec_round_trips_within_its_precision(codec: str, tolerance: float) -> None:
    vectors = _unit(50)
    blobs = encode(vectors, codec)  # type: ignore[arg-type]
    assert {len(b) for b in blobs} == {bytes_per_vector(codec, 384)}  # type: ignore[arg-type]
    back = decode(blobs, 384)
    assert np.abs(back - vectors).max() <= tolerance
    cosines = np.sum(back * vectors, axis=1) / np.linalg.norm(back, axis=1)
    assert cosines.min() >= 1 - tolerance - 1e-6


def test_a_mix_of_codecs_decodes_row_by_row() -> None:
    vectors = _unit(3, 48)
    blobs = [encode(vectors[i : i + 1], codec)[0] for i, codec in enumerate(CODECS)]
    assert np.allclose(decode(blobs, 48), vectors, atol=1e-2)
    assert np.array_equal(encode(np.zeros((1, 48)), "int8")[0][:48], bytes(48))
    with pytest.raises(ValueError, match="fits no codec"):
        decode_one(b"123", 48)


def test_an_index_written_with_int8_sentences_reads_them_back(
    tmp_path: Path, small_corpus: Path, fake_embedder: object
) -> None:
    for codec in ("float32", "int8"):
        writer = IndexWriter(tmp_path / codec, fake_embedder, IngestLimits(sentence_codec=codec))  # type: ignore[arg-type]
        with writer.open():
            writer.ingest([small_corpus])
    plain, small = Store.open(tmp_path / "float32"), Store.open(tmp_path / "int8")
    ids = [int(i) for i in plain.all_embeddings()[0][:5]]
    sizes = {len(r[0]) for r in small.conn.execute("SELECT embedding FROM sentences")}
    assert sizes == {fake_embedder.dim + 4}  # type: ignore[attr-defined]
    full, packed = plain.sentence_vectors(ids), small.sentence_vectors(ids)
    assert full.keys() == packed.keys() and full
    for rowid, (spans, vectors) in full.items():
        assert packed[rowid][0] == spans
        assert np.allclose(packed[rowid][1], vectors, atol=1e-2)
    # the stored hashes find the int8 vectors again (an ingest reusing a sentence's vector)
    digest = small.conn.execute("SELECT embed_hash FROM sentences LIMIT 1").fetchone()[0]
    again = small.embeddings_by_hash([digest], table="sentences")[digest]
    assert again.shape == (fake_embedder.dim,)  # type: ignore[attr-defined]
    plain.close()
    small.close()


def test_the_settings_reach_the_ingest_limits() -> None:
    chosen = limits(Settings(sentence_vectors="float16", dense_ondisk_min=7))
    assert (chosen.sentence_codec, chosen.dense_ondisk_min) == ("float16", 7)
    defaults = limits(Settings())
    assert (defaults.sentence_codec, defaults.dense_ondisk_min) == (
        IngestLimits().sentence_codec,
        IngestLimits().dense_ondisk_min,
    )
