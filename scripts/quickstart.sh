#!/usr/bin/env bash
# Sets up, builds, and runs detlite's main job on a bundled default: a real
# face detector from the npm registry (MediaPipe BlazeFace, made by Google's
# TFLite converter) on a real photo from a Debian package (scikit-image's
# astronaut.png).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh" default
detlite="$root/build/default/detlite"
model="$root/.deps/npm/node_modules/@mediapipe/face_detection/face_detection_short_range.tflite"
photo="$root/.deps/photos/astronaut.png"
out="$root/out/quickstart"
mkdir -p "$out"
echo "== detlite inspect $(basename "$model")"
"$detlite" inspect "$model"
echo "== detlite run $(basename "$model") --input $(basename "$photo")"
"$detlite" run "$model" --input "$photo" --output-dir "$out"
echo "== outputs written to $out"
