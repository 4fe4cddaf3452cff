// The checkpoint file format (src/train/checkpoint.h): records round-trip
// bit for bit; a truncated, corrupted, foreign or newer-version file, and
// records of the wrong type or size, are refused naming the file.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>

#include "core/crc32c.h"
#include "support/paths.h"
#include "train/checkpoint.h"

namespace detlite::train {
namespace {

Checkpoint Sample() {
  Checkpoint c;
  const float w[6] = {1.5f, -0.0f, std::nanf(""), 3e38f, -1e-30f, 7};
  c.AddF32("param/3", {2, 3}, w, 6);
  c.AddF64("log/box", {0.25, 1e300});
  c.AddI64("run/step", {42});
  c.AddU8("mask/3", {1, 0, 1, 1, 0, 1});
  c.AddText("option/--lr", "1e-05");
  return c;
}

TEST(CheckpointFormat, RecordsRoundTripBitForBit) {
  const std::string path = detlite::testing::TempDir() + "/format.ckpt";
  ASSERT_TRUE(Sample().Write(path).ok());
  auto c = Checkpoint::Read(path);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->records().size(), 5u);
  auto w = c->F32("param/3", 6);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  const CheckpointRecord* r = c->Find("param/3");
  EXPECT_EQ(r->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_TRUE(std::isnan((*w)[2]));
  EXPECT_TRUE(std::signbit((*w)[1]));
  EXPECT_EQ((*w)[3], 3e38f);
  EXPECT_EQ(*c->Int("run/step"), 42);
  EXPECT_EQ(*c->Text("option/--lr"), "1e-05");
  EXPECT_EQ(c->F64("log/box")->at(1), 1e300);
  EXPECT_EQ(*c->U8("mask/3"), (std::vector<uint8_t>{1, 0, 1, 1, 0, 1}));
  EXPECT_EQ(Sample().Serialize(), c->Serialize());
}

TEST(CheckpointFormat, WrongTypeOrSizeIsRefusedNamingTheRecord) {
  auto c = Checkpoint::Parse(Sample().Serialize(), "/x/run.ckpt");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto size = c->F32("param/3", 7);
  ASSERT_FALSE(size.ok());
  EXPECT_EQ(size.status().message(), "/x/run.ckpt: record 'param/3' has 6 values, the model needs 7");
  auto type = c->F32("run/step");
  ASSERT_FALSE(type.ok());
  EXPECT_EQ(type.status().message(), "/x/run.ckpt: record 'run/step' is int64, expected float32");
  auto missing = c->Text("run/kind");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "/x/run.ckpt: record 'run/kind' is missing");
}

TEST(CheckpointFormat, DamagedFilesAreRefusedWithOneLineNamingTheFile) {
  const std::vector<uint8_t> good = Sample().Serialize();
  auto refused = [](const std::vector<uint8_t>& bytes) {
    auto c = Checkpoint::Parse(bytes, "/x/run.ckpt");
    EXPECT_FALSE(c.ok());
    if (c.ok()) return std::string();
    const std::string m = c.status().message();
    EXPECT_EQ(m.rfind("/x/run.ckpt: not a usable detlite checkpoint: ", 0), 0u) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    return m;
  };
  // Cut anywhere: the checksum (or the header) catches it.
  for (size_t keep : {size_t{0}, size_t{5}, size_t{8}, size_t{19}, good.size() / 2, good.size() - 1}) {
    const std::string m = refused(std::vector<uint8_t>(good.begin(), good.begin() + static_cast<long>(keep)));
    EXPECT_FALSE(m.empty()) << keep;
  }
  EXPECT_NE(refused(std::vector<uint8_t>(good.begin(), good.end() - 9)).find("checksum mismatch"),
            std::string::npos);
  // One flipped bit in a weight.
  std::vector<uint8_t> flipped = good;
  flipped[good.size() / 3] ^= 0x10;
  EXPECT_NE(refused(flipped).find("checksum mismatch"), std::string::npos);
  // Another file format altogether.
  std::vector<uint8_t> tflite = good;
  std::memcpy(tflite.data(), "\x1c\0\0\0TFL3", 8);
  EXPECT_NE(refused(tflite).find("magic"), std::string::npos);
  // A later format version (the checksum recomputed, so only the version is wrong).
  std::vector<uint8_t> v2 = good;
  v2[8] = 2;
  EXPECT_NE(refused(v2).find("format version 2"), std::string::npos);
  // A record length past the end, with a valid checksum: refused, not read.
  Checkpoint lying;
  lying.AddU8("mask/1", {1, 2, 3});
  std::vector<uint8_t> bytes = lying.Serialize();
  bytes.resize(bytes.size() - 4);
  const size_t length_at = 8 + 4 + 4 + 4 + 6 + 4 + 8;  // header, name, type/rank, one dim
  bytes[length_at + 5] = 0x7f;
  const uint32_t crc = crc32c::Value(bytes.data(), bytes.size());
  bytes.resize(bytes.size() + 4);
  std::memcpy(bytes.data() + bytes.size() - 4, &crc, 4);
  EXPECT_NE(refused(bytes).find("record 0 of 1 (mask/1) is cut short"), std::string::npos);
  const std::string path = detlite::testing::TempDir() + "/lying.ckpt";
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(good.data()), 10);
  auto truncated = Checkpoint::Read(path);
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().message().rfind(path + ": not a usable detlite checkpoint: truncated", 0), 0u)
      << truncated.status().message();
}

}  // namespace
}  // namespace detlite::train
