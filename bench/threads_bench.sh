#!/usr/bin/env bash
# SSD MobileNetV2 (ssd_mobilenetv2_oidv4_fp16, float, and its int8 version
# made by `convert --quantize int8 --calibration-data .deps/photos/opencv`)
# at 1 and 2 threads, for one or more detlite builds, interleaved: each round
# runs every (build, model, threads) configuration once (`bench --runs R
# --warmup 3`), and the table gives the median over rounds of the per-round
# medians, with the 2-thread speedup and the int8 / float ratio per build.
# The machine's load average is printed at the start and the end: other
# jobs on the cores move every number. With BENCH_FIFO=1 (root only) every
# run is SCHED_FIFO, so other jobs cannot take its cores mid-run; a
# 1-thread run is pinned to CPU 0 while a FIFO pause loop holds CPU 1, so
# the other core is as idle as on a quiet machine (a 2-thread run holds
# both cores itself). Caches and memory are still shared with nothing
# else then, except what the kernel lets run in its 5% RT throttling.
#   bash bench/threads_bench.sh [rounds] [runs] DETLITE [DETLITE...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-5}"
runs="${2:-30}"
shift 2 || true
builds=("$@")
[[ ${#builds[@]} -gt 0 ]] || builds=("$root/build/default/detlite")
if [[ -n "${DETLITE_DATA_DIR:-}" ]]; then
  data="$DETLITE_DATA_DIR"
elif [[ -d "$root/../shared/data" ]]; then
  data="$root/../shared/data"
else
  data="$root/../../shared/data"
fi
photos="${DETLITE_PHOTOS:-$root/.deps/photos/opencv}"
tmp="$(mktemp -d)"
holder=""
trap 'rm -rf "$tmp"; [[ -n $holder ]] && kill "$holder" 2>/dev/null; true' EXIT
float="$data/tflite/ssd_mobilenetv2_oidv4_fp16.tflite"
"${builds[-1]}" convert "$float" -o "$tmp/int8.tflite" --quantize int8 \
  --calibration-data "$photos" >/dev/null
echo "Date: $(date -u +%Y-%m-%d\ %H:%M) UTC; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
echo "$rounds rounds; each configuration: bench --runs $runs --warmup 3${BENCH_FIFO:+; BENCH_FIFO=$BENCH_FIFO}."
for ((r = 0; r < rounds; r++)); do
  for b in "${!builds[@]}"; do
    for m in float int8; do
      model="$float"; [[ $m == int8 ]] && model="$tmp/int8.tflite"
      for t in 1 2; do
        if [[ ${BENCH_FIFO:-0} == 1 && $t == 1 ]]; then
          chrt -f 10 taskset -c 1 bash -c 'while :; do :; done' & holder=$!
          ms="$(chrt -f 10 taskset -c 0 "${builds[$b]}" bench "$model" --runs "$runs" --warmup 3 \
                --threads 1 --json | jq -r .detlite.median_ms)"
          kill "$holder"; wait "$holder" 2>/dev/null || true; holder=""
        elif [[ ${BENCH_FIFO:-0} == 1 ]]; then
          ms="$(chrt -f 10 "${builds[$b]}" bench "$model" --runs "$runs" --warmup 3 --threads "$t" \
                --json | jq -r .detlite.median_ms)"
        else
          ms="$("${builds[$b]}" bench "$model" --runs "$runs" --warmup 3 --threads "$t" --json |
                jq -r .detlite.median_ms)"
        fi
        echo "$b $m $t $ms" >>"$tmp/times"
      done
    done
  done
done
median() { sort -g | awk '{v[NR]=$1} END {printf "%.2f", v[int((NR+1)/2)]}'; }
echo
echo "| build | float 1T (ms) | float 2T (ms) | float 2T speedup | int8 1T (ms) | int8 2T (ms) | int8 2T speedup | int8 / float 1T |"
echo "|---|---|---|---|---|---|---|---|"
for b in "${!builds[@]}"; do
  get() { awk -v b="$b" -v m="$1" -v t="$2" '$1 == b && $2 == m && $3 == t {print $4}' "$tmp/times" | median; }
  f1="$(get float 1)"; f2="$(get float 2)"; i1="$(get int8 1)"; i2="$(get int8 2)"
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
  echo "| ${builds[$b]} | $f1 | $f2 | $(ratio "$f1" "$f2") | $i1 | $i2 | $(ratio "$i1" "$i2") | $(ratio "$i1" "$f1") |"
done
echo
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)."
