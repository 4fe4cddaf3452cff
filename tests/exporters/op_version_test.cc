// TFLite's versioning rules as the writer applies them: the version follows
// the op's types and options, and a higher recorded version is kept.
#include <gtest/gtest.h>

#include "detlite/schemas/tflite_generated.h"
#include "exporters/tflite/op_version.h"
#include "exporters/tflite/tflite_writer.h"
#include "ir/builder.h"

namespace detlite {
namespace {

using ir::OpKind;

struct ConvCase {
  DType in, filter, out;
  int filter_scales;
  int expected;
};

int ConvVersion(OpKind kind, const ConvCase& c, ir::OpOptions options) {
  ir::Model m;
  ir::Builder b(&m);
  QuantParams fq;
  fq.scale.assign(static_cast<size_t>(c.filter_scales), 0.5f);
  fq.zero_point.assign(static_cast<size_t>(c.filter_scales), 0);
  fq.quantized_dimension = kind == OpKind::kConv2D ? 0 : 3;
  int32_t x = b.Input("x", c.in, {1, 4, 4, 2});
  int32_t w = b.ConstantBytes("w", c.filter, {2, 1, 1, 2},
                              ir::Bytes(4 * DTypeSize(c.filter)), fq);
  int32_t y = b.Op(kind, {x, w, -1}, "y", c.out, {1, 4, 4, 2}, options);
  b.Output(y);
  return tflite_export::RequiredOpVersion(m.subgraphs[0], m.subgraphs[0].ops[0]);
}

TEST(OpVersion, Conv2DByTypes) {
  const ConvCase cases[] = {
      {DType::kFloat32, DType::kFloat32, DType::kFloat32, 0, 1},
      {DType::kUInt8, DType::kUInt8, DType::kUInt8, 1, 1},
      {DType::kInt8, DType::kInt8, DType::kInt8, 2, 3},
      {DType::kFloat32, DType::kInt8, DType::kFloat32, 1, 2},  // hybrid
      {DType::kFloat32, DType::kInt8, DType::kFloat32, 2, 5},  // per-channel hybrid
      {DType::kInt16, DType::kInt16, DType::kInt16, 1, 4},
  };
  for (const ConvCase& c : cases) {
    EXPECT_EQ(ConvVersion(OpKind::kConv2D, c, ir::Conv2DOptions{}), c.expected)
        << DTypeName(c.in) << "/" << DTypeName(c.filter) << " scales " << c.filter_scales;
  }
}

TEST(OpVersion, DepthwiseByTypesAndDilation) {
  EXPECT_EQ(ConvVersion(OpKind::kDepthwiseConv2D,
                        {DType::kFloat32, DType::kFloat32, DType::kFloat32, 0, 1},
                        ir::DepthwiseConv2DOptions{}), 1);
  ir::DepthwiseConv2DOptions dilated;
  dilated.dilation_h = 2;
  EXPECT_EQ(ConvVersion(OpKind::kDepthwiseConv2D,
                        {DType::kFloat32, DType::kFloat32, DType::kFloat32, 0, 0}, dilated), 2);
  EXPECT_EQ(ConvVersion(OpKind::kDepthwiseConv2D,
                        {DType::kInt8, DType::kInt8, DType::kInt8, 2, 0},
                        ir::DepthwiseConv2DOptions{}), 3);
  EXPECT_EQ(ConvVersion(OpKind::kDepthwiseConv2D,
                        {DType::kFloat32, DType::kInt8, DType::kFloat32, 2, 0},
                        ir::DepthwiseConv2DOptions{}), 6);
}

int UnaryVersion(OpKind kind, DType in, DType out, ir::OpOptions options = {},
                 Shape shape = {1, 2, 2, 2}) {
  ir::Model m;
  ir::Builder b(&m);
  int32_t x = b.Input("x", in, shape);
  b.Output(b.Op(kind, {x}, "y", out, shape, options));
  return tflite_export::RequiredOpVersion(m.subgraphs[0], m.subgraphs[0].ops[0]);
}

TEST(OpVersion, CommonOps) {
  EXPECT_EQ(UnaryVersion(OpKind::kDequantize, DType::kFloat16, DType::kFloat32), 3);
  EXPECT_EQ(UnaryVersion(OpKind::kDequantize, DType::kInt8, DType::kFloat32), 2);
  EXPECT_EQ(UnaryVersion(OpKind::kDequantize, DType::kUInt8, DType::kFloat32), 1);
  EXPECT_EQ(UnaryVersion(OpKind::kQuantize, DType::kFloat32, DType::kInt16), 2);
  EXPECT_EQ(UnaryVersion(OpKind::kLogistic, DType::kInt8, DType::kInt8), 2);
  EXPECT_EQ(UnaryVersion(OpKind::kLogistic, DType::kInt16, DType::kInt16), 3);
  EXPECT_EQ(UnaryVersion(OpKind::kSoftmax, DType::kInt8, DType::kInt8), 2);
  EXPECT_EQ(UnaryVersion(OpKind::kMaxPool2D, DType::kInt8, DType::kInt8), 2);
  EXPECT_EQ(UnaryVersion(OpKind::kPad, DType::kFloat32, DType::kFloat32, {},
                         {1, 1, 2, 2, 2}), 4);
  EXPECT_EQ(UnaryVersion(OpKind::kResizeBilinear, DType::kFloat32, DType::kFloat32,
                         ir::ResizeOptions{false, true}), 3);
  EXPECT_EQ(UnaryVersion(OpKind::kResizeBilinear, DType::kInt8, DType::kInt8,
                         ir::ResizeOptions{}), 2);
  EXPECT_EQ(UnaryVersion(OpKind::kCast, DType::kFloat16, DType::kFloat32), 5);
  EXPECT_EQ(UnaryVersion(OpKind::kRelu, DType::kUInt8, DType::kUInt8), 2);
  EXPECT_EQ(UnaryVersion(OpKind::kMean, DType::kInt16, DType::kInt16, ir::ReducerOptions{}), 3);
  EXPECT_EQ(UnaryVersion(OpKind::kHardSwish, DType::kInt8, DType::kInt8), 1);
}

TEST(OpVersion, WriterKeepsHigherRecordedVersion) {
  ir::Model m;
  ir::Builder b(&m);
  int32_t x = b.Input("x", DType::kInt8, {1, 4});
  int32_t y = b.Op(OpKind::kLogistic, {x}, "y", DType::kInt8, {1, 4});
  int32_t z = b.Op(OpKind::kTanh, {y}, "z", DType::kInt8, {1, 4});
  b.Output(z);
  m.subgraphs[0].ops[0].version = 1;  // below the rule: raised to 2
  m.subgraphs[0].ops[1].version = 7;  // above the rule: kept
  auto bytes = WriteTfliteBuffer(m);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  const auto* codes = fb::GetModel(bytes->data())->operator_codes();
  ASSERT_EQ(codes->size(), 2u);
  EXPECT_EQ(codes->Get(0)->version(), 2);
  EXPECT_EQ(codes->Get(1)->version(), 7);
}

TEST(OpVersion, ToleratesBrokenIndices) {
  ir::Model m;
  ir::Builder b(&m);
  int32_t x = b.Input("x", DType::kFloat32, {1, 4});
  b.Output(b.Op(OpKind::kConv2D, {x}, "y", DType::kFloat32, {1, 4}));
  m.subgraphs[0].ops[0].inputs = {-1, 99};
  m.subgraphs[0].ops[0].outputs = {};
  EXPECT_EQ(tflite_export::RequiredOpVersion(m.subgraphs[0], m.subgraphs[0].ops[0]), 1);
}

}  // namespace
}  // namespace detlite
