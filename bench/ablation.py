"""What each retrieval component adds: the dev set scored with one component off at a time.

    python bench/ablation.py [--index DIR] [--out bench/out/ablation.json]

Builds the dev-set index with the bundled model (or reuses ``--index``), then runs
``cqa eval``'s own code (``evaluation.runner.evaluate``) once per configuration, in
this one process, so every row is measured on the same machine in the same run.  Prints a
Markdown table for docs/quality.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from evaluation.runner import evaluate  # noqa: E402
from index.embedder import SentenceTransformerEmbedder  # noqa: E402
from indexing.writer import IndexWriter  # noqa: E402
from qa_service.config import Settings  # noqa: E402
from qa_service.retriever import Engine  # noqa: E402
from qa_service.runtime import make_query_embedder  # noqa: E402

DEV = REPO.parent / "shared" / "dev-set"

# name -> (settings overrides, labelled filters applied)
CONFIGS: dict[str, tuple[dict[str, Any], bool]] = {
    "service (all components)": ({}, True),
    "as typed (no labelled filters)": ({}, False),
    "- second stage (RRF only)": (
        {
            "passage_weight": 0,
            "sentence_weight": 0,
            "coverage_weight": 0,
            "committee_weight": 0,
            "title_block_weight": 0,
            "decision_weight": 0,
        },
        True,
    ),
    "- sentence vectors": ({"sentence_weight": 0}, True),
    "- key-term coverage": ({"coverage_weight": 0}, True),
    "- committee match": ({"committee_weight": 0}, True),
    "- cover-block and front-matter penalty": ({"title_block_weight": 0}, True),
    "- decision match": ({"decision_weight": 0}, True),
    "- abbreviations": ({"expand_abbreviations": False}, True),
    "- typo correction": ({"correct_typos": False}, True),
    "- near-duplicate folding": ({"fold_duplicates": False}, True),
}
COLUMNS = (
    ("R@1", "recall_at_1"),
    ("R@5", "recall_at_5"),
    ("MRR@10", "mrr_at_10"),
    ("nDCG@10", "ndcg_at_10"),
    ("abstains", "abstention_accuracy"),
    ("false abst.", "false_abstention"),
    ("compare", "compare_coverage"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=REPO / "bench" / "out" / "dev-index")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "ablation.json")
    args = parser.parse_args()
    embedder = SentenceTransformerEmbedder()
    writer = IndexWriter(args.index, embedder)
    with writer.open():
        summary = writer.ingest([DEV / "corpus"])
    print(
        f"index: {summary.documents_total} documents, {summary.passages_total} passages",
        file=sys.stderr,
    )
    results: dict[str, dict[str, Any]] = {}
    for name, (overrides, labelled) in CONFIGS.items():
        started = time.perf_counter()
        settings = Settings(index=args.index, **overrides)
        # questions encoded as the service encodes them, so the first row is `cqa eval`'s
        engine = Engine(args.index, make_query_embedder(settings, embedder), settings)
        _text, figures = evaluate(engine, DEV / "questions.jsonl", label_filters=labelled)
        engine.close()
        results[name] = figures["overall"]
        print(f"{name}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    seeds_index = args.index.parent / "corpus-index"
    with IndexWriter(seeds_index, embedder).open() as seeds_writer:
        seeds_writer.ingest([REPO / "corpus"])
    settings = Settings(index=seeds_index)
    engine = Engine(seeds_index, make_query_embedder(settings, embedder), settings)
    _text, figures = evaluate(engine, DEV / "seed-questions.jsonl")
    results["seed questions, shipped corpus"] = figures["overall"]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print("| configuration | " + " | ".join(c for c, _ in COLUMNS) + " |")
    print("| --- |" + " ---: |" * len(COLUMNS))
    for name, figures in results.items():
        cells = ["-" if figures.get(key) is None else f"{figures[key]:.2f}" for _, key in COLUMNS]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
