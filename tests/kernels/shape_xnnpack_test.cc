// ShapeOpBreaksXnnpackDelegate: the measured delegate-breaking conditions.
#include <gtest/gtest.h>

#include "ir/builder.h"
#include "runtime/ops/shape_xnnpack.h"

namespace detlite {
namespace {

using ir::OpKind;
using ir::PerTensorQuant;

bool Breaks(OpKind kind, DType t, float out_scale, bool const_size = true) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("x", t, {1, 2, 2, 4}, PerTensorQuant(0.1f, 3));
  std::vector<int32_t> ins = {x};
  if (kind == OpKind::kPad) ins.push_back(b.ConstantI32("p", {4, 2}, {0, 0, 1, 1, 1, 1, 0, 0}));
  if (kind == OpKind::kResizeBilinear) {
    ins.push_back(const_size ? b.ConstantI32("s", {2}, {4, 4}) : b.Input("s", DType::kInt32, {2}));
  }
  b.Op(kind, ins, "y", t, {}, {}, PerTensorQuant(out_scale, 3));
  return runtime::ShapeOpBreaksXnnpackDelegate(m.subgraphs[0], m.subgraphs[0].ops[0]);
}

TEST(ShapeXnnpackTest, MeasuredConditions) {
  EXPECT_TRUE(Breaks(OpKind::kPad, DType::kUInt8, 0.2f));
  EXPECT_TRUE(Breaks(OpKind::kPad, DType::kInt8, 0.2f));
  EXPECT_FALSE(Breaks(OpKind::kPad, DType::kInt8, 0.1f));
  EXPECT_TRUE(Breaks(OpKind::kDepthToSpace, DType::kInt8, 0.2f));
  EXPECT_FALSE(Breaks(OpKind::kDepthToSpace, DType::kUInt8, 0.2f));
  EXPECT_TRUE(Breaks(OpKind::kResizeBilinear, DType::kUInt8, 0.2f));
  EXPECT_FALSE(Breaks(OpKind::kResizeBilinear, DType::kUInt8, 0.2f, /*const_size=*/false));
  EXPECT_FALSE(Breaks(OpKind::kResizeBilinear, DType::kInt8, 0.1f));
  EXPECT_FALSE(Breaks(OpKind::kSpaceToDepth, DType::kInt8, 0.2f));
  EXPECT_FALSE(Breaks(OpKind::kPad, DType::kFloat32, 0.2f));
}

}  // namespace
}  // namespace detlite
