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
from dataclasses import dataclass
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


@dataclass
class Run:
    """One finished ``cqa ingest`` process."""

    returncode: int
    stdout: str
    stderr: str
    max_rss_mb: float


# A child's peak memory as ``wait4`` reports it includes the pages it shared with its parent
# before exec, so a ``cqa`` started straight from a test process that has loaded the model
# reads as large as that process.  A small launcher, itself exec'ed at once, starts ``cqa``
# instead and reports the peak of its own child on a file descriptor of its own.
_LAUNCHER = """
import os, resource, subprocess, sys
try:
    code = subprocess.call(sys.argv[3:], timeout=float(sys.argv[2]))
except subprocess.TimeoutExpired:  # call() has killed the child
    code = -9
with os.fdopen(int(sys.argv[1]), "w") as report:
    report.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


def run_measured(
    *args: str | Path, env: dict[str, str] | None = None, timeout: float = 600.0
) -> Run:
    """Run ``cqa ARGS``; outputs go to files, and the launcher gives its peak memory.

    A run that takes longer than ``timeout`` seconds is killed (return code -9).
    """
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"cqa-hostile-{os.getpid()}.out"
    err_path = out_path.with_suffix(".err")
    read_end, write_end = os.pipe()
    with open(os.devnull, "rb") as stdin, open(out_path, "wb") as out, open(err_path, "wb") as err:
        command = [sys.executable, "-c", _LAUNCHER, str(write_end), str(timeout),
                   *map(str, cqa(*args))]  # fmt: skip
        proc = subprocess.Popen(
            command, env=env or child_env(), cwd=REPO, stdin=stdin, stdout=out, stderr=err,
            pass_fds=(write_end,),
        )  # fmt: skip
        os.close(write_end)
        with os.fdopen(read_end) as report:
            peak_kb = int(report.read() or 0)
        proc.wait()
    run = Run(
        proc.returncode,
        out_path.read_text(encoding="utf-8", errors="replace"),
        err_path.read_text(encoding="utf-8", errors="replace"),
        peak_kb / 1024,  # kilobytes on Linux
    )
    out_path.unlink()
    err_path.unlink()
    return run
