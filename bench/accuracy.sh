#!/usr/bin/env bash
# Accuracy of every COCO detector in ../shared/data on coco_val2017_158 (the
# accuracy set, never calibrated on), and of BlazeFace on
# widerface_val200_416; int8 calibrates on coco_train2017_288 only.
#   bash bench/accuracy.sh [path/to/detlite] > docs/ACCURACY.md
# Needs the default build and ../shared/data (DETLITE_DATA_DIR overrides).
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

# row NAME MODEL DATASET PUBLISHED [eval flags...]: one table row from eval --json.
row() {
  local name="$1" model="$2" dataset="$3" published="$4"; shift 4
  local json secs
  local start=$(date +%s.%N)
  if ! json=$("$detlite" eval "$model" --dataset "$dataset" --json "$@" 2>"$work/err"); then
    printf '| %s | failed: %s |||||||| \n' "$name" "$(tail -1 "$work/err" | cut -c1-120)"
    return
  fi
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  echo "$json" | jq -r --arg n "$name" --arg p "$published" --arg s "$(printf %.0f "$secs")" \
    --arg b "$(stat -c %s "$model")" \
    '"| \($n) | \(.coco.AP*1000|round/10) | \(.coco.AP50*1000|round/10) | \(.coco.AP75*1000|round/10) | \(.coco.APs*1000|round/10) | \(.coco.APm*1000|round/10) | \(.coco.APl*1000|round/10) | \($p) | \($b|tonumber/1048576*10|round/10) MB | \($s) s |"'
}

convert() {  # convert OUT ARGS...: quiet unless it fails
  local out="$1"; shift
  "$detlite" convert "$@" -o "$out" >"$work/convert.log" 2>&1 || {
    echo "convert $* failed: $(tail -1 "$work/convert.log")" >&2; return 1; }
}

echo "# Accuracy on real photos"
echo
echo "Produced by \`bash bench/accuracy.sh > docs/ACCURACY.md\` on $(date -u +%Y-%m-%d)"
echo "($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores)."
echo "COCO rows: \`detlite eval\` on coco_val2017_158 (158 val2017 photos, 1,424 boxes);"
echo "AP numbers in percent, pycocotools' definitions. int8 models calibrate on"
echo "coco_train2017_288 (\`--calibration-data\`, 100 photos), never on the accuracy set."
echo "Published figures are on all of val2017 (5,000 photos), so they are a guide, not"
echo "a target: 158 photos move AP by a few points either way."
echo
echo "| model | AP | AP50 | AP75 | APs | APm | APl | published AP | size | eval time |"
echo "|---|---|---|---|---|---|---|---|---|---|"

tfjs="$data/tf/tfjs/ssdlite_mobilenet_v2_coco/model.json"
if convert "$work/ssdlite.tflite" "$tfjs"; then
  row "SSDLite MobileNetV2 float (from TF.js, no flags)" "$work/ssdlite.tflite" "$val" "22.0 (zoo)"
  for mode in float16 dynamic; do
    convert "$work/ssdlite.$mode.tflite" "$work/ssdlite.tflite" --quantize $mode &&
      row "SSDLite $mode" "$work/ssdlite.$mode.tflite" "$val" ""
  done
  for method in mse minmax percentile moving-average; do
    convert "$work/ssdlite.int8.$method.tflite" "$work/ssdlite.tflite" --quantize int8 \
        --calibration-data "$cal" --calibration-method $method &&
      row "SSDLite int8, $method calibration$([[ $method == mse ]] && echo ' (default)')" \
        "$work/ssdlite.int8.$method.tflite" "$val" ""
  done
fi
row "Coral SSD MobileNetV2 uint8 (Coral labels)" \
  "$data/tflite/mobilenet_ssd_v2_coco_quant_postprocess.tflite" "$val" "22 (Coral, mAP)" \
  --labels "$data/tflite/mobilenet_ssd_v2_coco_labels.txt"
row "SSD MobileNetV1 quant (zoo)" "$data/tflite/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite" \
  "$val" "18 (zoo)" --labels "$data/tflite/coco_ssd_mobilenet_v1_labelmap.txt"
row "YOLO11n int8, float I/O (Ultralytics)" "$data/tflite/yolo11n_integer_quant.tflite" "$val" \
  "39.5 (float)"
row "YOLO11n int8, int8 I/O (Ultralytics)" "$data/tflite/yolo11n_full_integer_quant.tflite" "$val" \
  "39.5 (float)"

echo
echo "## Faces: BlazeFace on widerface_val200_416"
echo
echo "200 WIDER FACE val photos, 4,372 faces. Nearly all WIDER faces are far below what"
echo "a 128x128 (short range) or 192x192 (full range) input can see: a 1024-pixel-wide"
echo "photo shrinks 8x (short) or 5.3x (full), so a 40-pixel face becomes 5 pixels."
echo "The column to read is therefore **APl**: COCO's large area, faces of at least"
echo "96x96 pixels in the photo (12 pixels or more in the 128 input), the size the"
echo "detector is built for; AP50 over all faces is shown for completeness."
echo "Post-processing: \`--add-postprocess --anchors blazeface-short|full\`, score"
echo "threshold 0.01 so AP sees the whole ranking. int8 calibrates on coco_train2017_288."
echo
echo "| model | AP | AP50 | AP75 | APs | APm | APl | published | size | eval time |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for kind in short full; do
  src="$data/tflite/face_detection_${kind}_range.tflite"
  convert "$work/face_$kind.tflite" "$src" --add-postprocess --anchors blazeface-$kind \
    --score-threshold 0.01 || continue
  row "BlazeFace $kind range float" "$work/face_$kind.tflite" "$faces" ""
  convert "$work/face_$kind.int8.tflite" "$work/face_$kind.tflite" --quantize int8 \
      --calibration-data "$cal" --preset signed &&
    row "BlazeFace $kind range int8" "$work/face_$kind.int8.tflite" "$faces" ""
done
cat <<'NOTES'

## Reading the table

- The SSDLite is the Object Detection API's float SSDLite MobileNetV2 COCO as a
  TF.js graph model (older model.json format), converted by `detlite convert
  model.json -o ssdlite.tflite` with no flags. The int8 rows use the default
  techniques (`--equalize skip-relu6 --bias-correction empirical`); each
  technique alone, AdaRound, and the BlazeFace study are in
  [PTQ_TECHNIQUES.md](PTQ_TECHNIQUES.md); calibration methods on more models
  in [QUANTIZATION.md](QUANTIZATION.md).
- Agreement with the real TFLite runtime is checked by tests, not here:
  tests/e2e/ssdlite_tfjs_test.cc (converted SSDLite, 8 photos, same classes and
  counts, boxes within 1e-5) and tests/e2e/yolo_interpreter_test.cc (both
  YOLO11n files, 0 LSB on every output value).
- YOLO11n: raw [1,84,8400] output decoded by detlite (letterbox, class-aware
  NMS at IoU 0.7, multi-label candidates at 0.001, as Ultralytics validates).
  Both files are int8 inside, so they score the same; Ultralytics' 39.5 is for
  the float model on all of val2017.
- Eval time is wall time of `detlite eval` on this machine, including image
  decoding; it is an upper bound if other work shared the cores.
NOTES
echo
echo "All of the above took $(( $(date +%s) - t0 )) s."
