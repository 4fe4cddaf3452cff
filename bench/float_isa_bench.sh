#!/usr/bin/env bash
# Float latency, 1 thread, of one detlite build against another (e.g. the
# build before a kernel change) and of this build on every ISA level
# (DETLITE_ISA=avx512, avx2, reference). The configurations are interleaved:
# each round runs every configuration once (bench --runs R after 2 warmups)
# and the table gives, per configuration, the median over the rounds of the
# per-round medians, so load from other processes hits all of them alike.
#   bash bench/float_isa_bench.sh BEFORE_DETLITE [AFTER_DETLITE] [rounds] [runs]
# ISAS="avx512 avx2" limits the levels tried (default: avx512 avx2 reference).
# Prints a markdown table for docs/RESULTS.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
before="${1:?usage: float_isa_bench.sh BEFORE_DETLITE [AFTER_DETLITE] [rounds] [runs]}"
after="${2:-$root/build/default/detlite}"
rounds="${3:-10}"
runs="${4:-5}"
data="${DETLITE_DATA_DIR:-$root/../shared/data}"
models=(ssd_mobilenetv2_oidv4_fp16 face_detection_short_range
        face_detection_full_range palm_detection_lite)
levels=()
for isa in ${ISAS:-avx512 avx2 reference}; do
  got="$(DETLITE_ISA=$isa "$after" bench "$data/tflite/face_detection_short_range.tflite" \
         --runs 1 --warmup 0 --json | jq -r .isa)"
  [[ "$got" == "$isa" ]] && levels+=("$isa")
done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
time_one() {  # label binary model [env...]
  local label="$1" bin="$2" model="$3"; shift 3
  env "$@" "$bin" bench "$data/tflite/$model.tflite" --runs "$runs" --warmup 2 --json \
    | jq -r .detlite.median_ms >>"$tmp/$model.$label"
}
for ((r = 0; r < rounds; ++r)); do
  for m in "${models[@]}"; do
    time_one before "$before" "$m"
    for isa in "${levels[@]}"; do time_one "$isa" "$after" "$m" DETLITE_ISA="$isa"; done
  done
done
med() { sort -g "$1" | awk '{v[NR]=$1} END {printf "%.2f", v[int((NR+1)/2)]}'; }
header="| model | before (ms) |"
sep="|---|---|"
for isa in "${levels[@]}"; do header+=" $isa (ms) |"; sep+="---|"; done
echo "$header speedup (before / ${levels[0]}) |"
echo "$sep---|"
for m in "${models[@]}"; do
  line="| $m | $(med "$tmp/$m.before") |"
  for isa in "${levels[@]}"; do line+=" $(med "$tmp/$m.$isa") |"; done
  line+=" $(awk -v b="$(med "$tmp/$m.before")" -v a="$(med "$tmp/$m.${levels[0]}")" \
          'BEGIN {printf "%.2fx", b / a}') |"
  echo "$line"
done
