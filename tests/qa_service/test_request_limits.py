"""The question and ``top_k`` limits come from ``Settings`` alone: the API, its OpenAPI schema,
the web pages, the engine and the CLI all take the same number."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from cqa_core.errors import InvalidQueryError
from index.embedder import HashingEmbedder
from qa_service.api.main import create_app
from qa_service.cli import main
from qa_service.config import Settings
from qa_service.retriever import Engine


@contextmanager
def _client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, HashingEmbedder())) as client:
        yield client


def test_the_api_honours_a_larger_max_top_k(
    small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CQA_MAX_TOP_K", "80")
    with _client(Settings(index=small_index)) as client:
        r = client.post("/api/ask", json={"question": "inspection", "top_k": 60})
        assert r.status_code == 200, r.text
        passage = r.json()["passages"][0]["passage_id"]
        similar = client.get(f"/api/passages/{passage}/similar", params={"top_k": 60})
        assert similar.status_code == 200, similar.text
        assert client.get("/api/decisions", params={"limit": 60}).status_code == 200
        refused = client.post("/api/ask", json={"question": "inspection", "top_k": 81})
        assert refused.status_code == 422
        assert refused.json()["detail"] == "top_k: Input should be less than or equal to 80"


def test_the_api_honours_a_smaller_max_top_k(small_index: Path) -> None:
    with _client(Settings(index=small_index, max_top_k=3)) as client:
        assert client.post("/api/ask", json={"question": "care", "top_k": 3}).status_code == 200
        r = client.post("/api/ask", json={"question": "care", "top_k": 4})
        assert r.status_code == 422
        assert r.json()["errors"][0]["loc"] == ["body", "top_k"]
        assert client.get("/api/decisions", params={"limit": 4}).status_code == 422


def test_the_openapi_schema_states_the_settings_limits(small_index: Path) -> None:
    settings = Settings(index=small_index, max_top_k=7, max_question_chars=300)
    with _client(settings) as client:
        schema = client.get("/openapi.json").json()
    ask = schema["components"]["schemas"]["AskRequest"]["properties"]
    assert ask["top_k"]["maximum"] == 7 and ask["top_k"]["minimum"] == 1
    assert ask["question"]["maxLength"] == 300
    params = {p["name"]: p["schema"] for p in schema["paths"]["/api/timeline"]["get"]["parameters"]}
    assert params["limit"]["maximum"] == 7 and params["q"]["maxLength"] == 300
    assert "x-cqa-limit" not in str(schema)


@pytest.mark.parametrize("limit", [None, 40])
def test_one_question_length_for_the_api_the_pages_and_the_engine(
    small_index: Path, limit: int | None
) -> None:
    settings = Settings(index=small_index)
    if limit is not None:
        settings = settings.model_copy(update={"max_question_chars": limit})
    most = settings.max_question_chars
    assert limit is not None or most == 1999, "the contract: 2,000+ characters are refused"
    longest, too_long = "care " * (most // 5) + "x" * (most % 5), "y" * (most + 1)
    assert len(longest) == most
    with _client(settings) as client:
        assert client.post("/api/ask", json={"question": longest}).status_code == 200
        assert client.post("/api/ask", json={"question": too_long}).status_code == 422
        assert client.get("/api/timeline", params={"q": too_long}).status_code == 422
        page = client.get("/", params={"q": too_long})
        assert page.status_code == 422
        assert f"shorter than {most + 1:,} characters" in page.text
        assert f'maxlength="{most}"' in client.get("/").text
        assert client.get("/timeline", params={"q": too_long}).status_code == 422
    engine = Engine(small_index, HashingEmbedder(), settings)
    try:
        assert engine.ask(longest).hits  # what the CLI's eval and the pages call
        with pytest.raises(InvalidQueryError, match=f"longer than {most} characters"):
            engine.ask(too_long)
    finally:
        engine.close()


def test_the_cli_takes_its_limits_from_the_settings(tmp_path: Path) -> None:
    index = ["--index", str(tmp_path)]
    env = {"CQA_MAX_TOP_K": "3"}
    r = CliRunner().invoke(main, ["ask", "care", "--top-k", "4", *index], env=env)
    assert r.exit_code == 1 and r.output.strip() == "Error: --top-k: must be at most 3"
    env = {"CQA_MAX_QUESTION_CHARS": "10"}
    r = CliRunner().invoke(main, ["ask", "x" * 11, *index], env=env)
    assert r.exit_code == 1
    assert r.output.strip() == "Error: QUESTION: must be at most 10 characters"
