#!/usr/bin/env bash
# Float fine-tuning of the SSDLite MobileNetV2 COCO with the Object Detection
# API's SSD loss (issue 13, goal 3): converts the TF.js model to float, runs
# `detlite train --loss ssd` on coco_train2017_288 (its labels), and
# evaluates the float model before and after on coco_val2017_158 (never
# trained on). The goal: AP after >= AP before - 0.5. Prints the numbers and
# the loss curve (mean per tenth of the run) for docs/TRAINING.md.
#   FT_FLAGS="--augment none" bash bench/finetune_ssd.sh [STEPS] [BATCH] [LR] [path/to/detlite]
# FT_FLAGS: more `detlite train` flags; FT_WORK: a directory to keep (the
# float file is made once).
# Needs the default build, jq and ../shared/data (DETLITE_DATA_DIR overrides).
# Long: run it under `nice -n 10` on a shared machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
steps="${1:-200}"
batch="${2:-8}"
lr="${3:-1e-5}"
detlite="${4:-$root/build/default/detlite}"
data="${DETLITE_DATA_DIR:-$root/../shared/data}"
val="$data/datasets/coco_val2017_158"
train="$data/datasets/coco_train2017_288"
work="${FT_WORK:-$(mktemp -d)}"
echo "work dir: $work; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

ap() {  # ap MODEL: "AP AP50" in percent from detlite eval --json
  "$detlite" eval "$1" --dataset "$val" --json 2>/dev/null |
    jq -r '"\(.coco.AP*1000|round/10) \(.coco.AP50*1000|round/10)"'
}

[ -f "$work/ssdlite.tflite" ] ||
  "$detlite" convert "$data/tf/tfjs/ssdlite_mobilenet_v2_coco/model.json" -o "$work/ssdlite.tflite" >/dev/null
/usr/bin/time -v -o "$work/time.txt" "$detlite" train "$work/ssdlite.tflite" --loss ssd --data "$train" \
  --steps "$steps" --batch "$batch" --lr "$lr" --seed 1 ${FT_FLAGS:-} --json \
  -o "$work/ssdlite_ft.tflite" > "$work/train.json" 2> "$work/train.log"
tail -2 "$work/train.log"
echo "labels: $(jq -r .labels "$work/train.json")"
echo "loss (box + class) per tenth of the run:"
jq -r '.loss_per_step as $l | ($l|length) as $n | [range(0;10)] |
  map(. as $k | $l[($k*$n/10|floor):(($k+1)*$n/10|floor)] |
      ((map(.box+.class)|add)/length*1000|round/1000)) | map(tostring) | join("  ")' "$work/train.json"
echo "wall: $(grep 'Elapsed (wall' "$work/time.txt" | awk '{print $NF}'), peak RSS: $(grep 'Maximum resident' "$work/time.txt" | awk '{print $NF}') KB"
echo "load average after training: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "float AP AP50 before: $(ap "$work/ssdlite.tflite")"
echo "float AP AP50 after:  $(ap "$work/ssdlite_ft.tflite")"
