#!/usr/bin/env bash
# Installs what the tests need, builds, and runs the default test suite
# (everything but tests labelled 'long'). Extra arguments go to ctest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh" default
cd "$root"
ctest --preset default "$@"
