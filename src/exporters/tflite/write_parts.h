// The pieces of the .tflite writer: buffer table, operator-code table,
// tensors, options, operators. tflite_writer.cc validates the model first
// (write_validate.cc), so these may assume indices and sizes are sound.
#ifndef DETLITE_EXPORTERS_TFLITE_WRITE_PARTS_H_
#define DETLITE_EXPORTERS_TFLITE_WRITE_PARTS_H_

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "detlite/schemas/tflite_generated.h"
#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite::tflite_export {

using Builder = flatbuffers::FlatBufferBuilder;
template <typename T>
using Offset = flatbuffers::Offset<T>;

// Model.buffers: index 0 empty, then one entry per distinct blob.
class BufferTable {
 public:
  // Returns the buffer index for `bytes` (0 when empty). The bytes must
  // outlive the table (they belong to the model being written).
  uint32_t Add(const ir::Bytes& bytes);
  // Inline: each blob in Buffer.data. External: Buffer.offset is a
  // placeholder (1) and Buffer.size the length; PatchOffsets fixes them.
  Offset<flatbuffers::Vector<Offset<fb::Buffer>>> Build(Builder& b,
                                                        bool external) const;
  const std::vector<const ir::Bytes*>& blobs() const { return blobs_; }

 private:
  std::vector<const ir::Bytes*> blobs_;  // blobs_[i] is buffer i + 1
  std::unordered_multimap<size_t, uint32_t> by_hash_;
};

// Model.operator_codes, one per distinct (code, custom name, version).
class OpCodeTable {
 public:
  uint32_t Index(int32_t code, const std::string& custom, int32_t version);
  Offset<flatbuffers::Vector<Offset<fb::OperatorCode>>> Build(Builder& b) const;

 private:
  std::vector<std::tuple<int32_t, std::string, int32_t>> codes_;
  std::map<std::tuple<int32_t, std::string, int32_t>, uint32_t> index_;
};

// write_validate.cc: everything the writer relies on, checked once.
Status ValidateForWrite(const ir::Model& model);

// write_tensor.cc
fb::TensorType ToTensorType(DType t);
Offset<fb::Tensor> WriteTensor(Builder& b, const ir::Tensor& t,
                               uint32_t buffer);

// write_options.cc: the union member for the op's IR options (NONE for
// std::monostate). Fails when the options type does not fit the op kind.
StatusOr<std::pair<fb::BuiltinOptions, Offset<void>>> WriteBuiltinOptions(
    Builder& b, const ir::Operator& op, const std::string& who);

}  // namespace detlite::tflite_export

#endif  // DETLITE_EXPORTERS_TFLITE_WRITE_PARTS_H_
