#!/usr/bin/env bash
# Builds the fuzz preset (clang, libFuzzer, ASan+UBSan) and runs every fuzz
# target for SECONDS (default 60) each, then prints per target: executions,
# exec/s, coverage (edges, features), findings (crash/leak/timeout/oom
# files) and slow units (inputs over 10 s, kept apart: on a loaded machine
# they measure the load as much as the input).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      # all targets when none named
#   FUZZ_JOBS=2 scripts/fuzz.sh 300             # two targets at a time
#
# New corpus entries go to build/fuzz/tests/fuzz/corpus/<target>/ (the seeds
# in tests/fuzz/corpus/<target>/ are only read), findings to
# build/fuzz/tests/fuzz/findings/<target>/, logs to .../logs/<target>.log.
# Reproduce a finding: build/fuzz/tests/fuzz/<target> <file>.
# Exit status 1 when any target has a finding.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-60}"
shift || true
JOBS="${FUZZ_JOBS:-1}"
[[ -f /work/wt/ccache.env ]] && source /work/wt/ccache.env
cmake --preset fuzz >/dev/null
DIR=build/fuzz/tests/fuzz
mapfile -t LINES < "$DIR/fuzz_targets.txt"
# Only the fuzz targets (and the library), not the CLI.
cmake --build --preset fuzz -j 2 --target $(printf '%s\n' "${LINES[@]}" | cut -d' ' -f1)
mkdir -p "$DIR/logs" "$DIR/findings"
selected=()
for line in "${LINES[@]}"; do
  [[ -z "$line" ]] && continue
  name="${line%% *}"
  if [[ $# -eq 0 ]] || [[ " $* " == *" $name "* ]]; then selected+=("$line"); fi
done

run_one() {
  local line="$1" secs="$2" dir="$3"
  read -r name max_len seeds <<< "$line"
  mkdir -p "$dir/corpus/$name" "$dir/findings/$name"
  # shellcheck disable=SC2086
  "$dir/$name" -max_total_time="$secs" -max_len="$max_len" -rss_limit_mb=4096 -timeout=60 \
      -print_final_stats=1 -artifact_prefix="$dir/findings/$name/" \
      "$dir/corpus/$name" $seeds > "$dir/logs/$name.log" 2>&1 || true
}
export -f run_one
printf '%s\n' "${selected[@]}" |
  xargs -d '\n' -P "$JOBS" -I{} bash -c 'run_one "$1" "$2" "$3"' _ {} "$SECONDS_PER_TARGET" "$DIR"

status=0
printf '%-24s %8s %12s %9s %8s %9s %9s %5s\n' target seconds executions exec/s cov features findings slow
for line in "${selected[@]}"; do
  name="${line%% *}"
  log="$DIR/logs/$name.log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  findings=$(find "$DIR/findings/$name" -type f \( -name 'crash-*' -o -name 'leak-*' -o \
      -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  slow=$(find "$DIR/findings/$name" -type f -name 'slow-unit-*' | wc -l)
  printf '%-24s %8s %12s %9s %8s %9s %9s %5s\n' "$name" "$SECONDS_PER_TARGET" "${execs:-?}" \
      "${rate:-?}" "${cov:-?}" "${ft:-?}" "$findings" "$slow"
  find "$DIR/findings/$name" -type f | sed 's/^/    /'
  [[ "$findings" -gt 0 ]] && status=1
done
exit $status
