"""Sentence vectors stored smaller: each codec round-trips, readers take any mix."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cqa_core.limits import IngestLimits
from index import sentence_codec
from index.sentence_codec import CODECS, bytes_per_vector, decode, decode_one, encode
from index.sentences import sentence_key
from index.store import Store
from indexing.embed_batch import embed_hash
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
    plain = [c for c in CODECS if not c.startswith("pq")]  # pq needs a codebook (below)
    blobs = [encode(vectors[i : i + 1], codec)[0] for i, codec in enumerate(plain)]
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
    # a sentence's text hash finds its int8 vector again (an ingest reusing it), as stored
    # under the 8-byte key (index.sentences.sentence_key)
    rowid, (spans, vectors) = next(iter(full.items()))
    start, end = spans[0]
    digest = embed_hash(fake_embedder.name, small.passages([rowid])[rowid].text[start:end])  # type: ignore[attr-defined]
    key = small.conn.execute(
        "SELECT embed_hash FROM sentences WHERE passage = ? AND start_char = ?", (rowid, start)
    ).fetchone()[0]
    assert key == sentence_key(digest) and isinstance(key, int) and -(2**63) <= key < 2**63
    again = small.embeddings_by_hash([digest, "f" * 32], table="sentences")
    assert list(again) == [digest]
    assert np.allclose(again[digest], vectors[0], atol=1e-2)
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


def _clustered(n: int, dim: int = 96, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(20, dim))
    vectors = centres[rng.integers(0, 20, n)] + 0.3 * rng.normal(size=(n, dim))
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture
def codebook(monkeypatch: pytest.MonkeyPatch) -> np.ndarray:
    """A pq48 codebook for 96-dimension vectors of ``_clustered``'s kind, in place of the
    shipped one (which fits the bundled model's 384 dimensions)."""
    import faiss

    pq = faiss.ProductQuantizer(96, 48, 8)
    pq.train(_clustered(4000, seed=1))
    centroids = faiss.vector_to_array(pq.centroids).reshape(48, 256, 2)
    monkeypatch.setattr(sentence_codec, "pq_centroids", lambda dim, m=48: centroids)
    return centroids


def test_pq48_codes_are_the_nearest_centroids_and_decode_to_unit_vectors(
    codebook: np.ndarray,
) -> None:
    import faiss

    vectors = _clustered(300, seed=2)
    blobs = encode(vectors, "pq48")
    assert {len(b) for b in blobs} == {48} and bytes_per_vector("pq48", 96) == 48
    pq = faiss.ProductQuantizer(96, 48, 8)
    faiss.copy_array_to_vector(codebook.ravel(), pq.centroids)
    assert np.array_equal(sentence_codec.pq_encode(vectors, codebook), pq.compute_codes(vectors))
    back = decode(blobs, 96)
    assert np.allclose(np.linalg.norm(back, axis=1), 1.0, atol=1e-5)
    assert np.sum(back * vectors, axis=1).min() > 0.9
    assert np.allclose(decode_one(blobs[7], 96), back[7])
    mixed = [blobs[0], encode(vectors[1:2], "int8")[0]]  # any mix, row by row
    assert np.allclose(decode(mixed, 96)[0], back[0])


@pytest.mark.parametrize("codec", ["pq96", "pq48"])
def test_the_shipped_codebooks_fit_the_bundled_model_only(codec: str) -> None:
    m = sentence_codec.PQ_BYTES[codec]
    centroids = sentence_codec.pq_centroids(384, m)
    assert centroids.shape == (m, 256, 384 // m) and centroids.dtype == np.float32
    vectors = _unit(20)  # not sentences: only the round trip's shape and norm are checked
    blobs = encode(vectors, codec)  # type: ignore[arg-type]
    assert {len(b) for b in blobs} == {m} == {bytes_per_vector(codec, 384)}  # type: ignore[arg-type]
    back = decode(blobs, 384)
    assert back.shape == (20, 384) and np.allclose(np.linalg.norm(back, axis=1), 1.0, atol=1e-5)
    assert np.allclose(decode_one(blobs[3], 384), back[3])
    with pytest.raises(ValueError, match="384-dimension"):
        sentence_codec.pq_centroids(96, m)


def test_an_index_written_with_pq48_sentences_reads_them_back(
    tmp_path: Path, small_corpus: Path, codebook: np.ndarray
) -> None:
    from index.embedder import HashingEmbedder

    embedder = HashingEmbedder(dim=96)
    for codec in ("float32", "pq48"):
        writer = IndexWriter(tmp_path / codec, embedder, IngestLimits(sentence_codec=codec))
        with writer.open():
            writer.ingest([small_corpus])
    plain, small = Store.open(tmp_path / "float32"), Store.open(tmp_path / "pq48")
    sizes = {len(r[0]) for r in small.conn.execute("SELECT embedding FROM sentences")}
    assert sizes == {48}
    ids = [int(i) for i in plain.all_embeddings()[0][:5]]
    full, packed = plain.sentence_vectors(ids), small.sentence_vectors(ids)
    assert full.keys() == packed.keys() and full
    for rowid, (spans, vectors) in full.items():
        assert packed[rowid][0] == spans
        expected = sentence_codec.pq_decode(sentence_codec.pq_encode(vectors, codebook), codebook)
        assert np.allclose(packed[rowid][1], expected, atol=1e-6)
