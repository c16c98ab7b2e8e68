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
# All three shared sets (dev-set, dev-set-2, real-dev-set), in-sample and out of fold across
# councils, txtai in the same run: the table of docs/quality.md, "All three sets".
.venv/bin/python bench/quality_all.py --index-root "${CQA_QUALITY_INDEXES:-bench/out/indexes}"
