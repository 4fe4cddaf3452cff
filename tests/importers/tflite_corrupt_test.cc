// Damaged copies of real and built files: cut at many points, single bits
// flipped at many positions (fixed seeds, so failures reproduce). The reader
// must never crash or read out of bounds (run under the asan preset); a cut
// or flip it accepts must be harmless: a cut may only drop unused trailing
// bytes, a flip may only change a value the format leaves free.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "core/file_io.h"
#include "importers/tflite/tflite_reader.h"
#include "ir/verifier.h"
#include "support/ir_compare.h"
#include "support/paths.h"
#include "tiny_tflite.h"

namespace detlite {
namespace {

std::vector<uint8_t> LoadModel(const std::string& file) {
  auto b = ReadFileBytes(testing::DataPath("tflite/" + file));
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  return b.ok() ? *b : std::vector<uint8_t>();
}

// Every cut point of small files; of bigger ones the first 2 KiB (the
// FlatBuffer's root, vtables and vectors' headers) and an even spread after.
std::vector<size_t> CutPoints(size_t size) {
  std::vector<size_t> cuts;
  for (size_t n = 0; n < size && n < 2048; ++n) cuts.push_back(n);
  const size_t step = std::max<size_t>(1, size / 400);
  for (size_t n = 2048; n < size; n += step) cuts.push_back(n);
  cuts.push_back(size - 1);
  return cuts;
}

void CheckTruncations(const std::vector<uint8_t>& bytes, const std::string& name) {
  auto full = ReadTfliteBuffer(bytes.data(), bytes.size(), name);
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  int rejected = 0, accepted = 0;
  for (size_t n : CutPoints(bytes.size())) {
    // A fresh exact-size copy, so ASan flags any read past the cut.
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<long>(n));
    auto m = ReadTfliteBuffer(cut.data(), cut.size(), name);
    if (!m.ok()) {
      ++rejected;
      EXPECT_EQ(m.status().message().rfind(name + ": ", 0), 0u) << m.status().message();
      continue;
    }
    ++accepted;
    EXPECT_EQ(testing::DiffModels(*full, *m), "")
        << "cut at " << n << " of " << bytes.size() << " was accepted but changed the model";
  }
  EXPECT_GT(rejected, 0);
  ::testing::Test::RecordProperty(name + "_accepted_cuts", accepted);
}

TEST(TfliteCorrupt, TruncatedTinyModel) {
  CheckTruncations(testing::BuildTiny({}), "tiny.tflite");
}

TEST(TfliteCorrupt, TruncatedRealModels) {
  for (const char* f : {"half_plus_two.tflite", "face_detection_short_range.tflite",
                        "face_detection_full_range_sparse.tflite",
                        "coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite"}) {
    SCOPED_TRACE(f);
    CheckTruncations(LoadModel(f), f);
  }
}

// Flips bit `bit` of byte `pos`, reads, and if accepted checks the result
// still satisfies the IR verifier's structural rules.
void FlipAndRead(std::vector<uint8_t>& bytes, size_t pos, int bit, int* rejected) {
  bytes[pos] ^= static_cast<uint8_t>(1u << bit);
  auto m = ReadTfliteBuffer(bytes.data(), bytes.size(), "flipped.tflite");
  bytes[pos] ^= static_cast<uint8_t>(1u << bit);
  if (!m.ok()) {
    ++*rejected;
    EXPECT_EQ(m.status().message().rfind("flipped.tflite: ", 0), 0u);
    return;
  }
  // Whatever got through must still be indexable and sized consistently;
  // ordering (a flipped op input may read a later tensor) is not the
  // reader's to judge.
  for (const std::string& e : ir::VerifyModel(*m).errors) {
    EXPECT_TRUE(e.find("before any op writes") != std::string::npos ||
                e.find("already written") != std::string::npos ||
                e.find("never written") != std::string::npos ||
                e.find("writes constant") != std::string::npos ||
                e.find("NaN or negative scale") != std::string::npos)
        << "flip of bit " << bit << " at " << pos << ": " << e;
  }
}

TEST(TfliteCorrupt, EveryBitOfTinyModel) {
  auto bytes = testing::BuildTiny({});
  int rejected = 0;
  for (size_t pos = 0; pos < bytes.size(); ++pos) {
    for (int bit = 0; bit < 8; ++bit) FlipAndRead(bytes, pos, bit, &rejected);
  }
  EXPECT_GT(rejected, 0);
}

TEST(TfliteCorrupt, EveryBitOfHalfPlusTwo) {
  auto bytes = LoadModel("half_plus_two.tflite");
  int rejected = 0;
  for (size_t pos = 0; pos < bytes.size(); ++pos) {
    for (int bit = 0; bit < 8; ++bit) FlipAndRead(bytes, pos, bit, &rejected);
  }
  EXPECT_GT(rejected, 0);
}

TEST(TfliteCorrupt, RandomBitsOfRealModels) {
  // Each read copies the model's weights, so bigger models get fewer
  // flips (the fuzz target covers far more inputs).
  const std::pair<const char*, int> kRuns[] = {
      {"face_detection_short_range.tflite", 400},
      {"face_detection_full_range_sparse.tflite", 200},
      {"coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite", 100}};
  for (const auto& [f, flips] : kRuns) {
    SCOPED_TRACE(f);
    auto bytes = LoadModel(f);
    std::mt19937 rng(20240601);  // fixed: failures must reproduce
    // The tables sit mostly before or after the large weight blobs; spread
    // flips over the whole file and concentrate some on the first 64 KiB.
    std::uniform_int_distribution<size_t> anywhere(0, bytes.size() - 1);
    std::uniform_int_distribution<size_t> head(0, std::min<size_t>(bytes.size(), 65536) - 1);
    std::uniform_int_distribution<int> bit(0, 7);
    int rejected = 0;
    for (int i = 0; i < flips; ++i) {
      FlipAndRead(bytes, i % 2 ? anywhere(rng) : head(rng), bit(rng), &rejected);
    }
    ::testing::Test::RecordProperty(std::string(f) + "_rejected", rejected);
  }
}

}  // namespace
}  // namespace detlite
