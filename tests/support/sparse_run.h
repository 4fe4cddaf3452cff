// Shared by the sparse-kernel oracle tests: a model through detlite's
// interpreter with the sparse kernels forced one way (DETLITE_SPARSE), and
// the float agreement measure they judge it by.
#ifndef DETLITE_TESTS_SUPPORT_SPARSE_RUN_H_
#define DETLITE_TESTS_SUPPORT_SPARSE_RUN_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "detlite/model.h"
#include "runtime/interpreter.h"
#include "support/model_outputs.h"

namespace detlite::testing {

struct SparseRun {
  int sparse_ops = 0;  // ops whose kernel variant is "sparse"
  std::vector<std::vector<uint8_t>> outputs;
};

// `m` on `input` with DETLITE_SPARSE=`mode` (read at prepare).
inline SparseRun RunWithSparseMode(const Model& m, const std::vector<uint8_t>& input,
                                   const char* mode) {
  setenv("DETLITE_SPARSE", mode, 1);
  auto interp = runtime::Interpreter::Create(m.ir());
  unsetenv("DETLITE_SPARSE");
  EXPECT_TRUE(interp.ok()) << interp.status().ToString();
  SparseRun r;
  if (!interp.ok()) return r;
  runtime::Interpreter& in = **interp;
  EXPECT_TRUE(in.SetInput(0, input.data(), input.size()).ok());
  EXPECT_TRUE(in.Invoke().ok());
  for (size_t i = 0; i < in.subgraph().ops.size(); ++i) {
    const char* v = in.KernelVariant(static_cast<int>(i));
    r.sparse_ops += v != nullptr && std::string(v) == "sparse";
  }
  for (int i = 0; i < in.num_outputs(); ++i) {
    const runtime::TensorRef& t = in.output(i);
    r.outputs.emplace_back(t.data, t.data + t.bytes);
  }
  return r;
}

// Largest |a - b| over the range of b (float32 outputs); 1e9 when the sizes
// differ or a is empty.
inline double RelativeToRange(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  const std::vector<float> x = AsFloats(a), y = AsFloats(b);
  EXPECT_EQ(x.size(), y.size());
  if (x.empty() || x.size() != y.size()) return 1e9;
  const auto [lo, hi] = std::minmax_element(y.begin(), y.end());
  double worst = 0;
  for (size_t i = 0; i < x.size(); ++i) worst = std::max(worst, std::fabs(double(x[i]) - y[i]));
  return worst / std::max(1e-6, double(*hi - *lo));
}

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_SUPPORT_SPARSE_RUN_H_
