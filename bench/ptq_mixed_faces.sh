#!/usr/bin/env bash
# Accuracy-bounded mixed precision on BlazeFace (issue 16): does
# `--max-accuracy-drop 1.0 --accuracy-metric APl` bring int8 within 1.0 APl of
# float on large faces? widerface_val200_416 is the only labelled face set,
# so it is split: the even-indexed 100 photos choose the ops kept float
# (--eval-data), the odd-indexed 100 report (never seen by the search). The
# whole 200 are shown too, marked, since the report half has only 13 large
# faces (one face ~ 0.8 APl there). Calibration: 100 photos of
# coco_train2017_288, as in bench/ptq_techniques.sh.
#   bash bench/ptq_mixed_faces.sh [path/to/detlite] [max drop, default 1.0]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
detlite="${1:-$root/build/default/detlite}"
drop="${2:-1.0}"
data="${DETLITE_DATA_DIR:-$root/../shared/data}"
cal="$data/datasets/coco_train2017_288/images"
faces="$data/datasets/widerface_val200_416"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for half in sel:0 rep:1; do
  name="${half%%:*}" parity="${half##*:}"
  mkdir -p "$work/$name"
  ln -s "$faces/images" "$work/$name/images"
  jq --argjson p "$parity" '
    (.images | to_entries | map(select(.key % 2 == $p) | .value)) as $imgs
    | ($imgs | map(.id)) as $ids
    | .images = $imgs
    | .annotations |= map(select(.image_id as $i | $ids | index($i)))' \
    "$faces/instances_face.json" >"$work/$name/instances_face.json"
done
apl() { "$detlite" eval "$1" --dataset "$2" --json | jq -r '.coco.APl*1000|round/10'; }
ms() { "$detlite" bench "$1" --runs 30 --warmup 3 --json | jq -r '.detlite.median_ms*100|round/100'; }
echo "Date: $(date -u +%Y-%m-%d\ %H:%M) UTC; load average $(cut -d' ' -f1-3 /proc/loadavg); max drop $drop APl."
echo
echo "| model | APl report half (100 photos) | APl all 200 (includes the selection half) | ops kept float | size (MB) | detlite 1 thread (ms) |"
echo "|---|---|---|---|---|---|"
for kind in short full; do
  f="$work/${kind}_float.tflite"
  "$detlite" convert "$data/tflite/face_detection_${kind}_range.tflite" -o "$f" \
    --add-postprocess --anchors "blazeface-$kind" --score-threshold 0.01 >/dev/null 2>&1
  q=(--quantize int8 --calibration-data "$cal" --calibration-size 100 --preset signed)
  "$detlite" convert "$f" "${q[@]}" -o "$work/${kind}_int8.tflite" >/dev/null 2>&1
  "$detlite" convert "$f" "${q[@]}" --max-accuracy-drop "$drop" --accuracy-metric APl \
    --eval-data "$work/sel/instances_face.json" -o "$work/${kind}_mixed.tflite" \
    >"$work/${kind}_mixed.log" 2>&1 || { echo "mixed precision failed:"; tail -3 "$work/${kind}_mixed.log"; }
  kept="$(grep -c -i 'keep-float' "$work/${kind}_mixed.log" || true)"
  for m in float int8 mixed; do
    file="$work/${kind}_$m.tflite"
    [[ -f $file ]] || continue
    k=""; [[ $m == mixed ]] && k="see log"
    echo "| BlazeFace $kind $m | $(apl "$file" "$work/rep/instances_face.json") | $(apl "$file" "$faces/instances_face.json") | ${k} | $(stat -c %s "$file" | awk '{printf "%.2f", $1/1048576}') | $(ms "$file") |"
  done
  echo
  echo "BlazeFace $kind mixed-precision search (stderr of convert):"
  echo '```'
  grep -v '^\s*$' "$work/${kind}_mixed.log" | tail -40
  echo '```'
  echo
done
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)."
