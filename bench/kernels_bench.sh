#!/usr/bin/env bash
# Latency of detlite's interpreter (optimized kernels, 1 and 2 threads, and
# the reference kernels for scale) against the real TFLite runtime
# (tfjs-tflite WebAssembly + XNNPACK, 1 thread) on the real models, in one
# session. Prints a markdown table for docs/RESULTS.md.
#   bash bench/kernels_bench.sh [path/to/detlite] [runs]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
detlite="${1:-$root/build/default/detlite}"
runs="${2:-10}"
data="${DETLITE_DATA_DIR:-$root/../shared/data}"
models=(coco_ssd_mobilenet_v1_1.0_quant_2018_06_29 ssd_mobilenetv2_oidv4_fp16
        face_detection_short_range face_detection_full_range palm_detection_lite)
median() { jq -r "$1" | awk '{printf "%.1f", $1}'; }
echo "| model | MMACs | TFLite (ms) | detlite 1 thread (ms) | ratio | detlite 2 threads (ms) | reference kernels (ms) |"
echo "|---|---|---|---|---|---|---|"
for m in "${models[@]}"; do
  f="$data/tflite/$m.tflite"
  [[ -f "$f" ]] || continue
  one="$("$detlite" bench "$f" --runs "$runs" --vs-tflite --json)"
  two="$("$detlite" bench "$f" --runs "$runs" --threads 2 --json)"
  # The reference kernels are slow: a few runs are enough to show the scale.
  ref="$(DETLITE_REFERENCE_KERNELS=1 "$detlite" bench "$f" --runs 2 --warmup 1 --json)"
  macs="$(jq -r '.macs / 1e6 | floor' <<<"$one")"
  echo "| $m | $macs | $(median .tflite.median_ms <<<"$one") |" \
       "$(median .detlite.median_ms <<<"$one") |" \
       "$(jq -r '.median_ratio_detlite_over_tflite' <<<"$one" | awk '{printf "%.2f", $1}') |" \
       "$(median .detlite.median_ms <<<"$two") | $(median .detlite.median_ms <<<"$ref") |"
done
