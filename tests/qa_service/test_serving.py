"""The one helper that starts and stops ``cqa serve`` for tests, browser tests and bench/."""

from __future__ import annotations

import signal
import socket
from pathlib import Path

import httpx
import pytest

from qa_service.serving import CODE_ROOT, ServeError, child_env, serving
from tests.procs import child_env as procs_env


def _port_is_free(port: int) -> bool:
    """Whether nothing listens on ``port`` (closed connections in TIME_WAIT do not count)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_a_child_gets_none_of_the_callers_settings_but_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CQA_ADMIN_TOKEN", "from-the-shell")
    monkeypatch.setenv("CQA_RRF_K", "7")
    monkeypatch.setenv("CQA_MODEL_CACHE", "/somewhere/cache")
    env = child_env("hashing", CQA_HEADER_TIMEOUT="3")
    assert "CQA_ADMIN_TOKEN" not in env and "CQA_RRF_K" not in env
    assert env["CQA_MODEL_CACHE"] == "/somewhere/cache"
    assert env["CQA_EMBEDDER"] == "hashing" and env["CQA_HEADER_TIMEOUT"] == "3"
    assert env["HF_HUB_OFFLINE"] == "1" and env["PYTHONPATH"] == str(CODE_ROOT)
    assert (CODE_ROOT / "qa_service" / "serving.py").is_file()
    assert procs_env()["CQA_EMBEDDER"] == "hashing"
    assert procs_env(OMP_NUM_THREADS="2")["OMP_NUM_THREADS"] == "2"


@pytest.mark.processes
def test_serving_is_up_when_it_yields_and_stops_cleanly(small_index: Path, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with serving(small_index, env=procs_env(), log=log) as server:
        body = httpx.get(f"{server.url}/health", timeout=10).json()
        assert body["documents"] == 5
        port = int(server.url.rsplit(":", 1)[1])
        assert not _port_is_free(port)
        assert server.process.poll() is None
    # uvicorn shuts down on SIGTERM, then re-raises it; -SIGKILL would mean it hung
    assert server.process.returncode in (0, -signal.SIGTERM), server.log()
    assert _port_is_free(port)
    assert f"serving on http://127.0.0.1:{port}/" in log.read_text()


@pytest.mark.processes
def test_a_server_that_exits_at_once_raises_with_its_own_message(small_index: Path) -> None:
    with (
        pytest.raises(ServeError, match=r"(?s)exited \(2\).*No such option '--no-such-option'"),
        serving(small_index, args=["--no-such-option"], env=procs_env()),
    ):
        pytest.fail("never up")


@pytest.mark.processes
def test_a_server_never_ready_is_stopped_and_raises(small_index: Path) -> None:
    with (
        pytest.raises(ServeError, match="not up within 2 s") as raised,
        serving(small_index, env=procs_env(), timeout=2, ready=lambda body: False),
    ):
        pytest.fail("never ready")
    assert raised.value.server.process.returncode is not None, "stopped before raising"
    assert _port_is_free(int(raised.value.server.url.rsplit(":", 1)[1]))
