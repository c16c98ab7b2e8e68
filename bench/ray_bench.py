"""Ray's overhead against a plain process: the same passages embedded by the real model both ways.

Plain: one process, the model loaded once, ``--workers`` torch threads.  Ray: a local Ray
of ``--workers`` one-thread actors (one logical CPU more, see ``indexing/ray_ingest.py``), the
passages as a Ray Data dataset of one block per ``BLOCK`` passages, embedded by an actor pool
and collected on the driver, as ``cqa ingest --engine ray`` does.  Plain and Ray runs are
interleaved (plain, Ray, plain, Ray, ...) so a load change on this shared machine hits both;
the load average is printed beside every run.

Reported, as medians over the runs:
- the embedding step's throughput (passages/s): plain's encode call; Ray's from the first
  batch an actor started to the last it finished, over all actors;
- the per-worker rate: passages per second of one actor's own encode time (plain: the
  throughput divided by its threads);
- end to end: plain from model load to vectors; Ray from ``ray.init`` to the last row back
  on the driver (actor start and model loads included).

    .venv/bin/python -m bench.ray_bench --passages 1000 --runs 3 --workers 2
    .venv/bin/python -m bench.ray_bench --ingest /tmp/ray-bench --runs 2 \\
        --corpus ../shared/dev-set/corpus     # whole ingests, with the Parquet shard sizes
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from cqa_core.errors import IngestError
from indexing.embed_batch import embed_text
from ingest.pipeline import discover, process_file

# Passages per Ray block and per actor call, sorted by length inside it so the model's
# batches of 16 pad little; plain encodes the same chunks, so the two batch alike and the
# ratio is Ray's overhead alone.  (Calls of 16 unsorted passages ran at 0.42 of plain.)
CALL = 128


def encode_in_calls(model: Any, texts: list[str]) -> None:
    """Encode ``texts`` as the Ray actors do: in calls of ``CALL``, each sorted by length."""
    for start in range(0, len(texts), CALL):
        model.encode(sorted(texts[start : start + CALL], key=len))


def passages(corpora: list[Path], count: int) -> list[str]:
    """The first ``count`` passages (as the model reads them) of the corpora's papers."""
    texts: list[str] = []
    files, _warnings = discover(corpora)
    for path, meta in files:
        try:
            document = process_file(path, meta)
        except IngestError:
            continue
        texts.extend(embed_text(p) for p in document.passages)
        if len(texts) >= count:
            break
    return texts[:count]


class EmbedTexts:
    """A Ray actor: the bundled model on one torch thread; times its own encode calls."""

    def __init__(self) -> None:
        import torch

        torch.set_num_threads(1)
        from index.embedder import SentenceTransformerEmbedder

        self.model = SentenceTransformerEmbedder()
        self.model.encode(["warm up"])
        self.pid = os.getpid()

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        texts = [str(t) for t in batch["text"]]
        started = time.time()
        vectors = self.model.encode(sorted(texts, key=len))
        ended = time.time()
        n = len(texts)
        return {
            "n": np.full(n, 1),
            "pid": np.full(n, self.pid),
            "start": np.full(n, started),
            "end": np.full(n, ended),
            "seconds": np.full(n, (ended - started) / n),
            "dim": np.full(n, vectors.shape[1]),
        }


def run_plain(texts: list[str], workers: int) -> dict[str, float]:
    """Model load and encode in this process on ``workers`` torch threads."""
    import torch

    torch.set_num_threads(workers)
    from index.embedder import SentenceTransformerEmbedder

    load = os.getloadavg()[0]
    began = time.perf_counter()
    model = SentenceTransformerEmbedder()
    model.encode(["warm up"])
    started = time.perf_counter()
    encode_in_calls(model, texts)
    ended = time.perf_counter()
    rate = len(texts) / (ended - started)
    return {
        "embed_rate": rate,
        "per_worker": rate / workers,
        "end_to_end_rate": len(texts) / (ended - began),
        "end_to_end_s": ended - began,
        "load": load,
    }


def run_ray(texts: list[str], workers: int) -> dict[str, float]:
    """The same passages through a local Ray: ``workers`` actors, one block per call."""
    import ray
    import ray.data

    load = os.getloadavg()[0]
    began = time.perf_counter()
    ray.init(num_cpus=workers + 1, include_dashboard=False, logging_level="WARNING")
    try:
        ds = ray.data.from_items(
            [{"text": t} for t in texts], override_num_blocks=max(1, -(-len(texts) // CALL))
        )
        ds = ds.map_batches(
            EmbedTexts,
            batch_size=CALL,
            compute=ray.data.ActorPoolStrategy(size=workers),
            num_cpus=1,
        )
        rows = ds.to_pandas()
        ended = time.perf_counter()
    finally:
        ray.shutdown()
    assert len(rows) == len(texts)
    span = float(rows["end"].max() - rows["start"].min())
    per_actor = rows.groupby("pid").agg(n=("n", "sum"), seconds=("seconds", "sum"))
    return {
        "embed_rate": len(texts) / span,
        "per_worker": float((per_actor["n"] / per_actor["seconds"]).mean()),
        "actors": len(per_actor),
        "end_to_end_rate": len(texts) / (ended - began),
        "end_to_end_s": ended - began,
        "load": load,
    }


def ingest_plain(corpus: list[Path], workers: int, folder: Path) -> dict[str, float]:
    """``cqa ingest`` of ``corpus`` into a fresh index, the model on ``workers`` threads."""
    import shutil

    import torch

    from index.embedder import SentenceTransformerEmbedder
    from indexing.writer import IndexWriter

    torch.set_num_threads(workers)
    shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()[0]
    began = time.perf_counter()
    writer = IndexWriter(folder, SentenceTransformerEmbedder(lazy=True))
    with writer.open():
        summary = writer.ingest(corpus)
    seconds = time.perf_counter() - began
    return {
        "seconds": seconds,
        "passages": summary.passages_added,
        "sentences": summary.sentences_added,
        "passages_per_s": summary.passages_added / seconds,
        "load": load,
    }


def ingest_ray(corpus: list[Path], workers: int, folder: Path) -> dict[str, float]:
    """``cqa ingest --engine ray`` of ``corpus``: plan, Ray stage, shard sizes, commit."""
    import shutil

    import ray

    from index.embedder import SentenceTransformerEmbedder
    from indexing.ray_ingest import EmbedderSpec, run_shards, start_ray
    from indexing.shard_commit import commit, plan
    from indexing.writer import IndexWriter

    shutil.rmtree(folder, ignore_errors=True)
    shards = folder / "ray-shards"
    load = os.getloadavg()[0]
    began = time.perf_counter()
    writer = IndexWriter(folder, SentenceTransformerEmbedder(lazy=True))
    with writer.open():
        work = plan(writer, corpus)
        start_ray(None, workers)
        try:
            run = run_shards(work.shards, shards, EmbedderSpec("model"), writer.limits, workers)
        finally:
            ray.shutdown()
        shard_bytes = sum(p.stat().st_size for p in shards.glob("*.parquet"))
        committed = time.perf_counter()
        summary = commit(writer, work, shards)
    ended = time.perf_counter()
    return {
        "seconds": ended - began,
        "ray_stage_s": run.seconds,
        "commit_s": ended - committed,
        "passages": summary.passages_added,
        "sentences": summary.sentences_added,
        "passages_per_s": summary.passages_added / (ended - began),
        "shard_bytes": shard_bytes,
        "shard_bytes_per_passage": shard_bytes / max(1, summary.passages_added),
        "load": load,
    }


def main() -> None:
    """Interleaved plain and Ray runs; prints each run and the medians as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        nargs="+",
        default=[Path(f"../shared/{n}/corpus") for n in ("dev-set", "dev-set-2", "real-dev-set")],
    )
    parser.add_argument("--passages", type=int, default=600)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None, help="Also write the JSON here.")
    parser.add_argument(
        "--per-worker",
        action="store_true",
        help="Also a plain process on one torch thread each round: one Ray actor's like.",
    )
    parser.add_argument(
        "--ingest",
        type=Path,
        default=None,
        metavar="WORK_DIR",
        help="Instead: whole ingests of --corpus (passages and sentences), plain against "
        "--engine ray, indexes built under WORK_DIR.",
    )
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    texts = passages(args.corpus, args.passages) if args.ingest is None else []
    runs: dict[str, list[dict[str, float]]] = {"plain": [], "ray": []}
    pair: tuple[tuple[str, Any], ...] = (("plain", run_plain), ("ray", run_ray))
    if args.per_worker:
        runs["plain_1_thread"] = []
        pair = (*pair, ("plain_1_thread", lambda t, _w: run_plain(t, 1)))
    if args.ingest is not None:
        work = args.ingest
        pair = (
            ("plain", lambda _t, w: ingest_plain(args.corpus, w, work / "plain")),
            ("ray", lambda _t, w: ingest_ray(args.corpus, w, work / "ray")),
        )
    for i in range(args.runs):
        for name, run in pair:
            got = run(texts, args.workers)
            runs[name].append(got)
            print(f"run {i + 1} {name}: " + json.dumps({k: round(v, 2) for k, v in got.items()}))
    median = {
        name: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for name, rs in runs.items()
    }
    keys = ("passages_per_s",) if args.ingest else ("embed_rate", "per_worker", "end_to_end_rate")
    ratios = {key: median["ray"][key] / median["plain"][key] for key in keys}
    if args.per_worker:
        one = median["plain_1_thread"]["per_worker"]
        ratios["per_worker_vs_1_thread"] = median["ray"]["per_worker"] / one
    report = {
        "passages": len(texts) or median["plain"]["passages"],
        "workers": args.workers,
        "runs": runs,
        "median": median,
        "ray_over_plain": ratios,
        "cpus": os.cpu_count(),
    }
    print(json.dumps({"median": median, "ray_over_plain": ratios}, indent=2))
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
