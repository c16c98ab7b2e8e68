"""Start and stop ``cqa serve`` as a child process, for the tests, browser tests and benchmarks.

``serving(index)`` runs ``cqa serve`` on 127.0.0.1 and a free port, waits until ``/health``
answers (and, if asked, until it reports what the caller waits for), yields a ``Server``
(its URL, process and log file), and stops it with SIGTERM, then SIGKILL if it lingers.
The server writes to a file, never a pipe, so a chatty server cannot block on a full pipe;
when it exits early or never comes up, ``ServeError`` carries the end of that log.

It lives in the package rather than in ``tests/`` because ``bench/`` needs it too, and a
benchmark should not import test scaffolding; it uses only the standard library.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The folder that holds the packages, so that a child imports the same code as its parent
# (a checkout, or a copy of one, even when another checkout is the one installed).
CODE_ROOT = Path(__file__).resolve().parents[1]

# Settings a child keeps from its parent: where caches go changes no answer, and the tests
# point it at a temporary folder so that no child writes into the checkout.
_INHERITED = ("CQA_MODEL_CACHE",)


class ServeError(RuntimeError):
    """``cqa serve`` exited before it was up, or did not come up in time (and was stopped)."""

    def __init__(self, message: str, server: Server) -> None:
        super().__init__(message)
        self.server = server


def cqa_argv(*args: str | Path) -> list[str]:
    """The argv that runs ``cqa ARGS...`` with this interpreter (no console script needed)."""
    return [sys.executable, "-c", "from qa_service.cli import main; main()", *map(str, args)]


def child_env(embedder: str = "model", **extra: str) -> dict[str, str]:
    """The environment of a child ``cqa``: offline, ``CQA_EMBEDDER=embedder``, this code.

    The parent's other ``CQA_*`` settings are left out (an admin token or a changed weight
    in the caller's shell would change what is measured); ``extra`` adds variables.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("CQA_") or k in _INHERITED}
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        PYTHONPATH=str(CODE_ROOT),
        CQA_EMBEDDER=embedder,
    )
    env.update(extra)
    return env


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running ``cqa serve``: where it answers, its process and the file it logs to."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        """Everything the server has written so far (stdout and stderr together)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@contextmanager
def serving(
    index: Path,
    *,
    args: Sequence[str | Path] = (),
    env: dict[str, str] | None = None,
    timeout: float = 60.0,
    ready: Callable[[dict[str, Any]], bool] | None = None,
    log: Path | None = None,
    stop_timeout: float = 20.0,
    cwd: Path | None = None,
) -> Iterator[Server]:
    """Run ``cqa serve --index INDEX ARGS`` on 127.0.0.1 and a free port until the block ends.

    Up means ``GET /health`` gives 200 and, when ``ready`` is given, ``ready(body)`` is true
    (for example once a first ingest has reached a document count).  ``env`` defaults to
    ``child_env()``; ``log`` keeps the server's output in that file (default: a temporary
    file, removed afterwards); ``cwd``: the server's working directory (default this code's
    root, which ``python -c`` puts first on the path).  Raises ``ServeError`` with the
    log's last lines if the server exits first or is not up within ``timeout`` seconds.
    """
    host = "127.0.0.1"
    port = free_port(host)
    with ExitStack() as stack:
        if log is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="cqa-serve-"))
            log = Path(folder) / "serve.log"
        out = stack.enter_context(log.open("wb"))
        command = cqa_argv("serve", "--index", index, "--host", host, "--port", str(port), *args)
        process = subprocess.Popen(
            command,
            env=child_env() if env is None else env,
            cwd=CODE_ROOT if cwd is None else cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        server = Server(f"http://{host}:{port}", process, log)
        try:
            _wait_until_up(server, timeout, ready)
            yield server
        finally:
            stop(process, stop_timeout)


def stop(process: subprocess.Popen[bytes], timeout: float = 20.0) -> int:
    """SIGTERM (uvicorn finishes the requests in flight), SIGKILL after ``timeout`` seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def _health(url: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            if response.status == 200:
                body: dict[str, Any] = json.load(response)
                return body
    except (OSError, ValueError):  # not listening yet, or a partial answer
        pass
    return None


def _wait_until_up(
    server: Server, timeout: float, ready: Callable[[dict[str, Any]], bool] | None
) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            code = server.process.returncode
            raise ServeError(f"cqa serve exited ({code}): {_tail(server)}", server)
        body = _health(server.url)
        if body is not None and (ready is None or ready(body)):
            return
        if time.monotonic() > deadline:
            raise ServeError(
                f"cqa serve was not up within {timeout:.0f} s: {_tail(server)}", server
            )
        time.sleep(0.1)


def _tail(server: Server, chars: int = 2000) -> str:
    return server.log()[-chars:]
