// The writer's own rules: refusals with clear errors, operator codes for
// ops past 127, files on disk, and models built in code.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/file_io.h"
#include "detlite/schemas/tflite_generated.h"
#include "exporters/tflite/tflite_writer.h"
#include "importers/tflite/tflite_reader.h"
#include "ir/builder.h"
#include "support/ir_compare.h"
#include "support/paths.h"

namespace detlite {
namespace {

using ir::OpKind;

// x [1,4] float -> ADD(x, c) -> y
ir::Model AddModel() {
  ir::Model m;
  ir::Builder b(&m);
  int32_t x = b.Input("x", DType::kFloat32, {1, 4});
  int32_t c = b.ConstantF32("c", {4}, {1, 2, 3, 4});
  b.Output(b.Op(OpKind::kAdd, {x, c}, "y", DType::kFloat32, {1, 4},
                ir::ArithmeticOptions{ir::Activation::kRelu6, true}));
  m.description = "built in code";
  m.metadata.push_back({"min_runtime_version", {'1', '.', '1', '4', '.', '0'}});
  m.signatures.push_back({"serving_default", 0, {{"x", x}}, {{"y", 2}}});
  return m;
}

ir::Model RoundTrip(const ir::Model& m) {
  auto bytes = WriteTfliteBuffer(m);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  if (!bytes.ok()) return {};
  auto back = ReadTfliteBuffer(bytes->data(), bytes->size(), "mem");
  EXPECT_TRUE(back.ok()) << back.status().ToString();
  return back.ok() ? std::move(back).value() : ir::Model();
}

TEST(TfliteWriter, BuiltModelRoundTrips) {
  ir::Model m = AddModel();
  m.unnamed_metadata.push_back({1, 2, 3});
  m.subgraphs[0].tensors[0].shape_signature = {-1, 4};
  ir::Model back = RoundTrip(m);
  EXPECT_EQ(testing::DiffModels(m, back), "");
}

TEST(TfliteWriter, FileOnDiskReadsBack) {
  const std::string path = testing::TempDir() + "/add.tflite";
  ASSERT_TRUE(WriteTfliteFile(AddModel(), path).ok());
  auto back = ReadTfliteFile(path);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(testing::DiffModels(AddModel(), *back), "");
  // Errors name the path.
  Status s = WriteTfliteFile(AddModel(), "/nonexistent-dir/x.tflite");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/nonexistent-dir/x.tflite"), std::string::npos);
}

TEST(TfliteWriter, HighOpCodesUseBothFields) {
  ir::Model m;
  ir::Builder b(&m);
  int32_t x = b.Input("x", DType::kFloat32, {2});
  b.Output(b.Op(OpKind::kGelu, {x}, "y", DType::kFloat32, {2}, ir::GeluOptions{true}));
  auto bytes = WriteTfliteBuffer(m);
  ASSERT_TRUE(bytes.ok());
  const fb::OperatorCode* oc = fb::GetModel(bytes->data())->operator_codes()->Get(0);
  EXPECT_EQ(oc->builtin_code(), fb::BuiltinOperator::GELU);
  EXPECT_EQ(oc->deprecated_builtin_code(), 127);
  ir::Model back = RoundTrip(m);
  EXPECT_EQ(back.subgraphs[0].ops[0].kind, OpKind::kGelu);
}

TEST(TfliteWriter, SharedOptionsTypesPickTheKindsTable) {
  ir::Model m;
  ir::Builder b(&m);
  int32_t x = b.Input("x", DType::kFloat32, {2, 2});
  int32_t y = b.Op(OpKind::kSub, {x, x}, "s", DType::kFloat32, {2, 2},
                   ir::ArithmeticOptions{ir::Activation::kNone, false});
  int32_t z = b.Op(OpKind::kResizeNearestNeighbor, {y}, "r", DType::kFloat32, {2, 2},
                   ir::ResizeOptions{true, false});
  int32_t w = b.Op(OpKind::kArgMin, {z}, "a", DType::kInt32, {2},
                   ir::ArgMinMaxOptions{DType::kInt32});
  b.Output(b.Op(OpKind::kCast, {w}, "c", DType::kFloat32, {2},
                ir::CastOptions{DType::kFloat32, DType::kFloat32, true}));
  ir::Model back = RoundTrip(m);
  EXPECT_EQ(testing::DiffModels(m, back, {.op_versions = false}), "");
  auto bytes = WriteTfliteBuffer(m);
  const auto* ops = fb::GetModel(bytes->data())->subgraphs()->Get(0)->operators();
  EXPECT_EQ(ops->Get(0)->builtin_options_type(), fb::BuiltinOptions::SubOptions);
  EXPECT_EQ(ops->Get(1)->builtin_options_type(),
            fb::BuiltinOptions::ResizeNearestNeighborOptions);
  EXPECT_EQ(ops->Get(2)->builtin_options_type(), fb::BuiltinOptions::ArgMinOptions);
}

TEST(TfliteWriter, RefusesWhatItCannotWriteFaithfully) {
  ir::Model m = AddModel();
  m.subgraphs[0].ops[0].options_unsupported = true;
  auto r = WriteTfliteBuffer(m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnimplemented);
  EXPECT_NE(r.status().message().find("op 0 (ADD)"), std::string::npos) << r.status().message();

  m = AddModel();
  m.unsupported_features.push_back("tensor 3 'w': custom quantization details");
  r = WriteTfliteBuffer(m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnimplemented);
  EXPECT_NE(r.status().message().find("custom quantization"), std::string::npos);
}

TEST(TfliteWriter, RejectsInconsistentModels) {
  auto expect_invalid = [](const ir::Model& m, const std::string& fragment) {
    auto r = WriteTfliteBuffer(m);
    ASSERT_FALSE(r.ok()) << fragment;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(fragment), std::string::npos) << r.status().message();
  };
  ir::Model m = AddModel();
  m.subgraphs[0].ops[0].options = ir::Conv2DOptions{};
  expect_invalid(m, "do not belong to its op kind");
  m = AddModel();
  m.subgraphs[0].ops[0].inputs[1] = 9;
  expect_invalid(m, "op 0 (ADD) input refers to tensor 9");
  m = AddModel();
  m.subgraphs[0].tensors[1].data = std::make_shared<const ir::Bytes>(ir::Bytes(12));
  expect_invalid(m, "tensor 1 'c' has 12 bytes, shape [4] float32 needs 16");
  m = AddModel();
  m.signatures[0].outputs[0].tensor_index = 7;
  expect_invalid(m, "names tensor 7");
  m = AddModel();
  m.subgraphs[0].ops[0].kind = OpKind::kCustom;
  expect_invalid(m, "custom op with no name");
  m = AddModel();
  m.subgraphs[0].tensors[1].quant.scale = {1, 2};
  expect_invalid(m, "per-axis quantization");
  m.subgraphs.clear();
  expect_invalid(m, "no subgraphs");
}

TEST(TfliteWriter, IdenticalConstantsShareOneBuffer) {
  ir::Model m;
  ir::Builder b(&m);
  int32_t x = b.Input("x", DType::kFloat32, {4});
  int32_t c1 = b.ConstantF32("c1", {4}, {1, 2, 3, 4});
  int32_t c2 = b.ConstantF32("c2", {4}, {1, 2, 3, 4});
  int32_t y = b.Op(OpKind::kAdd, {x, c1}, "y", DType::kFloat32, {4}, ir::ArithmeticOptions{});
  b.Output(b.Op(OpKind::kAdd, {y, c2}, "z", DType::kFloat32, {4}, ir::ArithmeticOptions{}));
  auto bytes = WriteTfliteBuffer(m);
  ASSERT_TRUE(bytes.ok());
  const fb::Model* fm = fb::GetModel(bytes->data());
  EXPECT_EQ(fm->buffers()->size(), 2u);  // sentinel + one shared blob
  const auto* t = fm->subgraphs()->Get(0)->tensors();
  EXPECT_EQ(t->Get(1)->buffer(), t->Get(2)->buffer());
  EXPECT_EQ(fm->operator_codes()->size(), 1u);  // both ADDs share a code
  EXPECT_EQ(testing::DiffModels(m, RoundTrip(m)), "");
}

}  // namespace
}  // namespace detlite
