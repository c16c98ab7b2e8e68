"""The write API and hostile requests; each test fails if its protection is removed.

Writes need the bearer token, compared with ``hmac.compare_digest``; with no token (or an
empty one) every write is refused with 403 and the server says so when it starts; uploads
have size and type limits and are stored under generated names only; bodies, questions,
``top_k`` and filter values are bounded; errors are JSON without a stack trace.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from cqa_core.errors import (
    IndexCorruptError,
    IndexUnwritableError,
    ManifestError,
    ModelUnavailableError,
)
from index.embedder import HashingEmbedder
from qa_service.api.main import create_app
from qa_service.api.routes_documents import client_file_name
from qa_service.config import Settings

TOKEN = "correct horse battery staple"
GOOD = {"Authorization": f"Bearer {TOKEN}"}
PAPER = b"Item 1. Budget\n\nThe quokka budget was agreed by the committee after debate."


def _client(index: Path, **extra: object) -> TestClient:
    settings = Settings(index=index, **extra)  # type: ignore[arg-type]
    return TestClient(create_app(settings, HashingEmbedder()), raise_server_exceptions=False)


@pytest.fixture
def client(small_index: Path) -> Iterator[TestClient]:
    with _client(small_index, admin_token=TOKEN, max_upload_bytes=4096) as c:
        yield c


def _upload(client: TestClient, name: str, data: bytes = PAPER, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/documents",
        files={"file": (name, io.BytesIO(data))},
        data={"council": "Test Council"},
        headers=headers or GOOD,
    )


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


def _doc_id(client: TestClient) -> str:
    return str(client.get("/api/documents").json()["documents"][0]["document_id"])


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": TOKEN},  # no scheme
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Bearer {TOKEN[:-1]}"},
        {"Authorization": f"Bearer {TOKEN}x"},
        {"Authorization": f"Bearer {TOKEN.upper()}"},
    ],
)
def test_writes_without_the_right_token_are_refused(
    client: TestClient, headers: dict[str, str]
) -> None:
    doc_id = _doc_id(client)
    r = client.delete(f"/api/documents/{doc_id}", headers=headers)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert r.json()["detail"]
    r = client.post("/api/documents", files={"file": ("a.txt", io.BytesIO(PAPER))}, headers=headers)
    assert r.status_code == 401
    assert client.get(f"/api/documents/{doc_id}").status_code == 200, "nothing was removed"
    assert len(client.get("/api/documents").json()["documents"]) == 5


def test_only_the_constant_time_comparison_decides_on_the_token(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No ``==``, length or prefix check decides before or instead of ``compare_digest``
    (whose time does not tell how much of a guess was right): forced true, guesses of
    other lengths pass; forced false, the right token fails, for deletes and uploads."""
    seen: list[tuple[bytes, bytes]] = []

    def always(result: bool):  # type: ignore[no-untyped-def]
        def compare(a: bytes, b: bytes) -> bool:
            seen.append((a, b))
            return result

        return compare

    monkeypatch.setattr("qa_service.api.deps.hmac.compare_digest", always(True))
    for guess in ("x", TOKEN[:-1], TOKEN + "x", "y" * 300):
        r = client.delete("/api/documents/nope", headers={"Authorization": f"Bearer {guess}"})
        assert r.status_code == 404, (guess, r.text)  # past the token check: no such document
        assert seen[-1] == (guess.encode(), TOKEN.encode())
    monkeypatch.setattr("qa_service.api.deps.hmac.compare_digest", always(False))
    assert client.delete("/api/documents/nope", headers=GOOD).status_code == 401
    assert _upload(client, "a.txt").status_code == 401
    assert seen[-1] == (TOKEN.encode(), TOKEN.encode())
    assert len(client.get("/api/documents").json()["documents"]) == 5


@pytest.mark.parametrize("token", [None, "", "   "])
def test_no_configured_token_refuses_every_write_and_says_so(
    small_index: Path, token: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    extra = {} if token is None else {"admin_token": token}
    with caplog.at_level(logging.WARNING, "qa_service"), _client(small_index, **extra) as c:
        doc_id = _doc_id(c)
        for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": f"Bearer {token}"}):
            r = c.delete(f"/api/documents/{doc_id}", headers=headers)
            assert r.status_code == 403 and "CQA_ADMIN_TOKEN" in r.json()["detail"]
            r = _upload(c, "a.txt", **headers)
            assert r.status_code == 403
        assert len(c.get("/api/documents").json()["documents"]) == 5
    assert "CQA_ADMIN_TOKEN is not set" in caplog.text


def test_cqa_serve_says_writes_are_off_at_startup(
    small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_service.cli import main

    monkeypatch.setattr("uvicorn.run", lambda *a, **k: None)
    monkeypatch.setattr("qa_service.runtime.make_embedder", lambda s, **_: HashingEmbedder())
    monkeypatch.setattr(
        "qa_service.api.main.make_query_embedder", lambda s, m=None: HashingEmbedder()
    )
    for value in (None, ""):
        env = {"CQA_ADMIN_TOKEN": value} if value is not None else {}
        monkeypatch.delenv("CQA_ADMIN_TOKEN", raising=False)
        r = CliRunner().invoke(main, ["serve", "--index", str(small_index)], env=env)
        assert r.exit_code == 0, r.output
        assert "CQA_ADMIN_TOKEN is not set: uploads and deletions are refused" in r.output
    r = CliRunner().invoke(
        main, ["serve", "--index", str(small_index)], env={"CQA_ADMIN_TOKEN": TOKEN}
    )
    assert "CQA_ADMIN_TOKEN is not set" not in r.output


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\windows\\evil.txt", "evil.txt"),
        ("/abs/path/report.txt", "report.txt"),
        ("委员会 会议.txt", "委员会 会议.txt"),
        ("Café – résumé.md", "Café – résumé.md"),
        ("x" * 300 + ".txt", "x" * 196 + ".txt"),
    ],
)
def test_uploads_are_stored_under_generated_names(
    client: TestClient, small_index: Path, tmp_path: Path, given: str, shown: str
) -> None:
    outside = _files(small_index.parent)
    r = _upload(client, given)
    assert r.status_code == 201, r.text
    assert r.json()["source"] == shown == client_file_name(given)
    uploads = small_index / "uploads"
    stored = [p.name for p in uploads.iterdir()]
    assert len(stored) == 1 and len(stored[0].split(".")[0]) == 32
    stored_stem = stored[0].split(".")[0]
    assert all(c in "0123456789abcdef" for c in stored_stem)
    new = _files(small_index.parent) - outside
    index_files = (small_index, small_index / "lexical")  # the index's own, tantivy's
    assert all(uploads in p.parents or p.parent in index_files for p in new), new
    doc = client.get(f"/api/documents/{r.json()['document_id']}").json()
    assert doc["source"] == shown and doc["council"] == "Test Council"


def test_client_file_names_lose_folders_and_control_characters() -> None:
    assert client_file_name("bell\x07\x1b[31m.txt") == "bell[31m.txt"
    assert client_file_name("a/b\\c\x00.txt") == "c.txt"
    for empty in (None, "", "..", "../", "\x00"):
        assert client_file_name(empty) == "upload"


def test_upload_size_and_type_limits(client: TestClient, small_index: Path) -> None:
    r = _upload(client, "big.txt", b"word " * 1000)  # 5,000 bytes, limit 4,096
    assert r.status_code == 413 and "4096" in r.json()["detail"]
    for name in ("setup.exe", "notes", "sheet.xlsx", "page.php", "x.txt.sh"):
        r = _upload(client, name)
        assert r.status_code == 415, name
    r = _upload(client, "fake.pdf", b"this is not a pdf")
    assert r.status_code == 422 and "fake.pdf" in r.json()["detail"]
    r = _upload(client, "binary.txt", bytes(range(256)) * 4)
    assert r.status_code == 422 and "not text" in r.json()["detail"]
    leftovers = list((small_index / "uploads").iterdir())
    assert leftovers == [], "refused uploads leave nothing behind"
    assert len(client.get("/api/documents").json()["documents"]) == 5


def test_an_upload_part_without_a_file_name_is_told_to_send_a_file(client: TestClient) -> None:
    # a form part with filename="" arrives as text: the 422 read "Expected UploadFile,
    # received: <class 'str'>"
    r = _upload(client, "")
    assert r.status_code == 422, r.text
    assert r.json()["detail"] == (
        "file: must be a file: a form part with a file name (curl -F file=@paper.pdf)"
    )


def test_request_body_size_limit(small_index: Path) -> None:
    with _client(small_index, admin_token=TOKEN, max_json_bytes=2048) as c:
        big = {"question": "budget", "filters": {"council": ["x" * 100] * 40}}
        r = c.post("/api/ask", json=big)
        assert r.status_code == 413 and "2048" in r.json()["detail"]
        r = c.post(  # a chunked body has no Content-Length; it is counted as it arrives
            "/api/ask",
            content=iter([b'{"question": "', b"a" * 4096, b'"}']),
            headers={"content-type": "application/json"},
        )
        assert r.status_code == 413
        r = c.post(
            "/api/ask",
            content=iter([b'{"question": ', b'"budget"}']),
            headers={"content-type": "application/json"},
        )
        assert r.status_code == 200, r.text
    with _client(small_index, admin_token=TOKEN, max_request_bytes=2048) as c:
        r = _upload(c, "a.txt", b"word " * 1000)
        assert r.status_code == 413
        r = c.post("/api/ask", content=b"{}", headers={"content-length": "x"})
        assert r.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"question": "a" * 2000},
        {"question": "a" * 100_00},
        {"question": "\n\t "},
        {"question": "ok", "top_k": -1},
        {"question": "ok", "top_k": 10**12},
        {"question": "ok", "top_k": "five"},
        {"question": "ok", "top_k": 2.5},
        {"question": "ok", "filters": {"council": "x" * 201}},
        {"question": "ok", "filters": {"council": ["a"] * 51}},
        {"question": "ok", "filters": {"council": {"$ne": 1}}},
        {"question": "ok", "filters": {"doc_type": [1, 2]}},
        {"question": "ok", "filters": {"date_from": "2020-02-30"}},
        {"question": "ok", "filters": {"date_to": "yesterday"}},
        {"question": "ok", "filters": {"unknown": 1}},
        {"question": "ok", "filters": {"include_superseded": 0.0}},
        {"question": "ok", "filters": {"include_superseded": "yes"}},
        {"question": "ok", "infer_filters": 1},
        {"question": ["a", "list"]},
        {"question": None},
        {"question": "ok", "extra": True},
    ],
)
def test_bad_questions_get_a_json_422(client: TestClient, body: dict) -> None:
    r = client.post("/api/ask", json=body)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert isinstance(detail, str) and detail and "Traceback" not in r.text


@pytest.mark.parametrize(
    "raw",
    [b"", b"{", b"not json", b"[]", b'"question"', b"{" * 5000 + b"}" * 5000, b"\xff\xfe"],
)
def test_malformed_bodies_get_a_json_422(client: TestClient, raw: bytes) -> None:
    r = client.post("/api/ask", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/json"
    assert "Traceback" not in r.text


def test_compare_bounds(client: TestClient) -> None:
    for body in (
        {"question": "budget", "per_council": 0},
        {"question": "budget", "per_council": 21},
        {"question": "budget", "councils": ["a"] * 51},
        {"question": "budget", "councils": ["x" * 201]},
    ):
        assert client.post("/api/compare", json=body).status_code == 422


def test_internal_errors_are_json_without_a_stack_trace(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret detail at /srv/app/retriever.py line 42")

    monkeypatch.setattr("qa_service.retriever.Engine.ask", boom)
    r = client.post("/api/ask", json={"question": "budget"})
    assert r.status_code == 500
    assert r.json() == {"detail": "internal error"}
    assert "secret" not in r.text and "Traceback" not in r.text


@pytest.mark.parametrize(
    "error", [IndexCorruptError, IndexUnwritableError, ModelUnavailableError, ManifestError]
)
def test_a_domain_error_of_the_servers_own_is_a_500_that_names_no_path(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, error: type[Exception]
) -> None:
    # the 500 sent the message, which names the index folder on the server
    def boom(*args: object, **kwargs: object) -> None:
        raise error("cannot write the index at /srv/secret/index: Permission denied")

    monkeypatch.setattr("qa_service.retriever.Engine.ask", boom)
    r = client.post("/api/ask", json={"question": "budget"})
    assert r.status_code == 500
    assert r.json() == {"detail": "internal error"}
