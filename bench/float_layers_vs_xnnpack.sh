#!/usr/bin/env bash
# Builds bench/float_layers_vs_xnnpack.cc against this checkout's libdetlite.a
# and Debian's libXNNPACK (apt-get install libxnnpack-dev libpthreadpool-dev: the
# header includes pthreadpool.h), then prints the
# per-layer table for the active ISA and, if DETLITE_ISA allows, for avx2.
#   bash bench/float_layers_vs_xnnpack.sh [rounds]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${DETLITE_BUILD_DIR:-$root/build/default}"
out="$build/float_layers_vs_xnnpack"
c++ -O2 -std=c++20 -I"$root/src" -I"$root/include" \
  "$root/bench/float_layers_vs_xnnpack.cc" "$build/libdetlite.a" -lXNNPACK -lpthread -o "$out"
"$out" "${1:-15}"
DETLITE_ISA=avx2 "$out" "${1:-15}"
