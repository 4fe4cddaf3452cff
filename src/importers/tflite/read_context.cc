#include "importers/tflite/read_context.h"

#include <algorithm>
#include <cstring>

namespace detlite::tflite_import {

Status ReadContext::Corrupt(const std::string& what) const {
  return DataLoss(file_ + ": " + what);
}

Status ReadContext::Unsupported(const std::string& what) const {
  return Unimplemented(file_ + ": " + what);
}

Status ReadContext::Open() {
  // Smallest FlatBuffer: root offset + identifier.
  if (size_ < 8) {
    return Corrupt("file is " + std::to_string(size_) +
                   " bytes, too short to be a TFLite model");
  }
  if (!fb::ModelBufferHasIdentifier(data_)) {
    std::string id(reinterpret_cast<const char*>(data_) + 4, 4);
    for (char& c : id) {
      if (c < 0x20 || c > 0x7e) c = '?';
    }
    return Corrupt("not a TFLite model: file identifier is '" + id +
                   "', expected 'TFL3'");
  }
  // Files over 2 GB keep buffers after the FlatBuffer, which itself stays
  // under the FlatBuffers size limit; the verifier must only see that part
  // (it refuses, or asserts in debug builds, on a longer span).
  const size_t verify_len =
      std::min<size_t>(size_, FLATBUFFERS_MAX_BUFFER_SIZE - 1);
  flatbuffers::Verifier verifier(data_, verify_len, /*max_depth=*/64,
                                 /*max_tables=*/10'000'000);
  if (!fb::VerifyModelBuffer(verifier)) {
    return Corrupt(
        "FlatBuffer structure is invalid (truncated file, or an offset or "
        "length points outside it)");
  }
  model_ = fb::GetModel(data_);
  if (model_->version() != 3) {
    return Unsupported("schema version " + std::to_string(model_->version()) +
                       " is not supported (only version 3)");
  }
  const size_t n = model_->buffers() ? model_->buffers()->size() : 0;
  buffer_cache_.assign(n, nullptr);
  buffer_done_.assign(n, false);
  return Status::Ok();
}

StatusOr<ir::Bytes> ReadContext::FileRange(uint64_t offset, uint64_t size,
                                           const std::string& who) const {
  // Written so that neither sum can overflow.
  if (offset > size_ || size > size_ - offset) {
    return Corrupt(who + " refers to bytes [" + std::to_string(offset) + ", " +
                   std::to_string(offset) + "+" + std::to_string(size) +
                   ") beyond the end of the " + std::to_string(size_) +
                   "-byte file");
  }
  return ir::Bytes(data_ + offset, data_ + offset + size);
}

StatusOr<ir::ConstBytes> ReadContext::Buffer(uint32_t index,
                                             const std::string& who) {
  if (index >= buffer_cache_.size()) {
    return Corrupt(who + " refers to buffer " + std::to_string(index) +
                   ", but the model has " +
                   std::to_string(buffer_cache_.size()) + " buffers");
  }
  if (buffer_done_[index]) return buffer_cache_[index];
  const fb::Buffer* b = model_->buffers()->Get(index);
  const std::string label = "buffer " + std::to_string(index);
  ir::ConstBytes bytes;
  const bool has_inline = b->data() != nullptr && b->data()->size() > 0;
  // The format defines offsets 0 and 1 as "not used" (1 is a placeholder
  // some writers leave while laying out the file).
  if (b->offset() > 1) {
    if (has_inline) {
      return Corrupt(label + " has both inline data and a file offset");
    }
    if (b->size() > 0) {
      ASSIGN_OR_RETURN(ir::Bytes ext, FileRange(b->offset(), b->size(), label));
      bytes = std::make_shared<const ir::Bytes>(std::move(ext));
    }
  } else if (has_inline) {
    // From the raw span: element-wise iteration is slow on large weights.
    const uint8_t* p = b->data()->data();
    bytes = std::make_shared<const ir::Bytes>(p, p + b->data()->size());
  }
  buffer_cache_[index] = bytes;
  buffer_done_[index] = true;
  return bytes;
}

std::string TensorLabel(int32_t index, const fb::Tensor* t) {
  std::string s = "tensor " + std::to_string(index);
  if (t != nullptr && t->name() != nullptr && t->name()->size() > 0) {
    // A hostile name could be megabytes long; messages stay one line.
    constexpr size_t kMaxShown = 96;
    std::string name = t->name()->str();
    if (name.size() > kMaxShown) name = name.substr(0, kMaxShown) + "...";
    s += " '" + name + "'";
  }
  return s;
}

}  // namespace detlite::tflite_import
