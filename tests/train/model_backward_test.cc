// The tape on the SSD MobileNetV2 (Open Images, float16 weights folded to
// float32; 300x300, 673 M MACs): every weight and bias the raw outputs
// depend on gets a finite, non-zero gradient on a real photo, and forward /
// backward times are printed.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
#include <string>

#include "ir/op_kind.h"

#include "importers/tflite/tflite_reader.h"
#include "quant/fold_float_weights.h"
#include "support/paths.h"
#include "train/backward.h"
#include "train/forward.h"
#include "train/grad_check.h"
#include "train/grad_test_util.h"
#include "train/photo_input.h"

namespace detlite::train {
namespace {

double Ms(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

TEST(ModelBackward, SsdMobileNetV2EveryParameterGetsAGradient) {
  auto model = ReadTfliteFile(detlite::testing::DataPath("tflite/ssd_mobilenetv2_oidv4_fp16.tflite"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  int folded = 0;
  ASSERT_TRUE(quant::FoldFloatWeights(*model, &folded).ok());
  const ir::Subgraph& sg = model->subgraphs[0];
  std::vector<float> image;
  testing::PhotoInput(sg.tensors[static_cast<size_t>(sg.inputs[0])].shape, &image);
  if (HasFatalFailure()) return;
  auto t0 = std::chrono::steady_clock::now();
  auto fwd = Forward(*model, {image});
  auto t1 = std::chrono::steady_clock::now();
  ASSERT_TRUE(fwd.ok()) << fwd.status().ToString();
  std::map<int32_t, std::vector<float>> seeds;
  for (int32_t o : sg.outputs) {
    seeds[o] = testing::RandomValues(fwd->tensor(o).NumElements(), static_cast<uint32_t>(o));
  }
  auto t2 = std::chrono::steady_clock::now();
  auto grads = Backward(*fwd, seeds);
  auto t3 = std::chrono::steady_clock::now();
  ASSERT_TRUE(grads.ok()) << grads.status().ToString();
  std::printf("SSD MobileNetV2 300x300: forward (every tensor kept) %.0f ms, backward %.0f ms\n",
              Ms(t0, t1), Ms(t2, t3));
  // Two threads and one give the same gradients (the GEMM splits rows, not
  // sums); the profile names where backward time goes.
  BackwardOptions two;
  two.num_threads = 2;
  two.profile = true;
  auto t4 = std::chrono::steady_clock::now();
  auto grads2 = Backward(*fwd, seeds, two);
  auto t5 = std::chrono::steady_clock::now();
  ASSERT_TRUE(grads2.ok()) << grads2.status().ToString();
  std::map<std::string, double> by_kind;
  for (const auto& p : grads2->profile) {
    by_kind[std::string(ir::OpKindName(sg.ops[static_cast<size_t>(p.op_index)].kind))] += p.us / 1000;
  }
  std::printf("backward on 2 threads %.0f ms:", Ms(t4, t5));
  for (const auto& [kind, ms] : by_kind) std::printf(" %s %.0f ms", kind.c_str(), ms);
  std::printf("\n");
  for (size_t t = 0; t < sg.tensors.size(); ++t) {
    if (sg.tensors[t].is_constant() && grads->Find(static_cast<int32_t>(t)) != nullptr) {
      EXPECT_EQ(*grads->Find(static_cast<int32_t>(t)), *grads2->Find(static_cast<int32_t>(t)))
          << sg.tensors[t].name;
    }
  }
  int params = 0;
  for (size_t t = 0; t < sg.tensors.size(); ++t) {
    const ir::Tensor& tensor = sg.tensors[t];
    if (!tensor.is_constant() || tensor.dtype != DType::kFloat32) continue;
    ++params;
    const std::vector<float>* g = grads->Find(static_cast<int32_t>(t));
    ASSERT_NE(g, nullptr) << tensor.name;
    double norm = 0;
    for (float v : *g) {
      ASSERT_TRUE(std::isfinite(v)) << tensor.name;
      norm += double{v} * v;
    }
    EXPECT_GT(norm, 0.0) << tensor.name;
  }
  EXPECT_EQ(params, folded);
}

}  // namespace
}  // namespace detlite::train
