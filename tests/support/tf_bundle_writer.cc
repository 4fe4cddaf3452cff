#include "support/tf_bundle_writer.h"

#include <cstring>

#include "core/crc32c.h"
#include "core/file_io.h"
#include "detlite/tf/tensor_bundle.pb.h"

namespace detlite::testing {
namespace {

constexpr uint64_t kTableMagic = 0xdb4775248b80fb57ull;

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutFixed32(std::string* out, uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);
  out->append(b, 4);
}

// Entries (sorted keys, no prefix sharing), one restart point at 0.
std::string Block(const std::map<std::string, std::string>& entries) {
  std::string b;
  for (const auto& [key, value] : entries) {
    PutVarint(&b, 0);
    PutVarint(&b, key.size());
    PutVarint(&b, value.size());
    b += key;
    b += value;
  }
  PutFixed32(&b, 0);
  PutFixed32(&b, 1);
  return b;
}

// Appends `block` and its trailer to `file`; returns the encoded handle.
std::string AppendBlock(std::string* file, const std::string& block) {
  std::string handle;
  PutVarint(&handle, file->size());
  PutVarint(&handle, block.size());
  *file += block;
  file->push_back('\0');  // no compression
  PutFixed32(file, crc32c::Mask(crc32c::Value(
                       file->data() + file->size() - block.size() - 1,
                       block.size() + 1)));
  return handle;
}

}  // namespace

Status WriteTensorBundle(
    const std::string& prefix,
    const std::map<std::string, FloatVariable>& variables) {
  std::string data;
  std::map<std::string, std::string> entries;
  tf::BundleHeaderProto header;
  header.set_num_shards(1);
  header.set_endianness(tf::BundleHeaderProto::LITTLE);
  header.mutable_version()->set_producer(1);
  entries[""] = header.SerializeAsString();
  for (const auto& [name, v] : variables) {
    if (name.empty()) return InvalidArgument("a variable has no name");
    tf::BundleEntryProto e;
    e.set_dtype(tf::DT_FLOAT);
    for (int64_t d : v.dims) e.mutable_shape()->add_dim()->set_size(d);
    e.set_shard_id(0);
    e.set_offset(static_cast<int64_t>(data.size()));
    e.set_size(static_cast<int64_t>(v.values.size() * 4));
    e.set_crc32c(
        crc32c::Mask(crc32c::Value(v.values.data(), v.values.size() * 4)));
    data.append(reinterpret_cast<const char*>(v.values.data()),
                v.values.size() * 4);
    entries[name] = e.SerializeAsString();
  }
  std::string index;
  const std::string data_handle = AppendBlock(&index, Block(entries));
  const std::string meta_handle = AppendBlock(&index, Block({}));
  // The index maps a key >= the block's last key to the block.
  const std::string index_handle =
      AppendBlock(&index, Block({{entries.rbegin()->first, data_handle}}));
  std::string footer = meta_handle + index_handle;
  footer.resize(40, '\0');
  char magic[8];
  std::memcpy(magic, &kTableMagic, 8);
  footer.append(magic, 8);
  index += footer;
  RETURN_IF_ERROR(
      WriteFileAtomic(prefix + ".data-00000-of-00001", std::string_view(data)));
  return WriteFileAtomic(prefix + ".index", std::string_view(index));
}

}  // namespace detlite::testing
