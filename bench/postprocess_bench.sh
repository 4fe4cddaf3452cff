#!/usr/bin/env bash
# TFLite_Detection_PostProcess alone on real SSDLite head outputs: the
# reference kernel (DETLITE_REFERENCE_KERNELS=1, which is what detlite ran
# before the optimized kernel) against the optimized one, fast and regular
# NMS, on each model given (float inputs from `convert --quantize int8`,
# uint8 inputs from `--strict-integer`). Also checks that both kernels give
# the same output bytes on every photo. Prints a markdown table.
#   bash bench/postprocess_bench.sh RUNS MODEL.tflite...
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${DETLITE_BUILD_DIR:-$root/build/default}"
data="${DETLITE_DATA_DIR:-$root/../shared/data}"
out="$build/postprocess_bench"
runs="$1"
shift
c++ -O2 -std=c++20 -I"$root/src" -I"$root/include" -I"$build/gen" \
  "$root/bench/postprocess_bench.cc" "$build/libdetlite.a" "$build/libdetlite_protos.a" \
  -lflatbuffers -lstb -ljpeg -lpng -lz -lpugixml -lprotobuf -lpthread -o "$out"
photos=()
for p in cats_and_dogs.jpg kite_and_cold.jpg multi_objects.jpg pets.jpg burger.jpg owl.jpg; do
  photos+=("$data/images/$p")
done
mean() { sed -n 's/^mean of medians: \([0-9.]*\) us.*/\1/p'; }
echo "| model | NMS | reference (us) | optimized (us) | speed-up | same outputs |"
echo "|---|---|---|---|---|---|"
for m in "$@"; do
  for mode in fast regular; do
    flag=()
    [[ "$mode" == regular ]] && flag=(--regular)
    ref="$(DETLITE_REFERENCE_KERNELS=1 "$out" "$m" "$runs" "${flag[@]}" "${photos[@]}")"
    opt="$("$out" "$m" "$runs" "${flag[@]}" "${photos[@]}")"
    same=yes
    [[ "$(grep -o 'outputs [0-9a-f]*' <<<"$ref")" == "$(grep -o 'outputs [0-9a-f]*' <<<"$opt")" ]] || same=NO
    r="$(mean <<<"$ref")"
    o="$(mean <<<"$opt")"
    echo "| $(basename "$m") | $mode | $r | $o | $(awk -v a="$r" -v b="$o" 'BEGIN{printf "%.1fx", a/b}') | $same |"
  done
done
echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $runs runs, ${#photos[@]} photos, mean of per-photo medians"
