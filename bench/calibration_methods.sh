#!/usr/bin/env bash
# Which calibration method keeps each detector's accuracy (issue 16): the
# default int8 (equalization + bias correction) with every --calibration-method
# that suits detectors, on BlazeFace short / full (APl on widerface_val200_416),
# the SSDLite (AP on coco_val2017_158) and YOLO11n re-quantized from its
# dequantized int8 export (AP, coco_val2017_158). Calibration: 100 photos of
# coco_train2017_288, never the accuracy sets.
#   bash bench/calibration_methods.sh [path/to/detlite] > calibration_methods.md
# Needs the default build, ../shared/data (DETLITE_DATA_DIR overrides) and the
# SSDLite TF.js model there. About 25 minutes on 2 cores (YOLO is most of it);
# SKIP_YOLO=1 leaves YOLO out.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
detlite="${1:-$root/build/default/detlite}"
data="${DETLITE_DATA_DIR:-$root/../shared/data}"
cal="$data/datasets/coco_train2017_288/images"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# score FILE DATASET KEY: "KEY / AP50" in percent from eval --json.
score() {
  "$detlite" eval "$1" --dataset "$2" --json 2>/dev/null |
    jq -r --arg k "$3" '"\(.coco[$k]*1000|round/10) / \(.coco.AP50*1000|round/10)"'
}

"$detlite" convert "$data/tflite/face_detection_short_range.tflite" -o "$work/short.tflite" \
  --add-postprocess --anchors blazeface-short --score-threshold 0.01 >/dev/null
"$detlite" convert "$data/tflite/face_detection_full_range.tflite" -o "$work/full.tflite" \
  --add-postprocess --anchors blazeface-full --score-threshold 0.01 >/dev/null
"$detlite" convert "$data/tf/tfjs/ssdlite_mobilenet_v2_coco/model.json" -o "$work/ssdlite.tflite" >/dev/null
models=(short full ssdlite)
if [ -z "${SKIP_YOLO:-}" ]; then
  "$detlite" convert "$data/tflite/yolo11n_integer_quant.tflite" --dequantize -o "$work/yolo.tflite" >/dev/null
  models+=(yolo)
fi
declare -A dataset=([short]=widerface_val200_416 [full]=widerface_val200_416
                    [ssdlite]=coco_val2017_158 [yolo]=coco_val2017_158)
declare -A key=([short]=APl [full]=APl [ssdlite]=AP [yolo]=AP)
declare -A preset=([short]=signed [full]=signed [ssdlite]=auto [yolo]=unit)
declare -A name=([short]="BlazeFace short, APl / AP50" [full]="BlazeFace full, APl / AP50"
                 [ssdlite]="SSDLite, AP / AP50" [yolo]="YOLO11n, AP / AP50")
methods=("float" "mse" "minmax" "moving-average" "percentile --percentile 99.99"
         "percentile --percentile 99.9")

echo "| model | $(printf '%s | ' "${methods[@]}" | sed 's/percentile --percentile /percentile /g')"
echo "|---|$(printf -- '---|%.0s' "${methods[@]}")"
for m in "${models[@]}"; do
  line="| ${name[$m]} |"
  for method in "${methods[@]}"; do
    file="$work/$m.tflite"
    if [ "$method" != float ]; then
      file="$work/q.tflite"
      # shellcheck disable=SC2086
      if ! "$detlite" convert "$work/$m.tflite" -o "$file" --quantize int8 --calibration-data "$cal" \
          --calibration-size 100 --preset "${preset[$m]}" --calibration-method $method \
          >"$work/log" 2>&1; then
        line="$line failed |"
        continue
      fi
    fi
    line="$line $(score "$file" "$data/datasets/${dataset[$m]}" "${key[$m]}") |"
  done
  echo "$line"
done
