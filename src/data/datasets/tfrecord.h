// TFRecord files: a sequence of records, each
//
//   uint64 length        little-endian
//   uint32 masked_crc32c(the 8 length bytes)
//   byte   data[length]
//   uint32 masked_crc32c(data)
//
// (CRC-32C masked as in core/crc32c.h). Both CRCs are verified; a length
// larger than what is left of the file is refused before anything is
// allocated, so a corrupt header cannot ask for gigabytes.
#ifndef DETLITE_DATA_DATASETS_TFRECORD_H_
#define DETLITE_DATA_DATASETS_TFRECORD_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "detlite/status.h"

namespace detlite::datasets {

inline constexpr size_t kTfRecordHeaderBytes = 12;

// True when the 12 bytes at `header` are a length whose masked CRC matches.
bool IsTfRecordHeader(const uint8_t* header, size_t size);

// Reads records one at a time, so a large file is never held whole.
class TfRecordReader {
 public:
  static StatusOr<std::unique_ptr<TfRecordReader>> Open(const std::string& path);
  ~TfRecordReader();
  TfRecordReader(const TfRecordReader&) = delete;
  TfRecordReader& operator=(const TfRecordReader&) = delete;

  // The next record's data into *record; false at a clean end of file.
  // Errors name the file and the record index.
  StatusOr<bool> Next(std::string* record);
  int64_t records_read() const { return index_; }

 private:
  TfRecordReader(std::string path, std::FILE* file, uint64_t size)
      : path_(std::move(path)), file_(file), size_(size) {}
  Status Error(const std::string& what) const;

  std::string path_;
  std::FILE* file_;
  uint64_t size_;
  uint64_t offset_ = 0;
  int64_t index_ = 0;
};

}  // namespace detlite::datasets

#endif  // DETLITE_DATA_DATASETS_TFRECORD_H_
