"""The load test's short form: 32 clients for 12 s against `cqa serve` with the real model.

The full run (60 s, figures in docs/reliability.md) is ``.venv/bin/python bench/loadtest.py``.
This proves in CI that under 32 concurrent clients every question gets a 200 with passages:
no timeouts, no 5xx, no dropped connections.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.procs import REPO

pytestmark = [pytest.mark.processes, pytest.mark.integration]


def test_32_clients_get_answers_with_no_errors(corpus_index: Path) -> None:
    # the session's one real-model index of corpus/ (tests/conftest.py), served read only
    load = [str(REPO / "bench" / "loadtest.py"), "--users", "32", "--seconds", "12"]
    proc = subprocess.run(
        [sys.executable, *load, "--index", str(corpus_index)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    print(result)
    assert result["failures"] == 0
    assert result["requests"] >= 32
