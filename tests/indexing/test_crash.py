"""SIGKILL `cqa ingest` at seeded random points, and at three exact points inside a commit.

Each run starts either from an empty index (the ingest adds files) or from a full one whose
files have all changed (the ingest replaces documents).  The process is killed after a
random number of progress lines plus a random delay, so kills land while files are read,
while they are embedded, and inside commits.  Afterwards:

- the index opens, and the engine answers;
- it holds exactly what the last completed commit held: files are processed in sorted
  order and committed ``COMMIT_EVERY`` at a time, so at generation ``g`` the first
  ``g * COMMIT_EVERY`` files are in their new state and every other file in its old one;
- dense vectors, stored passages and the FAISS file agree;
- a re-run (through the CLI every fifth time) completes exactly the work that was left,
  and leaves no temporary files behind.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cqa_core.errors import IndexMissingError
from index.dense import DenseIndex, dense_file_name
from index.embedder import HashingEmbedder
from index.lexical_tantivy import TantivyIndex
from index.store import Store
from indexing.writer import IndexWriter
from ingest.pipeline import IngestLimits
from qa_service.retriever import Engine
from tests.hostile import paragraphs
from tests.procs import REPO, child_env, cqa

pytestmark = pytest.mark.processes

FILES = 24
COMMIT_EVERY = 3
RUNS = 20
SEED = 20261201


def _write_corpus(folder: Path, version: int) -> None:
    rng = random.Random(version)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(FILES):
        head = f"Item {i}. Version {version}"
        text = "\n\n".join([head, *paragraphs(rng, f"file{i}v{version}", 6)])
        (folder / f"paper-{i:02d}.txt").write_text(text, encoding="utf-8")


def _state(index: Path) -> tuple[int, dict[str, str]]:
    """(generation, source -> content hash) of the committed index (0, {} if none yet)."""
    try:
        store = Store.open(index)
    except IndexMissingError:
        return 0, {}
    try:
        return store.generation(), {d.source: d.content_hash for d in store.list_documents()}
    finally:
        store.close()


def _hashes(folder: Path) -> dict[str, str]:
    import hashlib

    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _kill_at_random(index: Path, corpus: Path, rng: random.Random) -> int:
    """Start ``cqa ingest`` and SIGKILL it after a random number of progress lines."""
    after_lines = rng.randint(0, FILES)
    delay = rng.choice([0.0, 0.0, rng.uniform(0, 0.005), rng.uniform(0, 0.05)])
    env = child_env(CQA_COMMIT_EVERY=str(COMMIT_EVERY), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        cqa("ingest", corpus, "--index", index),
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    seen = 0
    deadline = time.monotonic() + 60
    while seen < after_lines and time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break  # finished before the chosen point: the kill below finds it gone
        if line.startswith(b"["):
            seen += 1
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()
    return seen


def _check_consistent(index: Path) -> int:
    """The committed index is whole: returns its passage count."""
    store = Store.open(index)
    try:
        stats = store.stats()
        ids, _vectors = store.all_embeddings()
        assert len(ids) == stats.passages
        name = store.get_meta("dense_file")
        if stats.generation:
            assert name == dense_file_name(stats.generation)
            assert (index / name).exists(), "the FAISS file of the last commit is there"
        assert DenseIndex.load(index, store).count() == stats.passages
        assert TantivyIndex.load(index, store).count() == stats.passages
        for d in store.list_documents():
            text, _ = store.document_text(d.document_id)
            for pid, start, end, _page in store.document_passages(d.document_id):
                rowid = store.passage_rowid(pid)
                assert store.passages([rowid])[rowid].text == text[start:end]
        return stats.passages
    finally:
        store.close()


def _answers(index: Path) -> None:
    """The committed index is whole and holds passages, and an engine on it answers."""
    assert _check_consistent(index) > 0
    engine = Engine(index, HashingEmbedder())
    try:
        assert engine.ask("committee report children services", 3).hits
    finally:
        engine.close()


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two versions of the same corpus: every file differs between them."""
    base = tmp_path_factory.mktemp("crash")
    old, new = base / "v1", base / "v2"
    _write_corpus(old, 1)
    _write_corpus(new, 2)
    return old, new


def test_sigkill_at_random_points_never_damages_the_index(
    corpora: tuple[Path, Path], tmp_path: Path
) -> None:
    old, new = corpora
    rng = random.Random(SEED)
    old_hashes, new_hashes = _hashes(old), _hashes(new)
    names = sorted(new_hashes)
    landed: list[tuple[str, int, int]] = []
    for run in range(RUNS):
        mode = "replace" if run % 2 else "add"
        index = tmp_path / f"run-{run}"
        corpus = tmp_path / f"corpus-{run}"
        if mode == "replace":  # a full index of version 1, then every file changes
            shutil.copytree(old, corpus)
            writer = IndexWriter(index, HashingEmbedder(), commit_every=COMMIT_EVERY)
            with writer.open():
                writer.ingest([corpus])
            for name in names:
                shutil.copy(new / name, corpus / name)
        else:
            shutil.copytree(new, corpus)
        start_generation, _ = _state(index)
        seen = _kill_at_random(index, corpus, rng)

        generation, committed = _state(index)
        commits = generation - start_generation
        done = names[: commits * COMMIT_EVERY]
        if mode == "add":
            assert sorted(committed) == done, (run, seen, commits)
        else:
            assert sorted(committed) == names
            for name in names:
                expected = new_hashes[name] if name in done else old_hashes[name]
                assert committed[name] == expected, (run, name, seen, commits)
        if generation:  # killed before the first commit there is nothing to open yet
            _answers(index)
        landed.append((mode, seen, commits))

        left = FILES - commits * COMMIT_EVERY
        if run % 5 == 4:  # through the CLI now and then; the same writer code otherwise
            rerun = subprocess.run(
                cqa("ingest", corpus, "--index", index),
                env=child_env(CQA_COMMIT_EVERY=str(COMMIT_EVERY)),
                cwd=REPO,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert rerun.returncode == 0, rerun.stderr
            assert f"{left} {'added' if mode == 'add' else 'updated'}" in rerun.stdout
        else:
            writer = IndexWriter(index, HashingEmbedder(), commit_every=COMMIT_EVERY)
            with writer.open():
                summary = writer.ingest([corpus])
            assert len(summary.added if mode == "add" else summary.updated) == left
            assert len(summary.unchanged) == FILES - left and not summary.failed
        _generation, final = _state(index)
        assert final == new_hashes
        _check_consistent(index)
        assert not list(index.glob("*.tmp"))
        shutil.rmtree(index)
        shutil.rmtree(corpus)
    # the seeded points really are spread: before any commit, between commits, after all
    print("kills (mode, progress lines seen, commits completed):", landed)  # for the docs
    commits_seen = {c for _m, _s, c in landed}
    assert 0 in commits_seen and len(commits_seen) >= 4, landed


# Deterministic kill points inside one commit: the child patches the writer so that it
# SIGKILLs itself exactly there (test-only code, run with `python -c`).
_KILLER = """
import os, sys
import index.dense, index.lexical_tantivy, indexing.writer
point, nth = os.environ["KILL_POINT"], int(os.environ["KILL_NTH"])
seen = [0]
def die():
    os.kill(os.getpid(), 9)
def die_after(owner, name, last):
    # owner.name runs as before, counted; the process dies once last(its result) holds
    real = getattr(owner, name)
    def patched(self, *args):
        result = real(self, *args)
        seen[0] += 1
        if last(result):
            die()
        return result
    setattr(owner, name, patched)
if point == "after-faiss-write":  # the new FAISS file is written, SQLite not committed
    die_after(index.dense.DenseIndex, "save", lambda _saved: seen[0] == nth)
elif point == "after-tantivy-commit":  # tantivy holds the new generation, SQLite does not
    die_after(index.lexical_tantivy.TantivyIndex, "save", lambda _saved: seen[0] == nth)
elif point == "mid-insert":  # half of a commit's rows are inside the open transaction
    die_after(
        indexing.writer.IndexWriter,
        "_insert_document",
        lambda _ids: seen[0] == (nth - 1) * 3 + 2,
    )
elif point == "after-sqlite-commit":  # committed; the old FAISS file not yet removed and
    # tantivy's state not yet moved to the new generation (the next reader rebuilds it)
    committed = index.dense.DenseIndex.committed
    def patched(self, generation):
        seen[0] += 1
        if seen[0] == nth + 1:  # the first call is when the writer opens
            die()
        committed(self, generation)
    index.dense.DenseIndex.committed = patched
elif point == "after-base-fold":  # an on-disk base written and the store's float32 copies
    # of its vectors deleted, inside the commit's transaction, not yet committed
    import index.dense_ondisk
    die_after(index.dense_ondisk.OnDiskDenseIndex, "fold", bool)
from qa_service.cli import main
main(sys.argv[1:])
"""


def _killed_ingest(corpus: Path, index: Path, **env: str) -> None:
    """``cqa ingest`` of ``corpus`` in a child that ``_KILLER`` kills where ``env`` says."""
    proc = subprocess.run(
        [sys.executable, "-c", _KILLER, "ingest", str(corpus), "--index", str(index)],
        env=child_env(CQA_COMMIT_EVERY=str(COMMIT_EVERY), **env),
        cwd=REPO,
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]


@pytest.mark.parametrize(
    ("point", "completed"),
    [
        ("after-faiss-write", 2),
        ("after-tantivy-commit", 2),
        ("mid-insert", 2),
        ("after-sqlite-commit", 3),
    ],
)
def test_sigkill_inside_a_commit(
    corpora: tuple[Path, Path], tmp_path: Path, point: str, completed: int
) -> None:
    _old, new = corpora
    index = tmp_path / "idx"
    _killed_ingest(new, index, KILL_POINT=point, KILL_NTH="3")
    generation, committed = _state(index)
    assert generation == completed
    assert sorted(committed) == sorted(_hashes(new))[: completed * COMMIT_EVERY]
    _answers(index)
    writer = IndexWriter(index, HashingEmbedder(), commit_every=COMMIT_EVERY)
    with writer.open():
        summary = writer.ingest([new])
    assert len(summary.added) == FILES - completed * COMMIT_EVERY
    assert _state(index)[1] == _hashes(new)
    _check_consistent(index)
    generation = _state(index)[0]
    left = {p.name for p in index.glob("dense-*")}
    assert left <= {dense_file_name(generation), dense_file_name(generation - 1)}


def test_sigkill_after_a_new_base_dropped_the_stores_vectors(
    corpora: tuple[Path, Path], tmp_path: Path
) -> None:
    """The commit that first puts the index on disk writes the base, then deletes the
    store's float32 rows of its vectors, and is killed before it commits: every vector is
    still in the store, the unnamed base goes, and a re-run folds them into its own base."""
    _old, new = corpora
    index = tmp_path / "idx"
    _killed_ingest(
        new, index, CQA_DENSE_ONDISK_MIN="20", KILL_POINT="after-base-fold", KILL_NTH="1"
    )
    assert list(index.glob("dense-base-*"))  # the killed commit's base, named by nothing
    generation, committed = _state(index)
    assert generation > 0
    assert sorted(committed) == sorted(_hashes(new))[: generation * COMMIT_EVERY]
    passages = _check_consistent(index)  # every passage's vector reads back
    store = Store.open(index)
    try:
        assert store.get_meta("vector_base") is None
        held = store.conn.execute("SELECT count(*) FROM passage_vectors").fetchone()[0]
        assert held == passages
    finally:
        store.close()
    limits = IngestLimits(dense_ondisk_min=20)
    writer = IndexWriter(index, HashingEmbedder(), limits, commit_every=COMMIT_EVERY)
    with writer.open():
        writer.ingest([new])
    assert _state(index)[1] == _hashes(new)
    _check_consistent(index)
    store = Store.open(index)
    try:
        base = store.get_meta("vector_base")
        assert base and (index / base).is_dir()
        last = int(store.get_meta("vector_base_last") or 0)
        assert not store.conn.execute(
            "SELECT count(*) FROM passage_vectors WHERE id <= ?", (last,)
        ).fetchone()[0]
    finally:
        store.close()
