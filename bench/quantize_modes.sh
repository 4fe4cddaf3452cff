#!/usr/bin/env bash
# File size and conversion time of every quantization mode on every float
# detector in ../shared/data/tflite, and detlite's latency on each result
# (median of 20 runs, 1 thread) next to the real TFLite runtime's.
# int8 calibrates on 8 photos of people (face and palm models) or 8 OpenCV
# sample photos (SSD), none of them a photo the accuracy tests hold back.
#   bash bench/quantize_modes.sh [path/to/detlite]   -> a markdown table on stdout
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
detlite="${1:-$root/build/default/detlite}"
data="${DETLITE_DATA_DIR:-$root/../shared/data}"
deps="$root/.deps"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/people" "$work/objects"
for f in "$deps/photos/astronaut.png" "$deps/photos/opencv/messi5.jpg" \
         "$deps/photos/opencv/basketball1.png" "$deps/photos/opencv/basketball2.png" \
         "$data/images/grace_hopper.bmp" "$data/images/sergey.png" \
         "$data/images/kite_and_cold.jpg" "$deps/photos/motorcycle_left.png"; do
  ln -s "$f" "$work/people/$(basename "$f")"
done
ls "$deps"/photos/opencv/* | sort | head -8 | while read -r f; do ln -s "$f" "$work/objects/"; done

echo "| model | mode | size (bytes) | convert (s) | detlite median (ms) | TFLite median (ms) |"
echo "|---|---|---|---|---|---|"
for m in ssd_mobilenetv2_oidv4_fp16 face_detection_short_range face_detection_full_range \
         face_detection_full_range_sparse palm_detection_lite; do
  src="$data/tflite/$m.tflite"
  preset=signed; cal="$work/people"
  [[ $m == palm* ]] && preset=unit
  [[ $m == ssd* ]] && cal="$work/objects"
  for mode in original float16 dynamic int8; do
    out="$work/$m.$mode.tflite"
    secs=0
    if [[ $mode == original ]]; then
      cp "$src" "$out"
    else
      extra=()
      [[ $mode == int8 ]] && extra=(--calibration-data "$cal" --preset "$preset")
      start=$(date +%s.%N)
      "$detlite" convert "$src" -o "$out" --quantize "$mode" "${extra[@]}" 2>/dev/null
      secs=$(echo "$(date +%s.%N) - $start" | bc)
    fi
    json=$("$detlite" bench "$out" --runs 20 --warmup 3 --threads 1 --vs-tflite --json 2>/dev/null)
    ours=$(echo "$json" | jq -r '.detlite.median_ms // empty')
    theirs=$(echo "$json" | jq -r '.tflite.median_ms // empty')
    printf '| %s | %s | %s | %.1f | %s | %s |\n' "$m" "$mode" "$(stat -c %s "$out")" "$secs" \
      "${ours:-?}" "${theirs:-?}"
  done
done
