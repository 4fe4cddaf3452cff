// Deliberately broken files, built with the FlatBuffers builder one defect
// at a time: each must give a Status that names the file and the problem.
#include <gtest/gtest.h>

#include <climits>
#include <string>
#include <vector>

#include "importers/tflite/tflite_reader.h"
#include "tiny_tflite.h"

namespace detlite {
namespace {

using testing::BuildTiny;
using testing::TinySpec;

constexpr char kName[] = "tiny.tflite";

Status Read(const std::vector<uint8_t>& bytes) {
  return ReadTfliteBuffer(bytes.data(), bytes.size(), kName).status();
}

// The error names the file first, then says what is wrong.
void ExpectError(const TinySpec& spec, const std::string& fragment,
                 StatusCode code = StatusCode::kDataLoss) {
  Status s = Read(BuildTiny(spec));
  ASSERT_FALSE(s.ok()) << "accepted a file that should fail with: " << fragment;
  EXPECT_EQ(s.code(), code) << s.ToString();
  EXPECT_EQ(s.message().rfind(std::string(kName) + ": ", 0), 0u) << s.message();
  EXPECT_NE(s.message().find(fragment), std::string::npos) << s.message();
}

TEST(TfliteReject, TinyModelIsValid) {
  auto bytes = BuildTiny({});
  auto m = ReadTfliteBuffer(bytes.data(), bytes.size(), kName);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m->signatures.size(), 1u);
  EXPECT_EQ(m->signatures[0].key, "serving_default");
  EXPECT_EQ(m->signatures[0].inputs[0].name, "x");
  EXPECT_EQ(m->signatures[0].outputs[0].tensor_index, 3);
  EXPECT_EQ(m->subgraphs[0].ops[0].kind, ir::OpKind::kConv2D);
  EXPECT_EQ(m->subgraphs[0].name, "main");
}

TEST(TfliteReject, TooShortOrNotTflite) {
  for (size_t n : {0, 1, 4, 7}) {
    std::vector<uint8_t> bytes(n, 0);
    Status s = Read(bytes);
    EXPECT_FALSE(s.ok());
    EXPECT_NE(s.message().find("too short"), std::string::npos) << s.message();
  }
  auto bytes = BuildTiny({});
  bytes[4] = 'X';
  Status s = Read(bytes);
  EXPECT_NE(s.message().find("identifier is 'XFL3'"), std::string::npos) << s.message();
}

TEST(TfliteReject, UnalignedInputIsCopiedNotMisread) {
  const auto bytes = BuildTiny({});
  std::vector<uint8_t> shifted(bytes.size() + 1);
  std::copy(bytes.begin(), bytes.end(), shifted.begin() + 1);
  auto m = ReadTfliteBuffer(shifted.data() + 1, bytes.size(), kName);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->subgraphs[0].tensors.size(), 4u);
}

TEST(TfliteReject, SchemaVersion) {
  ExpectError({.version = 2}, "schema version 2", StatusCode::kUnimplemented);
}

TEST(TfliteReject, BufferIndexOutOfRange) {
  ExpectError({.weight_buffer = 9}, "tensor 1 'conv/weights' refers to buffer 9");
}

TEST(TfliteReject, DataSizeMismatch) {
  ExpectError({.weight_bytes = 12},
              "tensor 1 'conv/weights' has 12 bytes, shape [2,1,1,2] float32 needs 16");
  ExpectError({.weight_type = fb::TensorType::INT8}, "int8 needs 4");
}

TEST(TfliteReject, BadShapes) {
  ExpectError({.input_shape = {1, -2, 2, 2}}, "negative dimension");
  ExpectError({.input_shape = {INT_MAX, INT_MAX, INT_MAX, INT_MAX, INT_MAX}},
              "overflows");
  ExpectError({.input_shape = std::vector<int32_t>(17, 1)}, "rank 17");
  ExpectError({.input_shape = {100000, 100000, 100000}}, "larger than the 4 GiB",
              StatusCode::kUnimplemented);
}

TEST(TfliteReject, OperatorTensorIndices) {
  ExpectError({.op_inputs = {0, 7, 2}}, "operator 0 (CONV_2D) input refers to tensor 7");
  ExpectError({.op_inputs = {0, 1, -2}}, "refers to tensor -2");
  ExpectError({.op_outputs = {-1}}, "output refers to tensor -1");
  ExpectError({.subgraph_outputs = {4}}, "subgraph output refers to tensor 4");
  // -1 marks an absent optional input and is fine.
  EXPECT_TRUE(Read(BuildTiny({.op_inputs = {0, 1, -1}})).ok());
}

TEST(TfliteReject, OperatorCodes) {
  ExpectError({.opcode_index = 5}, "operator 0 uses operator code 5, but the model has 1");
  ExpectError({.deprecated_code = -3, .code = static_cast<fb::BuiltinOperator>(-3)},
              "builtin code -3");
  ExpectError({.deprecated_code = 32, .code = fb::BuiltinOperator::CUSTOM},
              "custom op with no name");
  // Files written before builtin_code existed carry only the byte field.
  EXPECT_TRUE(Read(BuildTiny({.deprecated_code = 3, .code = fb::BuiltinOperator::ADD})).ok());
}

TEST(TfliteReject, OptionsMustFitTheOp) {
  ExpectError({.pool_options_instead = true},
              "carries Pool2DOptions, but takes Conv2DOptions");
  ExpectError({.stride = 0}, "invalid stride_w 0");
  ExpectError({.activation = 9}, "invalid fused activation 9");
}

TEST(TfliteReject, PerAxisQuantization) {
  ExpectError({.weight_scales = {1, 2, 3}}, "3 per-axis scales along dimension 0");
  ExpectError({.weight_scales = {1, 2}, .quantized_dimension = 4},
              "quantized_dimension 4 for a tensor of rank 4");
  const auto bytes = BuildTiny({.weight_scales = {1, 2}, .quantized_dimension = 3});
  auto ok = ReadTfliteBuffer(bytes.data(), bytes.size(), kName);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->subgraphs[0].tensors[1].quant.quantized_dimension, 3);
}

TEST(TfliteReject, MetadataAndSignatures) {
  ExpectError({.metadata_buffer = 99}, "metadata 'min_runtime_version' refers to buffer 99");
  ExpectError({.signature_tensor = 10}, "signature 'serving_default' names tensor 10");
  ExpectError({.signature_subgraph = 2}, "refers to subgraph 2");
}

TEST(TfliteReject, ExternalBuffersMustLieInsideTheFile) {
  ExpectError({.weight_external = std::make_pair(uint64_t{1} << 40, uint64_t{16})},
              "beyond the end");
  ExpectError({.weight_external = std::make_pair(UINT64_MAX - 3, uint64_t{16})},
              "beyond the end");
  // The same file with the bytes really appended reads fine: the offset's
  // value does not change the FlatBuffer's size, so build, then rebuild.
  const size_t fb_size = BuildTiny({.weight_external = std::make_pair(2, 16)}).size();
  const uint64_t at = (fb_size + 15) / 16 * 16;
  auto bytes = BuildTiny({.weight_external = std::make_pair(at, uint64_t{16})});
  ASSERT_EQ(bytes.size(), fb_size);
  bytes.resize(at, 0);
  for (uint8_t i = 0; i < 16; ++i) bytes.push_back(i);
  auto m = ReadTfliteBuffer(bytes.data(), bytes.size(), kName);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const auto& data = *m->subgraphs[0].tensors[1].data;
  ASSERT_EQ(data.size(), 16u);
  EXPECT_EQ(data[15], 15);
  // One byte short of the blob's end.
  bytes.pop_back();
  EXPECT_FALSE(Read(bytes).ok());
}

TEST(TfliteReject, SparseLayoutIsChecked) {
  auto ok = BuildTiny({.weight_bytes = 12, .sparse_weights = true});
  auto m = ReadTfliteBuffer(ok.data(), ok.size(), kName);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_TRUE(m->subgraphs[0].tensors[1].sparsity.has_value());
  EXPECT_EQ(m->subgraphs[0].tensors[1].sparsity->dim_metadata[3].indices_width, 8);

  ExpectError({.weight_bytes = 16, .sparse_weights = true}, "3 stored values of float32");
  ExpectError({.weight_bytes = 12, .sparse_weights = true, .sparse_indices = {0, 0, 2}},
              "index 2 is outside the dimension of 2");
  ExpectError({.weight_bytes = 16, .sparse_weights = true, .sparse_indices = {0, 0, 1, 1}},
              "longer than the dimension");
}

}  // namespace
}  // namespace detlite
