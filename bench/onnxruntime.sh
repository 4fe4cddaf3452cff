#!/usr/bin/env bash
# detlite against ONNX Runtime (onnxruntime-node, CPU) and the real TFLite
# runtime (tfjs-tflite WebAssembly + XNNPACK) on every float model in
# the shared data's tflite/ (a model ONNX export refuses, e.g. a quantized one, is
# listed as skipped), 1 thread each, same deterministic input. Each round is
# one `detlite bench --vs-onnxruntime --vs-tflite` (detlite and ONNX Runtime
# alternate run by run, TFLite follows in the same round); the table gives
# the median over the rounds of each round's median. Prints the machine
# (CPU model, SIMD flags), the date and a markdown table for docs/RESULTS.md.
# With BENCH_FIFO=1 (root only) each round runs SCHED_FIFO pinned to CPU 0
# while a FIFO busy loop holds CPU 1, so other jobs on a shared machine
# cannot take the core mid-run (bench/threads_bench.sh explains it).
#   bash bench/onnxruntime.sh [path/to/detlite] [rounds] [runs per round]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
detlite="${1:-$root/build/default/detlite}"
rounds="${2:-10}"
runs="${3:-10}"
# The shared data: $DETLITE_DATA_DIR, else beside the repository (/work/main
# -> /work/shared), else two levels up (a worktree such as /work/wt/NAME).
if [[ -n "${DETLITE_DATA_DIR:-}" ]]; then
  data="$DETLITE_DATA_DIR"
elif [[ -d "$root/../shared/data" ]]; then
  data="$root/../shared/data"
else
  data="$root/../../shared/data"
fi
[[ -d "$data/tflite" ]] || { echo "no $data/tflite; set DETLITE_DATA_DIR" >&2; exit 1; }
tmp="$(mktemp -d)"
holder=""
trap 'rm -rf "$tmp"; [[ -n $holder ]] && kill "$holder" 2>/dev/null; true' EXIT
run=()
if [[ ${BENCH_FIFO:-0} == 1 ]]; then
  chrt -f 10 taskset -c 1 bash -c 'while :; do :; done' & holder=$!
  run=(chrt -f 10 taskset -c 0)
fi

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
flags="$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' |
         grep -E '^(avx2|fma|avx512f|avx512bw|avx512vl|avx512_vnni|avx_vnni|avx512_bf16)$' | tr '\n' ' ')"
ort="$(jq -r .version "$root/.deps/npm/node_modules/onnxruntime-node/package.json" 2>/dev/null || echo '?')"
echo "Machine: $cpu, $(nproc) cores; SIMD flags: ${flags% }. Date: $(date -u +%Y-%m-%d\ %H:%M) UTC."
echo "Load average at start (other jobs share the cores): $(cut -d' ' -f1-3 /proc/loadavg)."
echo "ONNX Runtime $ort (onnxruntime-node, CPU), TFLite 2.12 WebAssembly (tfjs-tflite, SIMD);"
echo "1 thread each; $rounds rounds of $runs runs (3 warmup); median of the per-round medians${BENCH_FIFO:+; BENCH_FIFO=$BENCH_FIFO}."
echo
echo "| model | MMACs | detlite (ms) | ONNX Runtime (ms) | TFLite wasm (ms) | detlite / ORT | detlite / TFLite |"
echo "|---|---|---|---|---|---|---|"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2fx", a / b; else printf "-"}'; }
median() { sort -g | awk '{v[NR]=$1} END {printf "%.2f", v[int((NR+1)/2)]}'; }
for f in "$data"/tflite/*.tflite; do
  m="$(basename "$f" .tflite)"
  if ! err="$("$detlite" convert "$f" -o "$tmp/$m.onnx" 2>&1 >/dev/null)"; then
    echo "| $m | skipped: ${err##*: } | | | | | |"
    continue
  fi
  : >"$tmp/rounds.jsonl"
  for ((r = 0; r < rounds; r++)); do
    "${run[@]}" "$detlite" bench "$f" --runs "$runs" --warmup 3 --top 0 --vs-onnxruntime --vs-tflite --json |
      jq -c . >>"$tmp/rounds.jsonl"
  done
  d="$(jq -r .detlite.median_ms "$tmp/rounds.jsonl" | median)"
  o="$(jq -r .onnxruntime.median_ms "$tmp/rounds.jsonl" | median)"
  t="$(jq -r .tflite.median_ms "$tmp/rounds.jsonl" | median)"
  macs="$(jq -rs '.[0].macs / 1e6 | floor' "$tmp/rounds.jsonl")"
  echo "| $m | $macs | $d | $o | $t | $(ratio "$d" "$o") | $(ratio "$d" "$t") |"
done
echo
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)."
