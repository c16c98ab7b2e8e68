"""A Ray ingest (``cqa ingest --engine ray``) against a plain ingest of the same papers.

Ray runs locally with 2 embedding workers (3 logical CPUs: one more than the actors), as
CI runs it.  The unit tests use the deterministic fake embedder on all three dev sets; one
integration test runs the real model on a few papers.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.embedder import HashingEmbedder
from indexing.shard_commit import plan
from indexing.shards import shard_path
from indexing.writer import IndexWriter
from tests.conftest import SHARED, build_index

ray = pytest.importorskip("ray", reason='Ray is the [scale] extra: pip install -e ".[scale]"')

from indexing.ray_ingest import EmbedderSpec, EmbedDocs, ingest_with_ray  # noqa: E402

DEV_SETS = [SHARED / name / "corpus" for name in ("dev-set", "dev-set-2", "real-dev-set")]
WORKERS = 2
HASHING = EmbedderSpec("hashing")


@pytest.fixture(scope="module")
def local_ray() -> Any:
    """One local Ray for the module: 2 actors, 3 logical CPUs."""
    if not all(p.is_dir() for p in DEV_SETS):
        pytest.skip("the dev sets are not in ../shared")
    ray.init(num_cpus=WORKERS + 1, include_dashboard=False, logging_level="WARNING")
    yield ray
    ray.shutdown()


def ray_index(
    index_dir: Path,
    paths: list[Path],
    embedder: Any,
    spec: EmbedderSpec = HASHING,
    actor: type[EmbedDocs] = EmbedDocs,
    shards: Path | None = None,
    shard_files: int = 32,
) -> Any:
    """Ingest ``paths`` into ``index_dir`` with the Ray engine; returns the summary."""
    writer = IndexWriter(index_dir, embedder)
    with writer.open():
        return ingest_with_ray(
            writer,
            paths,
            spec,
            shards or index_dir / "shards",
            WORKERS,
            actor=actor,
            shard_files=shard_files,
        )


def contents(index_dir: Path) -> dict[str, Any]:
    """Documents, passages (ids, offsets, text, page) and vectors by passage id."""
    from index.store import Store

    store = Store.open(index_dir)
    try:
        db = store.conn
        documents = db.execute(
            "SELECT document_id, source, content_hash, council, meeting_date, title "
            "FROM documents ORDER BY document_id"
        ).fetchall()
        rows = db.execute(
            "SELECT p.passage_id, d.document_id, p.ordinal, p.char_start, p.char_end, p.page, "
            "p.heading, p.text, p.is_table, p.embedding, p.id FROM passages p "
            "JOIN documents d ON d.doc_rowid = p.doc_rowid ORDER BY p.passage_id"
        ).fetchall()
        sentences: dict[str, list[tuple[int, int, bytes]]] = {}
        for row in rows:
            got = db.execute(
                "SELECT start_char, end_char, embedding FROM sentences WHERE passage = ? "
                "ORDER BY start_char",
                (row[10],),
            ).fetchall()
            sentences[row[0]] = got
        decisions = db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0]
    finally:
        store.close()
    return {
        "documents": documents,
        "passages": [r[:9] for r in rows],
        "vectors": {r[0]: np.frombuffer(r[9], dtype=np.float32) for r in rows},
        "sentences": sentences,
        "decisions": decisions,
    }


def assert_same(plain: Path, other: Path) -> None:
    """Same documents, passage ids and offsets; vectors within 1e-4 cosine."""
    a, b = contents(plain), contents(other)
    assert a["documents"] and a["documents"] == b["documents"]
    assert a["passages"] == b["passages"]
    assert a["decisions"] == b["decisions"]
    for pid, vector in a["vectors"].items():
        assert float(vector @ b["vectors"][pid]) >= 1 - 1e-4, pid
    for pid, rows in a["sentences"].items():
        theirs = b["sentences"][pid]
        assert [r[:2] for r in rows] == [r[:2] for r in theirs]
        for mine, other_row in zip(rows, theirs, strict=True):
            va = np.frombuffer(mine[2], dtype=np.float32)
            vb = np.frombuffer(other_row[2], dtype=np.float32)
            assert float(va @ vb) >= 1 - 1e-4


def test_ray_ingest_of_the_three_dev_sets_equals_a_plain_ingest(
    local_ray: Any, tmp_path: Path
) -> None:
    plain = build_index(tmp_path / "plain", DEV_SETS, HashingEmbedder())
    summary = ray_index(tmp_path / "ray", DEV_SETS, HashingEmbedder())
    assert summary.added and not summary.updated
    assert_same(plain, tmp_path / "ray")
    # committed shards are deleted, and a second run finds every paper unchanged
    assert not list((tmp_path / "ray" / "shards").glob("*.parquet"))
    again = ray_index(tmp_path / "ray", DEV_SETS, HashingEmbedder())
    assert not again.added and len(again.unchanged) == len(summary.added)


def test_a_changed_paper_is_the_only_one_processed_again(local_ray: Any, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(DEV_SETS[0], corpus)
    ray_index(tmp_path / "ray", [corpus], HashingEmbedder())
    victim = corpus / "northmoor-cyp-scrutiny-2015-06-23-minutes.txt"
    victim.write_text(victim.read_text() + "\nA late item on school transport costs.\n")
    summary = ray_index(tmp_path / "ray", [corpus], HashingEmbedder())
    assert summary.updated == [victim.name] and not summary.added
    plain = build_index(tmp_path / "plain", [corpus], HashingEmbedder())
    assert_same(plain, tmp_path / "ray")


def test_a_worker_killed_mid_run_is_retried_and_the_result_is_equal(
    local_ray: Any, tmp_path: Path
) -> None:
    marker = tmp_path / "killed-once"

    class DiesOnce(EmbedDocs):
        """Kills its own process on its first batch (the marker file makes it once)."""

        def __call__(self, batch: Any) -> Any:
            if not marker.exists():
                marker.write_text("killed")
                os._exit(1)
            return super().__call__(batch)

    summary = ray_index(tmp_path / "ray", [DEV_SETS[1]], HashingEmbedder(), actor=DiesOnce)
    assert marker.exists() and summary.added and not summary.failed
    plain = build_index(tmp_path / "plain", [DEV_SETS[1]], HashingEmbedder())
    assert_same(plain, tmp_path / "ray")


def test_an_interrupted_ingest_resumes_from_its_finished_shards(
    local_ray: Any, tmp_path: Path
) -> None:
    from indexing.ray_ingest import run_shards

    index_dir, shards = tmp_path / "ray", tmp_path / "shards"
    writer = IndexWriter(index_dir, HashingEmbedder())
    with writer.open():
        work = plan(writer, [DEV_SETS[0]], shard_files=8)
        assert len(work.shards) >= 3
        # the run stops after the first two shards were written (as if killed there)
        run_shards(work.shards[:2], shards, HASHING, writer.limits, WORKERS)
    finished = {s.key for s in work.shards[:2]}
    assert all(shard_path(shards, key).exists() for key in finished)

    class Counts(EmbedDocs):
        """Fails on a paper of a finished shard: those must be read, not computed again."""

        def __call__(self, batch: Any) -> Any:
            assert not set(batch["shard"]) & finished, "a finished shard was computed again"
            return super().__call__(batch)

    summary = ray_index(
        index_dir, [DEV_SETS[0]], HashingEmbedder(), actor=Counts, shards=shards, shard_files=8
    )
    assert not summary.failed and len(summary.added) == work.files
    plain = build_index(tmp_path / "plain", [DEV_SETS[0]], HashingEmbedder())
    assert_same(plain, index_dir)


@pytest.mark.integration
def test_ray_ingest_with_the_real_model_equals_a_plain_ingest(
    local_ray: Any, tmp_path: Path, small_corpus: Path, real_embedder: Any
) -> None:
    model = real_embedder  # the session's one copy of the model (tests/conftest.py)
    plain = build_index(tmp_path / "plain", [small_corpus], model)
    ray_index(tmp_path / "ray", [small_corpus], model, spec=EmbedderSpec("model"))
    assert_same(plain, tmp_path / "ray")


def test_cqa_ingest_engine_ray_prints_a_line_per_stage(
    local_ray: Any, tmp_path: Path, small_corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from qa_service.cli import main

    monkeypatch.setenv("CQA_EMBEDDER", "hashing")
    index_dir = tmp_path / "idx"
    args = ["ingest", "--engine", "ray", "--workers", "2", "--index", str(index_dir)]
    result = CliRunner().invoke(main, [*args, str(small_corpus)])
    assert result.exit_code == 0, result.output
    for stage in ("plan: 5 files to process in 1 shard;", "load+embed (ray, 2 workers)", "commit:"):
        assert stage in result.output
    assert "files: 5 added" in result.output
    assert not list((index_dir / "ray-shards").glob("*.parquet"))
    plain = build_index(tmp_path / "plain", [small_corpus], HashingEmbedder())
    assert_same(plain, index_dir)


@pytest.mark.parametrize("form", ["127.0.0.1:{port}", "ray://127.0.0.1:{port}"])
def test_a_ray_address_nothing_answers_is_one_error_at_once(
    form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ray.init retried such an address for minutes, logging each try, before giving up
    import socket
    import time

    from cqa_core.errors import ClusterUnreachableError
    from indexing.ray_ingest import start_ray

    def init(**kwargs: object) -> None:
        raise AssertionError("ray.init was called")

    # as if no session ran here (a module's local Ray is left as it is)
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", init)
    with socket.socket() as probe:  # a port nothing listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = form.format(port=port)
    began = time.monotonic()
    with pytest.raises(ClusterUnreachableError, match=f"--ray-address {address}: no Ray cluster"):
        start_ray(address, workers=1)
    assert time.monotonic() - began < 10
