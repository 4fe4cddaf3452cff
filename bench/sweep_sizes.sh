#!/usr/bin/env bash
# The trade-off explorer's goal benchmark (issue 15): the SSDLite MobileNetV2
# COCO TF.js model at 224, 256, 300 and 320 pixels x {float32, float16,
# dynamic, int8} = 16 trials, evaluated on all of coco_val2017_158, int8
# calibrated on 100 photos of coco_train2017_288 (never the eval set).
#   bash bench/sweep_sizes.sh [path/to/detlite] [OUT_DIR]
# Runs niced (the machine is shared); prints the wall time and a markdown
# table (AP, AP50, latency, size, Pareto flags) for docs/SWEEP.md; the report
# is OUT_DIR/report.html. The plan is docs/sweep/ssdlite_sizes.json with its
# data paths pointed at ../shared/data (DETLITE_DATA_DIR overrides).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
detlite="${1:-$root/build/default/detlite}"
out="${2:-$root/out/sweep_sizes}"
data="$(cd "${DETLITE_DATA_DIR:-$root/../shared/data}" && pwd)"
mkdir -p "$out"
jq --arg d "$data" '
  .models[].path |= sub("^(\\.\\./)+shared/data"; $d) |
  .eval.dataset |= sub("^(\\.\\./)+shared/data"; $d) |
  .calibration.data |= sub("^(\\.\\./)+shared/data"; $d)' \
  "$root/docs/sweep/ssdlite_sizes.json" > "$out/plan.json"
start=$(date +%s.%N)
nice -n 10 "$detlite" sweep "$out/plan.json" -o "$out" --json > "$out/summary.json"
wall=$(echo "$(date +%s.%N) - $start" | bc)
printf 'wall %.1f s (%s, nproc %s, load before/after: %s)\n' "$wall" "$(date -u +%FT%TZ)" \
  "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
echo '| size | quantization | MB | AP | AP50 | median ms | min ms | convert s | eval s | Pareto (latency) | Pareto (size) |'
echo '|---|---|---|---|---|---|---|---|---|---|---|'
jq -r '. as $s | .results[] | select(.status == "ok") |
  "| \(.input_size) | \(.quantization) | \(.file_bytes/1e6*1000|round/1000) | \(.coco.AP*1000|round/10) | \(.coco.AP50*1000|round/10) | \(.timing.latency_ms*100|round/100) | \(.timing.latency_min_ms*100|round/100) | \(.timing.convert_seconds*10|round/10) | \(.timing.eval_seconds*10|round/10) | \(if ([.trial] | inside($s.pareto_latency)) then "yes" else "" end) | \(if ([.trial] | inside($s.pareto_size)) then "yes" else "" end) |"' \
  "$out/summary.json"
jq -r '.results[] | select(.status != "ok") | "failed: \(.input_size) \(.quantization): \(.error)"' "$out/summary.json"
