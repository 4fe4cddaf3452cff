#include "core/appended_zip.h"

#include <gtest/gtest.h>

#include "core/file_io.h"
#include "support/paths.h"

namespace detlite {
namespace {

// The quantized COCO SSD carries its label map the way TFLite's metadata
// writer stores it: a zip appended after the flatbuffer.
std::vector<uint8_t> CocoSsd() {
  auto bytes = ReadFileBytes(
      testing::DataPath("tflite/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite"));
  EXPECT_TRUE(bytes.ok());
  return bytes.ok() ? *bytes : std::vector<uint8_t>{};
}

TEST(AppendedZipTest, FindsRelocatesAndReadsTheLabelMap) {
  const std::vector<uint8_t> file = CocoSsd();
  auto start = zip::FindAppendedZip(file.data(), file.size());
  ASSERT_TRUE(start.has_value());
  EXPECT_GT(*start, 4'000'000u);  // after the 4 MB flatbuffer
  std::vector<uint8_t> archive(file.begin() + static_cast<std::ptrdiff_t>(*start), file.end());
  auto files = zip::StoredFiles(archive, *start);
  ASSERT_EQ(files.count("labelmap.txt"), 1u);
  const std::string text(files["labelmap.txt"].begin(), files["labelmap.txt"].end());
  EXPECT_EQ(text.substr(0, 15), "person\nbicycle\n");
  EXPECT_EQ(files["labelmap.txt"].size(), 661u);  // as `unzip -l` lists it
  // Moved to offset 0 and to another place, it reads the same.
  auto at0 = zip::Relocate(archive, *start, 0);
  ASSERT_TRUE(at0.has_value());
  EXPECT_EQ(zip::StoredFiles(*at0, 0), files);
  auto at99 = zip::Relocate(*at0, 0, 99);
  ASSERT_TRUE(at99.has_value());
  std::vector<uint8_t> moved(99, 0);
  moved.insert(moved.end(), at99->begin(), at99->end());
  EXPECT_EQ(zip::FindAppendedZip(moved.data(), moved.size()), std::optional<size_t>(99));
}

TEST(AppendedZipTest, NoZipOrBrokenZipIsNone) {
  const std::vector<uint8_t> file = CocoSsd();
  auto start = zip::FindAppendedZip(file.data(), file.size());
  ASSERT_TRUE(start.has_value());
  // The model without its archive, and every truncation of the archive.
  EXPECT_FALSE(zip::FindAppendedZip(file.data(), *start).has_value());
  for (size_t cut = 1; cut < file.size() - *start; cut += 7) {
    EXPECT_FALSE(zip::FindAppendedZip(file.data(), file.size() - cut).has_value()) << cut;
  }
  // A central directory pointing outside the file.
  std::vector<uint8_t> bad = file;
  bad[bad.size() - 22 + 16] ^= 0x40;
  EXPECT_FALSE(zip::FindAppendedZip(bad.data(), bad.size()).has_value());
  EXPECT_TRUE(zip::StoredFiles(std::vector<uint8_t>(10, 0), 0).empty());
  EXPECT_FALSE(zip::Relocate(std::vector<uint8_t>(30, 1), 0, 5).has_value());
}

}  // namespace
}  // namespace detlite
