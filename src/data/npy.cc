#include "data/npy.h"

#include <array>
#include <bit>
#include <cstring>

#include "core/file_io.h"
#include "data/npy_header.h"

namespace detlite {
namespace {

static_assert(
    std::endian::native == std::endian::little,
    ".npy data is read and written as little endian without swapping");

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
constexpr size_t kAlign = 64;
// numpy (since 1.23) leaves room after the dict so the first dimension can
// grow to 21 digits in place; matched so our files equal numpy's.
constexpr size_t kGrowthDigits = 21;
constexpr size_t kMaxHeaderBytes = 1 << 20;  // numpy's own limit is 10000

struct TypeEntry {
  DType dtype;
  const char* descr;
};
constexpr std::array<TypeEntry, 12> kTypes = {{
    {DType::kFloat32, "<f4"},
    {DType::kFloat16, "<f2"},
    {DType::kFloat64, "<f8"},
    {DType::kInt8, "|i1"},
    {DType::kUInt8, "|u1"},
    {DType::kInt16, "<i2"},
    {DType::kInt32, "<i4"},
    {DType::kInt64, "<i8"},
    {DType::kUInt16, "<u2"},
    {DType::kUInt32, "<u4"},
    {DType::kUInt64, "<u8"},
    {DType::kBool, "|b1"},
}};

// numpy writes '|' for one-byte types but reads '<' and '>' there too.
StatusOr<DType> DTypeOfDescr(const std::string& descr) {
  if (descr.size() >= 2) {
    for (const TypeEntry& t : kTypes) {
      const std::string_view body(t.descr + 1);
      if (descr.substr(1) != body) continue;
      const char order = descr[0];
      if (order == '<' || (order == '|' && t.descr[0] == '|')) return t.dtype;
      if (t.descr[0] == '|' && (order == '>' || order == '=')) return t.dtype;
      if (order == '>') {
        return Unimplemented("big-endian data ('" + descr +
                             "') is not supported");
      }
    }
  }
  return Unimplemented("dtype '" + descr + "' is not supported");
}

uint32_t ReadLe(const uint8_t* p, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

std::string NpyDescr(DType dtype) {
  for (const TypeEntry& t : kTypes) {
    if (t.dtype == dtype) return t.descr;
  }
  return "";
}

StatusOr<NpyArray> ParseNpy(const uint8_t* data, size_t size,
                            const std::string& name) {
  if (size < kMagicSize + 2 || std::memcmp(data, kMagic, kMagicSize) != 0) {
    return InvalidArgument(name + ": not a .npy file (no \\x93NUMPY magic)");
  }
  const int major = data[6], minor = data[7];
  if ((major != 1 && major != 2 && major != 3) || minor != 0) {
    return Unimplemented(name + ": .npy format version " +
                         std::to_string(major) + "." + std::to_string(minor) +
                         " is not supported (1.0, 2.0, 3.0)");
  }
  const int len_bytes = major == 1 ? 2 : 4;
  const size_t prefix = kMagicSize + 2 + len_bytes;
  if (size < prefix) {
    return DataLoss(name + ": truncated inside the .npy preamble");
  }
  const size_t header_len = ReadLe(data + 8, len_bytes);
  if (header_len > kMaxHeaderBytes) {
    return DataLoss(name + ": .npy header length " +
                    std::to_string(header_len) + " is implausible");
  }
  if (header_len > size - prefix) {
    return DataLoss(name + ": truncated: the .npy header claims " +
                    std::to_string(header_len) + " bytes, the file has " +
                    std::to_string(size - prefix) + " after the preamble");
  }
  const std::string_view text(reinterpret_cast<const char*>(data + prefix),
                              header_len);
  auto header = npy_internal::ParseNpyHeader(text);
  if (!header.ok()) return header.status().WithContext(name);
  if (header->fortran_order) {
    return Unimplemented(
        name +
        ": fortran_order True (column-major data) is not supported;"
        " save a C-order array (numpy.ascontiguousarray)");
  }
  auto dtype = DTypeOfDescr(header->descr);
  if (!dtype.ok()) return dtype.status().WithContext(name);

  const size_t data_size = size - prefix - header_len;
  const uint64_t item = DTypeSize(*dtype);
  uint64_t elements = 1;
  for (int64_t d : header->shape) {
    // Any product past the file's size is wrong anyway; stopping there keeps
    // the arithmetic far from overflow.
    elements *= static_cast<uint64_t>(d);
    if (elements > data_size) elements = data_size + 1;
  }
  if (elements * item != data_size) {
    return DataLoss(
        name + ": .npy data is " + std::to_string(data_size) +
        " bytes, shape " +
        Shape(std::vector<int32_t>(header->shape.begin(), header->shape.end()))
            .ToString() +
        " of " + header->descr + " needs " +
        (elements > data_size ? std::string("more")
                              : std::to_string(elements * item)));
  }
  NpyArray array;
  array.dtype = *dtype;
  array.shape =
      Shape(std::vector<int32_t>(header->shape.begin(), header->shape.end()));
  array.bytes.assign(data + prefix + header_len, data + size);
  if (array.dtype == DType::kBool) {
    for (size_t i = 0; i < array.bytes.size(); ++i) {
      if (array.bytes[i] > 1) {
        return DataLoss(name + ": bool element " + std::to_string(i) + " is " +
                        std::to_string(array.bytes[i]) + ", not 0 or 1");
      }
    }
  }
  return array;
}

StatusOr<NpyArray> ReadNpyFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path));
  return ParseNpy(bytes.data(), bytes.size(), path);
}

StatusOr<std::vector<uint8_t>> SerializeNpy(const NpyArray& array) {
  const std::string descr = NpyDescr(array.dtype);
  if (descr.empty()) {
    return Unimplemented(".npy: cannot store dtype " +
                         std::string(DTypeName(array.dtype)));
  }
  const int64_t elements = array.shape.NumElements();
  if (elements < 0 ||
      static_cast<uint64_t>(elements) * DTypeSize(array.dtype) !=
          array.bytes.size()) {
    return InvalidArgument(".npy: shape " + array.shape.ToString() + " of " +
                           std::string(DTypeName(array.dtype)) +
                           " does not match " +
                           std::to_string(array.bytes.size()) + " bytes");
  }
  const std::vector<int64_t> dims(array.shape.dims().begin(),
                                  array.shape.dims().end());
  std::string header = npy_internal::FormatNpyDict(descr, dims);
  if (!dims.empty()) {
    header.append(kGrowthDigits - std::to_string(dims[0]).size(), ' ');
  }
  // Pad so the data starts on a 64-byte boundary; numpy pads a full 64 when
  // already aligned, and so do we, to stay byte-identical.
  const size_t unpadded = kMagicSize + 2 + 2 + header.size() + 1;
  header.append(kAlign - unpadded % kAlign, ' ');
  header += '\n';
  if (header.size() > 0xFFFF) {
    return InvalidArgument(".npy: header too long for format 1.0");
  }

  std::vector<uint8_t> out(kMagic, kMagic + kMagicSize);
  out.push_back(1);
  out.push_back(0);
  out.push_back(static_cast<uint8_t>(header.size() & 0xFF));
  out.push_back(static_cast<uint8_t>(header.size() >> 8));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), array.bytes.begin(), array.bytes.end());
  return out;
}

Status WriteNpyFile(const std::string& path, const NpyArray& array) {
  auto bytes = SerializeNpy(array);
  if (!bytes.ok()) return bytes.status().WithContext(path);
  return WriteFileAtomic(path, *bytes);
}

}  // namespace detlite
