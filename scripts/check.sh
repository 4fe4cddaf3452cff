#!/usr/bin/env bash
# Builds the asan preset (GCC, -O1 -g, AddressSanitizer + UndefinedBehavior
# Sanitizer, -fno-sanitize-recover=all: the first report fails the test) and
# runs the default suite under it (every test but label 'long'; tests that
# run the CLI run the ASan build of it). Leaks are findings too:
# ASAN_OPTIONS (from the asan test preset) keeps detect_leaks=1.
# Extra arguments go to ctest, e.g. scripts/check.sh -R Npy.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
[[ -f /work/wt/ccache.env ]] && source /work/wt/ccache.env
cmake --preset asan >/dev/null
cmake --build --preset asan -j "${CHECK_BUILD_JOBS:-2}"
start=$(date +%s)
status=0
ctest --preset asan "$@" || status=$?
echo "check.sh: ctest --preset asan took $(( $(date +%s) - start )) s"
exit $status
