#!/usr/bin/env bash
# Sparse 1x1 kernels (issue 14 item 4), the tables of docs/PRUNING.md:
#   bash bench/sparse_kernels.sh [path/to/detlite] > /tmp/sparse_kernels.md
# 1. (MICRO=1) the kernel alone against the dense one on SSDLite's 1x1 layer
#    shapes per instruction set and share of zeros (bench/
#    sparse_kernels_micro.cc): where the threshold of runtime/ops/
#    conv_sparse.cc comes from.
# 2. Whole models at 1 thread: the SSDLite (TF.js) dense and pruned to 75%
#    (sensitivity on 8 photos, and from weight energy alone), the SSDLite
#    with 75% of every 1x1 layer's weights zeroed alike (bench/
#    sparse_uniform_prune.cc: not a pruner, a measurement of the kernels
#    when the zeros are where the MACs are; ssdlite_u75_4x1 the same in 4x1
#    blocks), BlazeFace full range sparse as
#    published and at int8, the SSDLite pruned to 75% in 4x1 blocks
#    (`--block 4x1`: the block kernel) with the default allocation and with
#    `--prune-allocate macs` (75% of the pruned layers' MACs), each with
#    DETLITE_SPARSE=off (dense kernels),
#    auto (the default), on (every 1x1 op on the unblocked sparse kernel) and
#    block (every 1x1 op on the 4x1-block kernel), ROUNDS interleaved rounds of
#    `detlite bench --runs RUNS` under nice; the fastest run over all rounds
#    (STAT=min, the default: on 2 cores shared with other builds the
#    fastest run is the one least disturbed), or with STAT=median the
#    median over rounds of the round medians. TFLite (tfjs-tflite WebAssembly + XNNPACK, 1
#    thread) once per model, the same statistic. The load average is
#    printed before and after.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
detlite="${1:-$root/build/default/detlite}"
build="$(dirname "$detlite")"
data="${DETLITE_DATA_DIR:-$root/../shared/data}"
cal="$data/datasets/coco_train2017_288/images"
rounds="${ROUNDS:-5}"
runs="${RUNS:-15}"
work="${WORK:-$(mktemp -d)}"
mib() { echo "scale=3; $(stat -c %s "$1") / 1048576" | bc; }

if [ "${MICRO:-0}" = 1 ]; then
  c++ -O2 -std=c++20 -I"$root/src" -I"$root/include" -I"$build/gen" \
    "$root/bench/sparse_kernels_micro.cc" "$build/libdetlite.a" -lpthread \
    -o "$work/micro"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo '```'
  echo "isa dtype pixels in_c out_c zeros dense_us sparse_us dense/sparse"
  nice -n 10 "$work/micro" "${MICRO_REPS:-9}"
  echo '```'
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
fi

ssd="$work/ssdlite.tflite"
[ -f "$ssd" ] || "$detlite" convert "$data/tf/tfjs/ssdlite_mobilenet_v2_coco/model.json" -o "$ssd" >/dev/null 2>&1
[ -f "$work/ssdlite_p75.tflite" ] || "$detlite" convert "$ssd" -o "$work/ssdlite_p75.tflite" --prune 0.75 \
  --calibration-data "$cal" >/dev/null 2>&1
[ -f "$work/ssdlite_p75_energy.tflite" ] || "$detlite" convert "$ssd" -o "$work/ssdlite_p75_energy.tflite" \
  --prune 0.75 >/dev/null 2>&1
[ -f "$work/ssdlite_p75_int8.tflite" ] || "$detlite" convert "$work/ssdlite_p75.tflite" \
  -o "$work/ssdlite_p75_int8.tflite" --quantize int8 --calibration-data "$cal" >/dev/null 2>&1
if [ ! -f "$work/ssdlite_u75.tflite" ] || [ ! -f "$work/ssdlite_u75_4x1.tflite" ]; then
  c++ -O2 -std=c++20 -I"$root/src" -I"$root/include" -I"$build/gen" \
    "$root/bench/sparse_uniform_prune.cc" "$build/libdetlite.a" "$build/libdetlite_protos.a" \
    -lflatbuffers -ljpeg -lpng -lz -lpugixml -lprotobuf -lpthread -o "$work/uniform_prune"
  "$work/uniform_prune" "$ssd" "$work/ssdlite_u75.tflite" 0.75 >/dev/null
  "$work/uniform_prune" "$ssd" "$work/ssdlite_u75_4x1.tflite" 0.75 4x1 >/dev/null
fi
[ -f "$work/ssdlite_b75.tflite" ] || "$detlite" convert "$ssd" -o "$work/ssdlite_b75.tflite" --prune 0.75 \
  --block 4x1 --calibration-data "$cal" >/dev/null 2>&1
[ -f "$work/ssdlite_b75_macs.tflite" ] || "$detlite" convert "$ssd" -o "$work/ssdlite_b75_macs.tflite" \
  --prune 0.75 --block 4x1 --prune-allocate macs --calibration-data "$cal" >/dev/null 2>&1
face="$data/tflite/face_detection_full_range_sparse.tflite"
[ -f "$work/face_int8.tflite" ] || "$detlite" convert "$face" -o "$work/face_int8.tflite" --quantize int8 \
  --calibration-data "$cal" --preset signed >/dev/null 2>&1
models=("$ssd" "$work/ssdlite_p75.tflite" "$work/ssdlite_p75_energy.tflite"
        "$work/ssdlite_u75.tflite" "$work/ssdlite_u75_4x1.tflite" "$work/ssdlite_b75.tflite" "$work/ssdlite_b75_macs.tflite" "$work/ssdlite_p75_int8.tflite" "$face" "$work/face_int8.tflite")

median() {
  if [ "${STAT:-min}" = min ]; then sort -g | head -1; else sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; fi
}
declare -A lat
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $rounds rounds x $runs runs"
for r in $(seq "$rounds"); do
  for m in "${models[@]}"; do
    for mode in off auto on block; do
      t=$(DETLITE_SPARSE=$mode nice -n 10 "$detlite" bench "$m" --runs "$runs" --json | jq ".detlite.${STAT:-min}_ms")
      lat["$m/$mode"]+="$t "
    done
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| model | weights zero | skippable MACs | file (MiB) | sparse ops (auto) | detlite dense (ms) | detlite auto (ms) | dense/auto | detlite all sparse (ms) | dense/all sparse | all 4x1 (ms) | dense/all 4x1 | TFLite (ms) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for m in "${models[@]}"; do
  z=$("$detlite" inspect "$m" --json | jq -r '.sparsity | "\(.zero_weights*1000/.weights|round/10)% | \(.skippable_macs*1000/.macs|round/10)%"')
  d=$(tr ' ' '\n' <<<"${lat[$m/off]}" | grep . | median)
  s=$(tr ' ' '\n' <<<"${lat[$m/auto]}" | grep . | median)
  o=$(tr ' ' '\n' <<<"${lat[$m/on]}" | grep . | median)
  b=$(tr ' ' '\n' <<<"${lat[$m/block]}" | grep . | median)
  ops=$(DETLITE_SPARSE=auto "$detlite" bench "$m" --runs 1 --warmup 0 --top 1000 --json | jq '[.ops_by_type[] | select(.op | endswith("(sparse)")) | .count] | add // 0')
  tfl=$(nice -n 10 "$detlite" bench "$m" --runs "$runs" --vs-tflite --json | jq ".tflite.${STAT:-min}_ms")
  echo "| $(basename "$m" .tflite) | $z | $(mib "$m") | $ops | $(printf %.2f "$d") | $(printf %.2f "$s") | $(echo "scale=2; $d / $s" | bc) | $(printf %.2f "$o") | $(echo "scale=2; $d / $o" | bc) | $(printf %.2f "$b") | $(echo "scale=2; $d / $b" | bc) | $(printf %.1f "$tfl") |"
done
