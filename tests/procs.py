"""Helpers for tests that run ``cqa`` as real processes: commands, a free port, a server.

Every child gets ``CQA_EMBEDDER=hashing`` (the deterministic fake) unless a test asks for
the model, so that starting one costs well under a second of model time.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

REPO = Path(__file__).resolve().parents[1]


def cqa(*args: str | Path) -> list[str]:
    """The argv that runs ``cqa ARGS...`` with this interpreter."""
    return [sys.executable, "-c", "from qa_service.cli import main; main()", *map(str, args)]


def child_env(embedder: str = "hashing", **extra: str) -> dict[str, str]:
    """The environment of a child ``cqa``: offline, the fake embedder, no admin token."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CQA_")}
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        PYTHONPATH=str(REPO),
        CQA_EMBEDDER=embedder,
        OMP_NUM_THREADS="1",
    )
    env.update(extra)
    return env


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(index: Path, env: dict[str, str] | None = None, timeout: float = 60.0) -> Iterator[str]:
    """Run ``cqa serve`` on 127.0.0.1 and a free port; yields its base URL, then stops it."""
    with server(index, env, timeout) as (url, _):
        yield url


@contextmanager
def server(
    index: Path, env: dict[str, str] | None = None, timeout: float = 60.0
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """As ``serving``, also yielding the server process (its pid, for memory figures)."""
    port = free_port()
    # a file, not a pipe: a chatty server never blocks on a full pipe
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            cqa("serve", "--index", index, "--port", str(port)),
            env=env or child_env(),
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(proc, url, log, timeout)
            yield url, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_until_up(proc: subprocess.Popen[bytes], url: str, log: IO[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"cqa serve exited: {log.read().decode()[-2000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("cqa serve did not come up in time")
        time.sleep(0.1)
