#!/usr/bin/env bash
# The table issue 14 asks for, from one run on one machine: SSDLite
# MobileNetV2 COCO pruned each way -> zeros / channels removed, file size,
# MACs, detlite latency, the real TFLite runtime's latency, AP on
# coco_val2017_158 (never calibrated or trained on; sensitivity on photos of
# coco_train2017_288).
#   bash bench/prune_table.sh [path/to/detlite] > /tmp/prune_table.md
# Latency: ROUNDS (default 5) rounds; each round times every model once in
# turn (`detlite bench --runs RUNS --vs-tflite`, RUNS default 10, 1 thread),
# so all see the same machine; the table gives the fastest run over all
# rounds (the least disturbed; medians beside) and speedups of those
# against the unpruned row. EXTRA="label=path ..." adds rows for models
# made elsewhere (e.g. a long fine-tuning run). WORK keeps the models.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
detlite="${1:-$root/build/default/detlite}"
data="${DETLITE_DATA_DIR:-$root/../shared/data}"
cal="$data/datasets/coco_train2017_288/images"
val="$data/datasets/coco_val2017_158"
src="$data/tf/tfjs/ssdlite_mobilenet_v2_coco/model.json"
rounds="${ROUNDS:-5}"
runs="${RUNS:-10}"
work="${WORK:-$(mktemp -d)}"
mkdir -p "$work"
echo "work dir: $work; start $(date -u '+%F %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

labels=()
files=()
add() {  # add LABEL FILE [convert flags...]: converts FILE from the unpruned model if missing
  local label="$1" file="$work/$2"
  shift 2
  if [ ! -f "$file" ]; then
    local t0=$SECONDS
    "$detlite" convert "$work/base.tflite" -o "$file" "$@" --calibration-data "$cal" 2>"$file.log"
    echo "$label: converted in $((SECONDS - t0)) s" >&2
  fi
  labels+=("$label")
  files+=("$file")
}
[ -f "$work/base.tflite" ] || "$detlite" convert "$src" -o "$work/base.tflite" 2>/dev/null
labels+=("float, not pruned")
files+=("$work/base.tflite")
add "\`--prune 0.75\`" p75.tflite --prune 0.75
add "\`--prune 0.75 --block 4x1\`" b75.tflite --prune 0.75 --block 4x1
add "\`--prune 0.75 --block 4x1 --prune-allocate macs\`" b75m.tflite --prune 0.75 --block 4x1 \
  --prune-allocate macs
for r in 0.1 0.2 0.3; do add "\`--prune-channels $r\`" c$r.tflite --prune-channels "$r"; done
for e in ${EXTRA:-}; do
  labels+=("${e%%=*}")
  files+=("${e#*=}")
done

n=${#files[@]}
declare -a dmin dmed tmin tmed
for k in $(seq 1 "$rounds"); do
  for i in $(seq 0 $((n - 1))); do
    j=$("$detlite" bench "${files[$i]}" --runs "$runs" --warmup 3 --vs-tflite --json 2>/dev/null)
    d=$(jq .detlite.min_ms <<<"$j"); t=$(jq .tflite.min_ms <<<"$j")
    dm=$(jq .detlite.median_ms <<<"$j"); tm=$(jq .tflite.median_ms <<<"$j")
    if [ -z "${dmin[$i]:-}" ] || (( $(echo "$d < ${dmin[$i]}" | bc) )); then dmin[$i]=$d; fi
    if [ -z "${tmin[$i]:-}" ] || (( $(echo "$t < ${tmin[$i]}" | bc) )); then tmin[$i]=$t; fi
    dmed[$i]="${dmed[$i]:-} $dm"; tmed[$i]="${tmed[$i]:-} $tm"
  done
  echo "round $k of $rounds done, load average $(cut -d' ' -f1 /proc/loadavg)" >&2
done
ms() { printf "%.2f ms" "$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", a / b}'; }
mib() { awk -v s="$(stat -c %s "$1")" 'BEGIN{printf "%.2f", s / 1048576}'; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END{printf "%.2f", (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }

echo "| SSDLite MobileNetV2 COCO | weights zero | MACs skippable | channels removed | file (MiB) | MACs | detlite fastest (median) | speedup | TFLite fastest (median) | speedup | AP | AP50 |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for i in $(seq 0 $((n - 1))); do
  f="${files[$i]}"
  info=$("$detlite" inspect "$f" --json)
  zeros=$(jq -r '.sparsity | "\(.zero_weights / .weights * 1000 | round / 10)% | \(.skippable_macs / .macs * 1000 | round / 10)%"' <<<"$info")
  removed="-"
  [ -f "$f.log" ] && removed=$(grep -o 'removed [0-9]* of [0-9]*' "$f.log" | sed 's/removed //' || echo "-")
  ap=$("$detlite" eval "$f" --dataset "$val" --json 2>/dev/null | jq -r '"\(.coco.AP*1000|round/10) | \(.coco.AP50*1000|round/10)"')
  macs=$(jq -r '.macs' <<<"$info")
  echo "| ${labels[$i]} | $zeros | ${removed:--} | $(mib "$f") | $((macs / 1000000)) M |" \
    "$(ms "${dmin[$i]}") ($(echo "${dmed[$i]}" | median)) | $(ratio "${dmin[0]}" "${dmin[$i]}") |" \
    "$(ms "${tmin[$i]}") ($(echo "${tmed[$i]}" | median)) | $(ratio "${tmin[0]}" "${tmin[$i]}") | $ap |"
done
echo
echo "Produced by \`bash bench/prune_table.sh\` (ROUNDS=$rounds RUNS=$runs), $(date -u '+%Y-%m-%d %H:%M UTC'),"
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
