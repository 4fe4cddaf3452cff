// The tensor bundle reader (variables.index table + data shards) on real
// SavedModel checkpoints, and on copies broken on purpose.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "core/file_io.h"
#include "importers/tf/sstable.h"
#include "importers/tf/tensor_bundle.h"
#include "support/paths.h"

namespace detlite {
namespace {

using tf_import::TensorBundle;

const char kHalfPlusTwo[] = "tf/saved_models/half_plus_two_cpu/00000123/variables/variables";

float Scalar(const tf_import::ConstTensor& t) {
  float v;
  EXPECT_EQ(t.bytes.size(), 4u);
  std::memcpy(&v, t.bytes.data(), 4);
  return v;
}

TEST(TfBundle, ReadsHalfPlusTwoVariables) {
  auto b = TensorBundle::Open(testing::DataPath(kHalfPlusTwo));
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->Keys(), (std::vector<std::string>{"a", "a2", "b", "c", "c2"}));
  auto a = b->Read("a");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->dtype, DType::kFloat32);
  EXPECT_FLOAT_EQ(Scalar(*a), 0.5f);
  EXPECT_FLOAT_EQ(Scalar(*b->Read("b")), 2.0f);
  EXPECT_FALSE(b->Read("zz").ok());
}

TEST(TfBundle, ReadsEveryFixtureBundle) {
  for (const char* prefix : {"tf/saved_models/half_plus_three/00000123/variables/variables",
                             "tf/saved_models/counter/00000123/variables/variables",
                             "tf/graph_fixtures/tensorflow_saved_model/00000000/variables/variables"}) {
    auto b = TensorBundle::Open(testing::DataPath(prefix));
    ASSERT_TRUE(b.ok()) << prefix << ": " << b.status().ToString();
    EXPECT_FALSE(b->Keys().empty()) << prefix;
    for (const std::string& k : b->Keys()) {
      auto t = b->Read(k);
      if (!t.ok()) {
        EXPECT_EQ(t.status().code(), StatusCode::kUnimplemented) << k;
      }
    }
  }
}

// Copies the bundle to a temp dir so single bytes can be broken.
std::string CopyBundle(const std::string& name) {
  const std::string dir = testing::TempDir() + "/" + name;
  std::filesystem::create_directories(dir);
  for (const char* ext : {".index", ".data-00000-of-00001"}) {
    std::filesystem::copy_file(testing::DataPath(std::string(kHalfPlusTwo) + ext),
                               dir + "/variables" + ext,
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::permissions(dir + "/variables" + ext, std::filesystem::perms::owner_all);
  }
  return dir + "/variables";
}

void FlipByte(const std::string& path, size_t offset) {
  auto bytes = ReadFileBytes(path);
  ASSERT_TRUE(bytes.ok());
  ASSERT_LT(offset, bytes->size());
  (*bytes)[offset] ^= 0x5a;
  ASSERT_TRUE(WriteFileAtomic(path, *bytes).ok());
}

TEST(TfBundle, DataCorruptionIsACrcError) {
  const std::string prefix = CopyBundle("data_crc");
  FlipByte(prefix + ".data-00000-of-00001", 9);  // inside "b" (bytes 8..11)
  auto b = TensorBundle::Open(prefix);
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->Read("a").ok());
  auto bad = b->Read("b");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(bad.status().message().find("CRC-32C mismatch for 'b'"), std::string::npos);
}

TEST(TfBundle, EveryIndexByteFlipIsCaughtOrHarmless) {
  const std::string prefix = CopyBundle("index_flip");
  auto original = ReadFileBytes(prefix + ".index");
  ASSERT_TRUE(original.ok());
  int failures = 0;
  for (size_t i = 0; i < original->size(); ++i) {
    std::vector<uint8_t> bytes = *original;
    bytes[i] ^= 0x01;
    auto table = tf_import::ReadTable(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), "x.index");
    failures += !table.ok();
  }
  // Only the footer padding is unprotected by a CRC or the magic.
  EXPECT_GT(failures, static_cast<int>(original->size()) * 2 / 3);
}

TEST(TfBundle, MissingShardAndTruncatedIndex) {
  const std::string prefix = CopyBundle("missing");
  std::filesystem::remove(prefix + ".data-00000-of-00001");
  auto b = TensorBundle::Open(prefix);
  ASSERT_TRUE(b.ok());
  auto a = b->Read("a");
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("variables.data-00000-of-00001"), std::string::npos);
  auto bytes = ReadFileBytes(prefix + ".index");
  ASSERT_TRUE(WriteFileAtomic(prefix + ".index", bytes->data(), bytes->size() - 7).ok());
  auto t = TensorBundle::Open(prefix);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("variables.index"), std::string::npos);
}

TEST(TfBundle, SnappyRejectsBadStreams) {
  EXPECT_EQ(*tf_import::SnappyUncompress(std::string("\x05\x10hello", 7), 100), "hello");
  // A back-reference overlapping its own output ("ab" then copy 4 at 2).
  EXPECT_EQ(*tf_import::SnappyUncompress(std::string("\x06\x04" "ab" "\x01\x02", 6), 100), "ababab");
  EXPECT_FALSE(tf_import::SnappyUncompress(std::string("\x05\x10hel", 5), 100).ok());
  EXPECT_FALSE(tf_import::SnappyUncompress(std::string("\x06\x01\x05", 3), 100).ok());
  EXPECT_FALSE(tf_import::SnappyUncompress(std::string("\xff\xff\xff\xff\x0f", 5), 100).ok());
}

}  // namespace
}  // namespace detlite
