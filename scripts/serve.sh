#!/usr/bin/env bash
# Quick start 1: install everything, build the index from corpus/ if there is none,
# and serve the web form and API on http://127.0.0.1:8000
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export HF_HUB_OFFLINE=1
exec .venv/bin/cqa serve "$@"
