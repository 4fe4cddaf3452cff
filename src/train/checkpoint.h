// The training checkpoint file (issue 13, item 5): a versioned,
// self-describing binary file of named records, written atomically.
//
//   magic    8 bytes  "DLCKPT\r\n"
//   version  u32      1
//   count    u32      number of records
//   count x record:
//     name_length u32, name (UTF-8, 1..4096 bytes)
//     type u8 (RecordType), rank u8 (0..8), reserved u16 (0)
//     rank x dim i64 (>= 0)
//     byte_length u64 (= product of dims x the type's size; text: any)
//     bytes
//   crc      u32      CRC-32C of every byte before it
//
// Little-endian throughout. Everything read is untrusted: a short, long,
// corrupted or unknown-version file is refused naming the file and what is
// wrong, before any record is used. What the records hold is up to the
// training loops (checkpoint_state.h).
#ifndef DETLITE_TRAIN_CHECKPOINT_H_
#define DETLITE_TRAIN_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "detlite/status.h"

namespace detlite::train {

enum class RecordType : uint8_t { kF32 = 1, kF64 = 2, kI32 = 3, kI64 = 4, kU8 = 5, kText = 6 };

struct CheckpointRecord {
  std::string name;
  RecordType type = RecordType::kU8;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;
};

class Checkpoint {
 public:
  static constexpr uint32_t kVersion = 1;

  void AddF32(const std::string& name, const std::vector<int64_t>& shape, const float* v, size_t n);
  void AddF64(const std::string& name, const std::vector<double>& v);
  void AddI64(const std::string& name, const std::vector<int64_t>& v);
  void AddU8(const std::string& name, const std::vector<uint8_t>& v);
  void AddText(const std::string& name, const std::string& text);

  const CheckpointRecord* Find(const std::string& name) const;
  bool Has(const std::string& name) const { return Find(name) != nullptr; }
  // Typed reads; a missing record, another type or another element count
  // (`count` >= 0) is an error naming the file and the record.
  StatusOr<std::vector<float>> F32(const std::string& name, int64_t count = -1) const;
  StatusOr<std::vector<double>> F64(const std::string& name, int64_t count = -1) const;
  StatusOr<std::vector<int64_t>> I64(const std::string& name, int64_t count = -1) const;
  StatusOr<std::vector<uint8_t>> U8(const std::string& name, int64_t count = -1) const;
  StatusOr<std::string> Text(const std::string& name) const;
  StatusOr<int64_t> Int(const std::string& name) const;  // an I64 record of one value

  std::vector<uint8_t> Serialize() const;
  static StatusOr<Checkpoint> Parse(const std::vector<uint8_t>& bytes, const std::string& path);
  Status Write(const std::string& path) const;  // temp file, then rename
  static StatusOr<Checkpoint> Read(const std::string& path);

  const std::vector<CheckpointRecord>& records() const { return records_; }
  const std::string& path() const { return path_; }

 private:
  Status Error(const std::string& name, const std::string& problem) const;
  StatusOr<const CheckpointRecord*> Typed(const std::string& name, RecordType type,
                                          int64_t count) const;
  std::vector<CheckpointRecord> records_;
  std::string path_;  // where it was read from, for errors
};

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_CHECKPOINT_H_
