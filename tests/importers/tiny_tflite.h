// A small valid .tflite built with the FlatBuffers builder, with knobs that
// break one thing at a time, for tests of the reader's checks. Default:
//   input x float32 [1,2,2,2] -> CONV_2D(w [2,1,1,2], b [2]) -> y [1,2,2,2]
// plus metadata "min_runtime_version" and a signature "serving_default".
#ifndef DETLITE_TESTS_IMPORTERS_TINY_TFLITE_H_
#define DETLITE_TESTS_IMPORTERS_TINY_TFLITE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "detlite/schemas/tflite_generated.h"

namespace detlite::testing {

struct TinySpec {
  uint32_t version = 3;
  std::vector<int32_t> weight_shape = {2, 1, 1, 2};
  size_t weight_bytes = 16;
  fb::TensorType weight_type = fb::TensorType::FLOAT32;
  uint32_t weight_buffer = 1;
  std::vector<int32_t> input_shape = {1, 2, 2, 2};
  std::vector<int32_t> op_inputs = {0, 1, 2};
  std::vector<int32_t> op_outputs = {3};
  std::vector<int32_t> subgraph_outputs = {3};
  uint32_t opcode_index = 0;
  int8_t deprecated_code = 3;  // CONV_2D
  fb::BuiltinOperator code = fb::BuiltinOperator::CONV_2D;
  std::string custom_code;
  bool pool_options_instead = false;  // wrong options table for CONV_2D
  int stride = 1;
  int8_t activation = 0;
  std::vector<float> weight_scales;  // per-axis quantization of w if set
  int32_t quantized_dimension = 0;
  uint32_t metadata_buffer = 3;
  uint32_t signature_tensor = 0;
  uint32_t signature_subgraph = 0;
  // External data for the weights: Buffer.offset / size instead of data.
  std::optional<std::pair<uint64_t, uint64_t>> weight_external;
  bool sparse_weights = false;
  std::vector<int32_t> sparse_indices = {0, 0, 1};  // into dim 3 (size 2)
};

inline std::vector<uint8_t> BuildTiny(const TinySpec& s) {
  flatbuffers::FlatBufferBuilder b;
  std::vector<flatbuffers::Offset<fb::Buffer>> buffers;
  buffers.push_back(fb::CreateBuffer(b));
  std::vector<uint8_t> w(s.weight_bytes, 0x3f);
  if (s.weight_external) {
    buffers.push_back(fb::CreateBuffer(b, 0, s.weight_external->first,
                                       s.weight_external->second));
  } else {
    buffers.push_back(fb::CreateBufferDirect(b, &w));
  }
  std::vector<uint8_t> bias(8, 0);
  buffers.push_back(fb::CreateBufferDirect(b, &bias));
  std::vector<uint8_t> version = {'1', '.', '5', '.', '0'};
  buffers.push_back(fb::CreateBufferDirect(b, &version));

  auto quant = s.weight_scales.empty()
                   ? 0
                   : fb::CreateQuantizationParametersDirect(
                         b, nullptr, nullptr, &s.weight_scales, nullptr,
                         fb::QuantizationDetails::NONE, 0, s.quantized_dimension);
  flatbuffers::Offset<fb::SparsityParameters> sparsity = 0;
  if (s.sparse_weights) {
    std::vector<flatbuffers::Offset<fb::DimensionMetadata>> dims;
    for (int d = 0; d < 3; ++d) {
      dims.push_back(fb::CreateDimensionMetadata(b, fb::DimensionType::DENSE,
                                                 s.weight_shape[static_cast<size_t>(d)]));
    }
    // Two rows of the flattened [2,1,1] outer dims: row 0 stores one value,
    // row 1 stores (sparse_indices.size() - 1).
    std::vector<uint8_t> seg = {0, 1, static_cast<uint8_t>(s.sparse_indices.size())};
    std::vector<uint8_t> idx(s.sparse_indices.begin(), s.sparse_indices.end());
    dims.push_back(fb::CreateDimensionMetadata(
        b, fb::DimensionType::SPARSE_CSR, 0, fb::SparseIndexVector::Uint8Vector,
        fb::CreateUint8VectorDirect(b, &seg).Union(),
        fb::SparseIndexVector::Uint8Vector,
        fb::CreateUint8VectorDirect(b, &idx).Union()));
    std::vector<int32_t> order = {0, 1, 2, 3};
    sparsity = fb::CreateSparsityParametersDirect(b, &order, nullptr, &dims);
  }
  std::vector<int32_t> bias_shape = {2};
  std::vector<flatbuffers::Offset<fb::Tensor>> tensors = {
      fb::CreateTensorDirect(b, &s.input_shape, fb::TensorType::FLOAT32, 0, "x"),
      fb::CreateTensorDirect(b, &s.weight_shape, s.weight_type, s.weight_buffer,
                             "conv/weights", quant, false, sparsity),
      fb::CreateTensorDirect(b, &bias_shape, fb::TensorType::FLOAT32, 2, "conv/bias"),
      fb::CreateTensorDirect(b, &s.input_shape, fb::TensorType::FLOAT32, 0, "y"),
  };
  auto options =
      s.pool_options_instead
          ? std::make_pair(fb::BuiltinOptions::Pool2DOptions,
                           fb::CreatePool2DOptions(b).Union())
          : std::make_pair(
                fb::BuiltinOptions::Conv2DOptions,
                fb::CreateConv2DOptions(
                    b, fb::Padding::SAME, s.stride, s.stride,
                    static_cast<fb::ActivationFunctionType>(s.activation))
                    .Union());
  std::vector<flatbuffers::Offset<fb::Operator>> ops = {fb::CreateOperatorDirect(
      b, s.opcode_index, &s.op_inputs, &s.op_outputs, options.first, options.second)};
  std::vector<int32_t> inputs = {0};
  std::vector<flatbuffers::Offset<fb::SubGraph>> subgraphs = {fb::CreateSubGraphDirect(
      b, &tensors, &inputs, &s.subgraph_outputs, &ops, "main")};
  std::vector<flatbuffers::Offset<fb::OperatorCode>> codes = {fb::CreateOperatorCode(
      b, s.deprecated_code, s.custom_code.empty() ? 0 : b.CreateString(s.custom_code), 1,
      s.code)};
  std::vector<flatbuffers::Offset<fb::Metadata>> metadata = {
      fb::CreateMetadataDirect(b, "min_runtime_version", s.metadata_buffer)};
  std::vector<flatbuffers::Offset<fb::TensorMap>> sig_in = {
      fb::CreateTensorMapDirect(b, "x", s.signature_tensor)};
  std::vector<flatbuffers::Offset<fb::TensorMap>> sig_out = {
      fb::CreateTensorMapDirect(b, "y", 3)};
  std::vector<flatbuffers::Offset<fb::SignatureDef>> sigs = {fb::CreateSignatureDefDirect(
      b, &sig_in, &sig_out, "serving_default", s.signature_subgraph)};
  auto model = fb::CreateModelDirect(b, s.version, &codes, &subgraphs, "tiny", &buffers,
                                     nullptr, &metadata, &sigs);
  fb::FinishModelBuffer(b, model);
  return std::vector<uint8_t>(b.GetBufferPointer(), b.GetBufferPointer() + b.GetSize());
}

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_IMPORTERS_TINY_TFLITE_H_
