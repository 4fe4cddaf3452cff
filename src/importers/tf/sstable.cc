#include "importers/tf/sstable.h"

#include <cstdint>
#include <cstring>

#include "core/crc32c.h"

namespace detlite::tf_import {
namespace {

constexpr uint64_t kTableMagic = 0xdb4775248b80fb57ull;
constexpr size_t kFooterSize = 48;
constexpr size_t kTrailerSize = 5;
constexpr size_t kMaxBlockBytes = size_t{256} << 20;

bool GetVarint(std::string_view in, size_t* pos, uint64_t* v, int max_bytes) {
  *v = 0;
  for (int i = 0; i < max_bytes; ++i) {
    if (*pos >= in.size()) return false;
    const uint8_t b = static_cast<uint8_t>(in[(*pos)++]);
    *v |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if (!(b & 0x80)) return true;
  }
  return false;
}

uint32_t Fixed32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

struct Handle {
  uint64_t offset = 0, size = 0;
};

bool DecodeHandle(std::string_view in, size_t* pos, Handle* h) {
  return GetVarint(in, pos, &h->offset, 10) && GetVarint(in, pos, &h->size, 10);
}

// The block's bytes, CRC-checked and uncompressed.
StatusOr<std::string> ReadBlock(std::string_view file, const Handle& h, const std::string& name) {
  if (h.offset > file.size() || h.size > file.size() - h.offset ||
      kTrailerSize > file.size() - h.offset - h.size || h.size > kMaxBlockBytes) {
    return DataLoss(name + ": block at " + std::to_string(h.offset) + " (size " +
                    std::to_string(h.size) + ") lies outside the file");
  }
  const char* p = file.data() + h.offset;
  const uint8_t type = static_cast<uint8_t>(p[h.size]);
  const uint32_t actual = crc32c::Value(p, h.size + 1);
  if (crc32c::Unmask(Fixed32(p + h.size + 1)) != actual) {
    return DataLoss(name + ": CRC-32C mismatch in block at offset " + std::to_string(h.offset));
  }
  if (type == 0) return std::string(p, h.size);
  if (type == 1) {
    auto s = SnappyUncompress(std::string_view(p, h.size), kMaxBlockBytes);
    if (!s.ok()) return DataLoss(name + ": block at " + std::to_string(h.offset) + ": " + s.status().message());
    return s;
  }
  return Unimplemented(name + ": block compression type " + std::to_string(type) + " is not supported");
}

// Walks a block's entries, reconstructing prefix-compressed keys.
Status ParseBlock(const std::string& block, const std::string& name,
                  std::map<std::string, std::string>* out) {
  if (block.size() < 4) return DataLoss(name + ": block too small");
  const uint32_t restarts = Fixed32(block.data() + block.size() - 4);
  if (restarts > (block.size() - 4) / 4) return DataLoss(name + ": bad restart count");
  const size_t end = block.size() - 4 - size_t{restarts} * 4;
  std::string_view data(block.data(), end);
  size_t pos = 0;
  std::string key;
  while (pos < end) {
    uint64_t shared, unshared, vlen;
    if (!GetVarint(data, &pos, &shared, 5) || !GetVarint(data, &pos, &unshared, 5) ||
        !GetVarint(data, &pos, &vlen, 5) || shared > key.size() || unshared > end - pos ||
        vlen > end - pos - unshared) {
      return DataLoss(name + ": corrupt block entry at byte " + std::to_string(pos));
    }
    key.resize(shared);
    key.append(data.data() + pos, unshared);
    pos += unshared;
    (*out)[key] = std::string(data.data() + pos, vlen);
    pos += vlen;
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::map<std::string, std::string>> ReadTable(std::string_view file,
                                                       const std::string& name) {
  if (file.size() < kFooterSize) return DataLoss(name + ": too small to be a table");
  const char* footer = file.data() + file.size() - kFooterSize;
  uint64_t magic;
  std::memcpy(&magic, footer + 40, 8);
  if (magic != kTableMagic) return DataLoss(name + ": bad table magic number");
  std::string_view f(footer, 40);
  size_t pos = 0;
  Handle meta, index;
  if (!DecodeHandle(f, &pos, &meta) || !DecodeHandle(f, &pos, &index)) {
    return DataLoss(name + ": corrupt table footer");
  }
  ASSIGN_OR_RETURN(std::string index_block, ReadBlock(file, index, name));
  std::map<std::string, std::string> handles, entries;
  RETURN_IF_ERROR(ParseBlock(index_block, name, &handles));
  for (const auto& [last_key, value] : handles) {
    Handle h;
    size_t p = 0;
    if (!DecodeHandle(value, &p, &h)) return DataLoss(name + ": corrupt index entry");
    ASSIGN_OR_RETURN(std::string block, ReadBlock(file, h, name));
    RETURN_IF_ERROR(ParseBlock(block, name, &entries));
  }
  return entries;
}

}  // namespace detlite::tf_import
