#!/usr/bin/env bash
# Rerun the peer baselines (BM25, dense MiniLM, txtai hybrid) on the shared dev set.
#
# txtai lives in its own virtualenv (bench/.venv-peer, made by peer_env.sh).
# Usage: bash bench/run_baselines.sh [extra args for bench/baselines.py]
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$BENCH_DIR/peer_env.sh"

# Everything runs from installed files: no model hub, no downloads at run time.
export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1
export HF_DATASETS_OFFLINE=1
export TOKENIZERS_PARALLELISM=false

exec "$PY" "$BENCH_DIR/baselines.py" "$@"
