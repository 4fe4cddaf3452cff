// The quantization spec verifier catches each kind of violation.
#include <gtest/gtest.h>

#include "ir/builder.h"
#include "quant/quantize_constants.h"
#include "quant/spec_check.h"

namespace detlite::quant {
namespace {

using ir::OpKind;

bool Mentions(const std::vector<std::string>& problems, const std::string& what) {
  for (const auto& p : problems) if (p.find(what) != std::string::npos) return true;
  return false;
}

// x(int8) -> CONV_2D(int8 weights, int32 bias) -> y -> RESHAPE -> z.
struct ConvModel {
  ir::Model m;
  int32_t w = -1, bias = -1, y = -1, z = -1;
  ConvModel() {
    ir::Builder b(&m);
    int32_t x = b.Input("x", DType::kInt8, {1, 2, 2, 2}, ir::PerTensorQuant(0.5f, 0));
    ir::Tensor wf;
    wf.name = "w";
    wf.shape = Shape({2, 1, 1, 2});
    wf.data = std::make_shared<ir::Bytes>(16);
    const float wv[] = {1, -2, 0.5f, 0.25f};
    std::memcpy(const_cast<uint8_t*>(wf.data->data()), wv, 16);
    ir::Tensor wq = *QuantizeWeights(wf, 0, false);
    w = b.subgraph().AddTensor(wq);
    ir::Tensor bf;
    bf.name = "b";
    bf.shape = Shape({2});
    bf.data = std::make_shared<ir::Bytes>(8, 0);
    bias = b.subgraph().AddTensor(*QuantizeBias(bf, 0.5f, wq.quant.scale));
    y = b.Op(OpKind::kConv2D, {x, w, bias}, "y", DType::kInt8, {1, 2, 2, 2}, ir::Conv2DOptions{},
             ir::PerTensorQuant(0.25f, -3));
    z = b.Op(OpKind::kReshape, {y}, "z", DType::kInt8, {8}, ir::ReshapeOptions{{8}},
             ir::PerTensorQuant(0.25f, -3));
    b.Output(z);
  }
  ir::Tensor& T(int32_t i) { return m.subgraphs[0].tensors[static_cast<size_t>(i)]; }
};

TEST(SpecCheckTest, AcceptsAGraphBuiltByTheRules) {
  ConvModel c;
  EXPECT_TRUE(CheckQuantizationSpec(c.m.subgraphs[0]).empty());
}

TEST(SpecCheckTest, FindsEachViolation) {
  {
    ConvModel c;
    c.T(c.z).quant = ir::PerTensorQuant(0.3f, -3);
    EXPECT_TRUE(Mentions(CheckQuantizationSpec(c.m.subgraphs[0]), "share scale"));
  }
  {
    ConvModel c;
    c.T(c.bias).quant.scale[0] *= 2;
    EXPECT_TRUE(Mentions(CheckQuantizationSpec(c.m.subgraphs[0]), "input scale * weight scale"));
  }
  {
    ConvModel c;
    c.T(c.w).quant.zero_point[1] = 3;
    EXPECT_TRUE(Mentions(CheckQuantizationSpec(c.m.subgraphs[0]), "nonzero zero point"));
  }
  {
    ConvModel c;
    auto bytes = std::make_shared<ir::Bytes>(*c.T(c.w).data);
    (*bytes)[0] = 0x80;  // -128
    c.T(c.w).data = bytes;
    EXPECT_TRUE(Mentions(CheckQuantizationSpec(c.m.subgraphs[0]), "[-127, 127]"));
  }
  {
    ConvModel c;
    c.T(c.y).quant.scale = {0.25f, 0.5f};
    c.T(c.y).quant.zero_point = {0, 0};
    EXPECT_TRUE(Mentions(CheckQuantizationSpec(c.m.subgraphs[0]), "per tensor"));
  }
}

TEST(SpecCheckTest, LogisticNeedsItsFixedScale) {
  ir::Model m;
  ir::Builder b(&m);
  int32_t x = b.Input("x", DType::kInt8, {4}, ir::PerTensorQuant(0.1f, 0));
  b.Output(b.Op(OpKind::kLogistic, {x}, "y", DType::kInt8, {4}, {}, ir::PerTensorQuant(0.01f, 0)));
  EXPECT_TRUE(Mentions(CheckQuantizationSpec(m.subgraphs[0]), "scale 0.003906"));
}

TEST(QuantizeConstantsTest, PerChannelWeightsAndBias) {
  ir::Tensor w;
  w.name = "w";
  w.shape = Shape({2, 2});
  const float v[] = {1.27f, -0.5f, 0.0f, 0.0f};
  auto bytes = std::make_shared<ir::Bytes>(16);
  std::memcpy(bytes->data(), v, 16);
  w.data = bytes;
  ir::Tensor q = *QuantizeWeights(w, 0, false);
  ASSERT_EQ(q.quant.scale.size(), 2u);
  EXPECT_FLOAT_EQ(q.quant.scale[0], 0.01f);
  const auto* qv = reinterpret_cast<const int8_t*>(q.data->data());
  EXPECT_EQ(qv[0], 127);
  EXPECT_EQ(qv[1], -50);
  EXPECT_EQ(qv[2], 0);
  ir::Tensor pt = *QuantizeWeights(w, 0, true);
  EXPECT_EQ(pt.quant.scale.size(), 1u);
  ir::Tensor b;
  b.name = "b";
  b.shape = Shape({2});
  const float bv[] = {0.02f, -1.0f};
  auto bb = std::make_shared<ir::Bytes>(8);
  std::memcpy(bb->data(), bv, 8);
  b.data = bb;
  ir::Tensor qb = *QuantizeBias(b, 0.5f, q.quant.scale);
  EXPECT_EQ(qb.dtype, DType::kInt32);
  EXPECT_FLOAT_EQ(qb.quant.scale[0], 0.005f);
  EXPECT_EQ(reinterpret_cast<const int32_t*>(qb.data->data())[0], 4);
  EXPECT_FALSE(QuantizeBias(b, 0.5f, {1.0f, 2.0f, 3.0f}).ok());
}

}  // namespace
}  // namespace detlite::quant
