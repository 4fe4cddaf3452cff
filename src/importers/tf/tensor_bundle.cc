#include "importers/tf/tensor_bundle.h"

#include <cstdint>
#include <cstdio>
#include <cstring>

#include "core/crc32c.h"
#include "core/file_io.h"
#include "importers/tf/sstable.h"

namespace detlite::tf_import {
namespace {

constexpr uint64_t kMaxIndexBytes = uint64_t{256} << 20;

std::string ShardPath(const std::string& prefix, int shard, int num_shards) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), ".data-%05d-of-%05d", shard, num_shards);
  return prefix + buf;
}

}  // namespace

StatusOr<TensorBundle> TensorBundle::Open(const std::string& prefix) {
  TensorBundle b;
  b.prefix_ = prefix;
  b.index_path_ = prefix + ".index";
  b.shards_ = std::make_shared<std::map<int, std::vector<uint8_t>>>();
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(b.index_path_, kMaxIndexBytes));
  ASSIGN_OR_RETURN(auto table,
                   ReadTable(std::string_view(reinterpret_cast<const char*>(bytes.data()),
                                              bytes.size()),
                             b.index_path_));
  auto header = table.find("");
  if (header == table.end()) return DataLoss(b.index_path_ + ": no bundle header (key \"\")");
  tf::BundleHeaderProto h;
  if (!h.ParseFromString(header->second)) return DataLoss(b.index_path_ + ": corrupt bundle header");
  if (h.endianness() != tf::BundleHeaderProto::LITTLE) {
    return Unimplemented(b.index_path_ + ": big-endian bundles are not supported");
  }
  if (h.num_shards() < 1 || h.num_shards() > 100000) {
    return DataLoss(b.index_path_ + ": bad shard count " + std::to_string(h.num_shards()));
  }
  b.num_shards_ = h.num_shards();
  for (const auto& [key, value] : table) {
    if (key.empty()) continue;
    tf::BundleEntryProto e;
    if (!e.ParseFromString(value)) return DataLoss(b.index_path_ + ": corrupt entry for '" + key + "'");
    if (e.shard_id() < 0 || e.shard_id() >= b.num_shards_) {
      return DataLoss(b.index_path_ + ": entry '" + key + "' names shard " + std::to_string(e.shard_id()));
    }
    b.entries_.emplace(key, std::move(e));
  }
  return b;
}

std::vector<std::string> TensorBundle::Keys() const {
  std::vector<std::string> keys;
  for (const auto& [k, e] : entries_) keys.push_back(k);
  return keys;
}

StatusOr<std::string> TensorBundle::ReadBytes(const std::string& key,
                                              const tf::BundleEntryProto** entry) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) return NotFound(index_path_ + ": no variable '" + key + "' in the checkpoint");
  const tf::BundleEntryProto& e = it->second;
  *entry = &e;
  if (e.slices_size() > 0) return Unimplemented(index_path_ + ": '" + key + "' is stored in slices");
  auto& shard = (*shards_)[e.shard_id()];
  const std::string path = ShardPath(prefix_, e.shard_id(), num_shards_);
  if (shard.empty()) {
    ASSIGN_OR_RETURN(shard, ReadFileBytes(path));
  }
  if (e.offset() < 0 || e.size() < 0 || static_cast<uint64_t>(e.offset()) > shard.size() ||
      static_cast<uint64_t>(e.size()) > shard.size() - static_cast<uint64_t>(e.offset())) {
    return DataLoss(path + ": '" + key + "' lies outside the file");
  }
  const char* p = reinterpret_cast<const char*>(shard.data()) + e.offset();
  // String tensors are checked in ReadScalarString: their CRC covers the
  // lengths as uint64, not as the varints stored.
  if (e.dtype() == tf::DT_STRING) return std::string(p, static_cast<size_t>(e.size()));
  const uint32_t crc = crc32c::Value(p, static_cast<size_t>(e.size()));
  if (crc32c::Unmask(e.crc32c()) != crc) {
    return DataLoss(path + ": CRC-32C mismatch for '" + key + "'");
  }
  return std::string(p, static_cast<size_t>(e.size()));
}

StatusOr<ConstTensor> TensorBundle::Read(const std::string& key) const {
  const tf::BundleEntryProto* e = nullptr;
  ASSIGN_OR_RETURN(std::string raw, ReadBytes(key, &e));
  const std::string what = index_path_ + ": '" + key + "'";
  auto dt = DTypeFromTf(e->dtype());
  if (!dt.ok()) return dt.status().WithContext(what);
  ASSIGN_OR_RETURN(Shape s, ShapeFromTf(e->shape(), what));
  return TensorFromRaw(*dt, std::move(s), raw, what);
}

StatusOr<std::string> TensorBundle::ReadScalarString(const std::string& key) const {
  const tf::BundleEntryProto* e = nullptr;
  ASSIGN_OR_RETURN(std::string raw, ReadBytes(key, &e));
  if (e->dtype() != tf::DT_STRING || e->shape().dim_size() != 0) {
    return InvalidArgument(index_path_ + ": '" + key + "' is not a scalar string");
  }
  uint64_t len = 0;
  size_t pos = 0;
  for (int shift = 0;; shift += 7) {
    if (pos >= raw.size() || shift > 63) return DataLoss(index_path_ + ": corrupt string '" + key + "'");
    const uint8_t b = static_cast<uint8_t>(raw[pos++]);
    len |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
  }
  if (pos + 4 > raw.size() || len != raw.size() - pos - 4) {
    return DataLoss(index_path_ + ": string '" + key + "' has the wrong length");
  }
  // CRC: the length as a little-endian uint32 (measured on real bundles),
  // the 4 stored bytes of the masked length checksum, then the bytes.
  if (len > UINT32_MAX) return DataLoss(index_path_ + ": string '" + key + "' is too long");
  const uint32_t len32 = static_cast<uint32_t>(len);
  uint32_t crc = crc32c::Extend(0, &len32, sizeof(len32));
  uint32_t stored_len_crc;
  std::memcpy(&stored_len_crc, raw.data() + pos, 4);
  if (crc32c::Unmask(stored_len_crc) != crc) {
    return DataLoss(index_path_ + ": length checksum mismatch for '" + key + "'");
  }
  crc = crc32c::Extend(crc, raw.data() + pos, 4);
  pos += 4;
  crc = crc32c::Extend(crc, raw.data() + pos, raw.size() - pos);
  if (crc32c::Unmask(e->crc32c()) != crc) {
    return DataLoss(index_path_ + ": CRC-32C mismatch for '" + key + "'");
  }
  return raw.substr(pos);
}

}  // namespace detlite::tf_import
