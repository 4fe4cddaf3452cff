// Checkpoint's typed record reads.
#include <cstring>

#include "train/checkpoint.h"

namespace detlite::train {
namespace {

const char* TypeName(RecordType t) {
  switch (t) {
    case RecordType::kF32: return "float32";
    case RecordType::kF64: return "float64";
    case RecordType::kI32: return "int32";
    case RecordType::kI64: return "int64";
    case RecordType::kU8: return "uint8";
    case RecordType::kText: return "text";
  }
  return "unknown";
}

template <typename T>
std::vector<T> Values(const CheckpointRecord& r) {
  std::vector<T> v(r.bytes.size() / sizeof(T));
  if (!v.empty()) std::memcpy(v.data(), r.bytes.data(), v.size() * sizeof(T));
  return v;
}

}  // namespace

Status Checkpoint::Error(const std::string& name, const std::string& problem) const {
  return DataLoss((path_.empty() ? std::string("checkpoint") : path_) + ": record '" + name + "' " + problem);
}

const CheckpointRecord* Checkpoint::Find(const std::string& name) const {
  for (const CheckpointRecord& r : records_) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

StatusOr<const CheckpointRecord*> Checkpoint::Typed(const std::string& name, RecordType type,
                                                    int64_t count) const {
  const CheckpointRecord* r = Find(name);
  if (r == nullptr) return Error(name, "is missing");
  if (r->type != type) {
    return Error(name, std::string("is ") + TypeName(r->type) + ", expected " + TypeName(type));
  }
  if (count >= 0 && type != RecordType::kText) {
    const int64_t n = static_cast<int64_t>(r->bytes.size()) / (type == RecordType::kF32 ? 4
                                                                : type == RecordType::kU8 ? 1 : 8);
    if (n != count) {
      return Error(name, "has " + std::to_string(n) + " values, the model needs " + std::to_string(count));
    }
  }
  return r;
}

StatusOr<std::vector<float>> Checkpoint::F32(const std::string& name, int64_t count) const {
  ASSIGN_OR_RETURN(const CheckpointRecord* r, Typed(name, RecordType::kF32, count));
  return Values<float>(*r);
}

StatusOr<std::vector<double>> Checkpoint::F64(const std::string& name, int64_t count) const {
  ASSIGN_OR_RETURN(const CheckpointRecord* r, Typed(name, RecordType::kF64, count));
  return Values<double>(*r);
}

StatusOr<std::vector<int64_t>> Checkpoint::I64(const std::string& name, int64_t count) const {
  ASSIGN_OR_RETURN(const CheckpointRecord* r, Typed(name, RecordType::kI64, count));
  return Values<int64_t>(*r);
}

StatusOr<std::vector<uint8_t>> Checkpoint::U8(const std::string& name, int64_t count) const {
  ASSIGN_OR_RETURN(const CheckpointRecord* r, Typed(name, RecordType::kU8, count));
  return r->bytes;
}

StatusOr<std::string> Checkpoint::Text(const std::string& name) const {
  ASSIGN_OR_RETURN(const CheckpointRecord* r, Typed(name, RecordType::kText, -1));
  return std::string(r->bytes.begin(), r->bytes.end());
}

StatusOr<int64_t> Checkpoint::Int(const std::string& name) const {
  ASSIGN_OR_RETURN(std::vector<int64_t> v, I64(name, 1));
  return v[0];
}

}  // namespace detlite::train
