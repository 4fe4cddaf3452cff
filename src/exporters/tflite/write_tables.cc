// Deduplicating tables: buffers (by content) and operator codes.
#include <algorithm>
#include <string_view>

#include "exporters/tflite/write_parts.h"

namespace detlite::tflite_export {

uint32_t BufferTable::Add(const ir::Bytes& bytes) {
  if (bytes.empty()) return 0;
  const size_t h = std::hash<std::string_view>{}(std::string_view(
      reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  auto [first, last] = by_hash_.equal_range(h);
  for (auto it = first; it != last; ++it) {
    if (*blobs_[it->second - 1] == bytes) return it->second;
  }
  blobs_.push_back(&bytes);
  const auto index = static_cast<uint32_t>(blobs_.size());
  by_hash_.emplace(h, index);
  return index;
}

Offset<flatbuffers::Vector<Offset<fb::Buffer>>> BufferTable::Build(
    Builder& b, bool external) const {
  std::vector<Offset<fb::Buffer>> out;
  out.reserve(blobs_.size() + 1);
  out.push_back(fb::CreateBuffer(b));
  for (const ir::Bytes* blob : blobs_) {
    if (external) {
      out.push_back(fb::CreateBuffer(b, 0, /*offset=*/1, blob->size()));
    } else {
      out.push_back(fb::CreateBufferDirect(b, blob));
    }
  }
  return b.CreateVector(out);
}

uint32_t OpCodeTable::Index(int32_t code, const std::string& custom,
                            int32_t version) {
  auto key = std::make_tuple(code, custom, version);
  auto it = index_.find(key);
  if (it != index_.end()) return it->second;
  const auto index = static_cast<uint32_t>(codes_.size());
  codes_.push_back(key);
  index_.emplace(std::move(key), index);
  return index;
}

Offset<flatbuffers::Vector<Offset<fb::OperatorCode>>> OpCodeTable::Build(
    Builder& b) const {
  constexpr int32_t kPlaceholder =
      static_cast<int32_t>(fb::BuiltinOperator::PLACEHOLDER_FOR_GREATER_OP_CODES);
  std::vector<Offset<fb::OperatorCode>> out;
  for (const auto& [code, custom, version] : codes_) {
    // Readers that only know the byte-wide field see 127 for newer ops.
    const auto deprecated = static_cast<int8_t>(std::min(code, kPlaceholder));
    out.push_back(fb::CreateOperatorCode(
        b, deprecated, custom.empty() ? 0 : b.CreateString(custom), version,
        static_cast<fb::BuiltinOperator>(code)));
  }
  return b.CreateVector(out);
}

}  // namespace detlite::tflite_export
