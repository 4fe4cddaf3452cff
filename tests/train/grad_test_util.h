// Finite-difference checks of small graphs for the gradient tests: random
// N(0, 1) inputs and constants, every entry of every float input and constant
// compared (train/grad_check.h), and the tolerance shown to separate the true
// gradient from a negated or shifted one.
#ifndef DETLITE_TESTS_TRAIN_GRAD_TEST_UTIL_H_
#define DETLITE_TESTS_TRAIN_GRAD_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "ir/builder.h"
#include "train/grad_check.h"

namespace detlite::train::testing {

// N(0, 1) values, away from 0 by at least `gap` when gap > 0 (keeps ReLU-like
// kinks further than the finite-difference step from the data).
inline std::vector<float> RandomValues(int64_t n, uint32_t seed, float gap = 0.0f) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) {
    x = normal(rng);
    if (gap > 0 && std::abs(x) < gap) x = x < 0 ? x - gap : x + gap;
  }
  return v;
}

inline int32_t RandomConstant(ir::Builder& b, const std::string& name, Shape shape, uint32_t seed,
                              float scale = 1.0f) {
  std::vector<float> v = RandomValues(shape.NumElements(), seed);
  for (float& x : v) x *= scale;
  return b.ConstantF32(name, std::move(shape), v);
}

// Checks every entry; the worst error must be below `tolerance` of the
// largest gradient, while a negated or shifted gradient must be off by more
// than ten times that.
// `inputs` default to N(0, 1) values.
inline void ExpectGradientsMatch(const ir::Model& model, double tolerance = 1e-2,
                                 uint32_t seed = 7, std::vector<std::vector<float>> inputs = {}) {
  const ir::Subgraph& sg = model.subgraphs[0];
  for (size_t i = inputs.size(); i < sg.inputs.size(); ++i) {
    const int32_t t = sg.inputs[i];
    inputs.push_back(RandomValues(sg.tensors[static_cast<size_t>(t)].shape.NumElements(),
                                  seed + static_cast<uint32_t>(t)));
  }
  GradCheckOptions options;
  options.seed = seed;
  auto report = CheckGradients(model, inputs, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const std::string summary = report->Summary(sg);
  EXPECT_GT(report->max_abs_numeric, 1e-2) << "gradient too small to judge: " << summary;
  EXPECT_LT(report->max_error, tolerance) << summary;
  EXPECT_GT(report->negated_error, 10 * tolerance) << summary;
  EXPECT_GT(report->shifted_error, 10 * tolerance) << summary;
}

}  // namespace detlite::train::testing

#endif  // DETLITE_TESTS_TRAIN_GRAD_TEST_UTIL_H_
