"""The load test's short form: 32 clients for 12 s against `cqa serve` with the real model.

The full run (60 s, figures in docs/reliability.md) is ``.venv/bin/python bench/loadtest.py``.
This proves in CI that under 32 concurrent clients every question gets a 200 with passages:
no timeouts, no 5xx, no dropped connections.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.procs import REPO

pytestmark = [pytest.mark.processes, pytest.mark.integration]


def test_32_clients_get_answers_with_no_errors() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "loadtest.py"), "--users", "32", "--seconds", "12"],
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
