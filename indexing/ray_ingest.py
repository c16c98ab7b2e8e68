"""The ingest as a Ray Data pipeline: papers -> load and cut (tasks) -> embed (actors) -> shards.

Loading, structuring and cutting a paper is one Ray task per paper (``load_row``); the
embedding is an actor pool (``EmbedDocs``) in which each actor loads the model once, on one
torch thread, so N actors use N cores without fighting over them.  Each actor embeds a
batch of papers' passages and sentences shortest first, in the model's own batch size, as
the plain ingest does.  The driver collects the rows as they stream out and writes each
shard (``indexing/shards.py``) once all its papers are in; a shard already on disk is not
computed again, so an interrupted run resumes from its finished shards.

Two traps, both met here: Ray must be given more logical CPUs than there are embedding
actors (with exactly as many, the first stage's tasks never got a CPU and the job hung),
and the input is cut into one block per paper so the actors share the work (with one
block, every row went to one actor).  A worker that dies is restarted by Ray and its batch
run again (Ray Data's actor pool retries by default), so a killed worker costs time only.
"""

from __future__ import annotations

import json
import socket
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from cqa_core.errors import ClusterUnreachableError, IngestError
from cqa_core.text import counted, split_sentences
from indexing.embed_batch import embed_text
from indexing.ray_support import require
from indexing.shard_commit import SHARD_FILES, PlannedShard
from indexing.shards import encode_spans, pack_document, shard_path, unpack_document, write_shard
from ingest.models import DocMeta
from ingest.pipeline import IngestLimits, process_file

# Papers per actor call: ~20 passages and ~100 sentences a paper, so each call is a few
# hundred texts, many model batches, and the per-call overhead of Ray stays small.
DOCS_PER_BATCH = 8
LOAD_CPUS = 0.5


@dataclass(frozen=True)
class EmbedderSpec:
    """How each actor builds its embedder (the settings' ``CQA_EMBEDDER`` and model path)."""

    kind: str  # "model" or "hashing"
    model_path: str | None = None
    batch_size: int = 16  # the plain ingest's model batch


@dataclass
class RayRun:
    """What the Ray stage did."""

    shards_written: int = 0
    shards_reused: int = 0
    documents: int = 0
    failed: int = 0
    passages: int = 0
    sentences: int = 0
    seconds: float = 0.0


def load_row(row: dict[str, Any], limits: IngestLimits) -> dict[str, Any]:
    """Load, structure and cut one paper (a Ray task): its document and sentence offsets,
    or the reason it failed."""
    meta = DocMeta(**json.loads(row["meta"]))
    out = dict(row)
    out.update(error=None, document=None, passage_ids=[], spans="[]")
    try:
        document = process_file(Path(row["path"]), meta, limits)
    except IngestError as exc:
        out["error"] = exc.reason
        return out
    spans = [[(s.start, s.end) for s in split_sentences(p.text)] for p in document.passages]
    out.update(
        document=pack_document(document),
        passage_ids=[p.passage_id for p in document.passages],
        spans=encode_spans(spans),
    )
    return out


class EmbedDocs:
    """A Ray actor: the model loaded once, embedding batches of loaded papers."""

    def __init__(self, spec: EmbedderSpec) -> None:
        try:  # one thread per actor: the actors are the parallelism
            import torch

            torch.set_num_threads(1)
        except ImportError:  # the fake embedder needs no torch
            pass
        from index.embedder import Embedder, HashingEmbedder, SentenceTransformerEmbedder

        self.embedder: Embedder
        if spec.kind == "hashing":
            self.embedder = HashingEmbedder()
        else:
            path = Path(spec.model_path) if spec.model_path else None
            self.embedder = SentenceTransformerEmbedder(path, batch_size=spec.batch_size)

    def __call__(self, batch: Any) -> Any:
        """Add ``dim``, ``vectors`` and ``sentence_vectors`` (float32 bytes) to a pandas batch."""
        dim = self.embedder.dim
        texts: list[str] = []
        owners: list[tuple[int, int, int]] = []  # (row, passages, sentences) per paper
        for blob, spans_json in zip(batch["document"], batch["spans"], strict=True):
            if blob is None or (isinstance(blob, float) and np.isnan(blob)):
                owners.append((len(texts), 0, 0))
                continue
            document = unpack_document(blob)
            spans = json.loads(spans_json)
            start = len(texts)
            texts.extend(embed_text(p) for p in document.passages)
            texts.extend(
                p.text[a:b] for p, ss in zip(document.passages, spans, strict=True) for a, b in ss
            )
            owners.append((start, len(document.passages), sum(len(ss) for ss in spans)))
        vectors = self._encode(texts)
        batch["dim"] = [dim] * len(owners)
        batch["vectors"] = [vectors[s : s + n].tobytes() for s, n, _ in owners]
        batch["sentence_vectors"] = [vectors[s + n : s + n + m].tobytes() for s, n, m in owners]
        return batch

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Each distinct text once, shortest first so the model's batches pad little."""
        unique = list(dict.fromkeys(texts))
        unique.sort(key=len)
        got = self.embedder.encode(unique) if unique else np.zeros((0, self.embedder.dim))
        row_of = {t: i for i, t in enumerate(unique)}
        out = np.zeros((len(texts), self.embedder.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = got[row_of[text]]
        return out


def start_ray(address: str | None, workers: int) -> bool:
    """Connect to the cluster at ``address``, or start Ray here; True if this call started it.

    A local Ray is given one logical CPU more than there are actors (see the module's
    docstring); a session already running (a test's) is used as it is.
    """
    ray = require("ray")
    require("ray.data")
    if ray.is_initialized():
        return False
    if address:
        _check_reachable(address)
        ray.init(address=address, logging_level="WARNING")
    else:
        ray.init(num_cpus=workers + 1, include_dashboard=False, logging_level="WARNING")
    return True


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """Raise ClusterUnreachableError if nothing listens at a ``host:port`` address (also
    ``ray://host:port``): ``ray.init`` retries such an address for minutes, logging each try.
    ``auto`` and other forms are left to Ray."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        raise ClusterUnreachableError(
            f"--ray-address {address}: no Ray cluster answers there "
            f"({exc.strerror or exc}); start one, or leave --ray-address out to run Ray here"
        ) from exc


def run_shards(
    shards: Sequence[PlannedShard],
    folder: Path,
    spec: EmbedderSpec,
    limits: IngestLimits,
    workers: int,
    actor: type[EmbedDocs] = EmbedDocs,
    on_line: Callable[[str], None] | None = None,
) -> RayRun:
    """Write every shard not already in ``folder`` through the Ray pipeline (Ray must be
    started); ``actor`` is the embedding actor class (tests swap in one that fails once)."""
    import ray.data

    started = time.perf_counter()
    run = RayRun()
    folder.mkdir(parents=True, exist_ok=True)
    todo = [s for s in shards if not shard_path(folder, s.key).exists()]
    run.shards_reused = len(shards) - len(todo)
    if on_line and run.shards_reused:
        on_line(f"shards: {run.shards_reused} finished shards reused from {folder}")
    items = [
        {
            "shard": shard.key,
            "order": order,
            "path": f.path,
            "meta": json.dumps(asdict(f.meta)),
            "source": f.source,
            "status": f.status,
        }
        for shard in todo
        for order, f in enumerate(shard.files)
    ]
    if not items:
        return run
    expected = {s.key: len(s.files) for s in todo}
    ds: Any = ray.data.from_items(items, override_num_blocks=len(items))
    # half a CPU per load task: unlike the actors' whole one, so Ray keeps loading as tasks
    # of their own rather than fusing them into the actors, and two run on the spare CPU
    ds = ds.map(partial(load_row, limits=limits), num_cpus=LOAD_CPUS)
    ds = ds.map_batches(
        actor,
        fn_constructor_kwargs={"spec": spec},
        batch_size=DOCS_PER_BATCH,
        batch_format="pandas",
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=1,
    )
    waiting: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for batch in ds.iter_batches(batch_size=None, batch_format="pandas"):
        for row in batch.to_dict("records"):
            key = row["shard"]
            waiting[key].append(row)
            run.documents += 1
            if row["error"] is None or row["error"] != row["error"]:  # None or NaN
                spans = json.loads(row["spans"])
                run.passages += len(spans)
                run.sentences += sum(len(ss) for ss in spans)
            else:
                run.failed += 1
            if len(waiting[key]) == expected[key]:
                write_shard(shard_path(folder, key), (_clean(r) for r in waiting.pop(key)))
                run.shards_written += 1
    run.seconds = time.perf_counter() - started
    return run


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    """A row as pandas gave it, with NaN (its missing value) back to None and lists as lists."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, float) and np.isnan(value):
            value = None
        elif isinstance(value, np.ndarray):
            value = value.tolist()
        out[key] = value
    out["error"] = out.get("error") or None
    return out


def ingest_with_ray(
    writer: Any,
    paths: Sequence[Path],
    spec: EmbedderSpec,
    shards: Path,
    workers: int = 2,
    address: str | None = None,
    council: str | None = None,
    on_line: Callable[[str], None] | None = None,
    actor: type[EmbedDocs] = EmbedDocs,
    shard_files: int = SHARD_FILES,
) -> Any:
    """``cqa ingest --engine ray``: plan on the driver, process on Ray, commit on the driver.

    ``writer`` is an open ``IndexWriter``; returns its ``IngestSummary``.  Nothing starts
    Ray when every paper is unchanged.
    """
    from indexing.shard_commit import commit, plan

    say = on_line or (lambda line: None)
    began = time.perf_counter()
    work = plan(writer, paths, council, shard_files)
    s = work.summary
    say(
        f"plan: {counted(work.files, 'file')} to process in {counted(len(work.shards), 'shard')}; "
        f"{len(s.unchanged)} unchanged, {len(s.duplicates)} duplicate, "
        f"{len(s.failed)} unreadable, {len(s.skipped)} skipped "
        f"({time.perf_counter() - began:.1f}s)"
    )
    if work.shards:
        started_here = start_ray(address, workers)
        try:
            run = run_shards(work.shards, shards, spec, writer.limits, workers, actor, say)
        finally:
            if started_here:
                import ray

                ray.shutdown()
        say(
            f"load+embed (ray, {counted(workers, 'worker')}): {counted(run.documents, 'file')}, "
            f"{run.failed} failed, {counted(run.passages, 'passage')} and "
            f"{counted(run.sentences, 'sentence')} embedded; "
            f"{counted(run.shards_written, 'shard')} written, {run.shards_reused} reused "
            f"({run.seconds:.1f}s)"
        )
    committed = time.perf_counter()
    summary = commit(writer, work, shards)
    summary.seconds = time.perf_counter() - began
    say(
        f"commit: {counted(len(summary.added) + len(summary.updated), 'document')}, "
        f"{counted(summary.passages_added, 'passage')} into {writer.index_dir} "
        f"({time.perf_counter() - committed:.1f}s)"
    )
    return summary
