"""Query benchmark: latency, throughput and memory at 10k, 100k and 1M passages, with a peer.

One command (from the project folder; ``bash bench/run_performance.sh`` also installs):

    .venv/bin/python -m bench.query_bench --sizes 10000,100000,1000000
    .venv/bin/python -m bench.query_bench --quick        # a ~2k-passage smoke run

For each size it builds (or reuses) the index with ``bench.scale`` and measures, with the
dev set's questions looped several times:

* the retrieval core alone: ``Engine.ask`` in process, p50/p95, and the median time of each
  part (question encoding, dense search, lexical search, passage and sentence reads, the rest);
* ``POST /api/ask`` over HTTP against a real ``cqa serve`` on 127.0.0.1, one client and
  ``--clients`` concurrent ones: p50/p95 and requests per second; the server's RSS after
  warm-up and after the load, and its startup time to the first answer;
* FAISS: an inverted file (IVF-SQ8) against exact search over the same vectors, recall@10
  and speed-up for several ``nprobe``;
* the peer: txtai's hybrid index over the same passages and vectors (``bench/peer_query.py``
  in ``bench/.venv-peer``), in-process search latency and RSS, as ratios ours/peer.

Each lexical engine the settings offer is measured.  Results go to ``bench/out/query.json``;
``bench.query_report`` prints the tables and draws the plot.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench import scale  # noqa: E402
from qa_service.config import Settings  # noqa: E402

QUESTIONS = REPO_ROOT.parent / "shared" / "dev-set" / "questions.jsonl"
OUT = REPO_ROOT / "bench" / "out" / "query.json"
PEER_PYTHON = REPO_ROOT / "bench" / ".venv-peer" / "bin" / "python"
NPROBES = (4, 8, 16, 32, 64, 128)
PEER_TIMEOUT = 1800  # seconds for txtai to build (or search) one size; past it, skipped
MB = 1024 * 1024


def questions(path: Path = QUESTIONS) -> list[str]:
    """The dev set's questions, in file order."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line)["question"] for line in fh if line.strip()]


def write_report(report: dict[str, Any], out: Path) -> None:
    """Print a bench's JSON report and write it to ``out`` (its folder made if need be)."""
    text = json.dumps(report, indent=1)
    print(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")


def percentiles(values: Sequence[float]) -> dict[str, float]:
    """Median, 95th percentile, mean and count of latencies in ms (the one helper of the
    bench scripts)."""
    if not values:
        return {"p50": float("nan"), "p95": float("nan"), "mean": float("nan"), "n": 0}
    array = np.asarray(values, dtype=np.float64)
    return {
        "p50": round(float(np.percentile(array, 50)), 2),
        "p95": round(float(np.percentile(array, 95)), 2),
        "mean": round(float(array.mean()), 2),
        "n": len(values),
    }


def lexical_engines() -> list[str]:
    """The lexical engines the settings offer: ``tantivy`` alone since FTS5 was removed
    (the reports of earlier runs also hold ``fts5``, when ``lexical_engine`` chose it)."""
    field = Settings.model_fields.get("lexical_engine")
    if field is None:
        return ["tantivy"]
    choices = getattr(field.annotation, "__args__", ())
    return [str(c) for c in choices] or ["tantivy"]


# FTS5 is measured up to this size only (its cost grows with the passages a word is in).
FTS5_MAX = 100_000


def _settings(index: Path, engine: str, faiss_threads: int | None = None) -> Settings:
    extra: dict[str, Any] = {"lexical_engine": engine} if len(lexical_engines()) > 1 else {}
    if faiss_threads is not None:
        extra["faiss_threads"] = faiss_threads
    return Settings(index=index, **extra)


# --- the retrieval core -----------------------------------------------------------------


class StageClock:
    """Time spent in wrapped callables, per stage, for the question being asked."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def add(self, stage: str, seconds: float) -> None:
        """Add ``seconds`` to ``stage`` (a wait timed by hand)."""
        self.spent[stage] = self.spent.get(stage, 0.0) + seconds

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """``fn``, adding its wall time to ``stage``."""

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.add(stage, time.perf_counter() - t0)

        return timed


STAGES = ("encode", "dense", "lexical", "passages", "sentences")


def core(
    index: Path, asked: Sequence[str], loops: int, engine: str, faiss_threads: int | None = None
) -> dict[str, Any]:
    """``Engine.ask`` in process: total latency and its split by stage (ms).

    ``faiss_threads`` sets FAISS's OpenMP threads for the run (None: the service's default,
    ``Settings.faiss_threads``); the previous setting is restored afterwards.
    """
    import faiss

    from qa_service.retriever import Engine
    from qa_service.runtime import make_query_embedder

    threads_before = faiss.omp_get_max_threads()
    settings = _settings(index, engine, faiss_threads)  # the engine applies it
    started = time.perf_counter()
    eng = Engine(index, make_query_embedder(settings), settings)
    open_s = time.perf_counter() - started
    clock = StageClock()
    encoder = eng.embedder
    # the embedder is an object the engine calls; patch the instances, not the classes
    setattr(encoder, "encode", clock.wrap("encode", encoder.encode))  # noqa: B010
    setattr(eng.dense, "search", clock.wrap("dense", eng.dense.search))  # noqa: B010
    setattr(eng.lexical, "search", clock.wrap("lexical", eng.lexical.search))  # noqa: B010
    setattr(eng.store, "passages", clock.wrap("passages", eng.store.passages))  # noqa: B010
    sentence_vectors = eng.store.sentence_vectors
    setattr(eng.store, "sentence_vectors", clock.wrap("sentences", sentence_vectors))  # noqa: B010
    try:
        # Cold: each question after the per-passage text caches are emptied (the repeats
        # below find every candidate's words and shingles cached, as popular questions would).
        from qa_service import dedup, rerank

        eng.ask(asked[0])  # lazy imports, the ONNX session
        cold: list[float] = []
        for question in asked:
            dedup.shingles.cache_clear()
            rerank._terms.cache_clear()
            t0 = time.perf_counter()
            eng.ask(question)
            cold.append((time.perf_counter() - t0) * 1000)
        totals: list[float] = []
        parts: dict[str, list[float]] = {s: [] for s in (*STAGES, "rest")}
        for _ in range(loops):
            for question in asked:
                clock.spent = {}
                t0 = time.perf_counter()
                eng.ask(question)
                total = (time.perf_counter() - t0) * 1000
                totals.append(total)
                for stage in STAGES:
                    parts[stage].append(clock.spent.get(stage, 0.0) * 1000)
                # the question is encoded on a worker thread while the lexical search
                # runs: only the encoding's time beyond the lexical search is waited for
                spent = dict(clock.spent)
                waited = max(0.0, spent.pop("encode", 0.0) - spent.get("lexical", 0.0))
                parts["rest"].append(total - (sum(spent.values()) + waited) * 1000)
    finally:
        eng.close()
        faiss.omp_set_num_threads(threads_before)
    return {
        "faiss_threads": settings.faiss_threads,
        "latency_ms": percentiles(totals),
        "cold_latency_ms": percentiles(cold),
        "split_p50_ms": {s: round(float(np.median(v)), 2) for s, v in parts.items()},
        "open_s": round(open_s, 2),
        "dense_kind": eng.dense.kind,
    }


# --- over HTTP --------------------------------------------------------------------------


def _clients(url: str, asked: Sequence[str], clients: int, rounds: int) -> dict[str, Any]:
    """``clients`` threads, each asking every question ``rounds`` times (rotated)."""
    import httpx

    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients

    def run(n: int) -> None:
        order = list(asked[n % len(asked) :]) + list(asked[: n % len(asked)])
        with httpx.Client(base_url=url, timeout=60) as client:
            for _ in range(rounds):
                for question in order:
                    t0 = time.perf_counter()
                    response = client.post("/api/ask", json={"question": question})
                    latencies[n].append((time.perf_counter() - t0) * 1000)
                    failures[n] += response.status_code != 200

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    flat = [x for per in latencies for x in per]
    return {
        "clients": clients,
        "latency_ms": percentiles(flat),
        "requests_per_s": round(len(flat) / wall, 1),
        "failures": sum(failures),
    }


def http(
    index: Path,
    asked: Sequence[str],
    loops: int,
    clients: int,
    engine: str,
    omp_threads: int | None = None,
) -> dict[str, Any]:
    """``POST /api/ask`` against a real ``cqa serve``: latency, throughput, RSS, startup."""
    import httpx
    import psutil

    from qa_service.serving import child_env, serving

    extra = {"CQA_LEXICAL_ENGINE": engine} if len(lexical_engines()) > 1 else {}
    env = child_env(embedder="model", **extra)
    env.pop("OMP_NUM_THREADS", None)  # served as a user would run it, unless asked
    if omp_threads is not None:
        env["CQA_FAISS_THREADS"] = str(omp_threads)
    started = time.perf_counter()
    with serving(index, env=env, timeout=900) as server:
        url, proc = server.url, server.process
        response = httpx.post(f"{url}/api/ask", json={"question": asked[0]}, timeout=120)
        response.raise_for_status()
        startup = time.perf_counter() - started
        process = psutil.Process(proc.pid)
        _clients(url, asked, 1, 1)  # warm-up
        rss_warm = process.memory_info().rss
        single = _clients(url, asked, 1, loops)
        many = _clients(url, asked, clients, max(1, loops // 2))
        rss_after = process.memory_info().rss
    return {
        "startup_s": round(startup, 2),
        "rss_warm_mb": round(rss_warm / MB, 1),
        "rss_after_mb": round(rss_after / MB, 1),
        "single": single,
        "concurrent": many,
    }


# --- FAISS: inverted file against exact search ------------------------------------------


def question_vectors(asked: Sequence[str]) -> np.ndarray:
    """The questions as the served encoder (``Settings.query_encoder``) encodes them."""
    from qa_service.runtime import make_query_embedder

    encoder = make_query_embedder(Settings())
    return np.asarray(encoder.encode(list(asked)), dtype=np.float32)


def _median_ms(search: Callable[[np.ndarray], object], queries: np.ndarray, loops: int) -> float:
    times = []
    for _ in range(loops):
        for row in queries:
            t0 = time.perf_counter()
            search(row.reshape(1, -1))
            times.append((time.perf_counter() - t0) * 1000)
    return round(float(np.median(times)), 3)


def faiss_compare(
    index: Path, queries: np.ndarray, loops: int, nprobes: Sequence[int] = NPROBES
) -> dict[str, Any]:
    """Recall@10 of IVF-SQ8 against exact search, and each one's time per question.

    Both run on one OpenMP thread: one question has nothing to share between threads, and
    onnxruntime's threads left from encoding would otherwise make the timings noise.
    """
    import faiss

    threads_before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        return _faiss_compare(index, queries, loops, nprobes)
    finally:
        faiss.omp_set_num_threads(threads_before)


def _faiss_compare(
    index: Path, queries: np.ndarray, loops: int, nprobes: Sequence[int]
) -> dict[str, Any]:
    import faiss

    from index.dense import DenseIndex, _trained_ivf, nlist_for, probes_for, refine_for
    from index.store import Store

    store = Store.open(index)
    try:
        ids, vectors = store.all_embeddings()
        loaded = DenseIndex.load(index, store).index
    finally:
        store.close()
    exact = faiss.IndexIDMap2(faiss.IndexFlatIP(vectors.shape[1]))
    exact.add_with_ids(vectors, ids)
    ivf: faiss.Index = loaded
    built = False
    if not isinstance(loaded, faiss.IndexIVF):
        ivf, built = _trained_ivf(vectors, nlist_for(len(ids))), True
        ivf.add_with_ids(vectors, ids)
    position = np.zeros(int(ids.max()) + 1, dtype=np.int64)
    position[ids] = np.arange(len(ids))
    _, truth = exact.search(queries, 10)
    exact_ms = _median_ms(lambda q: exact.search(q, 10), queries, loops)

    def recall(found: list[list[int]]) -> float:
        pairs = zip(found, truth.tolist(), strict=True)
        return round(float(np.mean([len(set(f[:10]) & set(t)) / 10 for f, t in pairs])), 4)

    def rescored(params: Any) -> Callable[[np.ndarray], list[list[int]]]:
        # as DenseIndex.search: refine_for(10) candidates, re-scored with the full vectors
        def search(q: np.ndarray) -> list[list[int]]:
            _, found = ivf.search(q, refine_for(10), params=params)
            out = []
            for row, vector in zip(found, q, strict=True):
                kept = row[row >= 0]
                scores = vectors[position[kept]] @ vector
                out.append(kept[np.argsort(-scores)[:10]].tolist())
            return out

        return search

    rows = []
    for nprobe in nprobes:
        params = faiss.SearchParametersIVF(nprobe=nprobe)  # type: ignore[call-arg]
        _, found = ivf.search(queries, 10, params=params)
        ms = _median_ms(partial(ivf.search, k=10, params=params), queries, loops)
        refined = rescored(params)
        rows.append(
            {
                "nprobe": nprobe,
                "recall_at_10": recall(found.tolist()),
                "ms": ms,
                "speedup": round(exact_ms / ms, 2) if ms else None,
                "rescored_recall_at_10": recall(refined(queries)),
                "rescored_ms": _median_ms(refined, queries, loops),
            }
        )
    return {
        "vectors": len(ids),
        "nlist": int(faiss.extract_index_ivf(ivf).nlist),
        "service_nprobe": probes_for(int(faiss.extract_index_ivf(ivf).nlist)),
        "ivf_built_for_comparison": built,
        "exact_ms": exact_ms,
        "ivf": rows,
    }


# --- the peer ---------------------------------------------------------------------------


def peer(index: Path, asked: Sequence[str], vectors: np.ndarray, loops: int) -> dict[str, Any]:
    """txtai's hybrid index over the same passages and vectors, in its own virtualenv."""
    try:
        return _peer(index, asked, vectors, loops)
    except subprocess.TimeoutExpired:
        return {"skipped": f"txtai took over {PEER_TIMEOUT} s"}


def _peer(index: Path, asked: Sequence[str], vectors: np.ndarray, loops: int) -> dict[str, Any]:
    if not PEER_PYTHON.exists():
        return {"skipped": f"no {PEER_PYTHON} (bash bench/peer_env.sh makes it)"}
    script = str(REPO_ROOT / "bench" / "peer_query.py")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    peer_dir = index / "peer-txtai"
    result: dict[str, Any] = {}
    if not (peer_dir / "config.json").exists() and not (peer_dir / "config").exists():
        done = subprocess.run(
            [str(PEER_PYTHON), script, "build", str(index), str(peer_dir)],
            capture_output=True, text=True, env=env, check=False, timeout=PEER_TIMEOUT,
        )  # fmt: skip
        if done.returncode:
            return {"skipped": f"txtai build failed: {done.stderr[-1500:]}"}
        result["build_s"] = round(json.loads(done.stdout.splitlines()[-1])["build_s"], 1)
    with tempfile.TemporaryDirectory(prefix="cqa-peer-") as tmp:
        npz = Path(tmp) / "questions.npz"
        np.savez(npz, texts=np.array(list(asked)), vectors=vectors)
        done = subprocess.run(
            [str(PEER_PYTHON), script, "query", str(peer_dir), str(npz), str(loops)],
            capture_output=True, text=True, env=env, check=False, timeout=PEER_TIMEOUT,
        )  # fmt: skip
    if done.returncode:
        return {"skipped": f"txtai query failed: {done.stderr[-1500:]}"}
    got = json.loads(done.stdout.splitlines()[-1])
    result.update(
        latency_ms=percentiles(got["latencies_ms"]),
        rss_warm_mb=round(got["rss_warm"] / MB, 1),
        rss_after_mb=round(got["rss_after"] / MB, 1),
        startup_s=round(got["startup_s"], 2),
        count=got["count"],
    )
    return result


# --- the run ----------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """Where the figures were taken, and how busy it was."""
    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "load_avg_start": [round(x, 2) for x in os.getloadavg()],
    }


def run_size(
    size: int,
    asked: Sequence[str],
    vectors: np.ndarray,
    args: argparse.Namespace,
    result: dict[str, Any],
    save: Callable[[], None],
) -> None:
    """Every measurement at one size, into ``result``, saved after each."""
    index = scale.build(size, rebuild=args.rebuild)
    print(f"[{size}] index at {index}", file=sys.stderr)
    result.update(size=size, index=str(index), engines={})
    for engine in lexical_engines():
        served = engine == lexical_engines()[0]  # the default engine, as users get it
        if not served and size > FTS5_MAX:
            continue  # FTS5 at a million passages takes seconds a question: left out
        # the lever's baselines (FTS5, FAISS on both cores) in fewer passes
        loops = args.loops if served else max(1, args.loops // 3)
        part: dict[str, Any] = {"core": core(index, asked, loops, engine)}
        print(f"[{size}] {engine} core {part['core']['latency_ms']}", file=sys.stderr)
        if served:
            # FAISS's OpenMP threads contend with onnxruntime's on two cores: the service
            # uses one (Settings.faiss_threads); measured against two
            part["core_faiss2"] = core(index, asked, loops, engine, faiss_threads=2)
            print(
                f"[{size}] {engine} core, 2 FAISS threads {part['core_faiss2']['latency_ms']}",
                file=sys.stderr,
            )
            if not args.no_http:
                part["http"] = http(index, asked, args.loops, args.clients, engine)
                print(f"[{size}] {engine} http {part['http']['single']}", file=sys.stderr)
        result["engines"][engine] = part
        save()
    from index.store import Store

    store = Store.open(index)
    result["passages"] = store.stats().passages
    store.close()
    result["faiss"] = faiss_compare(index, vectors, max(1, args.loops // 2))
    print(f"[{size}] faiss {result['faiss']}", file=sys.stderr)
    save()
    if size <= args.peer_max:
        result["peer"] = peer(index, asked, vectors, args.loops)
        print(f"[{size}] peer {result['peer']}", file=sys.stderr)
    else:
        result["peer"] = {"skipped": f"above --peer-max {args.peer_max}"}
    save()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; writes ``--out`` and prints the markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--quick", action="store_true", help="one ~2k-passage size, short loops")
    parser.add_argument("--loops", type=int, default=5, help="passes over the questions")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--peer-max", type=int, default=1_000_000, help="largest size for txtai")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--plot", type=Path, default=REPO_ROOT / "docs" / "performance-scaling.png")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.loops = "2000", 2
        args.out = args.out.with_name("query-quick.json")
        args.plot = args.out.with_suffix(".png")
    asked = questions(args.questions)
    vectors = question_vectors(asked)
    report: dict[str, Any] = {"machine": machine(), "questions": len(asked), "sizes": []}
    report["settings"] = {
        "loops": args.loops,
        "clients": args.clients,
        "engines": lexical_engines(),
    }
    report["base_vectors"] = (
        f"real model embeddings of {scale.BASE_SAMPLE} synthetic passages, perturbed "
        "(bench.sampled.SampledEmbedder); sizes above "
        f"{scale.DIRECT_MAX} copied up from that index (bench.scale.copy_up)"
    )
    started = time.perf_counter()

    def save() -> None:
        report["machine"]["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
        report["seconds"] = round(time.perf_counter() - started, 1)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        report["sizes"].append({"size": size, "engines": {}})
        run_size(size, asked, vectors, args, report["sizes"][-1], save)
    from bench import query_report

    print(query_report.markdown(report))
    query_report.plot(query_report.with_separate_points(report), args.plot)  # + the 10M point
    print(f"\nwrote {args.out} and {args.plot}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
