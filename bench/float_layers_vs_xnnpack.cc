// Per-layer float latency, 1 thread: detlite's own microkernels
// (kernels/optimized/igemm_f32.h, dwconv_f32.h) against XNNPACK (Debian
// libxnnpack-dev, the library TFLite itself delegates float convolutions to)
// on the layer shapes of SSD MobileNetV2 300. Both get the same random
// input and weights, are timed interleaved (one run of each per round) and
// reported as the median over the rounds; their outputs are compared.
// Built and run by bench/float_layers_vs_xnnpack.sh; not part of the build,
// so XNNPACK is not a dependency of detlite.
#include <xnnpack.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "kernels/optimized/cpu.h"
#include "kernels/optimized/dwconv_f32.h"
#include "kernels/optimized/igemm_f32.h"

namespace opt = detlite::kernels::optimized;

namespace {

struct Layer {
  const char* name;
  int in_h, in_w, in_c, out_c, k, stride;
  bool depthwise;
};

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <typename Fn>
double TimeMs(Fn&& fn) {
  const auto s = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - s).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 15;
  if (xnn_initialize(nullptr) != xnn_status_success) {
    std::fprintf(stderr, "xnn_initialize failed\n");
    return 1;
  }
  const Layer layers[] = {
      {"conv 3x3 s2 300x300x3->32", 300, 300, 3, 32, 3, 2, false},
      {"dw 3x3 s1 150x150x32", 150, 150, 32, 32, 3, 1, true},
      {"conv 1x1 150x150x32->16", 150, 150, 32, 16, 1, 1, false},
      {"conv 1x1 150x150x16->96", 150, 150, 16, 96, 1, 1, false},
      {"dw 3x3 s2 150x150x96", 150, 150, 96, 96, 3, 2, true},
      {"conv 1x1 75x75x24->144", 75, 75, 24, 144, 1, 1, false},
      {"dw 3x3 s1 75x75x144", 75, 75, 144, 144, 3, 1, true},
      {"conv 1x1 75x75x144->24", 75, 75, 144, 24, 1, 1, false},
      {"conv 1x1 19x19x96->576", 19, 19, 96, 576, 1, 1, false},
      {"dw 3x3 s1 19x19x576", 19, 19, 576, 576, 3, 1, true},
      {"conv 1x1 19x19x576->96", 19, 19, 576, 96, 1, 1, false},
      {"conv 1x1 10x10x320->1280", 10, 10, 320, 1280, 1, 1, false},
      {"conv 3x3 s2 10x10x256->512", 10, 10, 256, 512, 3, 2, false},
  };
  const opt::Isa isa = opt::ActiveIsa();
  std::printf("detlite kernels: %s; %d rounds, median; 1 thread\n",
              opt::IsaName(isa), rounds);
  std::printf("| layer | MMACs | XNNPACK (ms) | XNNPACK GFLOP/s | detlite (ms) | detlite GFLOP/s | detlite / XNNPACK | max diff / range |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  double total_x = 0, total_d = 0;
  for (const Layer& L : layers) {
    const int out_h = (L.in_h + L.stride - 1) / L.stride;
    const int out_w = (L.in_w + L.stride - 1) / L.stride;
    // TensorFlow SAME padding: the odd pixel goes after.
    const int pad_total_h = std::max((out_h - 1) * L.stride + L.k - L.in_h, 0);
    const int pad_total_w = std::max((out_w - 1) * L.stride + L.k - L.in_w, 0);
    const int pad_top = pad_total_h / 2, pad_left = pad_total_w / 2;
    std::vector<float> input(size_t(L.in_h) * L.in_w * L.in_c);
    const size_t wsize = L.depthwise ? size_t(L.k) * L.k * L.out_c
                                     : size_t(L.out_c) * L.k * L.k * L.in_c;
    std::vector<float> weights(wsize), bias(L.out_c);
    for (float& x : input) x = u(rng);
    for (float& x : weights) x = u(rng) * 0.2f;
    for (float& x : bias) x = u(rng);
    const size_t out_size = size_t(out_h) * out_w * L.out_c;
    std::vector<float> out_x(out_size), out_d(out_size);
    const float lo = 0.0f, hi = 6.0f;

    xnn_operator_t op = nullptr;
    xnn_status st = xnn_create_convolution2d_nhwc_f32(
        pad_top, pad_total_w - pad_left, pad_total_h - pad_top, pad_left, L.k,
        L.k, L.stride, L.stride, 1, 1, L.depthwise ? L.in_c : 1,
        L.depthwise ? 1 : L.in_c, L.depthwise ? 1 : L.out_c, L.in_c, L.out_c,
        weights.data(), bias.data(), lo, hi,
        L.depthwise ? XNN_FLAG_DEPTHWISE_CONVOLUTION : 0, &op);
    if (st == xnn_status_success) {
      st = xnn_setup_convolution2d_nhwc_f32(op, 1, L.in_h, L.in_w, input.data(),
                                            out_x.data(), nullptr);
    }
    if (st != xnn_status_success) {
      std::fprintf(stderr, "%s: XNNPACK status %d\n", L.name, int(st));
      return 1;
    }
    detlite::kernels::ConvGeometry g;
    g.in_h = L.in_h;
    g.in_w = L.in_w;
    g.in_c = L.in_c;
    g.out_c = L.out_c;
    g.out_h = out_h;
    g.out_w = out_w;
    g.filter_h = g.filter_w = L.k;
    g.stride_h = g.stride_w = L.stride;
    g.pad_h = pad_top;
    g.pad_w = pad_left;
    opt::PackedConvF32 packed;
    std::vector<float> packed_dw;
    if (L.depthwise) {
      opt::PackDepthwiseF32(L.k * L.k, L.out_c, weights.data(), bias.data(), &packed_dw);
    } else {
      opt::PackConvF32(isa, L.out_c, L.k * L.k * L.in_c, weights.data(), bias.data(),
                       &packed);
    }
    auto run_own = [&] {
      if (L.depthwise) {
        opt::DepthwiseFloatPacked(isa, g, input.data(), packed_dw.data(), lo, hi,
                                  out_d.data(), {});
      } else {
        opt::ConvFloatIgemm(g, input.data(), packed, lo, hi, out_d.data(), {});
      }
    };
    auto run_xnn = [&] { xnn_run_operator(op, nullptr); };
    run_own();
    run_xnn();
    std::vector<double> tx, td;
    for (int r = 0; r < rounds; ++r) {
      tx.push_back(TimeMs(run_xnn));
      td.push_back(TimeMs(run_own));
    }
    xnn_delete_operator(op);
    float mn = out_x[0], mx = out_x[0], diff = 0;
    for (size_t i = 0; i < out_size; ++i) {
      mn = std::min(mn, out_x[i]);
      mx = std::max(mx, out_x[i]);
      diff = std::max(diff, std::fabs(out_x[i] - out_d[i]));
    }
    const double macs = double(out_size) *
                        (L.depthwise ? L.k * L.k : double(L.k) * L.k * L.in_c);
    const double mx_ms = Median(tx), md_ms = Median(td);
    total_x += mx_ms;
    total_d += md_ms;
    std::printf("| %s | %.1f | %.3f | %.1f | %.3f | %.1f | %.2f | %.1e |\n", L.name,
                macs / 1e6, mx_ms, 2 * macs / mx_ms / 1e6, md_ms,
                2 * macs / md_ms / 1e6, md_ms / mx_ms, diff / std::max(mx - mn, 1e-6f));
  }
  std::printf("| all layers above | | %.3f | | %.3f | | %.2f | |\n", total_x, total_d,
              total_d / total_x);
  return 0;
}
