"""Helpers for tests that run ``cqa`` as real processes: commands and their environment.

Every child gets ``CQA_EMBEDDER=hashing`` (the deterministic fake) unless a test asks for
the model, so that starting one costs well under a second of model time.  Servers are
started with ``qa_service.serving.serving``, which the browser tests and bench/ use too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from qa_service import serving

REPO = Path(__file__).resolve().parents[1]

cqa = serving.cqa_argv


def child_env(embedder: str = "hashing", **extra: str) -> dict[str, str]:
    """The environment of a child ``cqa``: offline, the fake embedder, no admin token."""
    # one OpenMP thread: the tests' children share 2 cores with the test process
    return serving.child_env(embedder, **{"OMP_NUM_THREADS": "1", **extra})


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
