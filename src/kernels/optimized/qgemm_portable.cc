// The portable 8-bit igemm microkernel (Isa::kReference): 4 rows x 16
// channels in plain C++, reading the same packing as the VNNI kernels, so
// the operand rewriting of qgemm.h is checked on every machine.
#include <algorithm>
#include <cmath>

#include "kernels/optimized/qgemm.h"

namespace detlite::kernels::optimized {
namespace {

constexpr int kMr = 4;
constexpr int kNr = 16;

void Kernel(int mr, int nc, int taps, int in_c, const uint8_t* const* a,
            const int32_t* bias, const int8_t* w, const int32_t* row_add,
            uint32_t input_xor, const QGemmOutput& out) {
  // Unsigned sums wrap like vpdpbusd and the reference's int32.
  uint32_t acc[kMr][kNr];
  for (int r = 0; r < kMr; ++r) {
    for (int n = 0; n < kNr; ++n) acc[r][n] = static_cast<uint32_t>(bias[n]);
  }
  const int kq = (in_c + 3) / 4;
  const uint8_t flip = static_cast<uint8_t>(input_xor);
  for (int t = 0; t < taps; ++t) {
    const uint8_t* const* rows = a + t * kMr;
    for (int q = 0; q < kq; ++q, w += kNr * 4) {
      for (int j = 0; j < 4 && 4 * q + j < in_c; ++j) {
        for (int r = 0; r < kMr; ++r) {
          const int32_t u = rows[r][4 * q + j] ^ flip;
          for (int n = 0; n < kNr; ++n) {
            acc[r][n] += static_cast<uint32_t>(u * w[n * 4 + j]);
          }
        }
      }
    }
  }
  for (int r = 0; r < mr; ++r) {
    const uint32_t add = row_add != nullptr ? row_add[r] : 0u;
    for (int n = 0; n < nc; ++n) {
      const int32_t v = static_cast<int32_t>(acc[r][n] + add);
      if (out.scale == nullptr) {
        out.acc[r * out.ldc + n] = v;
        continue;
      }
      // kernels::Fp32Requant, with the zero point already out of lo and hi.
      const float f =
          std::clamp(static_cast<float>(v) * out.scale[n], out.lo, out.hi);
      out.out[r * out.ldc + n] = static_cast<uint8_t>(
          static_cast<int32_t>(std::nearbyint(f)) + out.zero_point);
    }
  }
}

}  // namespace

QGemmKernel QGemmPortable() {
  return QGemmKernel{Isa::kReference, kMr, kNr, &Kernel};
}

}  // namespace detlite::kernels::optimized
