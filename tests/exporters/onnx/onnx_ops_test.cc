// Ops the real float detectors do not use (or use with one setting only),
// each in a small graph with random weights: the exported ONNX model run in
// ONNX Runtime against detlite's interpreter on the IR, within 1e-4 of each
// output's range.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <random>

#include "exporters/onnx/onnx_writer.h"
#include "ir/builder.h"
#include "runtime/interpreter.h"
#include "support/compare.h"
#include "support/onnxruntime_oracle.h"
#include "support/paths.h"

namespace detlite {
namespace {

using ir::OpKind;
constexpr double kFloatRelTol = 1e-4;
constexpr DType F32 = DType::kFloat32;

std::vector<float> Random(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> v(static_cast<size_t>(n));
  for (float& x : v) x = u(rng);
  return v;
}

int32_t Weights(ir::Builder& b, const std::string& name, Shape shape) {
  static uint32_t seed = 100;
  return b.ConstantF32(name, shape, Random(shape.NumElements(), seed++));
}

void ExpectOrtAgrees(const ir::Model& m, const std::string& tag) {
  std::string why;
  ASSERT_TRUE(testing::OnnxRuntimeAvailable(&why)) << why;
  const std::string path = testing::TempDir() + "/" + tag + ".onnx";
  Status s = WriteOnnxFile(m, path);
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto interp = runtime::Interpreter::Create(m);
  ASSERT_TRUE(interp.ok()) << interp.status().ToString();
  const ir::Subgraph& sg = m.subgraphs[0];
  std::vector<std::vector<uint8_t>> inputs;
  for (size_t i = 0; i < sg.inputs.size(); ++i) {
    const ir::Tensor& t = sg.tensors[static_cast<size_t>(sg.inputs[i])];
    std::vector<float> v = Random(t.shape.NumElements(), 7 + static_cast<uint32_t>(i));
    std::vector<uint8_t> bytes(v.size() * 4);
    std::memcpy(bytes.data(), v.data(), bytes.size());
    ASSERT_TRUE((*interp)->SetInput(static_cast<int>(i), bytes.data(), bytes.size()).ok());
    inputs.push_back(std::move(bytes));
  }
  ASSERT_TRUE((*interp)->Invoke().ok());
  auto ort = testing::RunInOnnxRuntime(path, inputs);
  ASSERT_TRUE(ort.ok()) << ort.status().ToString();
  ASSERT_EQ(ort->outputs.size(), sg.outputs.size());
  for (size_t i = 0; i < sg.outputs.size(); ++i) {
    const runtime::TensorRef& ours = (*interp)->output(static_cast<int>(i));
    std::vector<uint8_t> mine(ours.data, ours.data + ours.bytes);
    const testing::Diff d = testing::CompareBuffers("float32", ort->outputs[i].bytes, mine);
    ASSERT_GE(d.count, 0) << tag << " output " << ours.name() << ": size mismatch";
    std::printf("[onnx op agreement] %s '%s': %s\n", tag.c_str(), ours.name().c_str(),
                d.ToString().c_str());
    EXPECT_GT(d.range, 0.0) << ours.name();
    EXPECT_LE(d.relative, kFloatRelTol) << tag << " " << ours.name() << " " << d.ToString();
  }
}

TEST(OnnxOpsTest, ConvPoolFullyConnectedSoftmax) {
  ir::Model m;
  ir::Builder b(&m);
  int32_t x = b.Input("x", F32, {1, 9, 11, 4});
  ir::Conv2DOptions conv{ir::Padding::kSame, 2, 2, 1, 1, ir::Activation::kRelu6};
  x = b.Op(OpKind::kConv2D, {x, Weights(b, "w1", {8, 3, 3, 4}), Weights(b, "b1", {8})}, "conv",
           F32, {1, 5, 6, 8}, conv);
  ir::DepthwiseConv2DOptions dw{ir::Padding::kSame, 1, 1, 2, 2, 2, ir::Activation::kNone};
  x = b.Op(OpKind::kDepthwiseConv2D, {x, Weights(b, "w2", {1, 3, 3, 16}), Weights(b, "b2", {16})},
           "dw_mult2_dil2", F32, {1, 5, 6, 16}, dw);
  ir::Pool2DOptions avg{ir::Padding::kSame, 2, 2, 2, 2, ir::Activation::kNone};
  x = b.Op(OpKind::kAveragePool2D, {x}, "avg", F32, {1, 3, 3, 16}, avg);
  ir::Pool2DOptions mx{ir::Padding::kValid, 1, 1, 3, 3, ir::Activation::kRelu};
  x = b.Op(OpKind::kMaxPool2D, {x}, "max", F32, {1, 1, 1, 16}, mx);
  x = b.Op(OpKind::kReshape, {x, b.ConstantI32("shape", {2}, {1, 16})}, "flat", F32, {1, 16},
           ir::ReshapeOptions{{1, 16}});
  ir::FullyConnectedOptions fc;
  fc.activation = ir::Activation::kReluN1To1;
  x = b.Op(OpKind::kFullyConnected, {x, Weights(b, "w3", {5, 16}), Weights(b, "b3", {5})}, "fc",
           F32, {1, 5}, fc);
  b.Output(x);
  b.Output(b.Op(OpKind::kSoftmax, {x}, "probs", F32, {1, 5}, ir::SoftmaxOptions{2.5f}));
  ExpectOrtAgrees(m, "conv_pool_fc");
}

TEST(OnnxOpsTest, ResizeEveryCoordinateMode) {
  ir::Model m;
  ir::Builder b(&m);
  int32_t x = b.Input("x", F32, {1, 5, 7, 3});
  // Through a conv first, so the resizes read an NCHW activation.
  ir::Conv2DOptions conv{ir::Padding::kSame, 1, 1, 1, 1, ir::Activation::kNone};
  x = b.Op(OpKind::kConv2D, {x, Weights(b, "w", {3, 1, 1, 3})}, "c", F32, {1, 5, 7, 3}, conv);
  const int32_t size = b.ConstantI32("size", {2}, {9, 12});
  int k = 0;
  for (OpKind kind : {OpKind::kResizeBilinear, OpKind::kResizeNearestNeighbor}) {
    for (auto [align, half] : {std::pair{false, false}, {true, false}, {false, true}}) {
      b.Output(b.Op(kind, {x, size}, "resize_" + std::to_string(k++), F32, {1, 9, 12, 3},
                    ir::ResizeOptions{align, half}));
    }
  }
  ExpectOrtAgrees(m, "resize");
}

TEST(OnnxOpsTest, ElementwiseAndLayoutOps) {
  ir::Model m;
  ir::Builder b(&m);
  int32_t in = b.Input("x", F32, {1, 4, 4, 6});
  ir::Conv2DOptions conv{ir::Padding::kValid, 1, 1, 1, 1, ir::Activation::kNone};
  int32_t c = b.Op(OpKind::kConv2D, {in, Weights(b, "w", {6, 1, 1, 6})}, "c", F32, {1, 4, 4, 6}, conv);
  ir::ArithmeticOptions relu{ir::Activation::kRelu, true};
  int32_t a = b.Op(OpKind::kAdd, {c, Weights(b, "bias", {6})}, "add_c", F32, {1, 4, 4, 6}, relu);
  int32_t s = b.Op(OpKind::kSub, {a, in}, "sub_mixed_layouts", F32, {1, 4, 4, 6}, ir::ArithmeticOptions{});
  int32_t mu = b.Op(OpKind::kMul, {s, Weights(b, "scale", {1, 1, 4, 6})}, "mul_hw", F32, {1, 4, 4, 6},
                    ir::ArithmeticOptions{});
  int32_t hs = b.Op(OpKind::kHardSwish, {mu}, "hswish", F32, {1, 4, 4, 6});
  int32_t lr = b.Op(OpKind::kLeakyRelu, {c}, "leaky", F32, {1, 4, 4, 6}, ir::LeakyReluOptions{0.2f});
  int32_t sg = b.Op(OpKind::kLogistic, {lr}, "sigmoid", F32, {1, 4, 4, 6});
  int32_t cat = b.Op(OpKind::kConcatenation, {hs, sg}, "concat", F32, {1, 4, 4, 12},
                     ir::ConcatenationOptions{-1, ir::Activation::kNone});
  int32_t pad = b.Op(OpKind::kPadv2,
                     {cat, b.ConstantI32("pads", {4, 2}, {0, 0, 1, 2, 0, 1, 0, 2}),
                      b.ConstantF32("pad_value", {}, {0.5f})},
                     "padv2", F32, {1, 7, 5, 14});
  b.Output(b.Op(OpKind::kMean, {pad, b.ConstantI32("axes", {2}, {1, 2})}, "mean", F32, {1, 14},
                ir::ReducerOptions{false}));
  int32_t s2d = b.Op(OpKind::kSpaceToDepth, {cat}, "s2d", F32, {1, 2, 2, 48}, ir::BlockSizeOptions{2});
  b.Output(b.Op(OpKind::kDepthToSpace, {s2d}, "d2s", F32, {1, 4, 4, 12}, ir::BlockSizeOptions{2}));
  b.Output(b.Op(OpKind::kTranspose, {s2d, b.ConstantI32("perm", {4}, {0, 3, 1, 2})}, "transpose",
                F32, {1, 48, 2, 2}));
  ExpectOrtAgrees(m, "elementwise_layout");
}

}  // namespace
}  // namespace detlite
