// Shared state of one .tflite read: the file's bytes, its verified root
// table, how errors are phrased, and the model's buffers resolved once each
// (tensors that share a buffer share its bytes).
#ifndef DETLITE_IMPORTERS_TFLITE_READ_CONTEXT_H_
#define DETLITE_IMPORTERS_TFLITE_READ_CONTEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "detlite/schemas/tflite_generated.h"
#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite::tflite_import {

// No real tensor comes close; the caps keep a hostile shape from reaching
// an allocation or an overflowing multiplication.
inline constexpr int kMaxRank = 16;
inline constexpr uint64_t kMaxTensorBytes = 4ull << 30;

class ReadContext {
 public:
  ReadContext(const uint8_t* data, size_t size, std::string file)
      : data_(data), size_(size), file_(std::move(file)) {}

  // Verifies the FlatBuffer (structure and identifier) and the model version;
  // must succeed before model() is used.
  Status Open();
  const fb::Model& model() const { return *model_; }

  // DataLoss("<file>: <what>"): the file is corrupt or inconsistent.
  Status Corrupt(const std::string& what) const;
  // Unimplemented("<file>: <what>"): valid, but not something detlite reads.
  Status Unsupported(const std::string& what) const;

  // The bytes of buffer `index` (inline or after the FlatBuffer), checked to
  // lie inside the file; nullptr for an empty buffer. `who` names the user
  // ("tensor 3 'x'") for error messages.
  StatusOr<ir::ConstBytes> Buffer(uint32_t index, const std::string& who);
  // Bytes at [offset, offset + size) of the file, checked.
  StatusOr<ir::Bytes> FileRange(uint64_t offset, uint64_t size,
                                const std::string& who) const;

  // Records a part of the file the IR cannot carry (see
  // ir::Model::unsupported_features).
  void NoteUnsupported(std::string what) {
    unsupported_.push_back(std::move(what));
  }
  std::vector<std::string> TakeUnsupported() { return std::move(unsupported_); }

 private:
  const uint8_t* data_;
  size_t size_;
  std::string file_;
  const fb::Model* model_ = nullptr;
  std::vector<ir::ConstBytes> buffer_cache_;
  std::vector<bool> buffer_done_;
  std::vector<std::string> unsupported_;
};

// "tensor 12 'conv/weights'" (no quotes part when unnamed).
std::string TensorLabel(int32_t index, const fb::Tensor* t);

// Copies an optional FlatBuffer vector into a std::vector (empty if absent).
template <typename T, typename U = T>
std::vector<U> ToVector(const flatbuffers::Vector<T>* v) {
  std::vector<U> out;
  if (v == nullptr) return out;
  out.reserve(v->size());
  for (flatbuffers::uoffset_t i = 0; i < v->size(); ++i) {
    out.push_back(static_cast<U>(v->Get(i)));
  }
  return out;
}

inline std::string ToString(const flatbuffers::String* s) {
  return s == nullptr ? std::string() : s->str();
}

}  // namespace detlite::tflite_import

#endif  // DETLITE_IMPORTERS_TFLITE_READ_CONTEXT_H_
