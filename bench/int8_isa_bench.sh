#!/usr/bin/env bash
# 8-bit latency, 1 thread, of one detlite build against another (e.g. the
# build before the VNNI kernels) and of this build on every ISA level
# (DETLITE_ISA=avx512vnni, avx512, avxvnni, avx2, reference), with the float
# model's time on the best level for scale. Models: Coral's SSD MobileNetV2
# (uint8) and ssd_mobilenetv2_oidv4_fp16 quantized to int8 by this build
# (`convert --quantize int8`, calibrated on .deps/photos/opencv). As in
# float_isa_bench.sh the configurations are interleaved: each round runs every
# configuration once (bench --runs R after 2 warmups) and the table gives the
# median over the rounds of the per-round medians.
#   bash bench/int8_isa_bench.sh BEFORE_DETLITE [AFTER_DETLITE] [rounds] [runs]
# ISAS="avx512vnni avx2" limits the levels tried (levels the CPU lacks are
# skipped). Prints a markdown table for docs/RESULTS.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
before="${1:?usage: int8_isa_bench.sh BEFORE_DETLITE [AFTER_DETLITE] [rounds] [runs]}"
after="${2:-$root/build/default/detlite}"
rounds="${3:-10}"
runs="${4:-5}"
data="${DETLITE_DATA_DIR:-$root/../shared/data}"
photos="${DETLITE_PHOTOS:-$root/.deps/photos/opencv}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$after" convert "$data/tflite/ssd_mobilenetv2_oidv4_fp16.tflite" -o "$tmp/ssd_int8.tflite" \
  --quantize int8 --calibration-data "$photos" >/dev/null
declare -A path=(
  [coral_ssd_mobilenet_v2_uint8]="$data/tflite/mobilenet_ssd_v2_coco_quant_postprocess.tflite"
  [ssd_mobilenetv2_oidv4_int8]="$tmp/ssd_int8.tflite"
  [ssd_mobilenetv2_oidv4_float]="$data/tflite/ssd_mobilenetv2_oidv4_fp16.tflite"
)
models=(coral_ssd_mobilenet_v2_uint8 ssd_mobilenetv2_oidv4_int8)
levels=()
for isa in ${ISAS:-avx512vnni avx512 avxvnni avx2 reference}; do
  got="$(DETLITE_ISA=$isa "$after" bench "${path[coral_ssd_mobilenet_v2_uint8]}" \
         --runs 1 --warmup 0 --json | jq -r .isa)"
  [[ "$got" == "$isa" ]] && levels+=("$isa")
done
time_one() {  # label binary model [env...]
  local label="$1" bin="$2" model="$3"; shift 3
  env "$@" "$bin" bench "${path[$model]}" --runs "$runs" --warmup 2 --json \
    | jq -r .detlite.median_ms >>"$tmp/$model.$label"
}
for ((r = 0; r < rounds; ++r)); do
  for m in "${models[@]}"; do
    time_one before "$before" "$m"
    for isa in "${levels[@]}"; do time_one "$isa" "$after" "$m" DETLITE_ISA="$isa"; done
  done
  time_one "${levels[0]}" "$after" ssd_mobilenetv2_oidv4_float DETLITE_ISA="${levels[0]}"
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
echo
echo "ssd_mobilenetv2_oidv4 float on ${levels[0]}: $(med "$tmp/ssd_mobilenetv2_oidv4_float.${levels[0]}") ms"
