#!/usr/bin/env bash
# Quantization-aware training of the SSDLite MobileNetV2 COCO (issue 13):
# converts the TF.js model to float, quantizes it with plain PTQ (the
# baseline), runs `detlite train --qat` on coco_train2017_288 (distillation,
# no labels), and evaluates float, PTQ int8 and QAT int8 on coco_val2017_158
# (never trained or calibrated on). Prints the numbers for docs/TRAINING.md.
# QAT_LOSS=ssd trains on the labelled coco_train2017_288 with the SSD loss
# instead (`--qat --loss ssd`; its first 100 photos calibrate).
#   QAT_FLAGS="--range-momentum 0" bash bench/qat.sh [STEPS] [BATCH] [LR] [path/to/detlite]
# QAT_FLAGS: more `detlite train` flags; QAT_WORK: a directory to keep
# (and reuse: the float and PTQ files are made once).
# Needs the default build and ../shared/data (DETLITE_DATA_DIR overrides).
# Long: run it under `nice -n 10` on a shared machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
steps="${1:-100}"
batch="${2:-8}"
lr="${3:-1e-5}"
detlite="${4:-$root/build/default/detlite}"
data="${DETLITE_DATA_DIR:-$root/../shared/data}"
val="$data/datasets/coco_val2017_158"
train="$data/datasets/coco_train2017_288/images"
work="${QAT_WORK:-$(mktemp -d)}"
loss="${QAT_LOSS:-distill}"
qat_data="$train"
[ "$loss" = ssd ] && qat_data="$data/datasets/coco_train2017_288"
echo "work dir: $work; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

ap() {  # ap MODEL: "AP AP50" in percent from detlite eval --json
  "$detlite" eval "$1" --dataset "$val" --json 2>/dev/null |
    jq -r '"\(.coco.AP*1000|round/10) \(.coco.AP50*1000|round/10)"'
}

[ -f "$work/ssdlite.tflite" ] ||
  "$detlite" convert "$data/tf/tfjs/ssdlite_mobilenet_v2_coco/model.json" -o "$work/ssdlite.tflite" >/dev/null
[ -f "$work/ssdlite_ptq.tflite" ] ||
  "$detlite" convert "$work/ssdlite.tflite" --quantize int8 --calibration-data "$train" \
    --calibration-size 100 -o "$work/ssdlite_ptq.tflite" >/dev/null
/usr/bin/time -v -o "$work/time.txt" "$detlite" train "$work/ssdlite.tflite" --qat --loss "$loss" --data "$qat_data" \
  --steps "$steps" --batch "$batch" --lr "$lr" --seed 1 ${QAT_FLAGS:-} -o "$work/ssdlite_qat.tflite" \
  --no-checkpoint 2> "$work/train.log"
tail -3 "$work/train.log"
echo "wall: $(grep 'Elapsed (wall' "$work/time.txt" | awk '{print $NF}'), peak RSS: $(grep 'Maximum resident' "$work/time.txt" | awk '{print $NF}') KB"
echo "load average after training: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "float AP AP50: $(ap "$work/ssdlite.tflite")"
echo "PTQ int8 AP AP50: $(ap "$work/ssdlite_ptq.tflite")"
echo "QAT int8 ($loss loss) AP AP50: $(ap "$work/ssdlite_qat.tflite")"
