#!/usr/bin/env bash
# Create .venv (if needed) and install the project with everything it needs.
# torch is installed first, pinned: a plain requirement would pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet "torch==2.13.0"
# [scale] (Ray) too: CI runs the Ray ingest's tests with a local Ray of 2 workers
.venv/bin/python -m pip install --quiet -e ".[test,bench,scale]"
