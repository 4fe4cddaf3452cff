// Tolerance policy for comparing detlite's outputs with the real TFLite
// runtime, as code (after XNNPACK's test/unary-ops.h):
//  - float outputs: max |a - b| <= rel_tol * range(reference), where range is
//    max - min of the reference output (so a tensor of large logits is not
//    judged by the absolute error its small entries allow);
//  - quantized outputs: max |a - b| in LSB <= max_lsb.
#ifndef DETLITE_TESTS_SUPPORT_COMPARE_H_
#define DETLITE_TESTS_SUPPORT_COMPARE_H_

#include <cstdint>
#include <string>
#include <vector>

namespace detlite::testing {

struct Diff {
  double max_abs = 0;   // in real units (float) or LSB (integer types)
  double range = 0;     // of the reference
  double relative = 0;  // max_abs / range (float only)
  int64_t count = 0;
  int64_t worst_index = -1;
  std::string ToString() const;
};

// `dtype` names both buffers' element type ("float32", "uint8", "int8",
// "int16", "int32"); sizes must match (else count = -1).
Diff CompareBuffers(const std::string& dtype, const std::vector<uint8_t>& ours,
                    const std::vector<uint8_t>& reference);

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_SUPPORT_COMPARE_H_
