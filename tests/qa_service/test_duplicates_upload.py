"""A byte-identical upload returns the existing document; ``cqa ingest`` names a copy it skips."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from qa_service.api.main import create_app
from qa_service.cli import main
from qa_service.config import Settings
from tests.indexing.test_duplicates import PAPER, papers_with_a_copy

TOKEN = {"Authorization": "Bearer s3cret"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return papers_with_a_copy(tmp_path)


def test_cqa_ingest_says_so_in_the_summary(folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["ingest", str(folder), "--index", str(tmp_path / "idx")]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("qa_service.runtime.make_embedder", lambda settings, **_: HashingEmbedder())
        r = runner.invoke(main, args)
        as_json = json.loads(runner.invoke(main, [*args, "--json"]).stdout)
    assert r.exit_code == 0, r.output
    assert "duplicate: b.txt has the same bytes as a.txt (document " in r.output
    assert "files: 2 added, 0 updated, 0 unchanged, 1 duplicate, 0 failed" in r.output
    assert [(d["source"], d["same_as"]) for d in as_json["duplicates"]] == [("b.txt", "a.txt")]


@pytest.fixture
def client(small_index: Path) -> Iterator[TestClient]:
    app = create_app(Settings(index=small_index, admin_token="s3cret"), HashingEmbedder())
    with TestClient(app) as c:
        yield c


def test_uploading_the_same_bytes_again_returns_the_existing_document(
    client: TestClient, small_index: Path
) -> None:
    def upload(name: str, **form: str) -> tuple[int, dict[str, object]]:
        files = {"file": (name, io.BytesIO(PAPER.replace(b"{n}", b"2.5")))}
        r = client.post("/api/documents", files=files, data=form, headers=TOKEN)
        return r.status_code, r.json()

    code, first = upload("forum.txt", council="Test")
    assert code == 201 and first["duplicate"] is False and first["status"] == "added"
    documents = client.get("/api/documents").json()["documents"]
    stored = sorted((small_index / "uploads").iterdir())
    for name, form in (("forum.txt", {"council": "Test"}), ("copy.txt", {"council": "Other"})):
        code, again = upload(name, **form)
        assert code == 200, again
        assert again == {
            "status": "unchanged",
            "document_id": first["document_id"],
            "source": "forum.txt",
            "passages": first["passages"],
            "duplicate": True,
        }
    assert client.get("/api/documents").json()["documents"] == documents
    assert sorted((small_index / "uploads").iterdir()) == stored  # the copies were not kept
