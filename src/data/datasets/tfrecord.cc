#include "data/datasets/tfrecord.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "core/crc32c.h"

namespace detlite::datasets {
namespace {

uint64_t LoadLe64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

uint32_t LoadLe32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
         static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
}

}  // namespace

bool IsTfRecordHeader(const uint8_t* header, size_t size) {
  if (size < kTfRecordHeaderBytes) return false;
  return crc32c::Unmask(LoadLe32(header + 8)) == crc32c::Value(header, 8);
}

StatusOr<std::unique_ptr<TfRecordReader>> TfRecordReader::Open(
    const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    std::string msg = path + ": cannot open: " + std::strerror(errno);
    return errno == ENOENT ? NotFound(msg) : IoError(msg);
  }
  struct stat st;
  if (::fstat(::fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    std::fclose(f);
    return InvalidArgument(path + ": not a regular file");
  }
  return std::unique_ptr<TfRecordReader>(
      new TfRecordReader(path, f, static_cast<uint64_t>(st.st_size)));
}

TfRecordReader::~TfRecordReader() { std::fclose(file_); }

Status TfRecordReader::Error(const std::string& what) const {
  return DataLoss(path_ + ": record " + std::to_string(index_) + " (offset " +
                  std::to_string(offset_) + "): " + what);
}

StatusOr<bool> TfRecordReader::Next(std::string* record) {
  if (offset_ == size_) return false;
  const uint64_t left = size_ - offset_;
  if (left < kTfRecordHeaderBytes) {
    return Error("truncated header (" + std::to_string(left) + " bytes left)");
  }
  uint8_t header[kTfRecordHeaderBytes];
  if (std::fread(header, 1, sizeof(header), file_) != sizeof(header)) {
    return Error("read failed");
  }
  if (!IsTfRecordHeader(header, sizeof(header))) {
    return Error("length CRC mismatch (not a TFRecord, or corrupt)");
  }
  const uint64_t length = LoadLe64(header);
  // The data and its 4-byte CRC must fit in what is left of the file.
  if (length > left - kTfRecordHeaderBytes ||
      left - kTfRecordHeaderBytes - length < 4) {
    return Error("length " + std::to_string(length) + " runs past the end of the file (" +
                 std::to_string(left - kTfRecordHeaderBytes) + " bytes left)");
  }
  record->resize(static_cast<size_t>(length));
  uint8_t crc_bytes[4];
  if (std::fread(record->data(), 1, record->size(), file_) != record->size() ||
      std::fread(crc_bytes, 1, 4, file_) != 4) {
    return Error("read failed");
  }
  if (crc32c::Unmask(LoadLe32(crc_bytes)) !=
      crc32c::Value(record->data(), record->size())) {
    return Error("data CRC mismatch");
  }
  offset_ += kTfRecordHeaderBytes + length + 4;
  ++index_;
  return true;
}

}  // namespace detlite::datasets
