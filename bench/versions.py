"""This checkout against an earlier commit, measured in the same run: ingest time and query latency.

    .venv/bin/python -m bench.versions --baseline 61efe47 [--repeats 3] [--sets dev-set,dev-set-2]

A refactoring must leave behaviour and speed as they were; this is how the claim is checked.
The baseline commit is exported (``git archive``) to a temporary folder and run with the same
virtualenv, its folder first on ``PYTHONPATH``, so only the project's code differs.  Runs of the
two versions alternate, so a machine that slows down part-way hurts both alike.  For each shared
set (``../shared/<set>``):

- *ingest*: the set's corpus into an empty index with the deterministic hashing embedder, so
  the time is the pipeline's own (loading, structure, cutting, SQLite, FAISS, tantivy) and not
  the model's;
- *query*: ``cqa eval`` of the set's questions with the bundled model over one index per version
  (``--index-root``, built once by each version with the bundled model, reused after), the
  retrieval core's p50 and p95 per question and the figures (R@1, MRR@10, answer@1), which must
  be equal.

Prints medians and the ratios this/baseline, and writes them to ``--out`` as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CLI = "import sys; from qa_service.cli import main; sys.argv[0] = 'cqa'; main()"
FIGURES = (
    "recall_at_1",
    "recall_at_5",
    "mrr_at_10",
    "answer_at_1",
    "abstention_accuracy",
    "false_abstention",
    "compare_coverage",
)


def export(ref: str, into: Path) -> Path:
    """The tree of commit ``ref`` written to ``into`` (no .git)."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", ref], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def cqa(code: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the ``cqa`` command of the checkout at ``code`` (its folder first on the path)."""
    run_env = {**os.environ, **env, "PYTHONPATH": str(code), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", CLI, *args], cwd=code, env=run_env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"cqa {' '.join(args)} failed in {code}:\n{done.stderr[-2000:]}")
    return done


def ingest_seconds(code: Path, corpus: Path, work: Path) -> float:
    """Wall time of one ingest of ``corpus`` into a new index with the hashing embedder."""
    with tempfile.TemporaryDirectory(dir=work) as folder:
        env = {"CQA_EMBEDDER": "hashing", "CQA_INDEX": str(Path(folder) / "index")}
        started = time.perf_counter()
        cqa(code, ["ingest", str(corpus), "--index", str(Path(folder) / "index")], env)
        return time.perf_counter() - started


def evaluate(code: Path, questions: Path, index: Path) -> dict[str, Any]:
    """``cqa eval --json`` of ``questions`` over ``index`` (built by this version if missing)."""
    if not (index / "meta.sqlite").exists():
        cqa(code, ["ingest", str(questions.parent / "corpus"), "--index", str(index)], {})
    done = cqa(code, ["eval", str(questions), "--index", str(index), "--json"], {})
    result: dict[str, Any] = json.loads(done.stdout)
    return result.get("overall", result)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="git commit to compare against")
    parser.add_argument("--sets", default="dev-set,dev-set-2,real-dev-set")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each measure (median)")
    parser.add_argument("--index-root", type=Path, default=REPO / "bench" / "out" / "versions")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "versions.json")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cqa-versions-"))
    versions = {"baseline": export(args.baseline, work / "baseline"), "this": REPO}
    report: dict[str, Any] = {"baseline": args.baseline, "sets": {}}
    for name in args.sets.split(","):
        folder = SHARED / name
        times: dict[str, list[float]] = {v: [] for v in versions}
        p50: dict[str, list[float]] = {v: [] for v in versions}
        p95: dict[str, list[float]] = {v: [] for v in versions}
        figures: dict[str, dict[str, Any]] = {}
        for _ in range(args.repeats):
            for version, code in versions.items():
                times[version].append(ingest_seconds(code, folder / "corpus", work))
                index = args.index_root / version / name
                overall = evaluate(code, folder / "questions.jsonl", index)
                p50[version].append(float(overall["latency_p50_ms"]))
                p95[version].append(float(overall["latency_p95_ms"]))
                figures[version] = {k: overall.get(k) for k in FIGURES}
        row: dict[str, Any] = {
            v: {
                "ingest_s": median(times[v]),
                "query_p50_ms": median(p50[v]),
                "query_p95_ms": median(p95[v]),
                **figures[v],
            }
            for v in versions
        }
        row["ratio"] = {
            k: row["this"][k] / row["baseline"][k]
            for k in ("ingest_s", "query_p50_ms", "query_p95_ms")
            if row["baseline"][k]
        }
        row["same_figures"] = figures["this"] == figures["baseline"]
        report["sets"][name] = row
        print(
            f"{name}: ingest {row['baseline']['ingest_s']:.1f} -> {row['this']['ingest_s']:.1f} s"
            f" (x{row['ratio'].get('ingest_s', float('nan')):.2f}); query p50"
            f" {row['baseline']['query_p50_ms']:.1f} -> {row['this']['query_p50_ms']:.1f} ms"
            f" (x{row['ratio'].get('query_p50_ms', float('nan')):.2f}), p95"
            f" {row['baseline']['query_p95_ms']:.1f} -> {row['this']['query_p95_ms']:.1f} ms;"
            f" figures {'equal' if row['same_figures'] else 'DIFFER'}: {figures}",
            flush=True,
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
