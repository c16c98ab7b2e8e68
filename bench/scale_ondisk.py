"""The 10M-passage serving point of the on-disk dense index (issue 18), built shard by shard.

A corpus of ``--passages`` synthetic vectors with the statistics of real ones (as
``bench.sampled``: each a real embedding of a synthetic passage, perturbed to cosine 0.85
and renormalised) is generated one shard at a time and never held whole:

1. ``build``: the SQLite store's metadata (documents with a council and meeting date,
   passages pointing at them; no text), the on-disk IVF-PQ base (``index.ondisk_build``),
   and the exact top-10 of every dev-set question over all passages, and within one
   council's passages, computed shard by shard as the shards go by.
2. ``serve``: in a fresh process, what a server pays: start-up (the store and the base
   opened, the first filtered search answered), RSS, the dense search's latency as the
   service calls it (60 candidates) with and without filters, the filter bitmaps' cost
   from SQLite, and recall@10 against the exact top-10 for several ``nprobe`` and refine
   factors.

    python -m bench.scale_ondisk all --passages 10000000 --out /tmp/scale-ondisk
    python -m bench.scale_ondisk serve --out /tmp/scale-ondisk/10000000
    python -m bench.scale_ondisk codes --passages 200000 --out /tmp/scale-ondisk

The texts, the sentence vectors and tantivy are not built here (see docs/performance.md,
"10M passages", for what is and is not measured at this size).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.query_bench import percentiles  # noqa: E402
from index.base import Query  # noqa: E402
from index.dense_ondisk import OnDiskDenseIndex  # noqa: E402
from index.ondisk_build import build_base, ondisk_nlist, train_size  # noqa: E402
from index.store import DB_NAME, Filters, Store  # noqa: E402

SHARED = REPO_ROOT.parent / "shared"
QUESTION_SETS = ("dev-set", "dev-set-2", "real-dev-set")
SHARD = 500_000  # vectors generated, encoded and scored against the questions at a time
PER_DOCUMENT = 8  # passages a document
COUNCILS = 350  # England's principal councils, about
COSINE = 0.85  # as bench.sampled: a vector's cosine to the real embedding it was drawn from
TOP = 10
CANDIDATES = 60  # what the service asks the dense side for (Settings.candidates)


def council_of(doc: np.ndarray) -> np.ndarray:
    """Each document's council number (documents are dealt to councils in turn)."""
    return doc % COUNCILS


def date_of(doc: np.ndarray) -> np.ndarray:
    """Each document's meeting date, as days after 2012-01-01 (spread over 15 years)."""
    return (doc * 7919) % 5475


def shard_vectors(base: np.ndarray, start: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Passages ``start + 1 .. start + count``: ids and unit vectors (deterministic)."""
    rng = np.random.default_rng([17, start])
    dim = base.shape[1]
    sigma = float(np.sqrt((1.0 / COSINE**2 - 1.0) / dim))
    vectors = base[rng.integers(0, len(base), count)]
    vectors += rng.standard_normal((count, dim), dtype=np.float32) * np.float32(sigma)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.arange(start + 1, start + count + 1, dtype=np.int64), vectors


def inputs(out: Path) -> tuple[np.ndarray, np.ndarray]:
    """The base (real embeddings of 800 synthetic passages) and the dev-set questions'
    vectors as the service encodes them; made once and kept in ``out``."""
    if not (out / "base.npy").exists():
        from bench.scale import base_vectors, write_corpus

        corpus = out / "corpus"
        write_corpus(corpus, 1200)
        np.save(out / "base.npy", base_vectors(corpus))
    if not (out / "questions.npy").exists():
        from bench.query_bench import question_vectors, questions

        asked = [q for name in QUESTION_SETS for q in questions(SHARED / name / "questions.jsonl")]
        np.save(out / "questions.npy", question_vectors(asked))
    return np.load(out / "base.npy"), np.load(out / "questions.npy")


def write_store(directory: Path, passages: int, dim: int) -> float:
    """A store holding the passages' metadata only (no text, no vectors); its seconds."""
    started = time.perf_counter()
    Store.open(directory, create=True).close()
    db = sqlite3.connect(directory / DB_NAME, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    documents = -(-passages // PER_DOCUMENT)
    db.execute("BEGIN")
    for first in range(0, documents, SHARD):
        doc = np.arange(first, min(documents, first + SHARD))
        days = date_of(doc)
        db.executemany(
            "INSERT INTO documents(doc_rowid, document_id, source, path, content_hash, "
            "council, meeting_date, doc_type, text, given_meta, ingested_at) "
            "VALUES (?, ?, '', '', '', ?, date('2012-01-01', ?), 'minutes', '', '{}', '')",
            (
                (int(d) + 1, f"d{d}", f"Council {c}", f"+{n} days")
                for d, c, n in zip(doc, council_of(doc), days, strict=True)
            ),
        )
    for first in range(0, passages, SHARD):
        ids = np.arange(first + 1, min(passages, first + SHARD) + 1)
        db.executemany(
            "INSERT INTO passages(id, passage_id, doc_rowid, ordinal, char_start, char_end, "
            "heading, text, embed_hash, embedding) VALUES (?, ?, ?, 0, 0, 0, '', '', '', x'')",
            ((int(i), f"p{i}", int((i - 1) // PER_DOCUMENT) + 1) for i in ids),
        )
    db.execute(
        "INSERT OR REPLACE INTO meta(key, value) VALUES ('generation', '1'), ('dim', ?), "
        "('model', 'synthetic')",
        (str(dim),),
    )
    db.execute("COMMIT")
    db.close()
    return time.perf_counter() - started


class Truth:
    """The exact top-``TOP`` of each question, over everything and within one council."""

    def __init__(self, questions: np.ndarray) -> None:
        self.questions = questions
        n = len(questions)
        self.best = {
            key: (np.full((n, TOP), -np.inf, np.float32), np.zeros((n, TOP), np.int64))
            for key in ("all", "council")
        }

    def update(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Fold one shard into the running top lists."""
        scores = self.questions @ vectors.T
        council = council_of((ids - 1) // PER_DOCUMENT) == 0
        for key, mask in (("all", None), ("council", council)):
            part = scores if mask is None else scores[:, mask]
            part_ids = ids if mask is None else ids[mask]
            if part.shape[1] > TOP:  # the shard's own top first: a full sort is too slow
                top = np.argpartition(-part, TOP, axis=1)[:, :TOP]
                part, part_ids = np.take_along_axis(part, top, 1), part_ids[top]
            else:
                part_ids = np.broadcast_to(part_ids, part.shape)
            best, best_ids = self.best[key]
            merged = np.concatenate([best, part], axis=1)
            merged_ids = np.concatenate([best_ids, part_ids], axis=1)
            order = np.argsort(-merged, axis=1)[:, :TOP]
            self.best[key] = (
                np.take_along_axis(merged, order, 1),
                np.take_along_axis(merged_ids, order, 1),
            )

    def save(self, path: Path) -> None:
        """Keep the top ids for the serving run."""
        np.savez(path, all=self.best["all"][1], council=self.best["council"][1])


def build(out: Path, passages: int) -> Path:
    """Everything ``serve`` reads, in ``out/<passages>``; returns that folder."""
    target = out / str(passages)
    if (target / "READY").exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    base, questions = inputs(out)
    times: dict[str, float] = {"store_s": write_store(target, passages, base.shape[1])}
    truth = Truth(questions)
    nlist = ondisk_nlist(passages)
    _, sample = shard_vectors(base, 0, min(passages, train_size(nlist)))

    def shards() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for start in range(0, passages, SHARD):
            ids, vectors = shard_vectors(base, start, min(SHARD, passages - start))
            truth.update(ids, vectors)
            print(f"shard {start // SHARD + 1} at {time.perf_counter() - t0:.0f} s", flush=True)
            yield ids, vectors

    t0 = time.perf_counter()
    folder = build_base(target, sample, shards(), nlist, passages)
    times["dense_s"] = time.perf_counter() - t0
    (target / "base").write_text(folder.name, encoding="utf-8")
    truth.save(target / "truth.npz")
    sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
    sizes["store"] = (target / DB_NAME).stat().st_size
    report = {"passages": passages, "nlist": nlist, **times, "bytes": sizes}
    (target / "build.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    (target / "READY").write_text("", encoding="utf-8")
    return target


def _rss_mb() -> float:
    import psutil

    return round(psutil.Process().memory_info().rss / 2**20, 1)


def _file_mb() -> float:
    """The part of RSS that is file pages (the mapped lists and vectors, which the kernel
    can drop and read again) rather than the process's own memory."""
    import psutil

    return round(psutil.Process().memory_info().shared / 2**20, 1)


def serve(target: Path, loops: int = 3) -> dict[str, Any]:
    """The serving measurements (run in a process of its own for start-up and RSS)."""
    import faiss
    import psutil

    faiss.omp_set_num_threads(1)  # as the service (Settings.faiss_threads)
    rss_start = _rss_mb()  # the interpreter with numpy and faiss imported
    questions = np.load(target.parent / "questions.npy")
    truth = np.load(target / "truth.npz")
    store = Store.open(target)
    dense = OnDiskDenseIndex.open_base(target / (target / "base").read_text().strip(), store)
    council = Filters(council=("Council 0",))
    dense.search(Query(text="", vector=questions[0]), CANDIDATES, council)
    started = time.time() - psutil.Process().create_time()
    report: dict[str, Any] = {"passages": dense.count(), "kind": dense.kind}
    report["startup_s"] = round(started, 2)
    report["rss_start_mb"] = rss_start
    report["rss_open_mb"] = _rss_mb()
    report["file_open_mb"] = _file_mb()
    report["on_disk_mb"] = {
        p.name: round(p.stat().st_size / 2**20, 1) for p in dense.base.iterdir()
    }
    filters = {
        "none": Filters(),  # what the service asks when the question names no filter
        "council": council,
        "dates": Filters(date_from="2019-01-01", date_to="2021-12-31"),
        "council+dates": Filters(
            council=("Council 7",), date_from="2016-01-01", date_to="2020-12-31"
        ),
    }
    costs = {}
    for name, given in filters.items():
        t0 = time.perf_counter()
        allowed = store.allowed(given)
        first = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        store.allowed(given)
        costs[name] = {
            "passing": allowed.count,
            "first_ms": round(first, 1),
            "cached_ms": round((time.perf_counter() - t0) * 1000, 3),
        }
    report["filters"] = costs
    latency = {}
    for name, given in filters.items():
        spent = []
        for _ in range(loops):
            for vector in questions:
                t0 = time.perf_counter()
                dense.search(Query(text="", vector=vector), CANDIDATES, given)
                spent.append((time.perf_counter() - t0) * 1000)
        latency[name] = percentiles(spent)
    report["search_ms"] = latency
    report["rss_after_mb"] = _rss_mb()
    report["file_after_mb"] = _file_mb()
    report["recall"] = _recall(dense, questions, truth, council)
    report["rss_end_mb"] = _rss_mb()
    report["file_end_mb"] = _file_mb()
    store.close()
    return report


def _recall(
    dense: OnDiskDenseIndex, questions: np.ndarray, truth: Any, council: Filters
) -> list[dict[str, Any]]:
    """Recall@10 against the exact top-10, by nprobe and refine factor."""
    rows = []
    default = (dense.nprobe, dense.refine_factor)
    for nprobe in (16, 32, 64, 128):
        for factor in (2, 4, 8, 16, 32):
            dense.nprobe, dense.refine_factor = nprobe, factor
            row: dict[str, Any] = {"nprobe": nprobe, "refine": factor}
            for key, given in (("all", None), ("council", council)):
                found, spent = 0, []
                for vector, exact in zip(questions, truth[key], strict=True):
                    t0 = time.perf_counter()
                    hits = dense.search(Query(text="", vector=vector), TOP, given)
                    spent.append((time.perf_counter() - t0) * 1000)
                    found += len(set(exact.tolist()) & {i for i, _ in hits})
                row[key] = round(found / truth[key].size, 4)
                row[f"{key}_ms"] = percentiles(spent)["p50"]
            rows.append(row)
    dense.nprobe, dense.refine_factor = default
    return rows


def codes(out: Path, passages: int) -> list[dict[str, Any]]:
    """Recall@10 of candidate code sizes, in memory on ``passages`` vectors of the same kind:
    each code's top ``fetch`` re-scored exactly, at nprobe 64 of ``ondisk_nlist`` lists."""
    import faiss

    faiss.omp_set_num_threads(1)
    base, questions = inputs(out)
    _, vectors = shard_vectors(base, 0, passages)
    truth = np.argsort(-(questions @ vectors.T), axis=1)[:, :TOP]
    dim, nlist, ip = vectors.shape[1], ondisk_nlist(passages), faiss.METRIC_INNER_PRODUCT
    sq8 = faiss.ScalarQuantizer.QT_8bit
    kinds: dict[str, Callable[[faiss.Index], faiss.IndexIVF]] = {
        "PQ48": lambda q: faiss.IndexIVFPQ(q, dim, nlist, 48, 8, ip),
        "PQ96": lambda q: faiss.IndexIVFPQ(q, dim, nlist, 96, 8, ip),
        "SQ8": lambda q: faiss.IndexIVFScalarQuantizer(q, dim, nlist, sq8, ip),
    }
    rows: list[dict[str, Any]] = []
    for name, make in kinds.items():
        index = make(faiss.IndexFlatIP(dim))
        index.train(vectors[: train_size(nlist)])
        index.add(vectors)
        faiss.extract_index_ivf(index).nprobe = 64
        for fetch in (20, 40, 80, 160, 320):
            t0 = time.perf_counter()
            _, found = index.search(questions, fetch)
            spent = (time.perf_counter() - t0) * 1000 / len(questions)
            hits = 0
            for q, row in enumerate(found):
                row = row[row >= 0]
                best = row[np.argsort(-(vectors[row] @ questions[q]))[:TOP]]
                hits += len(set(best.tolist()) & set(truth[q].tolist()))
            rows.append(
                {
                    "code": name,
                    "fetch": fetch,
                    "recall": round(hits / truth.size, 4),
                    "ms": round(spent, 2),
                }
            )
            print(rows[-1], flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    """``build``, ``serve`` (a fresh process), ``all`` (both) or ``codes``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=("build", "serve", "all", "codes"))
    parser.add_argument("--passages", type=int, default=10_000_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/scale-ondisk"))
    parser.add_argument("--loops", type=int, default=3)
    args = parser.parse_args(argv)
    if args.step == "serve":
        print(json.dumps(serve(args.out, args.loops), indent=1))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    if args.step == "codes":
        compared = codes(args.out, args.passages)
        (args.out / f"codes-{args.passages}.json").write_text(json.dumps(compared, indent=1))
        return 0
    target = build(args.out, args.passages)
    print((target / "build.json").read_text())
    if args.step == "all":  # start-up and memory are a fresh process's
        command = [sys.executable, "-m", "bench.scale_ondisk", "serve", "--out", str(target)]
        result = subprocess.run(
            [*command, "--loops", str(args.loops)],
            cwd=REPO_ROOT,
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "OMP_NUM_THREADS": "1"},
        )
        (target / "serve.json").write_text(result.stdout, encoding="utf-8")
        print(result.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
