// The portable igemm microkernel (Isa::kReference): 4 rows x 16 channels in
// plain C++, the same packing and order of sums as the vector kernels.
#include <algorithm>

#include "kernels/optimized/igemm_f32.h"

namespace detlite::kernels::optimized {
namespace {

constexpr int kMr = 4;
constexpr int kNr = 16;

void Kernel(int mr, int nc, int taps, int in_c, const float* const* a,
            const float* w, float lo, float hi, float* c, int64_t ldc) {
  float acc[kMr][kNr];
  for (int r = 0; r < kMr; ++r) {
    for (int n = 0; n < kNr; ++n) acc[r][n] = w[n];
  }
  w += kNr;
  for (int t = 0; t < taps; ++t) {
    const float* const* rows = a + t * kMr;
    for (int i = 0; i < in_c; ++i, w += kNr) {
      for (int r = 0; r < kMr; ++r) {
        const float x = rows[r][i];
        for (int n = 0; n < kNr; ++n) acc[r][n] += x * w[n];
      }
    }
  }
  for (int r = 0; r < mr; ++r) {
    for (int n = 0; n < nc; ++n) {
      c[r * ldc + n] = std::min(std::max(acc[r][n], lo), hi);
    }
  }
}

}  // namespace

IgemmF32Kernel IgemmF32Portable() {
  return IgemmF32Kernel{Isa::kReference, kMr, kNr, &Kernel};
}

}  // namespace detlite::kernels::optimized
