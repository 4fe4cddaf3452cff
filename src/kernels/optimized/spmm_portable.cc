// The portable sparse block kernels (Isa::kReference): spmm_impl.inc over
// plain arrays of 4 lanes, blocks of 16 pixels.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include "kernels/optimized/spmm.h"

namespace detlite::kernels::optimized {
namespace portable_sp {

struct V {
  static constexpr int kWidth = 4;
  static constexpr int kMaxVectors = 4;
  static constexpr int kBlockVectors = 4;  // 4x1 blocks: 4 x 4 accumulators
  struct Reg {
    float v[4];
  };
  struct RegI {
    int32_t v[4];
  };
  static Reg Zero() { return Reg{}; }
  static Reg Set1(float x) { return Reg{{x, x, x, x}}; }
  static Reg Load(const float* p) { return LoadMasked(p, 4); }
  static Reg LoadMasked(const float* p, int n) {
    Reg r{};
    std::memcpy(r.v, p, sizeof(float) * static_cast<size_t>(std::min(n, 4)));
    return r;
  }
  static void Store(float* p, Reg r) { StoreMasked(p, 4, r); }
  static void StoreMasked(float* p, int n, Reg r) {
    std::memcpy(p, r.v, sizeof(float) * static_cast<size_t>(std::min(n, 4)));
  }
  static Reg LoadI8(const int8_t* p, int n) {
    RegI r{};
    for (int i = 0; i < std::min(n, 4); ++i) r.v[i] = p[i];
    return AsF(r);
  }
  template <typename F>
  static Reg Map(Reg a, Reg b, F f) {
    for (int i = 0; i < 4; ++i) a.v[i] = f(a.v[i], b.v[i]);
    return a;
  }
  static Reg Fma(Reg a, Reg b, Reg acc) {
    for (int i = 0; i < 4; ++i) acc.v[i] += a.v[i] * b.v[i];
    return acc;
  }
  static Reg Add(Reg a, Reg b) { return Map(a, b, [](float x, float y) { return x + y; }); }
  static Reg Min(Reg a, Reg b) { return Map(a, b, [](float x, float y) { return std::min(x, y); }); }
  static Reg Max(Reg a, Reg b) { return Map(a, b, [](float x, float y) { return std::max(x, y); }); }
  static RegI ZeroI() { return RegI{}; }
  static RegI Set1I(int32_t x) { return RegI{{x, x, x, x}}; }
  static RegI LoadI(const int32_t* p) {
    RegI r;
    std::memcpy(r.v, p, sizeof(r.v));
    return r;
  }
  // w: an int16 in the low half (as the vector paths read it).
  static RegI MulAddI(RegI x, RegI w, RegI acc) {
    for (int i = 0; i < 4; ++i) {
      acc.v[i] = static_cast<int32_t>(static_cast<uint32_t>(acc.v[i]) +
                                      static_cast<uint32_t>(x.v[i] * static_cast<int16_t>(w.v[i])));
    }
    return acc;
  }
  static RegI AddI(RegI a, RegI b) {
    for (int i = 0; i < 4; ++i) {
      a.v[i] = static_cast<int32_t>(static_cast<uint32_t>(a.v[i]) + static_cast<uint32_t>(b.v[i]));
    }
    return a;
  }
  static Reg AsF(RegI v) {
    Reg r;
    std::memcpy(&r, &v, sizeof(r));
    return r;
  }
  static void Transpose(Reg r[4]) {
    for (int i = 0; i < 4; ++i) {
      for (int j = i + 1; j < 4; ++j) std::swap(r[i].v[j], r[j].v[i]);
    }
  }
};

#include "kernels/optimized/spmm_impl.inc"

}  // namespace portable_sp

SpmmKernel SpmmPortable() {
  return SpmmKernel{Isa::kReference, 4, 16, &portable_sp::Block<false>,
                    &portable_sp::Block<true>};
}

}  // namespace detlite::kernels::optimized
