// libFuzzer target for TensorFlow checkpoints. The first byte picks:
//  0: a tensor bundle (checkpoint V2): the rest is "<prefix>.index" and
//     "<prefix>.data-00000-of-00001" joined by kPartSeparator (fuzz_util.h);
//     the bundle is opened and every key read (tensors and strings);
//  1: the index table alone, in memory (footer, block handles, CRCs,
//     snappy, prefix-compressed keys) and every BundleEntryProto in it;
//  2: a V1 checkpoint (SavedTensorSlices in the same table format);
//  3: the data shard, then key and value pairs (BundleHeaderProto under "",
//     BundleEntryProto under the others), all joined by kPartSeparator; the
//     target writes the index table and fixes every entry's CRC, so
//     mutations of the entries get past the table and data checksums.
// No crash, leak or out-of-bounds read; errors name the file.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/crc32c.h"
#include "detlite/tf/tensor_bundle.pb.h"
#define DETLITE_FUZZ_SILENCE_PROTOBUF
#include "fuzz_util.h"
#include "importers/tf/checkpoint_v1.h"
#include "importers/tf/sstable.h"
#include "importers/tf/tensor_bundle.h"

namespace {

constexpr const char* kTarget = "tf_bundle_fuzzer";

void FuzzBundle(const uint8_t* data, size_t size) {
  const auto parts = detlite::fuzz::SplitParts(data, size, 2);
  const std::string prefix = detlite::fuzz::ScratchDir() + "/bundle";
  detlite::fuzz::WriteScratchFile(prefix + ".index", parts[0]);
  detlite::fuzz::WriteScratchFile(prefix + ".data-00000-of-00001", parts[1]);
  auto bundle = detlite::tf_import::TensorBundle::Open(prefix);
  detlite::fuzz::CheckNamed(bundle.status(), prefix, kTarget);
  if (!bundle.ok()) return;
  for (const std::string& key : bundle->Keys()) {
    auto tensor = bundle->Read(key);
    detlite::fuzz::CheckNamed(tensor.status(), prefix, kTarget);
    (void)bundle->ReadScalarString(key);
  }
}

void FuzzTable(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto table = detlite::tf_import::ReadTable(bytes, "fuzz.index");
  detlite::fuzz::CheckNamed(table.status(), "fuzz.index", kTarget);
  if (table.ok()) {
    for (const auto& [key, value] : *table) {
      detlite::tf::BundleEntryProto e;
      (void)e.ParseFromString(value);
    }
  }
  (void)detlite::tf_import::SnappyUncompress(bytes, 1 << 20);
}

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutFixed(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

// Appends `block` (entries without shared prefixes, one restart) and its
// trailer to `file`; returns its handle (offset, size) encoded.
std::string AddBlock(std::string* file, const std::map<std::string, std::string>& entries) {
  std::string block;
  for (const auto& [key, value] : entries) {
    PutVarint(&block, 0);
    PutVarint(&block, key.size());
    PutVarint(&block, value.size());
    block += key;
    block += value;
  }
  PutFixed(&block, 0, 4);
  PutFixed(&block, 1, 4);
  std::string handle;
  PutVarint(&handle, file->size());
  PutVarint(&handle, block.size());
  block.push_back('\0');  // not compressed
  const uint32_t crc = detlite::crc32c::Mask(detlite::crc32c::Value(block.data(), block.size()));
  *file += block;
  PutFixed(file, crc, 4);
  return handle;
}

void FuzzBuiltBundle(const uint8_t* data, size_t size) {
  const std::vector<std::string> parts = detlite::fuzz::SplitAll(data, size);
  const std::string& shard = parts[0];
  std::map<std::string, std::string> entries;
  for (size_t i = 1; i + 1 < parts.size(); i += 2) {
    std::string value = parts[i + 1];
    detlite::tf::BundleEntryProto e;
    if (!parts[i].empty() && e.ParseFromString(value) && e.offset() >= 0 && e.size() >= 0 &&
        static_cast<uint64_t>(e.offset()) <= shard.size() &&
        static_cast<uint64_t>(e.size()) <= shard.size() - e.offset()) {
      e.set_crc32c(detlite::crc32c::Mask(
          detlite::crc32c::Value(shard.data() + e.offset(), static_cast<size_t>(e.size()))));
      value = e.SerializeAsString();
    }
    entries.emplace(parts[i], std::move(value));
  }
  std::string index;
  const std::string data_handle = AddBlock(&index, entries);
  const std::string meta_handle = AddBlock(&index, {});
  const std::string last = entries.empty() ? "" : entries.rbegin()->first;
  const std::string index_handle = AddBlock(&index, {{last, data_handle}});
  std::string footer = meta_handle + index_handle;
  footer.resize(40, '\0');
  PutFixed(&footer, 0xdb4775248b80fb57ull, 8);
  index += footer;
  std::string joined = index;
  joined += detlite::fuzz::kPartSeparator;
  joined += shard;
  FuzzBundle(reinterpret_cast<const uint8_t*>(joined.data()), joined.size());
}

void FuzzCheckpointV1(const uint8_t* data, size_t size) {
  const std::string path = detlite::fuzz::ScratchDir() + "/model.ckpt-0";
  detlite::fuzz::WriteScratchFile(path,
                                  std::string_view(reinterpret_cast<const char*>(data), size));
  detlite::fuzz::CheckNamed(detlite::tf_import::ReadCheckpointV1(path).status(), path, kTarget);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  switch (data[0] % 4) {
    case 0: FuzzBundle(data + 1, size - 1); break;
    case 1: FuzzTable(data + 1, size - 1); break;
    case 3: FuzzBuiltBundle(data + 1, size - 1); break;
    default: FuzzCheckpointV1(data + 1, size - 1);
  }
  return 0;
}
