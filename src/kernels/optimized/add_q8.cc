#include "kernels/optimized/add_q8.h"

#include <algorithm>
#include <type_traits>

namespace detlite::kernels::optimized {
namespace {

template <typename T>
void AddPortable(const reference::XnnpackAddParams& p, const T* a, const T* b,
                 int64_t n, T* out) {
  for (int64_t i = 0; i < n; ++i) {
    const int32_t acc = p.bias + int32_t{a[i]} * p.a_multiplier +
                        int32_t{b[i]} * p.b_multiplier;
    const int32_t v = (acc >> p.shift) + p.output_zero_point;
    out[i] = static_cast<T>(std::clamp(v, p.activation_min, p.activation_max));
  }
}

}  // namespace

template <typename T>
void AddQ8(Isa isa, const reference::XnnpackAddParams& p, const T* a,
           const T* b, int64_t n, T* out, const Parallel& par) {
  AddQ8Fn<T> fn = &AddPortable<T>;
#if defined(__x86_64__) || defined(__i386__)
  if constexpr (std::is_same_v<T, int8_t>) {
    if (isa >= Isa::kAvx512) {
      fn = AddS8Avx512();
    } else if (isa >= Isa::kAvx2) {
      fn = AddS8Avx2();
    }
  } else {
    if (isa >= Isa::kAvx512) {
      fn = AddU8Avx512();
    } else if (isa >= Isa::kAvx2) {
      fn = AddU8Avx2();
    }
  }
#endif
  constexpr int64_t kChunk = 1 << 15;
  const int64_t chunks = (n + kChunk - 1) / kChunk;
  ParallelRanges(par, chunks, 2, [&](int64_t c0, int64_t c1) {
    const int64_t s = c0 * kChunk, e = std::min(n, c1 * kChunk);
    fn(p, a + s, b + s, e - s, out + s);
  });
}

template void AddQ8<int8_t>(Isa, const reference::XnnpackAddParams&,
                            const int8_t*, const int8_t*, int64_t, int8_t*,
                            const Parallel&);
template void AddQ8<uint8_t>(Isa, const reference::XnnpackAddParams&,
                             const uint8_t*, const uint8_t*, int64_t,
                             uint8_t*, const Parallel&);

// The scalar tail of the vector paths.
template <typename T>
void AddQ8Tail(const reference::XnnpackAddParams& p, const T* a, const T* b,
               int64_t n, T* out) {
  AddPortable<T>(p, a, b, n, out);
}
template void AddQ8Tail<int8_t>(const reference::XnnpackAddParams&,
                                const int8_t*, const int8_t*, int64_t, int8_t*);
template void AddQ8Tail<uint8_t>(const reference::XnnpackAddParams&,
                                 const uint8_t*, const uint8_t*, int64_t,
                                 uint8_t*);

}  // namespace detlite::kernels::optimized
