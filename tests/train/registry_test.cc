// Every op kind issue 13 lists (the ops of the detectors here) has a
// gradient registered, and kinds without one are reported as such.
#include <gtest/gtest.h>

#include "ir/op_kind.h"
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

}  // namespace
}  // namespace detlite::train
