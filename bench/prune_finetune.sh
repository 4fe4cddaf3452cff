#!/usr/bin/env bash
# Pruning with and without training (issue 14 item 5) on the SSDLite
# MobileNetV2 COCO, each model scored on coco_val2017_158 (never trained or
# calibrated on); training on coco_train2017_288.
#   PF_PART=unstructured (default): one-shot `convert --prune S` against
#     gradual pruning while fine-tuning with the SSD loss (`train
#     --prune-schedule S`);
#   PF_PART=channels: `convert --prune-channels R` (PF_CHANNELS, 0.3;
#     PF_RECONSTRUCT, default ls: the least-squares refit of the consumers),
#     then fine-tuned by distillation from the unpruned model (`train
#     --teacher`).
#   bash bench/prune_finetune.sh [STEPS] [BATCH] [LR] [SPARSITY] [path/to/detlite]
# PF_WORK: a directory to keep. Long (two trainings): run it under nice.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
steps="${1:-300}"
batch="${2:-8}"
lr="${3:-3e-5}"
sparsity="${4:-0.75}"
detlite="${5:-$root/build/default/detlite}"
data="${DETLITE_DATA_DIR:-$root/../shared/data}"
val="$data/datasets/coco_val2017_158"
train="$data/datasets/coco_train2017_288"
work="${PF_WORK:-$(mktemp -d)}"
echo "work dir: $work; $(date -u '+%F %H:%M UTC'); load average: $(cut -d' ' -f1-3 /proc/loadavg)"

row() {  # row NAME MODEL: AP, AP50, file size, zeros of the conv weights
  local j size
  j="$("$detlite" eval "$2" --dataset "$val" --json 2>/dev/null)"
  size=$(stat -c %s "$2")
  echo "| $1 | $(jq -r '"\(.coco.AP*1000|round/10) | \(.coco.AP50*1000|round/10)"' <<<"$j") | $(awk -v s="$size" 'BEGIN{printf "%.2f", s/1048576}') |"
}
train_run() {  # train_run IN OUT FLAGS...
  local in="$1" out="$2"
  shift 2
  /usr/bin/time -f "%e s, %M KB" -o "$out.time" "$detlite" train "$in" \
    --steps "$steps" --batch "$batch" --lr "$lr" --seed 1 --no-checkpoint --json "$@" -o "$out" \
    >"$out.json" 2>"$out.log"
  echo "trained $out: $(cat "$out.time"); pruned sparsity $(jq -r '.pruned_sparsity // "n/a"' "$out.json"); load $(cut -d' ' -f1-3 /proc/loadavg)"
}

[ -f "$work/ssdlite.tflite" ] ||
  "$detlite" convert "$data/tf/tfjs/ssdlite_mobilenet_v2_coco/model.json" -o "$work/ssdlite.tflite" >/dev/null
case "${PF_PART:-unstructured}" in
unstructured)
  [ -f "$work/oneshot.tflite" ] ||
    "$detlite" convert "$work/ssdlite.tflite" --prune "$sparsity" --calibration-data "$train/images" \
      -o "$work/oneshot.tflite" >/dev/null
  [ -f "$work/gradual.tflite" ] ||
    train_run "$work/ssdlite.tflite" "$work/gradual.tflite" --loss ssd --data "$train" --prune-schedule "$sparsity"
  echo
  echo "| SSDLite, $steps steps x $batch, lr $lr | AP | AP50 | file (MiB) |"
  echo "|---|---|---|---|"
  row "float, not pruned" "$work/ssdlite.tflite"
  row "one-shot \`convert --prune $sparsity\`" "$work/oneshot.tflite"
  row "\`train --loss ssd --prune-schedule $sparsity\`" "$work/gradual.tflite"
  ;;
channels)
  # Channel pruning, then distillation from the unpruned model on the
  # unlabelled photos (every anchor taught), against the SSD loss on labels.
  ratio="${PF_CHANNELS:-0.3}"
  reconstruct="${PF_RECONSTRUCT:-ls}"
  [ -f "$work/channels.tflite" ] ||
    "$detlite" convert "$work/ssdlite.tflite" --prune-channels "$ratio" --reconstruct "$reconstruct" \
      --calibration-data "$train/images" -o "$work/channels.tflite" >/dev/null
  [ -f "$work/channels_distilled.tflite" ] ||
    train_run "$work/channels.tflite" "$work/channels_distilled.tflite" --teacher "$work/ssdlite.tflite" \
      --data "$train/images"
  echo
  echo "| SSDLite, $steps steps x $batch, lr $lr | AP | AP50 | file (MiB) |"
  echo "|---|---|---|---|"
  row "float, not pruned" "$work/ssdlite.tflite"
  row "\`convert --prune-channels $ratio --reconstruct $reconstruct\`" "$work/channels.tflite"
  row "then \`train --teacher\` (distillation from the unpruned model)" "$work/channels_distilled.tflite"
  ;;
esac
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
