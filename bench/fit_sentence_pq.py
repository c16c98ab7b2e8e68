"""Fit the product quantisers of the ``pq96`` and ``pq48`` sentence-vector codecs
(``index.sentence_codec``).

A codebook belongs to the embedding model, not to an index: it is trained once on the
bundled model's sentence vectors of the synthetic corpus (``bench.synth``: none of the three
dev sets' text), and shipped as ``index/sentence_pq96.npz`` and ``sentence_pq48.npz``
(float16 centroids, ~180 KB each).

1. the synthetic corpus (``--passages``, 1,200 by default) is ingested with the bundled
   model into a temporary index, float32 sentence vectors (the same sentence spans as any
   ingest);
2. FAISS's ``ProductQuantizer`` (96 or 48 sub-quantisers of 256 centroids, 4 or 8
   dimensions each) is trained on 90% of the sentence vectors;
3. the held-out 10% are encoded and decoded: their cosine to the original is reported.

    python -m bench.fit_sentence_pq [--passages 1200] [--work /tmp/fit-pq] [--keep]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from index import sentence_codec  # noqa: E402
from index.store import DB_NAME  # noqa: E402


def sentence_vectors(work: Path, passages: int) -> np.ndarray:
    """The bundled model's sentence vectors of a synthetic corpus of ``passages`` passages."""
    from bench.scale import write_corpus
    from index.embedder import SentenceTransformerEmbedder
    from indexing.writer import IndexWriter

    index = work / "index"
    if not (index / DB_NAME).exists():
        corpus = work / "corpus"
        if not corpus.exists():
            write_corpus(corpus, passages, seed=7)
        writer = IndexWriter(index, SentenceTransformerEmbedder())
        with writer.open():
            writer.ingest([corpus])
    db = sqlite3.connect(index / DB_NAME)
    dim = int(db.execute("SELECT value FROM meta WHERE key = 'dim'").fetchone()[0])
    blobs = [r[0] for r in db.execute("SELECT embedding FROM sentences ORDER BY rowid")]
    db.close()
    return sentence_codec.decode(blobs, dim).copy()


def fit(vectors: np.ndarray, m: int, seed: int = 0) -> tuple[np.ndarray, dict[str, float]]:
    """Centroids ``(m, 256, dim / m)`` trained on 90% of ``vectors``, and the held-out fit."""
    import faiss

    rng = np.random.default_rng(seed)
    order = rng.permutation(len(vectors))
    held = vectors[order[: len(vectors) // 10]]
    train = np.ascontiguousarray(vectors[order[len(vectors) // 10 :]], dtype=np.float32)
    dim = vectors.shape[1]
    pq = faiss.ProductQuantizer(dim, m, 8)
    pq.train(train)
    centroids = faiss.vector_to_array(pq.centroids).reshape(m, 256, dim // m)
    codes = sentence_codec.pq_encode(held, centroids)
    back = sentence_codec.pq_decode(codes, centroids)
    cosine = np.sum(back * held, axis=1) / np.linalg.norm(held, axis=1)
    report = {
        "train": len(train),
        "held_out": len(held),
        "cosine_mean": round(float(cosine.mean()), 4),
        "cosine_p1": round(float(np.percentile(cosine, 1)), 4),
        "cosine_min": round(float(cosine.min()), 4),
    }
    return centroids, report


def main(argv: list[str] | None = None) -> int:
    """Fit and write the codebook; prints the held-out figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, default=1200)
    parser.add_argument("--work", type=Path, default=Path("/tmp/fit-pq"))
    parser.add_argument("--out", type=Path, help="folder (default: beside the codec)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    vectors = sentence_vectors(args.work, args.passages)
    reports = {}
    for m in sentence_codec.PQ_BYTES.values():
        centroids, reports[f"pq{m}"] = fit(vectors, m)
        path = sentence_codec.pq_file(m)
        path = args.out / path.name if args.out else path
        np.savez_compressed(path, centroids=centroids.astype(np.float16))
    print(json.dumps({"sentences": len(vectors), **reports}, indent=1))
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
