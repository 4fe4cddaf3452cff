#!/usr/bin/env bash
# Sparse storage and magnitude pruning (issue 14 items 1-2), the tables of
# docs/PRUNING.md:
#   bash bench/pruning.sh [path/to/detlite] > /tmp/pruning.md
# 1. File size of the sparse BlazeFace in each --quantize mode; with
#    DENSE_DETLITE=path/to/an/older/detlite (one that writes weights dense,
#    e.g. a build of main before issue 14) also the dense size.
# 2. BlazeFace full range pruned at several sparsities (sensitivity on 8
#    photos of coco_train2017_288), float and int8, APl on
#    widerface_val200_416.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
detlite="${1:-$root/build/default/detlite}"
dense_detlite="${DENSE_DETLITE:-}"
data="${DETLITE_DATA_DIR:-$root/../shared/data}"
cal="$data/datasets/coco_train2017_288/images"
faces="$data/datasets/widerface_val200_416"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sparse="$data/tflite/face_detection_full_range_sparse.tflite"
mib() { echo "scale=3; $(stat -c %s "$1") / 1048576" | bc; }

echo "| mode | sparse tensors | file (MiB) | dense file (MiB) |"
echo "|---|---|---|---|"
echo "| source file | 46 | $(mib "$sparse") | |"
for mode in none float16 dynamic int8 int16x8; do
  flags=()
  [ "$mode" != none ] && flags=(--quantize "$mode" --calibration-data "$cal" --calibration-size 16 --preset signed)
  "$detlite" convert "$sparse" -o "$work/$mode.tflite" "${flags[@]}" 2>/dev/null
  n=$("$detlite" inspect "$work/$mode.tflite" --json | jq '[.constant_sparsity[] | select(.stored_sparse)] | length')
  dense=""
  if [ -n "$dense_detlite" ]; then
    "$dense_detlite" convert "$sparse" -o "$work/$mode.dense.tflite" "${flags[@]}" 2>/dev/null
    dense=$(mib "$work/$mode.dense.tflite")
  fi
  echo "| $mode | $n | $(mib "$work/$mode.tflite") | $dense |"
done
echo

# row NAME MODEL: one accuracy row from eval --json.
row() {
  local json
  json=$("$detlite" eval "$2" --dataset "$faces" --json 2>/dev/null)
  local zeros
  zeros=$("$detlite" inspect "$2" --json | jq '.sparsity | "\(.zero_weights*1000/.weights|round/10)% of \(.weights), skippable MACs \(.skippable_macs*1000/.macs|round/10)%"' -r)
  echo "$json" | jq -r --arg n "$1" --arg z "$zeros" --arg b "$(mib "$2")" \
    '"| \($n) | \($z) | \($b) | \(.coco.AP50*1000|round/10) | \(.coco.APl*1000|round/10) |"'
}
echo "| BlazeFace full range | conv weights zero | file (MiB) | AP50 | APl |"
echo "|---|---|---|---|---|"
src="$data/tflite/face_detection_full_range.tflite"
post=(--add-postprocess --anchors blazeface-full --score-threshold 0.01)
"$detlite" convert "$src" -o "$work/face.tflite" "${post[@]}" 2>/dev/null
row "float16 (as published)" "$work/face.tflite"
for s in ${SPARSITIES:-0.5 0.75 0.9}; do
  "$detlite" convert "$src" -o "$work/face.$s.tflite" "${post[@]}" --prune "$s" \
    --calibration-data "$cal" --preset signed 2>"$work/log.$s"
  row "pruned $s, float16" "$work/face.$s.tflite"
  "$detlite" convert "$src" -o "$work/face.$s.int8.tflite" "${post[@]}" --prune "$s" \
    --calibration-data "$cal" --preset signed --quantize int8 2>/dev/null
  row "pruned $s, int8" "$work/face.$s.int8.tflite"
done
"$detlite" convert "$src" -o "$work/face.int8.tflite" "${post[@]}" --quantize int8 \
  --calibration-data "$cal" --preset signed 2>/dev/null
row "int8, not pruned" "$work/face.int8.tflite"
