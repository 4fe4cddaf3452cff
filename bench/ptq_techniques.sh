#!/usr/bin/env bash
# What each post-training quantization technique buys, per model (issue 16):
# float, plain int8, then equalization, bias correction and AdaRound alone and
# combined. int8 calibrates on 100 photos of coco_train2017_288 (never the
# accuracy set); SSDLite is scored on coco_val2017_158, BlazeFace on
# widerface_val200_416 (APl: faces of at least 96x96 pixels).
#   bash bench/ptq_techniques.sh [path/to/detlite] > docs/PTQ_TECHNIQUES.md
# Needs the default build and ../shared/data (DETLITE_DATA_DIR overrides).
# Takes about 20 minutes on 2 cores; PTQ_SKIP_SSDLITE=1 leaves out the
# SSDLite section (most of the time: its AdaRound rows), PTQ_SKIP_FACES=1
# the BlazeFace sections.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
detlite="${1:-$root/build/default/detlite}"
data="${DETLITE_DATA_DIR:-$root/../shared/data}"
val="$data/datasets/coco_val2017_158"
cal="$data/datasets/coco_train2017_288/images"
faces="$data/datasets/widerface_val200_416"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
t0=$(date +%s)

# row MODEL_NAME FLAGS FILE DATASET CONVERT_SECONDS: one table row from eval --json.
row() {
  local name="$1" flags="$2" model="$3" dataset="$4" secs="$5" json
  if ! json=$("$detlite" eval "$model" --dataset "$dataset" --json 2>"$work/err"); then
    printf '| %s | %s | eval failed: %s ||||||\n' "$name" "$flags" "$(tail -1 "$work/err" | cut -c1-100)"
    return
  fi
  echo "$json" | jq -r --arg n "$name" --arg f "$flags" --arg s "$secs" --arg b "$(stat -c %s "$model")" \
    '"| \($n) | \($f) | \(.coco.AP*1000|round/10) | \(.coco.AP50*1000|round/10) | \(.coco.AP75*1000|round/10) | \(.coco.APl*1000|round/10) | \($b|tonumber/1048576*100|round/100) MB | \($s) |"'
}

# technique NAME FLOAT_FILE DATASET FLAGS [extra convert flags...]
technique() {
  local name="$1" float="$2" dataset="$3" flags="$4"; shift 4
  local out="$work/q.tflite" start secs
  start=$(date +%s.%N)
  # shellcheck disable=SC2086
  if ! "$detlite" convert "$float" --quantize int8 --calibration-data "$cal" \
      --calibration-size 100 $flags "$@" -o "$out" >"$work/convert.log" 2>&1; then
    printf '| %s | `%s` | convert failed: %s ||||||\n' "$name" "$flags" "$(tail -1 "$work/convert.log" | cut -c1-100)"
    return
  fi
  secs=$(printf '%.0f s' "$(echo "$(date +%s.%N) - $start" | bc)")
  row "$name" "\`${flags:-(none)}\`" "$out" "$dataset" "$secs"
}

# Every technique is spelled out: equalization and bias correction are on by
# default (include/detlite/settings.h), so the first row turns both off.
combos=(
  "--equalize none --bias-correction none"
  "--equalize skip-relu6 --bias-correction none"
  "--equalize none --bias-correction empirical"
  "--equalize skip-relu6 --bias-correction empirical"
  "--equalize none --bias-correction none --weight-rounding adaround"
  "--equalize none --weight-rounding adaround --bias-correction empirical"
  "--equalize skip-relu6 --weight-rounding adaround --bias-correction empirical"
)

echo "# What each PTQ technique buys"
echo
echo "Produced by \`bash bench/ptq_techniques.sh > docs/PTQ_TECHNIQUES.md\` on $(date -u +%Y-%m-%d)"
echo "($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; other work may"
echo "have shared the cores, so conversion times are upper bounds). Every int8 row:"
echo "\`detlite convert FLOAT --quantize int8 --calibration-data coco_train2017_288/images"
echo "--calibration-size 100 FLAGS\` (mse calibration, the default), then \`detlite eval\`."
echo "AP in percent; APl = objects of at least 96x96 pixels."
echo
if [ "${PTQ_SKIP_SSDLITE:-0}" != 1 ]; then
echo "## SSDLite MobileNetV2 COCO on coco_val2017_158"
echo
echo "| model | FLAGS | AP | AP50 | AP75 | APl | size | convert time |"
echo "|---|---|---|---|---|---|---|---|"
"$detlite" convert "$data/tf/tfjs/ssdlite_mobilenet_v2_coco/model.json" -o "$work/ssdlite.tflite" \
  >"$work/convert.log" 2>&1
row "SSDLite float" "" "$work/ssdlite.tflite" "$val" ""
for flags in "${combos[@]}"; do
  technique "SSDLite int8" "$work/ssdlite.tflite" "$val" "$flags"
done
technique "SSDLite int8" "$work/ssdlite.tflite" "$val" "--strict-integer"
fi

faces_kinds="short full"
[ "${PTQ_SKIP_FACES:-0}" = 1 ] && faces_kinds=""
for kind in $faces_kinds; do
  echo
  echo "## BlazeFace $kind range on widerface_val200_416"
  echo
  echo "| model | FLAGS | AP | AP50 | AP75 | APl | size | convert time |"
  echo "|---|---|---|---|---|---|---|---|"
  "$detlite" convert "$data/tflite/face_detection_${kind}_range.tflite" -o "$work/face.tflite" \
    --add-postprocess --anchors "blazeface-$kind" --score-threshold 0.01 >"$work/convert.log" 2>&1
  row "BlazeFace $kind float" "" "$work/face.tflite" "$faces" ""
  for flags in "${combos[@]}"; do
    technique "BlazeFace $kind int8" "$work/face.tflite" "$faces" "$flags" --preset signed
  done
done
echo
echo "All of the above took $(( $(date +%s) - t0 )) s."
