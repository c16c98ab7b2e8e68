"""Question encoders compared: the model in torch against its ONNX exports (fp32, int8).

For each: median and p95 time to encode one question (the dev-set questions, several
rounds, after a warm-up), the cosine of its vectors to the model's, and the time to load.
Then, with ``--ingest-texts N``, each one's rate on the texts ingest embeds (the passages and
distinct sentences of the dev-set corpus's first N passages, one call per kind): whether
the faster encoder would also pay at ingest (docs/performance.md, "Ingest").
Run: ``.venv/bin/python -m bench.encoder_bench`` (writes bench/out/encoders.json).
The dev-set retrieval figures per encoder come from ``cqa eval`` with
``CQA_QUERY_ENCODER`` set (bench/run_quality.sh does not vary it; docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from index.embedder import Embedder, OnnxEmbedder, SentenceTransformerEmbedder, bundled_model_path
from index.onnx_export import onnx_model_for
from qa_service.config import Settings

DEV_SET = Path(__file__).resolve().parents[2] / "shared" / "dev-set"
QUESTIONS = DEV_SET / "questions.jsonl"


def _questions(path: Path) -> list[str]:
    return [json.loads(line)["question"] for line in path.read_text().splitlines() if line.strip()]


def _time_each(encoder: Embedder, questions: list[str], rounds: int) -> list[float]:
    encoder.encode(questions[:3])  # warm-up
    times = []
    for _ in range(rounds):
        for q in questions:
            start = time.perf_counter()
            encoder.encode([q])
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path("bench/out/encoders.json"))
    parser.add_argument(
        "--ingest-texts", type=int, default=0, help="passages of the dev-set corpus to time"
    )
    args = parser.parse_args()
    questions = _questions(args.questions)
    folder = bundled_model_path()
    cache = Settings().model_cache

    start = time.perf_counter()
    model = SentenceTransformerEmbedder()
    loads = {"model": time.perf_counter() - start}
    encoders: dict[str, Embedder] = {"model": model}
    for precision in ("fp32", "int8"):
        path = onnx_model_for(folder, cache, precision)  # exported once, then cached
        start = time.perf_counter()
        encoders[f"onnx-{precision}"] = OnnxEmbedder(path, folder)
        loads[f"onnx-{precision}"] = time.perf_counter() - start

    reference = np.vstack([model.encode([q]) for q in questions])
    rows = []
    baseline = None
    for name, encoder in encoders.items():
        times = _time_each(encoder, questions, args.rounds)
        vectors = np.vstack([encoder.encode([q]) for q in questions])
        cosine = (vectors * reference).sum(axis=1)
        p50 = statistics.median(times)
        baseline = baseline or p50
        rows.append(
            {
                "encoder": name,
                "p50_ms": round(p50, 2),
                "p95_ms": round(sorted(times)[int(0.95 * len(times)) - 1], 2),
                "speedup": round(baseline / p50, 2),
                "cosine_min": round(float(cosine.min()), 4),
                "cosine_mean": round(float(cosine.mean()), 4),
                "load_s": round(loads[name], 2),
            }
        )
    ingest_rows = _ingest_rates(encoders, args.ingest_texts) if args.ingest_texts else []
    args.out.parent.mkdir(parents=True, exist_ok=True)
    result = {"questions": len(questions), "rows": rows, "ingest": ingest_rows}
    args.out.write_text(json.dumps(result, indent=2))
    print(f"{len(questions)} questions x {args.rounds} rounds, one question per call")
    print("| encoder | p50 ms | p95 ms | speed-up | cosine min | cosine mean | load s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['encoder']} | {r['p50_ms']} | {r['p95_ms']} | {r['speedup']}x | "
            f"{r['cosine_min']} | {r['cosine_mean']} | {r['load_s']} |"
        )
    if ingest_rows:
        print("\n| encoder | passages/s | sentences/s |")
        print("|---|---:|---:|")
        for r in ingest_rows:
            print(f"| {r['encoder']} | {r['passages_per_s']} | {r['sentences_per_s']} |")


def _ingest_rates(encoders: dict[str, Embedder], passages: int) -> list[dict[str, object]]:
    """Each encoder's rate on the passages and sentences ingest embeds (median of 2)."""
    from bench.ingest_bench import sample_texts, time_encode

    sample = sample_texts(DEV_SET / "corpus", passages)
    print(f"ingest texts: {len(sample.passages)} passages, {len(sample.sentences)} sentences")
    rows: list[dict[str, object]] = []
    for name, encoder in encoders.items():
        encoder.encode(sample.sentences[:8])  # warm-up
        passage_rate = time_encode(encoder.encode, sample.passages, 2)
        sentence_rate = time_encode(encoder.encode, sample.sentences, 2)
        rows.append(
            {
                "encoder": name,
                "passages_per_s": round(passage_rate.per_second, 1),
                "sentences_per_s": round(sentence_rate.per_second, 1),
            }
        )
    return rows


if __name__ == "__main__":
    main()
