"""The request limits come from ``Settings`` alone (the question's length, ``top_k``,
``per_council``, a filter value's length and how many a filter lists, an upload's metadata):
the API, its OpenAPI schema, the web pages, the engine and the CLI all take the same number."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from cqa_core.errors import InvalidQueryError
from index.embedder import HashingEmbedder
from qa_service.api.main import create_app
from qa_service.cli import main
from qa_service.config import Settings
from qa_service.request_limits import RequestLimits
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


def test_the_defaults_are_the_contracts_numbers() -> None:
    assert asdict(RequestLimits()) == {
        "max_question_chars": 1999,  # INTERFACE.md: a question of 2,000+ characters is refused
        "max_top_k": 50,  # INTERFACE.md: top_k outside 1..50 is refused
        "max_per_council": 20,
        "max_filter_chars": 200,
        "max_title_chars": 500,
        "max_url_chars": 2000,
        "max_filter_values": 50,
    }
    assert RequestLimits.of(Settings()) == RequestLimits()


def _ask(client: TestClient, filters: dict[str, Any]) -> Any:
    return client.post("/api/ask", json={"question": "care", "filters": filters})


def test_the_api_honours_the_filter_limits(small_index: Path) -> None:
    settings = Settings(index=small_index, max_filter_chars=12, max_filter_values=2)
    with _client(settings) as client:
        assert _ask(client, {"committee": "c" * 12}).status_code == 200
        r = _ask(client, {"committee": "c" * 13})
        assert r.status_code == 422
        assert r.json()["detail"] == "filters.committee.0: String should have at most 12 characters"
        assert _ask(client, {"council": ["c" * 13]}).status_code == 422
        assert _ask(client, {"doc_type": ["a", "b"]}).status_code == 200
        r = _ask(client, {"doc_type": ["a", "b", "c"]})
        assert r.status_code == 422 and "at most 2 items" in r.json()["detail"]
        compare = {"question": "care", "councils": ["a", "b", "c"]}
        assert client.post("/api/compare", json=compare).status_code == 422
        trend = {"question": "how many children", "council": "c" * 13}
        assert client.post("/api/trend", json=trend).status_code == 422
    # the same request under the defaults is taken
    with _client(Settings(index=small_index)) as client:
        assert _ask(client, {"committee": "c" * 200, "doc_type": ["a"] * 50}).status_code == 200
        assert _ask(client, {"committee": "c" * 201}).status_code == 422


def test_the_api_honours_max_per_council(small_index: Path) -> None:
    with _client(Settings(index=small_index, max_per_council=2)) as client:
        r = client.post("/api/compare", json={"question": "social workers", "per_council": 2})
        assert r.status_code == 200, r.text
        r = client.post("/api/compare", json={"question": "social workers", "per_council": 3})
        assert r.status_code == 422
        assert r.json()["detail"] == "per_council: Input should be less than or equal to 2"
        # the default (3) is cut to the limit, not refused
        r = client.post("/api/compare", json={"question": "social workers"})
        assert r.status_code == 200
        assert max(len(c["passages"]) for c in r.json()["councils"]) == 2
    with _client(Settings(index=small_index, max_per_council=30)) as client:
        r = client.post("/api/compare", json={"question": "social workers", "per_council": 25})
        assert r.status_code == 200, r.text


def test_the_compare_page_offers_only_what_max_per_council_allows(small_index: Path) -> None:
    with _client(Settings(index=small_index, max_per_council=2)) as client:
        page = client.get("/compare", params={"q": "social workers"})
        assert page.status_code == 200
        assert 'value="2" selected' in page.text
        assert 'value="3"' not in page.text and 'value="5"' not in page.text
        assert client.get("/compare", params={"q": "x", "per_council": "3"}).status_code == 422
    with _client(Settings(index=small_index)) as client:
        page = client.get("/compare", params={"q": "social workers"}).text
        assert 'value="3" selected' in page and 'value="5"' in page


@pytest.mark.parametrize(
    ("field", "setting"),
    [
        ("council", "max_filter_chars"),
        ("committee", "max_filter_chars"),
        ("doc_type", "max_filter_chars"),
        ("supersedes", "max_filter_chars"),
        ("title", "max_title_chars"),
        ("source_url", "max_url_chars"),
    ],
)
def test_upload_metadata_takes_its_limits_from_the_settings(
    small_index: Path, field: str, setting: str
) -> None:
    settings = Settings(index=small_index, admin_token="t0ken", **{setting: 30})  # type: ignore[arg-type]
    paper = b"Item 1. Budget\n\nThe quokka budget was agreed by the committee."
    with _client(settings) as client:
        r = client.post(
            "/api/documents",
            files={"file": ("paper.txt", paper)},
            data={field: "w" * 31},
            headers={"Authorization": "Bearer t0ken"},
        )
        assert r.status_code == 422
        assert r.json()["detail"] == f"{field}: String should have at most 30 characters"
        assert not list((small_index / "uploads").glob("*")), "nothing stored"
        r = client.post(
            "/api/documents",
            files={"file": ("paper.txt", paper)},
            data={field: "w" * 30},
            headers={"Authorization": "Bearer t0ken"},
        )
        assert r.status_code == 201, r.text


def test_the_openapi_schema_states_the_new_limits_for_each_app(small_index: Path) -> None:
    small = Settings(
        index=small_index,
        max_per_council=4,
        max_filter_chars=33,
        max_filter_values=6,
        max_title_chars=44,
        max_url_chars=55,
    )
    with _client(small) as client:
        schema = client.get("/openapi.json").json()
    # a second app, with the defaults: the first app's numbers must not leak into it, nor
    # its schema's rewriting take the marks away from the models both apps share
    with _client(Settings(index=small_index)) as client:
        default = client.get("/openapi.json").json()
    for doc, (per_council, chars, values, title, url) in [
        (schema, (4, 33, 6, 44, 55)),
        (default, (20, 200, 50, 500, 2000)),
    ]:
        models = doc["components"]["schemas"]
        compare = models["CompareRequest"]["properties"]
        assert compare["per_council"]["maximum"] == per_council
        assert compare["per_council"]["default"] == 3
        assert compare["councils"]["maxItems"] == values
        council = models["FiltersIn"]["properties"]["council"]["anyOf"]
        assert council[0] == {"type": "string", "maxLength": chars}
        assert council[1]["maxItems"] == values
        assert council[1]["items"] == {"type": "string", "maxLength": chars}
        assert models["TrendRequest"]["properties"]["council"]["anyOf"][0]["maxLength"] == chars
        upload = next(v for k, v in models.items() if k.startswith("Body_upload"))["properties"]
        assert upload["council"]["maxLength"] == chars
        assert upload["title"]["maxLength"] == title
        assert upload["source_url"]["maxLength"] == url
        assert "x-cqa-limit" not in str(doc)


def test_the_cli_takes_the_filter_limits_from_the_settings(tmp_path: Path) -> None:
    index = ["--index", str(tmp_path)]
    env = {"CQA_MAX_FILTER_CHARS": "10"}
    r = CliRunner().invoke(main, ["ask", "care", "--committee", "c" * 11, *index], env=env)
    assert r.exit_code == 1
    assert r.output.strip() == "Error: --committee: must be at most 10 characters"
    env = {"CQA_MAX_FILTER_VALUES": "2"}
    councils = ["--council", "a", "--council", "b", "--council", "c"]
    r = CliRunner().invoke(main, ["ask", "care", *councils, *index], env=env)
    assert r.exit_code == 1
    assert r.output.strip().startswith("Error: --council: ")
    assert "at most 2 items" in r.output


def test_a_default_over_a_smaller_limit_is_cut_to_it(small_index: Path) -> None:
    with _client(Settings(index=small_index, max_top_k=3)) as client:
        r = client.post("/api/ask", json={"question": "care"})  # top_k's default is 5
        assert r.status_code == 200, r.text
        assert len(r.json()["passages"]) == 3
        page = client.get("/", params={"q": "care"})
        assert page.status_code == 200
        assert '<option value="3" selected>' in page.text and 'value="5"' not in page.text
    with _client(Settings(index=small_index)) as client:
        assert len(client.post("/api/ask", json={"question": "care"}).json()["passages"]) == 5


def test_the_precedent_defaults_are_cut_to_a_smaller_limit(small_index: Path) -> None:
    """/api/decisions lists 20 and /api/timeline 10 when no limit is asked for: under a
    smaller CQA_MAX_TOP_K those defaults are cut to it, on the API and the pages alike,
    while a limit asked for above it is still refused."""
    with _client(Settings(index=small_index, max_top_k=2)) as client:
        decisions = client.get("/api/decisions")
        assert decisions.status_code == 200, decisions.text
        assert len(decisions.json()["decisions"]) == 2
        timeline = client.get("/api/timeline", params={"q": "care"})
        assert timeline.status_code == 200, timeline.text
        assert sum(len(g["passages"]) for g in timeline.json()["years"]) <= 2
        assert client.get("/api/decisions", params={"limit": 3}).status_code == 422
        assert client.get("/decisions").status_code == 200
        assert client.get("/timeline", params={"q": "care"}).status_code == 200


def test_the_cli_default_top_k_is_cut_to_a_smaller_limit(small_index: Path) -> None:
    index = ["--index", str(small_index)]
    env = {"CQA_EMBEDDER": "hashing"}  # the fake embedder the index was built with
    r = CliRunner().invoke(
        main, ["ask", "care", "--json", *index], env=env | {"CQA_MAX_TOP_K": "2"}
    )
    assert r.exit_code == 0, r.output
    assert len(json.loads(r.stdout)["passages"]) == 2
    r = CliRunner().invoke(main, ["ask", "care", "--json", *index], env=env)
    assert len(json.loads(r.stdout)["passages"]) == 5
