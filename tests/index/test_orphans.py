"""Orphan uploads (index/orphans.py): removed at start-up and by ``cqa doctor``.

An interrupted upload leaves its file in ``uploads/`` with no document; so does a removed
document.  Such files older than the grace period are deleted, under the write lock; a
committed upload, a young file (a body that may still be arriving) and everything while
another process writes are left alone.
"""

from __future__ import annotations

import io
import logging
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from index.orphans import remove_orphan_uploads
from indexing.writer import IndexWriter
from qa_service.api.main import create_app
from qa_service.cli import main
from qa_service.config import Settings

TOKEN = "orphan-token"
PAPER = b"Item 1. Budget\n\nThe quokka budget was agreed by the committee after debate."
HOUR = 3600


def _upload(index: Path) -> str:
    """Upload one paper through the API; returns the stored file's name."""
    app = create_app(Settings(index=index, admin_token=TOKEN), HashingEmbedder())
    with TestClient(app) as client:
        r = client.post(
            "/api/documents",
            files={"file": ("paper.txt", io.BytesIO(PAPER))},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert r.status_code == 201, r.text
    (stored,) = (index / "uploads").iterdir()
    return stored.name


def _orphan(index: Path, name: str, age: float) -> Path:
    path = index / "uploads" / name
    path.write_bytes(b"half an upload")
    os.utime(path, (time.time() - age, time.time() - age))
    return path


@pytest.fixture
def index(small_index: Path) -> Path:
    kept = _upload(small_index)
    assert kept
    return small_index


def test_old_orphans_go_and_everything_else_stays(index: Path) -> None:
    (kept,) = [p.name for p in (index / "uploads").iterdir()]
    old = _orphan(index, "a" * 32 + ".pdf", 2 * HOUR)
    young = _orphan(index, "b" * 32 + ".txt", 10)
    report = remove_orphan_uploads(index)
    assert report.removed == [old.name] and report.recent == [young.name]
    assert report.freed_bytes == len(b"half an upload")
    assert sorted(p.name for p in (index / "uploads").iterdir()) == sorted([kept, young.name])
    assert remove_orphan_uploads(index, min_age=0).removed == [young.name]
    assert [p.name for p in (index / "uploads").iterdir()] == [kept]


def test_a_removed_documents_upload_is_an_orphan(index: Path) -> None:
    from index.store import Store

    store = Store.open(index)
    doc = next(d for d in store.list_documents() if "uploads" in d.path)
    store.close()
    writer = IndexWriter(index, HashingEmbedder())
    with writer.open():
        writer.remove(doc.document_id)
    assert remove_orphan_uploads(index, min_age=0).removed == [Path(doc.path).name]


def test_deleting_an_uploaded_document_through_the_api_removes_its_file(index: Path) -> None:
    from index.store import Store

    store = Store.open(index)
    docs = store.list_documents()
    store.close()
    uploaded = next(d for d in docs if "uploads" in d.path)
    ingested = next(d for d in docs if "uploads" not in d.path)
    app = create_app(Settings(index=index, admin_token=TOKEN), HashingEmbedder())
    with TestClient(app) as client:
        for doc in (uploaded, ingested):
            r = client.delete(
                f"/api/documents/{doc.document_id}", headers={"Authorization": f"Bearer {TOKEN}"}
            )
            assert r.status_code == 200, r.text
    assert not Path(uploaded.path).exists(), "the upload went with its document"
    assert Path(ingested.path).exists(), "a file ingested from a folder is never deleted"
    assert list((index / "uploads").iterdir()) == []


def test_nothing_is_touched_while_another_process_writes(index: Path) -> None:
    old = _orphan(index, "c" * 32 + ".txt", 2 * HOUR)
    with IndexWriter(index, HashingEmbedder()).open():
        report = remove_orphan_uploads(index)
    assert report.busy and report.removed == [] and old.exists()


def test_the_service_removes_orphans_when_it_starts(
    index: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old = _orphan(index, "d" * 32 + ".html", 2 * HOUR)
    app = create_app(Settings(index=index, admin_token=TOKEN), HashingEmbedder())
    with caplog.at_level(logging.WARNING, "qa_service"), TestClient(app) as client:
        assert client.get("/health").status_code == 200
    assert not old.exists()
    assert "removed 1 orphan upload" in caplog.text


def test_cqa_doctor(index: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = _orphan(index, "e" * 32 + ".txt", 2 * HOUR)
    young = _orphan(index, "f" * 32 + ".txt", 5)
    r = CliRunner().invoke(main, ["doctor", "--index", str(index)])
    assert r.exit_code == 0, r.output
    assert f"removed: uploads/{old.name}" in r.output and f"left: uploads/{young.name}" in r.output
    assert "orphan uploads: 1 removed (14 bytes), 1 left" in r.output
    r = CliRunner().invoke(main, ["doctor", "--min-age", "0", "--index", str(index)])
    assert "orphan uploads: 1 removed" in r.output and not young.exists()
    with IndexWriter(index, HashingEmbedder()).open():
        r = CliRunner().invoke(main, ["doctor", "--index", str(index)])
    assert r.exit_code == 1 and "another process is writing" in r.output
    r = CliRunner().invoke(main, ["doctor", "--index", str(tmp_path / "none")])
    assert r.exit_code == 1 and "no index at" in r.output and "Traceback" not in r.output
