// The portable 8-bit depthwise row kernel (Isa::kReference), on the packing
// of dwconv_q8.h.
#include <algorithm>
#include <cmath>

#include "kernels/optimized/dwconv_q8.h"

namespace detlite::kernels::optimized {
namespace {

void Row(int n, int taps, int channels, int cp, const uint8_t* const* a,
         const int32_t* packed, bool is_signed, const QGemmOutput& out) {
  const int32_t* w = packed + cp;
  for (int p = 0; p < n; ++p) {
    const uint8_t* const* rows = a + int64_t{p} * taps;
    for (int c = 0; c < channels; ++c) {
      uint32_t acc = static_cast<uint32_t>(packed[c]);
      for (int t = 0; t < taps; ++t) {
        const int32_t x = is_signed ? static_cast<int8_t>(rows[t][c])
                                    : static_cast<int32_t>(rows[t][c]);
        const int32_t wt = static_cast<int16_t>(w[int64_t{t} * cp + c]);
        acc += static_cast<uint32_t>(x * wt);
      }
      const int32_t v = static_cast<int32_t>(acc);
      if (out.scale == nullptr) {
        out.acc[p * out.ldc + c] = v;
        continue;
      }
      const float f =
          std::clamp(static_cast<float>(v) * out.scale[c], out.lo, out.hi);
      out.out[p * out.ldc + c] = static_cast<uint8_t>(
          static_cast<int32_t>(std::nearbyint(f)) + out.zero_point);
    }
  }
}

}  // namespace

DwQ8RowFn DwQ8RowPortable() { return &Row; }

}  // namespace detlite::kernels::optimized
