#!/usr/bin/env bash
# Quick start 2: install everything and run the whole test suite (lint, types, tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export HF_HUB_OFFLINE=1
.venv/bin/ruff check cqa_core ingest index indexing qa_service evaluation tests bench
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
