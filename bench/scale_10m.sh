#!/bin/bash
# The 10M index of docs/performance.md "10M on this disk, stop 27", one step after another,
# each `nice -n 15` and timed (/usr/bin/time -v into ROOT/<step>.log; steps and times in
# ROOT/build10m.log); resumable: run it again after a stop (each step skips what is done).
#   (1) bench.scale_ondisk's dense base of ids 1..N            -> ROOT/so/$N
#   (2) bench.scale_text build: direct 20k (pq96), copies in SQL without passage vectors,
#       the base hard-linked and committed, tantivy rebuilt        -> ROOT/t/$N
#   (3) the impact index in ranges (plain row ids)               -> ROOT/t/$N/impact
#   (4) /api/ask in process, impact index on and off in the same run -> ROOT/ask.json
# A guard stops the running step if the disk of ROOT falls under MIN_FREE_MB (12,800) free.
#   ROOT=/tmp/p27 PY=/work/main/.venv/bin/python bench/scale_10m.sh
# (ROOT/so/base.npy and questions.npy, the model's embeddings, are made once and kept.)
set -u
CODE=$(cd "$(dirname "$0")/.." && pwd)
ROOT=${ROOT:-/tmp/scale-10m}
PY=${PY:-python}
N=${PASSAGES:-10000000}  # another size for a trial (its folders are named by it)
MIN_KB=$(( ${MIN_FREE_MB:-12800} * 1024 ))
export HF_HUB_OFFLINE=1 PYTHONPATH=$CODE
cd "$CODE" || exit 1
mkdir -p "$ROOT/t"
LOG=$ROOT/build10m.log
say() { echo "[$(date -u +%H:%M:%S)] $*" >> "$LOG"; }
guard() {  # $1: the step's pid (its own process group)
  while kill -0 "$1" 2>/dev/null; do
    free=$(df -k --output=avail "$ROOT" | tail -1)
    if [ "$free" -lt "$MIN_KB" ]; then
      say "GUARD: only ${free} kB free, stopping the step (pgid $1)"; kill -- -"$1"; return
    fi
    sleep 30
  done
}
step() {  # name, command...
  local name=$1; shift
  say "start $name: $*"
  local t0; t0=$(date +%s)
  setsid nice -n 15 /usr/bin/time -v "$@" >> "$ROOT/$name.log" 2>&1 &
  local pid=$!
  echo "$pid" > "$ROOT/$name.pid"
  guard "$pid" &
  wait "$pid"; local rc=$?
  say "end $name rc=$rc after $(( $(date +%s) - t0 )) s; $(df -h --output=avail "$ROOT" | tail -1) free"
  return $rc
}
if [ ! -f "$ROOT/so/$N/READY" ]; then
  step so "$PY" -m bench.scale_ondisk build --passages $N --out "$ROOT/so" || exit 1
fi
# scale_text serve --truth reads questions.npy beside truth.npz; the direct index the base
[ -f "$ROOT/so/$N/questions.npy" ] || cp "$ROOT/so/questions.npy" "$ROOT/so/$N/"
[ -f "$ROOT/t/base.npy" ] || cp "$ROOT/so/base.npy" "$ROOT/t/base.npy"
if [ ! -f "$ROOT/t/$N/READY" ]; then
  step text "$PY" -m bench.scale_text build --passages $N --out "$ROOT/t" \
    --dense-base "$ROOT/so/$N" --sentence-codec pq96 --no-sentence-hash-index || exit 1
fi
say "text index ready: $(du -sh "$ROOT/t/$N" | cut -f1)"
# the dense base's own metadata store is not needed any more (the base is hard-linked)
rm -f "$ROOT"/so/$N/meta.sqlite*
IDX=$ROOT/t/$N
if [ ! -f "$IDX/impact/build.json" ]; then
  rm -rf "$IDX/impact"
  step impact "$PY" bench/impact_profile.py build --index "$IDX" --out "$IDX/impact" \
    --range-passages 100000 || exit 1
fi
say "impact index ready: $(du -sh "$IDX/impact" | cut -f1)"
if [ ! -f "$ROOT/ask.json" ]; then
  step ask "$PY" bench/impact_ask.py --index "$IDX" --impact "$IDX/impact" --loops 2 \
    --out "$ROOT/ask.json" || exit 1
fi
say "done"
