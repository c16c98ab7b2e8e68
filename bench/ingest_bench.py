"""Ingest benchmark: end-to-end ``cqa ingest`` against the model alone and against txtai.

One run, on one machine:

1. writes the synthetic corpus (``bench.synth``: minutes as text and web pages, reports
   as PDF) of about ``--passages`` passages, or reuses it if it is already there;
2. ``cqa ingest --json`` into a fresh index with the real model: passages per second and
   the split by stage (parse, chunk, cache lookup, embed, write);
3. ``cqa ingest`` again over the unchanged corpus (median of ``--reingest`` runs), as a
   share of the first ingest (wall time of the whole command, model load included);
4. the bundled model alone (``SentenceTransformerEmbedder``, one ``encode`` call per kind)
   on the texts the pipeline embeds for the first ``--sample`` passages: their passage texts
   (heading path + text) and their distinct sentences; these rates give the model-only time
   of the whole ingest, and the ratios end-to-end / model-alone;
5. txtai's hybrid index over the same sample passages, in its own virtualenv
   (``bench/peer_env.sh``), as a ratio of rates.

Results go to ``bench/out/ingest.json`` and a markdown table to stdout.

    python -m bench.ingest_bench --passages 10000     # about 30 min on a quiet 2-core machine
    python -m bench.ingest_bench --quick              # ~300 passages, a smoke test
    python -m bench.ingest_bench --quick --levers     # also batch size, threads, pooled calls
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.synth import write_corpus  # noqa: E402
from cqa_core.text import split_sentences  # noqa: E402
from indexing.embed_batch import embed_text  # noqa: E402
from ingest.pipeline import discover, process_file  # noqa: E402

BENCH_DIR = REPO_ROOT / "bench"
PEER_PYTHON = BENCH_DIR / ".venv-peer" / "bin" / "python"
ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def log(message: str) -> None:
    """Progress on stderr, so stdout holds only the table."""
    print(f"[ingest-bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Rate:
    """How fast something went: ``count`` texts in ``seconds`` (median of ``runs``)."""

    count: int
    seconds: float
    runs: tuple[float, ...]

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class SampleTexts:
    """What the pipeline hands the model for a sample of documents."""

    documents: int
    passages: list[str]  # heading path + text, as ``indexing.embed_batch.embed_text``
    sentences: list[str]  # distinct sentence texts (repeats come from the cache)


def machine() -> dict[str, Any]:
    """The facts a reader needs to compare figures: CPU, cores, load, versions."""
    model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    import torch

    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "loadavg_start": list(os.getloadavg()),
    }


def sample_texts(corpus: Path, passages: int) -> SampleTexts:
    """The first documents of the corpus (file order) holding ``passages`` passages."""
    files, _ = discover([corpus])
    texts: list[str] = []
    sentences: dict[str, None] = {}
    documents = 0
    for path, meta in files:
        if len(texts) >= passages:
            break
        document = process_file(path, meta)
        documents += 1
        for passage in document.passages:
            texts.append(embed_text(passage))
            for span in split_sentences(passage.text):
                sentences[passage.text[span.start : span.end]] = None
    return SampleTexts(documents, texts, list(sentences))


def time_encode(encode: Any, texts: Sequence[str], repeats: int) -> Rate:
    """The model's rate on ``texts`` (one call per run), median of ``repeats`` runs."""
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        encode(list(texts))
        runs.append(time.perf_counter() - started)
    return Rate(len(texts), statistics.median(runs), tuple(round(r, 3) for r in runs))


def cqa(*args: str) -> tuple[float, dict[str, Any]]:
    """Run ``cqa ingest ... --json``; its wall time (start-up and model load included) and
    summary."""
    command = [sys.executable, "-c", "from qa_service.cli import main; main()", *args, "--json"]
    started = time.perf_counter()
    done = subprocess.run(
        command,
        cwd=REPO_ROOT,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"cqa {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return wall, json.loads(done.stdout.strip().splitlines()[-1])


def peer(texts: Sequence[str], repeats: int) -> dict[str, Any] | None:
    """txtai's hybrid index over ``texts``, timed in the peers' virtualenv (None if absent)."""
    try:
        subprocess.run(["bash", str(BENCH_DIR / "peer_env.sh")], check=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        log(f"no peer virtualenv ({exc}); txtai skipped")
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(list(texts), fh)
    try:
        done = subprocess.run(
            [
                str(PEER_PYTHON),
                str(BENCH_DIR / "peer_ingest.py"),
                fh.name,
                "--repeats",
                str(repeats),
            ],
            env={**os.environ, **ENV},
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(fh.name)
    if done.returncode != 0:
        log(f"txtai failed; skipped:\n{done.stderr[-1500:]}")
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def levers(embedder: Any, sample: SampleTexts, repeats: int) -> list[dict[str, Any]]:
    """The model alone under settings that might make ingest cheaper, interleaved A/B."""
    import torch

    texts = sample.passages + sample.sentences
    default_threads, default_batch = torch.get_num_threads(), embedder.batch_size
    settings: list[tuple[str, int, int, bool]] = [
        (f"batch {b}, {t} thread{'s' if t > 1 else ''}", b, t, False)
        for t in sorted({default_threads, 1})
        for b in (16, 32, 64)
    ]
    settings.append(
        (f"batch {default_batch}, one call per 12 texts", default_batch, default_threads, True)
    )
    runs: dict[str, list[float]] = {name: [] for name, *_ in settings}
    for _ in range(repeats):
        for name, batch, threads, small_calls in settings:
            embedder.batch_size = batch
            torch.set_num_threads(threads)
            started = time.perf_counter()
            if small_calls:  # the writer's old pattern: one call per document's passages
                for i in range(0, len(texts), 12):
                    embedder.encode(texts[i : i + 12])
            else:
                embedder.encode(texts)
            runs[name].append(time.perf_counter() - started)
    embedder.batch_size = default_batch
    torch.set_num_threads(default_threads)
    return [
        {
            "setting": name,
            "texts": len(texts),
            "seconds": round(statistics.median(r), 2),
            "per_second": round(len(texts) / statistics.median(r), 1),
        }
        for name, r in runs.items()
    ]


def report(result: dict[str, Any]) -> str:
    """The markdown tables of one run."""
    e2e, model, re = result["ingest"], result["model_alone"], result["reingest"]
    lines = [
        f"Ingest of {e2e['passages']:,} passages ({e2e['sentences']:,} sentences) in "
        f"{e2e['files']:,} files; model alone on {model['sample_passages']:,} passages "
        f"and their {model['sample_sentences']:,} distinct sentences.",
        "",
        "| measure | value |",
        "| --- | ---: |",
        f"| end to end, `cqa ingest` (in-process loop) | {e2e['passages_per_second']:.1f} "
        "passages/s |",
        f"| end to end, whole command (start-up, model load) | "
        f"{e2e['passages_per_second_wall']:.1f} passages/s |",
        f"| model alone, passages | {model['passages_per_second']:.1f} passages/s |",
        f"| model alone, sentences | {model['sentences_per_second']:.1f} sentences/s |",
        f"| ratio end to end / model alone, passages only | {result['ratio_passages']:.2f} |",
        f"| ratio end to end / model alone, all texts embedded | {result['ratio_all']:.2f} |",
        f"| the model's share of the ingest loop, timed inside it | "
        f"{100 * result['embed_share']:.1f}% |",
        f"| re-ingest of the unchanged corpus / first ingest | {100 * re['share']:.1f}% "
        f"({re['wall_seconds']:.1f} s of {e2e['wall_seconds']:.1f} s) |",
    ]
    if result.get("peer"):
        p = result["peer"]
        lines.append(
            f"| txtai hybrid index, same {p['count']:,} passages | "
            f"{p['passages_per_second']:.1f} passages/s |"
        )
        lines.append(f"| ratio this service / txtai (passages/s) | {result['ratio_peer']:.2f} |")
    lines += ["", "| stage | seconds | share |", "| --- | ---: | ---: |"]
    for name, seconds in e2e["stages"].items():
        lines.append(f"| {name} | {seconds:.2f} | {100 * seconds / e2e['seconds']:.1f}% |")
    if result.get("levers"):
        lines += ["", "| model alone, setting | texts/s |", "| --- | ---: |"]
        lines += [f"| {lv['setting']} | {lv['per_second']:.1f} |" for lv in result["levers"]]
    load = result["machine"]
    lines += [
        "",
        f"Machine: {load['cpu']}, {load['cores']} cores, torch {load['torch']} "
        f"({load['torch_threads']} threads); load average at start "
        f"{load['loadavg_start'][0]:.1f}, at end {load['loadavg_end'][0]:.1f}.",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write ``ingest.json``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--sample", type=int, default=2_000, help="passages for the model-alone and txtai rates"
    )
    parser.add_argument("--reingest", type=int, default=3, help="re-ingest runs (median)")
    parser.add_argument("--repeats", type=int, default=1, help="model-alone runs (median)")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "out")
    parser.add_argument("--quick", action="store_true", help="~300 passages, a smoke test")
    parser.add_argument("--no-peer", action="store_true", help="skip txtai")
    parser.add_argument(
        "--levers", action="store_true", help="also time batch sizes, threads and small calls"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.passages, args.sample, args.reingest = 300, 300, 1
    args.out.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"machine": machine(), "passages_asked": args.passages}

    corpus = args.out / f"synth-{args.passages}-seed{args.seed}"
    if not (corpus / "manifest.csv").exists():
        started = time.perf_counter()
        files = write_corpus(corpus, args.passages, args.seed)
        log(f"wrote {files} files to {corpus} in {time.perf_counter() - started:.1f}s")
    index = args.out / "ingest-index"
    shutil.rmtree(index, ignore_errors=True)

    log("cqa ingest (first) ...")
    wall, summary = cqa("ingest", str(corpus), "--index", str(index))
    passages = summary["passages_added"]
    stages = dict(summary["timings"])
    stages["other"] = max(
        0.0, summary["seconds"] - sum(v for k, v in stages.items() if k != "faiss")
    )
    result["ingest"] = {
        "files": summary["added"],
        "failed": summary["failed"],
        "passages": passages,
        "sentences": summary["sentences_added"],
        "passages_embedded": summary["passages_embedded"],
        "sentences_embedded": summary["sentences_embedded"],
        "seconds": summary["seconds"],
        "wall_seconds": round(wall, 3),
        "passages_per_second": passages / summary["seconds"],
        "passages_per_second_wall": passages / wall,
        "stages": stages,
    }
    log(f"first ingest: {passages} passages in {summary['seconds']:.1f}s ({wall:.1f}s wall)")

    runs = [cqa("ingest", str(corpus), "--index", str(index)) for _ in range(args.reingest)]
    re_wall = statistics.median(w for w, _ in runs)
    result["reingest"] = {
        "wall_seconds": round(re_wall, 3),
        "loop_seconds": statistics.median(s["seconds"] for _, s in runs),
        "unchanged": runs[-1][1]["unchanged"],
        "share": re_wall / wall,
    }
    log(f"re-ingest: {re_wall:.1f}s wall")

    from index.embedder import SentenceTransformerEmbedder

    sample = sample_texts(corpus, args.sample)
    embedder = SentenceTransformerEmbedder()
    embedder.encode(sample.passages[:8])  # warm up
    log(f"model alone on {len(sample.passages)} passages, {len(sample.sentences)} sentences ...")
    rate_p = time_encode(embedder.encode, sample.passages, args.repeats)
    rate_s = time_encode(embedder.encode, sample.sentences, args.repeats)
    result["model_alone"] = {
        "sample_documents": sample.documents,
        "sample_passages": rate_p.count,
        "sample_sentences": rate_s.count,
        "passages": asdict(rate_p),
        "sentences": asdict(rate_s),
        "passages_per_second": rate_p.per_second,
        "sentences_per_second": rate_s.per_second,
        "batch_size": embedder.batch_size,
    }
    model_only = (
        summary["passages_embedded"] / rate_p.per_second
        + summary["sentences_embedded"] / rate_s.per_second
    )
    result["model_only_seconds"] = model_only
    result["ratio_passages"] = result["ingest"]["passages_per_second"] / rate_p.per_second
    result["ratio_all"] = model_only / summary["seconds"]
    # timed in the same run as the rest of the loop, so immune to the load changing later
    result["embed_share"] = summary["timings"]["embed"] / summary["seconds"]
    if args.levers:
        log("levers ...")
        result["levers"] = levers(embedder, sample_texts(corpus, min(args.sample, 100)), 2)
    del embedder

    if not args.no_peer:
        log(f"txtai over {len(sample.passages)} passages ...")
        got = peer(sample.passages, args.repeats)  # the same texts our model reads
        if got:
            got["passages_per_second"] = got["count"] / got["seconds"]
            result["peer"] = got
            result["ratio_peer"] = (
                result["ingest"]["passages_per_second"] / got["passages_per_second"]
            )
    result["machine"]["loadavg_end"] = list(os.getloadavg())
    (args.out / "ingest.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
