#!/usr/bin/env bash
# The quality comparison of docs/quality.md in one command: the peer baselines (their own
# virtualenv, bench/run_baselines.sh), then the service and its ablation (bench/ablation.py)
# and the abstention calibration (bench/calibrate_abstention.py), all on the shared dev set.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1
bash bench/run_baselines.sh
.venv/bin/python bench/ablation.py
.venv/bin/python bench/calibrate_abstention.py
