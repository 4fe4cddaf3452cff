#include "train/checkpoint.h"

#include <bit>
#include <cstring>

#include "core/crc32c.h"
#include "core/file_io.h"

namespace detlite::train {
namespace {

static_assert(std::endian::native == std::endian::little, "checkpoints are read and written little-endian");

constexpr char kMagic[8] = {'D', 'L', 'C', 'K', 'P', 'T', '\r', '\n'};
constexpr uint32_t kMaxName = 4096;
constexpr int kMaxRank = 8;

size_t TypeSize(RecordType t) {
  switch (t) {
    case RecordType::kF32: case RecordType::kI32: return 4;
    case RecordType::kF64: case RecordType::kI64: return 8;
    case RecordType::kU8: case RecordType::kText: return 1;
  }
  return 0;
}

template <typename T>
void Put(std::vector<uint8_t>* out, T v) {
  const size_t at = out->size();
  out->resize(at + sizeof(T));
  std::memcpy(out->data() + at, &v, sizeof(T));
}

// A bounds-checked cursor over the untrusted bytes.
struct Reader {
  const std::vector<uint8_t>& b;
  size_t at = 0;
  size_t end;
  template <typename T>
  bool Get(T* v) {
    if (end - at < sizeof(T)) return false;
    std::memcpy(v, b.data() + at, sizeof(T));
    at += sizeof(T);
    return true;
  }
};

}  // namespace

void Checkpoint::AddF32(const std::string& name, const std::vector<int64_t>& shape, const float* v,
                        size_t n) {
  CheckpointRecord r{name, RecordType::kF32, shape, std::vector<uint8_t>(n * sizeof(float))};
  if (n > 0) std::memcpy(r.bytes.data(), v, r.bytes.size());
  records_.push_back(std::move(r));
}

void Checkpoint::AddF64(const std::string& name, const std::vector<double>& v) {
  CheckpointRecord r{name, RecordType::kF64, {static_cast<int64_t>(v.size())},
                     std::vector<uint8_t>(v.size() * sizeof(double))};
  if (!v.empty()) std::memcpy(r.bytes.data(), v.data(), r.bytes.size());
  records_.push_back(std::move(r));
}

void Checkpoint::AddI64(const std::string& name, const std::vector<int64_t>& v) {
  CheckpointRecord r{name, RecordType::kI64, {static_cast<int64_t>(v.size())},
                     std::vector<uint8_t>(v.size() * sizeof(int64_t))};
  if (!v.empty()) std::memcpy(r.bytes.data(), v.data(), r.bytes.size());
  records_.push_back(std::move(r));
}

void Checkpoint::AddU8(const std::string& name, const std::vector<uint8_t>& v) {
  records_.push_back({name, RecordType::kU8, {static_cast<int64_t>(v.size())}, v});
}

void Checkpoint::AddText(const std::string& name, const std::string& text) {
  records_.push_back({name, RecordType::kText, {}, std::vector<uint8_t>(text.begin(), text.end())});
}

std::vector<uint8_t> Checkpoint::Serialize() const {
  std::vector<uint8_t> out(kMagic, kMagic + sizeof(kMagic));
  Put<uint32_t>(&out, kVersion);
  Put<uint32_t>(&out, static_cast<uint32_t>(records_.size()));
  for (const CheckpointRecord& r : records_) {
    Put<uint32_t>(&out, static_cast<uint32_t>(r.name.size()));
    out.insert(out.end(), r.name.begin(), r.name.end());
    Put<uint8_t>(&out, static_cast<uint8_t>(r.type));
    Put<uint8_t>(&out, static_cast<uint8_t>(r.shape.size()));
    Put<uint16_t>(&out, 0);
    for (int64_t d : r.shape) Put<int64_t>(&out, d);
    Put<uint64_t>(&out, r.bytes.size());
    out.insert(out.end(), r.bytes.begin(), r.bytes.end());
  }
  Put<uint32_t>(&out, crc32c::Value(out.data(), out.size()));
  return out;
}

StatusOr<Checkpoint> Checkpoint::Parse(const std::vector<uint8_t>& bytes, const std::string& path) {
  auto bad = [&](const std::string& why) {
    return DataLoss(path + ": not a usable detlite checkpoint: " + why);
  };
  if (bytes.size() < sizeof(kMagic) || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return bad("it does not start with the checkpoint magic DLCKPT");
  }
  if (bytes.size() < sizeof(kMagic) + 12) return bad("truncated (" + std::to_string(bytes.size()) + " bytes)");
  Reader in{bytes, sizeof(kMagic), bytes.size() - 4};
  uint32_t version = 0, count = 0, stored = 0;
  in.Get(&version);
  if (version != kVersion) {
    return bad("format version " + std::to_string(version) + ", this detlite reads version " +
               std::to_string(kVersion));
  }
  std::memcpy(&stored, bytes.data() + bytes.size() - 4, 4);
  if (crc32c::Value(bytes.data(), bytes.size() - 4) != stored) {
    return bad("checksum mismatch (truncated or corrupted; " + std::to_string(bytes.size()) + " bytes)");
  }
  in.Get(&count);
  Checkpoint c;
  c.path_ = path;
  for (uint32_t i = 0; i < count; ++i) {
    const std::string where = "record " + std::to_string(i) + " of " + std::to_string(count);
    CheckpointRecord r;
    uint32_t name_length = 0;
    uint8_t type = 0, rank = 0;
    uint16_t reserved = 0;
    if (!in.Get(&name_length) || name_length == 0 || name_length > kMaxName || in.end - in.at < name_length) {
      return bad(where + ": bad name length");
    }
    r.name.assign(reinterpret_cast<const char*>(bytes.data() + in.at), name_length);
    in.at += name_length;
    if (!in.Get(&type) || !in.Get(&rank) || !in.Get(&reserved)) return bad(where + " (" + r.name + ") is cut short");
    r.type = static_cast<RecordType>(type);
    if (TypeSize(r.type) == 0 || rank > kMaxRank || reserved != 0) {
      return bad(where + " (" + r.name + "): unknown type " + std::to_string(type) + " or rank " +
                 std::to_string(rank));
    }
    uint64_t elements = 1, length = 0;
    for (int d = 0; d < rank; ++d) {
      int64_t dim = 0;
      if (!in.Get(&dim) || dim < 0 || (dim > 0 && elements > (uint64_t{1} << 40) / static_cast<uint64_t>(dim))) {
        return bad(where + " (" + r.name + "): bad shape");
      }
      elements *= static_cast<uint64_t>(dim);
      r.shape.push_back(dim);
    }
    if (!in.Get(&length) || length > in.end - in.at) return bad(where + " (" + r.name + ") is cut short");
    if (r.type != RecordType::kText && length != elements * TypeSize(r.type)) {
      return bad(where + " (" + r.name + "): " + std::to_string(length) + " bytes for " +
                 std::to_string(elements) + " elements");
    }
    r.bytes.assign(bytes.begin() + static_cast<std::ptrdiff_t>(in.at),
                   bytes.begin() + static_cast<std::ptrdiff_t>(in.at + length));
    in.at += length;
    c.records_.push_back(std::move(r));
  }
  if (in.at != in.end) return bad(std::to_string(in.end - in.at) + " stray bytes after the last record");
  return c;
}

Status Checkpoint::Write(const std::string& path) const { return WriteFileAtomic(path, Serialize()); }

StatusOr<Checkpoint> Checkpoint::Read(const std::string& path) {
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path));
  return Parse(bytes, path);
}

}  // namespace detlite::train
