// ARG_MAX / ARG_MIN along one axis (input seen as [outer, axis, inner]).
// Ties keep the first index; a NaN never replaces the current best, as in
// TFLite's strict comparisons.
#ifndef DETLITE_KERNELS_REFERENCE_ARG_MIN_MAX_H_
#define DETLITE_KERNELS_REFERENCE_ARG_MIN_MAX_H_

#include <cstdint>

namespace detlite::kernels::reference {

template <typename T, typename Out>
void ArgMinMax(const T* input, int64_t outer, int64_t axis_size, int64_t inner,
               bool is_max, Out* output) {
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      const T* p = input + o * axis_size * inner + i;
      T best = p[0];
      int64_t best_index = 0;
      for (int64_t a = 1; a < axis_size; ++a) {
        const T v = p[a * inner];
        if (is_max ? (v > best) : (v < best)) {
          best = v;
          best_index = a;
        }
      }
      output[o * inner + i] = static_cast<Out>(best_index);
    }
  }
}

}  // namespace detlite::kernels::reference

#endif  // DETLITE_KERNELS_REFERENCE_ARG_MIN_MAX_H_
