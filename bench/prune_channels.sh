#!/usr/bin/env bash
# Channel pruning of the SSDLite MobileNetV2 COCO (issue 14 item 3), the
# table of docs/PRUNING.md "Channel pruning":
#   bash bench/prune_channels.sh [path/to/detlite] > /tmp/prune_channels.md
# For each ratio (RATIOS, default "0.1 0.2 0.3"): convert with
# --prune-channels RATIO (sensitivity and channel means on 8 photos of
# coco_train2017_288), then file size, MACs, detlite latency and the real
# TFLite runtime's latency (`detlite bench --vs-tflite`, 1 thread, median
# of RUNS runs, default 30), and AP on coco_val2017_158 (`detlite eval`).
# The 1-minute load average is printed beside every latency: the machine
# is shared, so latencies are upper bounds.
# RECONSTRUCTS="none ls ls-sequential" converts each ratio once per
# --reconstruct mode (default: just the default, ls); REFIT_AWARE=1 adds a
# row per ratio with --refit-aware-ranking (docs/PRUNING.md "Least-squares
# reconstruction"); the convert time is printed per row to stderr.
# MULTIPLES="1 4 8" adds rows for --channel-multiple at the last ratio;
# INT8=1 int8 rows; INTERLEAVE=N alternating timings, CPU=N CPU time per
# inference (see below).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
detlite="${1:-$root/build/default/detlite}"
data="${DETLITE_DATA_DIR:-$root/../shared/data}"
cal="$data/datasets/coco_train2017_288/images"
val="$data/datasets/coco_val2017_158"
src="$data/tf/tfjs/ssdlite_mobilenet_v2_coco/model.json"
runs="${RUNS:-30}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mib() { echo "scale=2; $(stat -c %s "$1") / 1048576" | bc; }
load() { cut -d' ' -f1 /proc/loadavg; }

"$detlite" convert "$src" -o "$work/base.tflite" 2>/dev/null
base_json=$(nice -n 10 "$detlite" bench "$work/base.tflite" --runs "$runs" --warmup 5 --vs-tflite --json 2>/dev/null)
base_load=$(load)
base_d=$(echo "$base_json" | jq .detlite.median_ms)
base_t=$(echo "$base_json" | jq .tflite.median_ms)

# row LABEL MODEL LOG: one table row.
row() {
  local json l ap
  json=$(nice -n 10 "$detlite" bench "$2" --runs "$runs" --warmup 5 --vs-tflite --json 2>/dev/null)
  l=$(load)
  ap=$(nice -n 10 "$detlite" eval "$2" --dataset "$val" --json 2>/dev/null | jq -r '"\(.coco.AP*1000|round/10) | \(.coco.AP50*1000|round/10)"')
  local removed="-"
  [ -n "$3" ] && removed=$(grep -o 'removed [0-9]* of [0-9]*' "$3" | sed 's/removed //')
  echo "$json" | jq -r --arg n "$1" --arg r "$removed" --arg s "$(mib "$2")" --arg l "$l" --arg ap "$ap" \
    --argjson bd "$base_d" --argjson bt "$base_t" \
    '"| \($n) | \($r) | \($s) | \(.macs/1e6|round) M | \(.detlite.median_ms*10|round/10) ms (\($bd/.detlite.median_ms*100|round/100)x) | \(.tflite.median_ms*10|round/10) ms (\($bt/.tflite.median_ms*100|round/100)x) | \($l) | \($ap) |"'
}

echo "| SSDLite MobileNetV2 | channels removed | file (MiB) | MACs | detlite | TFLite | load | AP | AP50 |"
echo "|---|---|---|---|---|---|---|---|---|"
echo "$base_json" | jq -r --arg s "$(mib "$work/base.tflite")" --arg l "$base_load" \
  --arg ap "$(nice -n 10 "$detlite" eval "$work/base.tflite" --dataset "$val" --json 2>/dev/null | jq -r '"\(.coco.AP*1000|round/10) | \(.coco.AP50*1000|round/10)"')" \
  '"| float, not pruned | 0 | \($s) | \(.macs/1e6|round) M | \(.detlite.median_ms*10|round/10) ms | \(.tflite.median_ms*10|round/10) ms | \($l) | \($ap) |"'
last=""
# convert_row LABEL FILE FLAGS...: convert with FLAGS, then its table row.
convert_row() {
  local label="$1" out="$2" t0
  shift 2
  t0=$(date +%s)
  nice -n 10 "$detlite" convert "$src" -o "$out" "$@" --calibration-data "$cal" 2>"$out.log"
  echo "$label: convert $(( $(date +%s) - t0 )) s; $(grep -o 'least-squares.*' "$out.log" || echo 'no refit')" >&2
  row "$label" "$out" "$out.log"
}
for r in ${RATIOS:-0.1 0.2 0.3}; do
  for rc in ${RECONSTRUCTS:-ls}; do
    convert_row "--prune-channels $r --reconstruct $rc" "$work/p$r.$rc.tflite" --prune-channels "$r" --reconstruct "$rc"
    # The file the later rows (interleaved timings) use: the last mode's.
    cp "$work/p$r.$rc.tflite" "$work/p$r.tflite"
  done
  if [ -n "${REFIT_AWARE:-}" ]; then
    convert_row "--prune-channels $r --refit-aware-ranking" "$work/p$r.aware.tflite" --prune-channels "$r" \
      --refit-aware-ranking
  fi
  last="$r"
done
for m in ${MULTIPLES:-}; do
  nice -n 10 "$detlite" convert "$src" -o "$work/m$m.tflite" --prune-channels "$last" \
    --channel-multiple "$m" --calibration-data "$cal" 2>"$work/logm.$m"
  row "--prune-channels $last --channel-multiple $m" "$work/m$m.tflite" "$work/logm.$m"
done
if [ -n "${INT8:-}" ]; then
  nice -n 10 "$detlite" convert "$src" -o "$work/int8.tflite" --quantize int8 --calibration-data "$cal" 2>/dev/null
  row "int8, not pruned" "$work/int8.tflite" ""
  nice -n 10 "$detlite" convert "$src" -o "$work/p$last.int8.tflite" --prune-channels "$last" \
    --quantize int8 --calibration-data "$cal" 2>"$work/logq"
  row "--prune-channels $last --quantize int8" "$work/p$last.int8.tflite" "$work/logq"
fi
# INTERLEAVE=N: time the unpruned and the last ratio's file alternately, N
# rounds, so both see the same load (one row per round; median / min of the
# runs, speedup of the minimums, the least disturbed by other work).
if [ -n "${INTERLEAVE:-}" ]; then
  echo
  echo "| round | unpruned detlite median / min | pruned $last detlite | speedup (min) | unpruned TFLite | pruned $last TFLite | speedup (min) | load |"
  echo "|---|---|---|---|---|---|---|---|"
  for k in $(seq 1 "$INTERLEAVE"); do
    a=$(nice -n 10 "$detlite" bench "$work/base.tflite" --runs "$runs" --warmup 5 --vs-tflite --json 2>/dev/null)
    b=$(nice -n 10 "$detlite" bench "$work/p$last.tflite" --runs "$runs" --warmup 5 --vs-tflite --json 2>/dev/null)
    jq -rn --argjson a "$a" --argjson b "$b" --arg k "$k" --arg l "$(load)" \
      'def ms(x): "\(x.median_ms*10|round/10) / \(x.min_ms*10|round/10) ms";
       "| \($k) | \(ms($a.detlite)) | \(ms($b.detlite)) | \($a.detlite.min_ms/$b.detlite.min_ms*100|round/100)x | \(ms($a.tflite)) | \(ms($b.tflite)) | \($a.tflite.min_ms/$b.tflite.min_ms*100|round/100)x | \($l) |"'
  done
fi
# CPU=N: CPU time (user+sys) per inference, which other work on the cores
# disturbs far less than wall time: the process is timed at 110 and at 10
# runs and the difference divided by 100 (start-up and loading cancel);
# detlite through `bench`, TFLite through the node runner bench uses.
# N alternating rounds of unpruned and pruned.
if [ -n "${CPU:-}" ]; then
  python3 -c "import array,sys; a=array.array('f',[((i*7919)%255)/127.5-1 for i in range(300*300*3)]); sys.stdout.buffer.write(a.tobytes())" > "$work/in.bin"
  runner="$root/tests/oracle/run_tflite.mjs"
  cpu() { /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | tail -1 | awk '{print $1 + $2}'; }
  per() {  # per KIND MODEL: ms of CPU per inference
    local hi lo
    if [ "$1" = detlite ]; then
      hi=$(cpu nice -n 10 "$detlite" bench "$2" --runs 110 --warmup 0)
      lo=$(cpu nice -n 10 "$detlite" bench "$2" --runs 10 --warmup 0)
    else
      hi=$(cpu nice -n 10 node "$runner" --model "$2" --out "$work/o" --runs 110 --warmup 0 "$work/in.bin")
      lo=$(cpu nice -n 10 node "$runner" --model "$2" --out "$work/o" --runs 10 --warmup 0 "$work/in.bin")
    fi
    echo "scale=1; ($hi - $lo) * 10" | bc
  }
  echo
  echo "| round | detlite CPU ms, unpruned | pruned $last | speedup | TFLite CPU ms, unpruned | pruned $last | speedup | load |"
  echo "|---|---|---|---|---|---|---|---|"
  for k in $(seq 1 "$CPU"); do
    da=$(per detlite "$work/base.tflite"); db=$(per detlite "$work/p$last.tflite")
    ta=$(per tflite "$work/base.tflite"); tb=$(per tflite "$work/p$last.tflite")
    echo "| $k | $da | $db | $(echo "scale=2; $da / $db" | bc)x | $ta | $tb | $(echo "scale=2; $ta / $tb" | bc)x | $(load) |"
  done
fi
echo
echo "Produced by \`bash bench/prune_channels.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores shared with other work;"
echo "latencies: median of $runs runs at 1 thread, speedups against the unpruned float row)."
