"""Question encoders compared: the model in torch against its ONNX exports (fp32, int8).

For each: median and p95 time to encode one question (the dev-set questions, several
rounds, after a warm-up), the cosine of its vectors to the model's, and the time to load.
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

QUESTIONS = Path(__file__).resolve().parents[2] / "shared" / "dev-set" / "questions.jsonl"


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
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"questions": len(questions), "rows": rows}, indent=2))
    print(f"{len(questions)} questions x {args.rounds} rounds, one question per call")
    print("| encoder | p50 ms | p95 ms | speed-up | cosine min | cosine mean | load s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['encoder']} | {r['p50_ms']} | {r['p95_ms']} | {r['speedup']}x | "
            f"{r['cosine_min']} | {r['cosine_mean']} | {r['load_s']} |"
        )


if __name__ == "__main__":
    main()
