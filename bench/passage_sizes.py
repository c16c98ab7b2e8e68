"""Passage size against retrieval quality: the dev set and the seed questions scored with
passages cut at several sizes.

    python bench/passage_sizes.py [--sizes 120:40,200:50,250:60,275:60,300:60] [--out DIR]

For each ``max:min`` pair (words) this builds the dev-set index and the shipped corpus's
index with those passage sizes (``IngestLimits``) and the bundled model, scores them with
``cqa eval``'s own code (``evaluation.runner.evaluate``) and the service's settings,
and prints one Markdown row per size, all in this one process.  The indexes are kept under
``--out`` (default ``bench/out/passage-sizes``), so a second run only re-scores them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from evaluation.runner import evaluate  # noqa: E402
from index.embedder import SentenceTransformerEmbedder  # noqa: E402
from index.store import Store  # noqa: E402
from indexing.writer import IndexWriter  # noqa: E402
from ingest.pipeline import IngestLimits  # noqa: E402
from qa_service.config import Settings  # noqa: E402
from qa_service.retriever import Engine  # noqa: E402
from qa_service.runtime import make_query_embedder  # noqa: E402

DEV = REPO.parent / "shared" / "dev-set"
DEFAULT_SIZES = "120:40,200:50,250:60,275:60,300:60"


def sizes_of(text: str) -> list[tuple[int, int]]:
    """``"275:60,120:40"`` as ``[(275, 60), (120, 40)]``."""
    out = []
    for pair in text.split(","):
        most, least = pair.split(":")
        out.append((int(most), int(least)))
    return out


def build(folder: Path, corpus: Path, limits: IngestLimits, embedder: object) -> Path:
    with IndexWriter(folder, embedder, limits=limits).open() as writer:  # type: ignore[arg-type]
        writer.ingest([corpus])
    return folder


def passage_words(folder: Path) -> tuple[int, float]:
    """How many passages an index holds, and their mean length in words."""
    store = Store.open(folder)
    try:
        with store.lock:
            counts = [len(t.split()) for (t,) in store.conn.execute("SELECT text FROM passages")]
        return len(counts), statistics.mean(counts)
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="max:min word pairs")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "passage-sizes")
    args = parser.parse_args()
    embedder = SentenceTransformerEmbedder()
    query_embedder = make_query_embedder(Settings(), embedder)

    def score(folder: Path, questions: Path) -> dict[str, float]:
        engine = Engine(folder, query_embedder, Settings(index=folder))
        try:
            return evaluate(engine, questions)[1]["overall"]
        finally:
            engine.close()

    print(
        "| passage words | passages | mean words | R@1 | R@5 | MRR@10 | compare | abstains "
        "| false abst. | seeds R@1 | seeds MRR@10 |"
    )
    print("| --- |" + " ---: |" * 10)
    for most, least in sizes_of(args.sizes):
        started = time.perf_counter()
        limits = IngestLimits(min_words=least, max_words=most)
        dev = build(args.out / f"dev-{least}-{most}", DEV / "corpus", limits, embedder)
        seeds = build(args.out / f"seeds-{least}-{most}", REPO / "corpus", limits, embedder)
        d, s = score(dev, DEV / "questions.jsonl"), score(seeds, DEV / "seed-questions.jsonl")
        count, words = passage_words(dev)
        print(
            f"| {least}-{most} | {count} | {words:.0f} | {d['recall_at_1']:.2f} "
            f"| {d['recall_at_5']:.2f} | {d['mrr_at_10']:.3f} | {d['compare_coverage']:.2f} "
            f"| {d['abstention_accuracy']:.2f} | {d['false_abstention']:.2f} "
            f"| {s['recall_at_1']:.2f} | {s['mrr_at_10']:.3f} |",
            flush=True,
        )
        print(f"{least}-{most}: {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
