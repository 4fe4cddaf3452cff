// Every op kind issue 13 lists (the ops of the detectors here) has a
// gradient registered, and kinds without one are reported as such.
#include <gtest/gtest.h>

#include <string>

#include "importers/tflite/tflite_reader.h"
#include "ir/op_kind.h"
#include "quant/fold_float_weights.h"
#include "support/paths.h"
#include "train/backward.h"
#include "train/grad_registry.h"

namespace detlite::train {
namespace {

using ir::OpKind;

TEST(GradRegistry, CoversTheDetectorOps) {
  const GradRegistry& r = BuiltinGradRegistry();
  for (OpKind kind :
       {OpKind::kConv2D, OpKind::kDepthwiseConv2D, OpKind::kAdd, OpKind::kRelu, OpKind::kRelu6,
        OpKind::kLogistic, OpKind::kConcatenation, OpKind::kReshape, OpKind::kPad,
        OpKind::kMaxPool2D, OpKind::kFullyConnected, OpKind::kSub, OpKind::kMul, OpKind::kDiv,
        OpKind::kHardSwish, OpKind::kTanh, OpKind::kLeakyRelu, OpKind::kAveragePool2D,
        OpKind::kMean, OpKind::kSoftmax, OpKind::kResizeBilinear,
        OpKind::kResizeNearestNeighbor, OpKind::kDepthToSpace, OpKind::kStridedSlice,
        OpKind::kGather, OpKind::kTransposeConv, OpKind::kBatchMatmul}) {
    EXPECT_NE(r.Find(kind), nullptr) << ir::OpKindName(kind);
  }
  EXPECT_EQ(r.Find(OpKind::kArgMax), nullptr);
  EXPECT_EQ(r.Find(OpKind::kCustom), nullptr);
}

// Every float detector in the data directory, weights folded to float32, can
// be differentiated from its raw outputs.
class FloatDetectorTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FloatDetectorTest, IsDifferentiable) {
  auto model = ReadTfliteFile(detlite::testing::DataPath("tflite/" + GetParam() + ".tflite"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  int folded = 0;
  ASSERT_TRUE(quant::FoldFloatWeights(*model, &folded).ok());
  const ir::Subgraph& sg = model->subgraphs[0];
  const Status st = CheckDifferentiable(sg, sg.outputs);
  EXPECT_TRUE(st.ok()) << st.message();
  EXPECT_GT(OpsFeeding(sg, sg.outputs).size(), 20u);
}

INSTANTIATE_TEST_SUITE_P(Models, FloatDetectorTest,
                         ::testing::Values("face_detection_short_range", "face_detection_full_range",
                                           "face_detection_full_range_sparse",
                                           "palm_detection_lite", "ssd_mobilenetv2_oidv4_fp16"));

}  // namespace
}  // namespace detlite::train
