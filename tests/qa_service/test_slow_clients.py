"""Slow and many clients: ``cqa serve`` with a header-read timeout, keep-alive and a
concurrency limit (qa_service/api/server.py).

The ``processes`` tests start a real server.  One holds 1,000 idle connections that each sent
half a request, and checks that ``/health`` and ``/api/ask`` still answer within a second
and that the server closes every one of them after the header timeout (before, they stayed
open for good).  Another shows that past ``CQA_LIMIT_CONCURRENCY`` a request gets a quick
503 instead of waiting, and that the server recovers once the slow clients are cut off.
"""

from __future__ import annotations

import resource
import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from index.embedder import HashingEmbedder
from qa_service.api.server import HeaderTimeoutProtocol, allow_open_files, server_options
from qa_service.config import Settings
from qa_service.serving import serving
from tests.procs import child_env

PARTIAL = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "  # headers never finished


def test_serve_runs_uvicorn_with_the_limits(
    small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qa_service.cli import main

    seen: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **options: seen.update(options))
    monkeypatch.setattr("qa_service.runtime.make_embedder", lambda s, **_: HashingEmbedder())
    monkeypatch.setattr(
        "qa_service.api.main.make_query_embedder", lambda s, m=None: HashingEmbedder()
    )
    env = {"CQA_HEADER_TIMEOUT": "7.5", "CQA_KEEP_ALIVE_TIMEOUT": "3"}
    env["CQA_LIMIT_CONCURRENCY"] = "64"
    r = CliRunner().invoke(main, ["serve", "--index", str(small_index)], env=env)
    assert r.exit_code == 0, r.output
    assert issubclass(seen["http"], HeaderTimeoutProtocol)
    assert seen["http"].header_timeout == 7.5
    assert seen["timeout_keep_alive"] == 3 and seen["limit_concurrency"] == 64


def test_the_open_files_limit_is_raised_to_fit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
        assert allow_open_files(300) == 300 or hard < 300
        options = server_options(Settings(limit_concurrency=200))
        assert options["limit_concurrency"] == 200
        assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] >= min(456, hard)
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def _need_files(count: int) -> None:
    if allow_open_files(count) < count:
        pytest.skip(f"this process may not open {count} files (ulimit -n)")


def _hold(port: int, count: int) -> list[socket.socket]:
    held = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.sendall(PARTIAL)
        held.append(sock)
    return held


def _closed_by_server(held: list[socket.socket], within: float) -> int:
    deadline = time.monotonic() + within
    closed = 0
    for sock in held:
        sock.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            closed += sock.recv(1024) == b""
        except (ConnectionResetError, BrokenPipeError):
            closed += 1
        except TimeoutError:
            pass
        finally:
            sock.close()
    return closed


def _timed(call: Any) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.mark.processes
def test_1000_idle_partial_connections_do_not_starve_the_server(small_index: Path) -> None:
    _need_files(1300)
    env = child_env(CQA_HEADER_TIMEOUT="5")
    with serving(small_index, env=env) as server:
        url = server.url
        port = int(url.rsplit(":", 1)[1])
        question = {"question": "contacts to the MASH", "top_k": 3}
        assert httpx.post(f"{url}/api/ask", json=question, timeout=30).status_code == 200  # warm
        held = _hold(port, 1000)
        try:
            health, health_s = _timed(lambda: httpx.get(f"{url}/health", timeout=5))
            ask, ask_s = _timed(lambda: httpx.post(f"{url}/api/ask", json=question, timeout=5))
            print(f"1,000 held: /health {health_s * 1000:.0f} ms, /api/ask {ask_s * 1000:.0f} ms")
            assert health.status_code == 200 and health_s < 1.0, health_s
            assert ask.status_code == 200 and ask.json()["passages"] and ask_s < 1.0, ask_s
        finally:
            closed = _closed_by_server(held, within=5 + 15)
        assert closed == 1000, "the server closed every connection whose headers never came"
        assert httpx.get(f"{url}/health", timeout=5).status_code == 200


@pytest.mark.processes
def test_past_the_concurrency_limit_requests_get_a_quick_503(small_index: Path) -> None:
    _need_files(400)
    env = child_env(CQA_HEADER_TIMEOUT="3", CQA_LIMIT_CONCURRENCY="40")
    with serving(small_index, env=env) as server:
        url = server.url
        port = int(url.rsplit(":", 1)[1])
        held = _hold(port, 60)
        try:
            busy, busy_s = _timed(lambda: httpx.get(f"{url}/health", timeout=5))
            assert busy.status_code == 503 and busy_s < 1.0
        finally:
            assert _closed_by_server(held, within=3 + 15) == 60
        assert httpx.get(f"{url}/health", timeout=5).status_code == 200
