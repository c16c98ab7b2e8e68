"""A running `cqa serve` keeps answering while `cqa ingest` writes, and sees each commit.

The server is started on 127.0.0.1 and a free port over a small index; then batches of
new papers are ingested by separate ``cqa ingest`` processes (committing every few files)
while four clients ask questions without pause.  It proves: at least 500 questions are
answered while an ingest is running, with no failure at all; and after each ingest the
new papers are searchable through the same server, with no restart.
"""

from __future__ import annotations

import random
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from index.embedder import HashingEmbedder
from indexing.writer import IndexWriter
from qa_service.serving import serving
from tests.hostile import MANIFEST_HEADER, paragraphs
from tests.procs import REPO, child_env, cqa

pytestmark = pytest.mark.processes

CLIENTS = 4
MIN_QUERIES = 500
MAX_BATCHES = 40  # bounded: stop ingesting after this many batches whatever happens
QUESTIONS = [
    "agency social workers caseloads",
    "Ofsted inspection improvement plan",
    "foster carers recruitment",
    "budget spending review quarter",
    "safeguarding partnership school placements",
]


def _batch(folder: Path, n: int, rng: random.Random, files: int = 40) -> str:
    """A folder of new papers from one council; returns the council's name."""
    council = f"Batch {n} Council"
    folder.mkdir(parents=True)
    rows = [MANIFEST_HEADER]
    for i in range(files):
        name = f"batch{n}-{i:02d}.txt"
        text = "\n\n".join([f"Item {i}. Batch {n}", *paragraphs(rng, f"b{n}f{i}", 8)])
        (folder / name).write_text(text, encoding="utf-8")
        rows.append(f"{name},{council},Scrutiny,2024-01-{(i % 28) + 1:02d},,minutes,,")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return council


class Hammer:
    """Clients that ask questions until stopped, counting answers made during ingests."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.stop = threading.Event()
        self.ingesting = threading.Event()
        self.during = 0
        self.total = 0
        self.failures: list[str] = []
        self.lock = threading.Lock()

    def run(self, seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=self.url, timeout=30) as client:
            while not self.stop.is_set():
                was_ingesting = self.ingesting.is_set()
                body = {"question": rng.choice(QUESTIONS), "top_k": rng.randint(1, 8)}
                try:
                    r = client.post("/api/ask", json=body)
                    ok = r.status_code == 200 and len(r.json()["passages"]) >= 1
                    problem = "" if ok else f"{r.status_code}: {r.text[:200]}"
                except httpx.HTTPError as exc:
                    problem = f"{type(exc).__name__}: {exc}"
                with self.lock:
                    self.total += 1
                    if problem:
                        self.failures.append(problem)
                    elif was_ingesting and self.ingesting.is_set():
                        self.during += 1


def test_serve_answers_during_ingest_and_sees_new_documents(tmp_path: Path) -> None:
    rng = random.Random(7)
    first = tmp_path / "first"
    _batch(first, 0, rng)
    index = tmp_path / "idx"
    writer = IndexWriter(index, HashingEmbedder())
    with writer.open():
        writer.ingest([first])

    with serving(index, env=child_env()) as server:
        url = server.url
        hammer = Hammer(url)
        threads = [threading.Thread(target=hammer.run, args=(i,)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        batches = 0
        try:
            while hammer.during < MIN_QUERIES and batches < MAX_BATCHES:
                batches += 1
                folder = tmp_path / f"batch-{batches}"
                council = _batch(folder, batches, rng)
                hammer.ingesting.set()
                proc = subprocess.run(
                    cqa("ingest", folder, "--index", index),
                    env=child_env(CQA_COMMIT_EVERY="4"),
                    cwd=REPO,
                    capture_output=True,
                    text=True,
                    timeout=300,
                )
                hammer.ingesting.clear()
                assert proc.returncode == 0, proc.stderr
                # the running server sees the commit: the new council answers
                r = httpx.post(
                    f"{url}/api/ask",
                    json={"question": QUESTIONS[0], "filters": {"council": council}},
                    timeout=30,
                )
                assert r.status_code == 200
                councils = {p["citation"]["council"] for p in r.json()["passages"]}
                assert councils == {council}
                health = httpx.get(f"{url}/health", timeout=30).json()
                assert health["documents"] == 40 * (batches + 1)
        finally:
            time.sleep(0.2)
            hammer.stop.set()
            for t in threads:
                t.join(timeout=60)
    print(f"{hammer.during} answers during {batches} ingests, {hammer.total} in all")
    assert hammer.failures == []
    assert hammer.during >= MIN_QUERIES
