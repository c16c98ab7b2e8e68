#!/usr/bin/env bash
# The query and scaling benchmark from a fresh clone, in one command.
#
# Installs the project (.venv, scripts/install.sh) with the bench extra (matplotlib, psutil),
# the peer's virtualenv (bench/.venv-peer, txtai), builds the 10k/100k/1M indexes once
# (bench/out/scale, kept for later runs), runs bench/query_bench.py and prints its tables.
# Usage: bash bench/run_performance.sh [--sizes 10000,100000,1000000] [other query_bench args]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install.sh
.venv/bin/python -m pip install --quiet -e ".[test,bench]"
bash bench/peer_env.sh

export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1
export TOKENIZERS_PARALLELISM=false

exec .venv/bin/python -m bench.query_bench "$@"
