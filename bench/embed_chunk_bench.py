"""Embedding a commit batch in chunks (for the ingest progress bar) against one call per batch.

Ingests a corpus into a fresh index with the real model, alternating the two settings of
``indexing.embed_batch.EMBED_CHUNK`` (a chunk larger than any batch is the old single call),
and prints the seconds of each run, the medians and their ratio.  The model is loaded once,
before the first run, so its load time is in neither figure.

    python -m bench.embed_chunk_bench                      # the dev set, 2 rounds
    python -m bench.embed_chunk_bench --corpus DIR --rounds 3 --chunk 32
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import indexing.embed_batch  # noqa: E402
from indexing.writer import IndexWriter  # noqa: E402
from qa_service.config import Settings  # noqa: E402
from qa_service.runtime import limits, make_embedder  # noqa: E402

ONE_CALL = 10**9  # a chunk larger than any batch: one call for its passages, one for sentences


def main() -> None:
    """Run the interleaved comparison and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO_ROOT.parent / "shared/dev-set/corpus")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=indexing.embed_batch.EMBED_CHUNK)
    args = parser.parse_args()
    settings = Settings()
    embedder = make_embedder(settings)
    embedder.encode(["warm up"])
    seconds: dict[int, list[float]] = {ONE_CALL: [], args.chunk: []}
    with tempfile.TemporaryDirectory(prefix="embed-chunk-") as scratch:
        for round_ in range(args.rounds):
            for chunk in seconds:
                indexing.embed_batch.EMBED_CHUNK = chunk
                index_dir = Path(scratch) / f"idx-{round_}-{chunk}"
                started = time.perf_counter()
                with IndexWriter(index_dir, embedder, limits(settings)).open() as writer:
                    summary = writer.ingest([args.corpus])
                seconds[chunk].append(time.perf_counter() - started)
                shutil.rmtree(index_dir)
                label = "one call" if chunk == ONE_CALL else f"chunks of {chunk}"
                print(
                    f"{label}: {seconds[chunk][-1]:.1f} s ({summary.passages_added} passages)",
                    flush=True,
                )
    one, chunked = (statistics.median(seconds[c]) for c in seconds)
    print(f"median: one call {one:.1f} s, chunks of {args.chunk} {chunked:.1f} s")
    print(f"ratio chunked / one call: {chunked / one:.3f}")


if __name__ == "__main__":
    main()
