// .npy round trips for every supported dtype, and the exact bytes numpy.save
// writes.
#include "data/npy.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <limits>
#include <string>

#include "core/file_io.h"
#include "support/paths.h"

namespace detlite {
namespace {

template <typename T>
std::vector<uint8_t> BytesOf(std::initializer_list<T> values) {
  std::vector<uint8_t> b(values.size() * sizeof(T));
  std::memcpy(b.data(), std::data(values), b.size());
  return b;
}

struct Case {
  DType dtype;
  std::vector<uint8_t> bytes;  // 6 elements
};

std::vector<Case> EveryDType() {
  using L8 = std::numeric_limits<int8_t>;
  using L64 = std::numeric_limits<int64_t>;
  return {
      {DType::kFloat32,
       BytesOf<float>({0.f, -1.5f, 3.25e38f, 1e-45f, -0.f, 7.f})},
      {DType::kFloat16,
       BytesOf<uint16_t>({0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7e00})},
      {DType::kFloat64,
       BytesOf<double>({0, -1.5, 1e308, 5e-324, -0.0, 1.0 / 3})},
      {DType::kInt8, BytesOf<int8_t>({L8::min(), -1, 0, 1, 2, L8::max()})},
      {DType::kUInt8, BytesOf<uint8_t>({0, 1, 127, 128, 254, 255})},
      {DType::kInt16, BytesOf<int16_t>({-32768, -1, 0, 1, 300, 32767})},
      {DType::kInt32,
       BytesOf<int32_t>({INT32_MIN, -1, 0, 1, 70000, INT32_MAX})},
      {DType::kInt64,
       BytesOf<int64_t>({L64::min(), -1, 0, 1, int64_t{1} << 40, L64::max()})},
      {DType::kUInt16, BytesOf<uint16_t>({0, 1, 255, 256, 40000, 65535})},
      {DType::kUInt32,
       BytesOf<uint32_t>({0, 1, 65536, 1u << 31, 4000000000u, UINT32_MAX})},
      {DType::kUInt64,
       BytesOf<uint64_t>({0, 1, 1ull << 33, 1ull << 63, 12345, UINT64_MAX})},
      {DType::kBool, BytesOf<uint8_t>({0, 1, 1, 0, 0, 1})},
  };
}

TEST(NpyTest, RoundTripsEveryDType) {
  for (const Case& c : EveryDType()) {
    SCOPED_TRACE(std::string(DTypeName(c.dtype)));
    for (const Shape& shape : {Shape{6}, Shape{2, 3}, Shape{1, 3, 1, 2}}) {
      const NpyArray in{c.dtype, shape, c.bytes};
      auto bytes = SerializeNpy(in);
      ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
      EXPECT_EQ((bytes->size() - c.bytes.size()) % 64, 0u)
          << "data not 64-byte aligned";
      auto out = ParseNpy(bytes->data(), bytes->size(), "mem.npy");
      ASSERT_TRUE(out.ok()) << out.status().ToString();
      EXPECT_EQ(out->dtype, c.dtype);
      EXPECT_EQ(out->shape, shape);
      EXPECT_EQ(out->bytes, c.bytes);
    }
  }
}

TEST(NpyTest, ScalarsAndEmptyArrays) {
  for (const NpyArray& in :
       {NpyArray{DType::kFloat32, Shape{}, BytesOf<float>({2.5f})},
        NpyArray{DType::kInt32, Shape{0}, {}},
        NpyArray{DType::kUInt8, Shape{3, 0, 2}, {}}}) {
    auto bytes = SerializeNpy(in);
    ASSERT_TRUE(bytes.ok());
    auto out = ParseNpy(bytes->data(), bytes->size(), "mem.npy");
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    EXPECT_EQ(out->shape, in.shape);
    EXPECT_EQ(out->bytes, in.bytes);
  }
}

// What numpy 1.24's np.save(f, np.zeros((2, 3), '<f4')) writes, byte for byte:
// the dict, room for a 21-digit first dimension, padding to 64, newline.
TEST(NpyTest, HeaderIsNumpysLayout) {
  auto bytes = SerializeNpy(
      NpyArray{DType::kFloat32, Shape{2, 3}, std::vector<uint8_t>(24)});
  ASSERT_TRUE(bytes.ok());
  const std::string dict =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  std::string header = dict + std::string(20, ' ');
  header += std::string(128 - 10 - header.size() - 1, ' ') + "\n";
  const std::string want = std::string("\x93NUMPY\x01\x00", 8) + "\x76" +
                           std::string(1, '\0') + header;
  ASSERT_EQ(bytes->size(), 128u + 24);
  EXPECT_EQ(std::string(bytes->begin(), bytes->begin() + 128), want);
  auto one_dim = SerializeNpy(NpyArray{DType::kUInt8, Shape{3}, {1, 2, 3}});
  const std::string text(one_dim->begin(), one_dim->end());
  EXPECT_NE(
      text.find("'descr': '|u1', 'fortran_order': False, 'shape': (3,), }"),
      std::string::npos);
}

TEST(NpyTest, WriterRejectsMismatchesAndUnsupportedTypes) {
  EXPECT_FALSE(
      SerializeNpy(NpyArray{DType::kFloat32, Shape{2}, {0, 0, 0, 0}}).ok());
  EXPECT_FALSE(SerializeNpy(NpyArray{DType::kString, Shape{1}, {0}}).ok());
  EXPECT_FALSE(SerializeNpy(NpyArray{DType::kFloat32, Shape{-1}, {}}).ok());
  EXPECT_EQ(NpyDescr(DType::kInt4), "");
}

TEST(NpyTest, FilesAreWrittenAtomically) {
  const std::string dir = testing::TempDir() + "/npy_files";
  std::filesystem::create_directories(dir);
  const NpyArray in{DType::kInt16, Shape{2, 2},
                    BytesOf<int16_t>({1, -2, 3, -4})};
  ASSERT_TRUE(WriteNpyFile(dir + "/a.npy", in).ok());
  auto out = ReadNpyFile(dir + "/a.npy");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->bytes, in.bytes);
  const Status bad =
      WriteNpyFile(dir + "/b.npy", NpyArray{DType::kInt16, Shape{3}, {}});
  EXPECT_NE(bad.message().find("b.npy"), std::string::npos);
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    files += e.exists();
  }
  EXPECT_EQ(files, 1);
  EXPECT_EQ(ReadNpyFile(dir + "/missing.npy").status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace detlite
