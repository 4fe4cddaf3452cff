#!/usr/bin/env bash
# Conversion-time benchmark of full-integer quantization: converts
# ssd_mobilenetv2_oidv4_fp16 to int8 with 100 real calibration photos
# (OpenCV, scikit-image and TensorFlow sample photos; the photos the
# accuracy tests hold back are left out) and prints the wall time.
#   bash bench/quantize_ssd_int8.sh [path/to/detlite] [method]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
detlite="${1:-$root/build/default/detlite}"
method="${2:-mse}"
data="${DETLITE_DATA_DIR:-$root/../shared/data}"
deps="$root/.deps"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/cal"
held_back='cats_and_dogs.jpg|multi_objects.jpg|face.jpg|sergey.png|pets.jpg|owl.jpg|parrot.jpg'
n=0
while IFS= read -r f; do
  base="$(basename "$f")"
  if [[ "$base" =~ ^($held_back)$ ]]; then continue; fi
  n=$((n + 1))
  ln -s "$f" "$work/cal/$(printf '%03d' "$n")_$base"
done < <( { ls "$deps"/photos/opencv/* "$deps"/photos/*.png "$deps"/photos/*.jpg;
            ls "$data"/images/*.jpg "$data"/images/*.png "$data"/images/*.bmp;
            find "$data"/images/ducky "$data"/datasets/coco_mini/images "$data"/datasets/voc_mini/images \
              -type f \( -name '*.jpg' -o -name '*.png' \) | sort; } 2>/dev/null )
echo "calibration photos available: $n (using up to 100)" >&2
start=$(date +%s.%N)
"$detlite" convert "$data/tflite/ssd_mobilenetv2_oidv4_fp16.tflite" -o "$work/ssd_int8.tflite" \
  --quantize int8 --calibration-data "$work/cal" --calibration-size 100 \
  --calibration-method "$method" --preset signed
end=$(date +%s.%N)
printf 'quantize ssd_mobilenetv2_oidv4_fp16 int8 (%s, %d photos): %.1f s wall, %s bytes\n' \
  "$method" "$(( n < 100 ? n : 100 ))" "$(echo "$end - $start" | bc)" "$(stat -c %s "$work/ssd_int8.tflite")"
