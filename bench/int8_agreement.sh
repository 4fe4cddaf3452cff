#!/usr/bin/env bash
# How much of a float detector's output survives int8 quantization, per
# calibration method: the float model's detections (score >= 0.3) on held-back
# photos are the ground truth, and the int8 model's detections are scored
# against them with detlite's COCO evaluator (AP50 = the share of float
# detections int8 keeps at IoU 0.5, weighted by ranking).
#   bash bench/int8_agreement.sh [path/to/detlite] [oidv4|face]
#   (METHODS="minmax mse" to run a subset; MORE_HELD_BACK=1, see below)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
detlite="${1:-$root/build/default/detlite}"
which="${2:-oidv4}"
data="${DETLITE_DATA_DIR:-$root/../shared/data}"
deps="$root/.deps"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
held_back='cats_and_dogs.jpg|multi_objects.jpg|face.jpg|sergey.png|pets.jpg|owl.jpg|parrot.jpg|grace_hopper.bmp|kite_and_cold.jpg|image1.jpg|image2.jpg|burger.jpg|cat.bmp'
mkdir -p "$work/cal"
# MORE_HELD_BACK=1 moves four photos of people from calibration to the
# held-back set (more faces to score BlazeFace on).
more=()
if [[ "${MORE_HELD_BACK:-0}" == 1 ]]; then
  more=("$deps/photos/opencv/messi5.jpg" "$deps/photos/opencv/basketball1.png"
        "$deps/photos/opencv/basketball2.png" "$deps/photos/astronaut.png")
fi
n=0
for f in "$deps"/photos/opencv/* "$deps"/photos/*.png "$deps"/photos/*.jpg \
         $(find "$data"/images/ducky "$data"/datasets/coco_mini/images "$data"/datasets/voc_mini/images \
             -type f \( -name '*.jpg' -o -name '*.png' \) | sort); do
  [[ -f "$f" ]] || continue
  [[ " ${more[*]} " == *" $f "* ]] && continue
  n=$((n + 1)); ln -s "$f" "$work/cal/$(printf '%03d' "$n")_$(basename "$f")"
done
held=("${more[@]}")
for f in "$data"/images/*; do
  [[ -f "$f" && "$(basename "$f")" =~ ^($held_back)$ ]] && held+=("$f")
done
case "$which" in
  oidv4) "$detlite" convert "$data/tflite/ssd_mobilenetv2_oidv4_fp16.tflite" -o "$work/float.tflite" \
           --add-postprocess --anchors ssd --num-layers 6 --min-scale 0.2 --max-scale 0.95 2>/dev/null ;;
  face)  "$detlite" convert "$data/tflite/face_detection_short_range.tflite" -o "$work/float.tflite" \
           --add-postprocess --anchors blazeface-short 2>/dev/null ;;
  *) echo "unknown model $which" >&2; exit 2 ;;
esac
"$detlite" detect "$work/float.tflite" "${held[@]}" --score-threshold 0.3 --json > "$work/float.json"
/usr/bin/python3 - "$work/float.json" "$work/gt.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
cats = sorted({x["category_id"] for x in d["detections"]})
gt = {"images": [{"id": i["id"], "file_name": i["file_name"]} for i in d["images"]],
      "categories": [{"id": c, "name": str(c)} for c in cats], "annotations": []}
for k, x in enumerate(d["detections"], 1):
    gt["annotations"].append({"id": k, "image_id": x["image_id"], "category_id": x["category_id"],
                              "bbox": x["bbox"], "area": x["bbox"][2] * x["bbox"][3], "iscrowd": 0})
json.dump(gt, open(sys.argv[2], "w"))
print(f"float: {len(gt['annotations'])} detections >= 0.3 on {len(gt['images'])} held-back photos",
      file=sys.stderr)
PY
echo "| model | method | calibration photos | float detections | int8 AP50 vs float | int8 AP vs float | convert s |"
echo "|---|---|---|---|---|---|---|"
for method in ${METHODS:-minmax moving-average percentile mse kl}; do
  start=$(date +%s.%N)
  "$detlite" convert "$work/float.tflite" -o "$work/int8.tflite" --quantize int8 \
    --calibration-data "$work/cal" --calibration-size 100 --calibration-method "$method" 2>/dev/null
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  "$detlite" detect "$work/int8.tflite" "${held[@]}" --score-threshold 0.05 --json |
    jq '.detections' > "$work/int8.json"
  "$detlite" eval --detections "$work/int8.json" --dataset "$work/gt.json" --json > "$work/score.json"
  printf '| %s | %s | %d | %s | %.3f | %.3f | %.1f |\n' "$which" "$method" "$(( n < 100 ? n : 100 ))" \
    "$(jq '.ground_truth' "$work/score.json")" "$(jq '.coco.AP50' "$work/score.json")" \
    "$(jq '.coco.AP' "$work/score.json")" "$secs"
done
