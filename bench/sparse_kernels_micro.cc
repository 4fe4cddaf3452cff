// The sparse 1x1 kernels (kernels/optimized/spmm.h) against the dense ones
// (float igemm; int8 qgemm at the VNNI levels, the int16 GEMM otherwise) on
// SSDLite's 1x1 layer shapes, at several shares of zeros, per instruction
// set: the numbers behind the sparse-kernel threshold (docs/PRUNING.md).
// Rows "float32-4x1" / "int8-4x1" time the 4x1-block kernel on weights
// whose zeros come in 4x1 blocks (4 output channels at one input channel).
// MICRO_ONLY=block skips the unblocked rows.
// Built and run by bench/sparse_kernels.sh; prints one line per case:
//   isa dtype pixels in_c out_c zeros dense_us sparse_us speedup
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <cstdlib>
#include <vector>

#include "kernels/optimized/conv.h"
#include "kernels/optimized/cpu.h"
#include "kernels/optimized/igemm_f32.h"
#include "kernels/optimized/qgemm.h"
#include "kernels/optimized/spmm.h"
#include "kernels/reference/requantize.h"

namespace opt = detlite::kernels::optimized;
using detlite::kernels::ConvGeometry;

template <typename Fn>
double MedianUs(Fn&& fn, int reps) {
  std::vector<double> t;
  fn();
  for (int i = 0; i < reps; ++i) {
    const auto a = std::chrono::steady_clock::now();
    fn();
    t.push_back(std::chrono::duration<double, std::micro>(
                    std::chrono::steady_clock::now() - a).count());
  }
  std::nth_element(t.begin(), t.begin() + reps / 2, t.end());
  return t[static_cast<size_t>(reps / 2)];
}

struct Noop {
  static void Run(const void*, int64_t, int, int, int, const int32_t*, int64_t) {}
};

int main(int argc, char** argv) {
  const int reps = argc > 1 ? std::atoi(argv[1]) : 15;
  const int shapes[][3] = {{361, 96, 576}, {361, 576, 96}, {100, 160, 960},
                           {100, 960, 160}, {100, 320, 1280}, {361, 576, 273},
                           {100, 1280, 546}, {25, 512, 128}};
  const float zeros[] = {0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 0.95f};
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(-1, 1);
  for (opt::Isa isa : opt::SupportedIsas()) {
    // avxvnni: float is the avx2 code; its int8 dense GEMM is vpdpbusd.
    const bool float_too = isa != opt::Isa::kAvx2Vnni;
    opt::ScopedIsa scope(isa);
    const opt::Parallel serial;
    for (const auto& s : shapes) {
      const int pixels = s[0], in_c = s[1], out_c = s[2];
      ConvGeometry g;
      g.in_h = g.out_h = pixels;
      g.in_w = g.out_w = 1;
      g.in_c = in_c;
      g.out_c = out_c;
      g.filter_h = g.filter_w = 1;
      std::vector<float> in(static_cast<size_t>(pixels) * in_c), out(
          static_cast<size_t>(pixels) * out_c);
      std::vector<int8_t> in8(in.size()), out8(out.size());
      for (size_t i = 0; i < in.size(); ++i) {
        in[i] = u(rng);
        in8[i] = static_cast<int8_t>(u(rng) * 127);
      }
      for (float z : zeros) {
        std::bernoulli_distribution zero(z);
        std::vector<float> w(static_cast<size_t>(in_c) * out_c);
        std::vector<int8_t> w8(w.size());
        std::vector<int32_t> b8(static_cast<size_t>(out_c), 5);
        std::vector<float> scale(static_cast<size_t>(out_c), 1e-3f);
        for (size_t i = 0; i < w.size(); ++i) {
          w[i] = zero(rng) ? 0 : u(rng);
          w8[i] = static_cast<int8_t>(w[i] * 127);
        }
        // The same share of zeros in whole 4x1 blocks.
        std::vector<float> wb(w.size());
        std::vector<int8_t> wb8(w.size());
        for (int g = 0; g < out_c; g += 4) {
          for (int ic = 0; ic < in_c; ++ic) {
            const bool zb = zero(rng);
            for (int oc = g; oc < std::min(out_c, g + 4); ++oc) {
              const size_t i = static_cast<size_t>(oc) * in_c + ic;
              wb[i] = zb ? 0 : u(rng);
              wb8[i] = static_cast<int8_t>(wb[i] * 127);
              if (wb8[i] == 0 && !zb) wb8[i] = 1;
            }
          }
        }
        opt::PackedSparse bl, bl8;
        opt::PackSparseF32(isa, out_c, in_c, wb.data(), nullptr, &bl, 4);
        opt::PackSparseQ8(isa, out_c, in_c, wb8.data(), b8.data(), 3, &bl8, 4);
        const bool only_block = std::getenv("MICRO_ONLY") != nullptr &&
                                std::string(std::getenv("MICRO_ONLY")) == "block";
        opt::PackedConvF32 dense;
        opt::PackConvF32(isa, out_c, in_c, w.data(), nullptr, &dense);
        opt::PackedSparse sp, sp8;
        opt::PackSparseF32(isa, out_c, in_c, w.data(), nullptr, &sp);
        opt::PackSparseQ8(isa, out_c, in_c, w8.data(), b8.data(), 3, &sp8);
        const double df = MedianUs([&] {
          opt::ConvFloatIgemm(g, in.data(), dense, -1e9f, 1e9f, out.data(), serial);
        }, reps);
        const double sf = only_block ? 0.0 : MedianUs([&] {
          opt::SpmmF32(pixels, in.data(), sp, -1e9f, 1e9f, out.data(), serial);
        }, reps);
        const double bf = MedianUs([&] {
          opt::SpmmF32(pixels, in.data(), bl, -1e9f, 1e9f, out.data(), serial);
        }, reps);
        const detlite::kernels::Fp32Requant rq{scale.data(), 0, -128, 127};
        opt::PackedConvQ8 q8;
        std::vector<int16_t> i16;
        if (opt::UsesQGemm(isa)) {
          opt::PackConvQ8(isa, out_c, 1, in_c, w8.data(), b8.data(), 3, &q8);
        } else {
          opt::PackFilterI16(out_c, in_c, w8.data(), 0, &i16);
        }
        const double dq = MedianUs([&] {
          if (opt::UsesQGemm(isa)) {
            opt::QGemmOutput o;
            o.scale = scale.data();
            o.lo = -128;
            o.hi = 127;
            o.out = reinterpret_cast<uint8_t*>(out8.data());
            opt::ConvQ8Igemm(g, reinterpret_cast<const uint8_t*>(in8.data()),
                             253, q8, o, nullptr, nullptr, serial);
          } else {
            opt::ConvQuantized(g, 3, in8.data(), i16.data(), b8.data(), rq,
                               out8.data(), serial);
          }
        }, reps);
        struct Ctx {
          const float* scale;
          int8_t* out;
          int out_c;
        } ctx{scale.data(), out8.data(), out_c};
        auto run_q8 = [&](const opt::PackedSparse& packed) {
          opt::SpmmQ8(pixels, in8.data(), packed,
                      [](const void* c, int64_t p0, int rows, int oc0, int nc,
                         const int32_t* acc, int64_t ldc) {
                        const auto& x = *static_cast<const Ctx*>(c);
                        for (int r = 0; r < rows; ++r) {
                          opt::RequantFp32I8(nc, acc + r * ldc, nullptr,
                                             x.scale + oc0, 0, -128, 127,
                                             x.out + (p0 + r) * x.out_c + oc0);
                        }
                      },
                      &ctx, serial);
        };
        const double sq = only_block ? 0.0 : MedianUs([&] { run_q8(sp8); }, reps);
        const double bq = MedianUs([&] { run_q8(bl8); }, reps);
        if (float_too && !only_block) {
          std::printf("%s float32 %d %d %d %.2f %.1f %.1f %.2f\n", opt::IsaName(isa),
                      pixels, in_c, out_c, z, df, sf, df / sf);
        }
        if (float_too) {
          std::printf("%s float32-4x1 %d %d %d %.2f %.1f %.1f %.2f\n", opt::IsaName(isa),
                      pixels, in_c, out_c, z, df, bf, df / bf);
        }
        if (!only_block) {
          std::printf("%s int8 %d %d %d %.2f %.1f %.1f %.2f\n", opt::IsaName(isa),
                      pixels, in_c, out_c, z, dq, sq, dq / sq);
        }
        std::printf("%s int8-4x1 %d %d %d %.2f %.1f %.1f %.2f\n", opt::IsaName(isa),
                    pixels, in_c, out_c, z, dq, bq, dq / bq);
        std::fflush(stdout);
      }
    }
  }
  return 0;
}
