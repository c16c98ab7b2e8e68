#!/bin/bash
# The 10M index of docs/performance.md "10M on this disk, stop 27", one step after another,
# each `nice -n 15` and timed (/usr/bin/time -v into ROOT/<step>.log; steps and times in
# ROOT/build10m.log); resumable: run it again after a stop (each step skips what is done).
#   (1) bench.scale_ondisk's dense base of ids 1..N            -> ROOT/so/$N
#   (2) bench.scale_text build: direct 20k (pq96), copies in SQL without passage vectors,
#       the base hard-linked and committed, tantivy rebuilt        -> ROOT/t/$N
#   (3) the impact index in ranges (plain row ids)               -> ROOT/t/$N/impact
#   (4) /api/ask in process, impact index on and off in the same run -> ROOT/ask.json
# ("done" in the log), then the served tier of the impact index (stop 33; TIER_N postings a
# list, the served share of N: 65,536 at 10M):
#   (5) the tier saved in the impact folder, where the engine maps it  -> IDX/impact/tier_N
#   (6) /api/ask in process, the exact first pass against the tier, interleaved; the first
#       passes' recall@10 against exact                               -> ROOT/tierask.json
#   (7) two cqa serve, both with the impact index, the tier against the exact first pass:
#       start-up, RSS, /api/ask over HTTP                              -> ROOT/tierhttp.json
#   (8) the service's figures with the tier served: Engine.ask's split, the dense
#       recall@10 against exact top-10s, the council and date filters -> ROOT/tierserve.json
# ("tier measured"), then, LAST because it changes the index (STOP_BEFORE_PLANT=1 stops here):
#   (9) the three shared sets ingested in place (bench/planted.py plant --into), the impact
#       index built again at the new generation, ROOT/pl/<set> links to IDX, and the tier
#       saved again                                                    -> IDX/planted.json
#  (10) their labelled questions judged with the exact first pass and the tier, with the
#       labelled filters and as typed -> ROOT/planted-quality.json, planted-quality-typed.json
#  (11) /api/ask in process on the planted index, exact against the tier -> ROOT/planted-ask.json
# ("planted measured").  Steps (6)-(8) refuse to run on a planted index.
# A guard stops the running step if the disk of ROOT falls under MIN_FREE_MB (12,800) free.
#   ROOT=/tmp/p27 PY=/work/main/.venv/bin/python bench/scale_10m.sh
# A trial: ROOT=/tmp/p34s PASSAGES=200000 TIER_ABOVE=100000 ... (TIER_ABOVE: the threshold
# of the tier's server in (7) and (8); the default, the service's, is above a trial's N).
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
# --- the served tier (stop 33) ---------------------------------------------------------------
TIER_N=${TIER_N:-$("$PY" -c "from index.impact import tier_size
from qa_service.config import Settings
print(tier_size($N, Settings.model_fields['impact_tier_share'].default))")}
LOOPS=${LOOPS:-3}
ABOVE_ENV=()
ABOVE_ARG=()
if [ -n "${TIER_ABOVE:-}" ]; then
  ABOVE_ENV=(CQA_IMPACT_TIER_ABOVE="$TIER_ABOVE"); ABOVE_ARG=(--tier-above "$TIER_ABOVE")
fi
save_tier() {
  if [ ! -f "$IDX/impact/tier_$TIER_N/n" ]; then
    step tier "$PY" bench/impact_pruned.py build --impact "$IDX/impact" --n "$TIER_N" \
      --out "$IDX/impact" || exit 1
  fi
}
unplanted() {  # $1: the step; the index as built, not planted
  if [ -f "$IDX/planted.json" ]; then say "$1 not run: $IDX is planted"; return 1; fi
}
save_tier
if [ ! -f "$ROOT/tierask.json" ] && unplanted tierask; then
  step tierask "$PY" bench/impact_pruned.py ask --pair "10m=$IDX:$IDX/impact" \
    --tiers "$IDX/impact" --exact 0 --loops "$LOOPS" --out "$ROOT/tierask.json" || exit 1
fi
if [ ! -f "$ROOT/tierhttp.json" ] && unplanted tierhttp; then
  step tierhttp "$PY" -m bench.scale_text http-ab --index "$IDX" --tier-ab "${ABOVE_ARG[@]}" \
    --loops 1 --out-json "$ROOT/tierhttp.json" || exit 1
fi
if [ ! -f "$ROOT/tierserve.json" ] && unplanted tierserve; then
  step tierserve env CQA_IMPACT_INDEX=1 "${ABOVE_ENV[@]}" "$PY" -m bench.scale_text serve \
    --index "$IDX" --truth "$ROOT/so/$N/truth.npz" --loops 1 --no-http \
    --out-json "$ROOT/tierserve.json" || exit 1
fi
say "tier measured"
[ "${STOP_BEFORE_PLANT:-0}" = 1 ] && exit 0
# --- the three sets planted in place (changes the index) -------------------------------------
if [ ! -f "$ROOT/pl/plant.json" ]; then
  step plant "$PY" bench/planted.py plant --into "$IDX" --out "$ROOT/pl" || exit 1
  mv "$ROOT"/pl/plant-*.json "$ROOT/pl/plant.json"
fi
save_tier
if [ ! -f "$ROOT/planted-quality.json" ]; then
  step quality "$PY" bench/planted.py quality --index-root "$ROOT/pl" --n "$TIER_N" \
    --out "$ROOT/planted-quality.json" || exit 1
fi
if [ ! -f "$ROOT/planted-quality-typed.json" ]; then
  step quality-typed "$PY" bench/planted.py quality --index-root "$ROOT/pl" --n "$TIER_N" \
    --no-label-filters --out "$ROOT/planted-quality-typed.json" || exit 1
fi
if [ ! -f "$ROOT/planted-ask.json" ]; then
  step plantask "$PY" bench/planted.py ask --index-root "$ROOT/pl" --n "$TIER_N" \
    --loops 2 --out "$ROOT/planted-ask.json" || exit 1
fi
say "planted measured"
