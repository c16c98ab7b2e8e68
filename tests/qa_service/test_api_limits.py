"""Limits no one can talk around: each test here failed on the service before issue 19.

Body limits go by route, whatever the content type; a streamed body is counted as it
arrives and cut at the limit, never buffered first; an upload without the token is refused
before its body is read; a 422 never echoes the input and always encodes (NaN, Infinity,
1e400, lone surrogates); upload metadata is bounded; a 409 says when to retry.  A
hypothesis fuzz test sends JSON edge cases to every operation of the schema.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.embedder import HashingEmbedder
from indexing.writer import IndexWriter
from qa_service.api.limits import BodySizeLimit
from qa_service.api.main import create_app
from qa_service.config import Settings

TOKEN = "limits-token"
GOOD = {"Authorization": f"Bearer {TOKEN}"}
PAPER = b"Item 1. Budget\n\nThe quokka budget was agreed by the committee after debate."
ECHO = "EchoedBack"  # a word that must never come back in an error


def _run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine to its end on a thread of its own: in a whole-suite run the browser
    tests' session-wide Playwright (sync API) keeps an event loop running on the main thread,
    where ``asyncio.run`` refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def _client(index: Path, **extra: object) -> TestClient:
    settings = Settings(index=index, admin_token=TOKEN, **extra)  # type: ignore[arg-type]
    return TestClient(create_app(settings, HashingEmbedder()), raise_server_exceptions=False)


@pytest.fixture
def client(small_index: Path) -> Iterator[TestClient]:
    with _client(small_index, max_json_bytes=2048, max_request_bytes=8192) as c:
        yield c


def _strict_json(text: str) -> Any:
    """Parse as strict JSON: NaN and Infinity are not JSON."""

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} in a response")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize(
    "ctype", [None, "text/plain", "application/x+json", "application/json; charset=utf-8", "a/b"]
)
@pytest.mark.parametrize("path", ["/api/ask", "/api/compare", "/api/documents/x", "/health"])
def test_the_small_limit_holds_for_every_content_type(
    client: TestClient, ctype: str | None, path: str
) -> None:
    body = json.dumps({"question": ECHO * 500}).encode()  # 5 KB: over 2 KiB, under 8 KiB
    headers = {"content-type": ctype} if ctype else {}
    r = client.post(path, content=body, headers=headers)
    assert r.status_code == 413, (ctype, r.status_code)
    assert ECHO not in r.text and len(r.content) < 200
    # streamed: no Content-Length, counted as it arrives (a route that reads no body
    # answers without reading it)
    r = client.post(path, content=iter([body[:1000], body[1000:]]), headers=headers)
    assert r.status_code in ((413,) if path.startswith("/api/c") or path == "/api/ask" else
                             (405, 413)) and ECHO not in r.text  # fmt: skip


def test_only_the_upload_route_takes_a_large_body(client: TestClient) -> None:
    r = client.post(
        "/api/documents",
        files={"file": ("a.txt", io.BytesIO(PAPER * 40))},  # ~3 KB: over 2 KiB, under 8 KiB
        data={"council": "Test Council"},
        headers=GOOD,
    )
    assert r.status_code == 201, r.text
    r = client.post(
        "/api/documents",
        files={"file": ("b.txt", io.BytesIO(PAPER * 120))},  # ~9 KB: over 8 KiB
        headers=GOOD,
    )
    assert r.status_code == 413


def _feed(chunks: list[bytes], pulled: list[int]):  # type: ignore[no-untyped-def]
    """An ASGI ``receive`` that hands out ``chunks`` and counts how many were taken."""

    async def receive() -> dict[str, Any]:
        i = len(pulled)
        pulled.append(i)
        if i >= len(chunks):
            return {"type": "http.disconnect"}
        return {"type": "http.request", "body": chunks[i], "more_body": i < len(chunks) - 1}

    return receive


def _scope(path: str, method: str = "POST", headers: list[tuple[bytes, bytes]] | None = None):  # type: ignore[no-untyped-def]
    return {"type": "http", "method": method, "path": path, "headers": headers or []}


def test_a_streamed_body_reaches_the_app_as_it_arrives_and_is_cut_at_the_limit() -> None:
    seen: list[tuple[int, int]] = []  # (chunks pulled from the client, bytes the app has)
    sent: list[dict[str, Any]] = []
    pulled: list[int] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        got = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the middleware cut the body off
            got += len(message["body"])
            seen.append((len(pulled), got))
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    chunks = [b"x" * 1000] * 100  # 100 kB streamed in 1 kB chunks; the limit is 5 kB
    middleware = BodySizeLimit(app, max_bytes=5000, max_json_bytes=5000)
    _run(middleware(_scope("/api/ask"), _feed(chunks, pulled), send))
    assert seen[0] == (1, 1000), "the app got the first chunk before the rest was read"
    assert len(pulled) <= 6, "reading stopped at the limit"
    assert sent[0]["status"] == 413 and len(sent) == 2, "the app's own answer was dropped"


def test_an_upload_without_the_token_is_refused_unread(small_index: Path) -> None:
    app = create_app(Settings(index=small_index, admin_token=TOKEN), HashingEmbedder())
    pulled: list[int] = []
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    for headers in ([], [(b"authorization", b"Bearer wrong")], [(b"authorization", b"Basic x")]):
        pulled.clear()
        sent.clear()

        scope = _scope(
            "/api/documents",
            headers=[(b"content-type", b"multipart/form-data; boundary=b"), *headers],
        )
        _run(app(scope, _feed([b"x" * 1000] * 60_000, pulled), send))  # type: ignore[arg-type]
        assert sent[0]["status"] == 401, headers
        assert pulled == [], "no byte of the body was read"
    no_token = create_app(Settings(index=small_index), HashingEmbedder())
    sent.clear()
    _run(no_token(_scope("/api/documents"), _feed([b"x"], pulled), send))  # type: ignore[arg-type]
    assert sent[0]["status"] == 403 and pulled == []


@pytest.mark.parametrize(
    "raw",
    [
        b'{"question": "budget", "top_k": NaN}',
        b'{"question": "budget", "top_k": Infinity}',
        b'{"question": "budget", "top_k": -Infinity}',
        b'{"question": "budget", "top_k": 1e400}',
        b'{"question": "\\ud800"}',
        b'{"question": "budget \\udfff"}',
        b'{"question": "budget", "filters": {"council": ["\\ud800", NaN]}}',
        b'{"question": "budget", "\\ud800": 1}',
        b'{"question": "budget", "filters": {"date_from": NaN}}',
        b'{"question": "budget", "sort": Infinity}',
        b'{"question": "budget", "per_council": 1e400, "councils": [NaN]}',
    ],
)
@pytest.mark.parametrize("path", ["/api/ask", "/api/compare"])
def test_json_edge_cases_get_a_422_that_encodes(client: TestClient, raw: bytes, path: str) -> None:
    r = client.post(path, content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    body = _strict_json(r.content.decode("utf-8"))
    assert isinstance(body["detail"], str) and body["detail"]


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/api/ask", b'{"question": "budget", "filters": {"council": "\\ud800"}}'),
        ("/api/ask", b'{"question": "budget", "filters": {"committee": ["a\\udfff"]}}'),
        ("/api/ask", b'{"question": "budget", "filters": {"doc_type": "\\ud83d"}}'),
        ("/api/compare", b'{"question": "budget", "councils": ["\\ud800"]}'),
        ("/api/compare", b'{"question": "budget", "filters": {"committee": "\\ud800"}}'),
        ("/api/trend", b'{"question": "budget", "council": "\\ud800"}'),
        ("/api/trend", b'{"question": "budget", "filters": {"doc_type": "\\ud800"}}'),
        ("/api/ask", b'{"question": "budget \\ud800"}'),
    ],
)
def test_a_lone_surrogate_in_any_text_field_gets_a_422(
    client: TestClient, path: str, raw: bytes
) -> None:
    # a filter value holding one reached SQLite, which cannot encode it: 500
    r = client.post(path, content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    detail = _strict_json(r.content.decode("utf-8"))["detail"]
    assert "must be valid Unicode text" in detail, detail


@pytest.mark.parametrize(
    "body",
    [
        {"question": "budget", "top_k": ECHO},
        {"question": [ECHO]},
        {"question": "budget", "filters": {"council": ECHO * 100}},
        {"question": "budget", "filters": {"date_from": ECHO}},
        {"question": "budget", "sort": ECHO},
        {"question": "budget", "filters": {"kind": {ECHO: ECHO}}},
        {"question": "budget", ECHO: 1},  # an unknown field's name is the client's text too
        {"question": "budget", "filters": {ECHO: "x"}},
    ],
)
def test_a_422_never_echoes_the_input(client: TestClient, body: dict[str, Any]) -> None:
    r = client.post("/api/ask", json=body)
    assert r.status_code == 422
    assert ECHO not in r.text


def test_an_unknown_field_is_named_as_such_not_by_its_name(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": "budget", "x" * 1500: 1})
    assert r.status_code == 422 and "xx" not in r.text
    assert r.json()["detail"] == "(unknown field): Extra inputs are not permitted"
    nested = client.post("/api/ask", json={"question": "budget", "filters": {"size": 1}})
    assert nested.json()["detail"] == "filters.(unknown field): Extra inputs are not permitted"


@pytest.mark.parametrize(
    ("field", "ok", "too_long"),
    [
        ("title", "t" * 500, "t" * 501),
        ("source_url", "https://example.org/" + "u" * 1980, "https://example.org/" + "u" * 1981),
        ("council", "c" * 200, "c" * 201),
        ("committee", "c" * 200, "c" * 201),
        ("doc_type", "d" * 200, "d" * 201),
        ("supersedes", "s" * 200, "s" * 201),
    ],
)
def test_upload_metadata_is_bounded(small_index: Path, field: str, ok: str, too_long: str) -> None:
    with _client(small_index) as c:
        r = c.post(
            "/api/documents",
            files={"file": ("long.txt", io.BytesIO(PAPER))},
            data={field: too_long},
            headers=GOOD,
        )
        assert r.status_code == 422 and field in r.json()["detail"]
        assert too_long not in r.text
        assert not list((small_index / "uploads").glob("*")), "nothing stored"
        r = c.post(
            "/api/documents",
            files={"file": ("long.txt", io.BytesIO(PAPER))},
            data={field: ok},
            headers=GOOD,
        )
        assert r.status_code == 201, r.text


def test_a_409_says_when_to_retry(small_index: Path) -> None:
    with _client(small_index) as c:
        doc_id = c.get("/api/documents").json()["documents"][0]["document_id"]
        holder = IndexWriter(small_index, HashingEmbedder())
        with holder.open():  # another writer holds the lock
            r = c.delete(f"/api/documents/{doc_id}", headers=GOOD)
            assert r.status_code == 409
            assert int(r.headers["retry-after"]) > 0
            r = c.post("/api/documents", files={"file": ("a.txt", io.BytesIO(PAPER))}, headers=GOOD)
            assert r.status_code == 409 and int(r.headers["retry-after"]) > 0
        schema = c.get("/openapi.json").json()
        busy = schema["paths"]["/api/documents"]["post"]["responses"]["409"]
        assert "Retry-After" in busy["headers"]


# --- fuzz: JSON edge cases over every operation -------------------------------------------

_NUMBERS = st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400",
                            "123456789012345678901234567890", "-0", "0.5", "1"])  # fmt: skip
_TEXT = st.one_of(
    st.sampled_from(
        ['"\\ud800"', '"\\udfff x"', '"a\\u0000b"', '"\\u001b]52;c;aGk=\\u0007"', '""', '" "']
    ),
    st.text(max_size=30).map(lambda s: json.dumps(s)),
    st.just(json.dumps(ECHO * 3)),
)
_SCALAR = st.one_of(_NUMBERS, _TEXT, st.sampled_from(["null", "true", "false"]))
_KEYS = st.sampled_from(
    ["question", "top_k", "filters", "council", "committee", "doc_type", "date_from",
     "date_to", "kind", "sort", "councils", "per_council", "include_superseded",
     "infer_filters", "\\ud800", ECHO]
)  # fmt: skip


def _json_value(depth: int = 3) -> st.SearchStrategy[str]:
    """Raw JSON text (not Python values: NaN, 1e400 and lone surrogates survive as written)."""
    if depth == 0:
        return _SCALAR
    inner = _json_value(depth - 1)
    return st.one_of(
        _SCALAR,
        st.lists(inner, max_size=4).map(lambda xs: "[" + ",".join(xs) + "]"),
        st.dictionaries(_KEYS, inner, max_size=5).map(
            lambda d: "{" + ",".join(f'"{k}":{v}' for k, v in d.items()) + "}"
        ),
    )


_BODY = st.one_of(
    _json_value(),
    st.dictionaries(_KEYS, _json_value(2), min_size=1, max_size=6).map(
        lambda d: "{" + ",".join(f'"{k}":{v}' for k, v in d.items()) + "}"
    ),
)


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app for every example: an index of one paper, the token configured."""
    from tests.conftest import DEV_CORPUS, build_index

    if not DEV_CORPUS.is_dir():
        pytest.skip("../shared/dev-set is not beside the repository")
    paper = DEV_CORPUS / "northmoor-cyp-scrutiny-2015-06-23-minutes.txt"
    index = build_index(tmp_path_factory.mktemp("fuzz") / "idx", [paper], HashingEmbedder())
    with _client(index) as c:
        yield c


def _operations(client: TestClient) -> list[tuple[str, str, list[str]]]:
    """(method, path, query parameter names) for every operation of the schema."""
    schema = client.get("/openapi.json").json()
    out = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            out.append((method.upper(), path, params))
    return out


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_fuzz_json_edge_cases_over_every_operation(
    fuzz_client: TestClient, data: st.DataObject
) -> None:
    operations = _operations(fuzz_client)
    assert len(operations) >= 10
    method, path, params = data.draw(st.sampled_from(operations))
    body = data.draw(_BODY)
    text = data.draw(st.sampled_from(["ECHO", "%ED%A0%80", "NaN", "1e400", "%00", "%1B[2J"]))
    url = re.sub(r"\{[^}]+\}", lambda _: text.replace("ECHO", ECHO), path)
    query = {p: data.draw(st.sampled_from(["NaN", "1e400", ECHO, "-1", ""])) for p in params}
    ctype = data.draw(st.sampled_from(["application/json", "text/plain", None]))
    headers = {**GOOD, **({"content-type": ctype} if ctype else {})}
    raw = body.encode("utf-8", "surrogatepass")
    r = fuzz_client.request(method, url, content=raw, params=query, headers=headers)
    assert r.status_code < 500, (method, url, body, r.text)
    if r.headers.get("content-type", "").startswith("application/json"):
        answer = _strict_json(r.content.decode("utf-8"))
        if r.status_code == 422:
            assert ECHO not in r.text, (method, url, body, answer)
