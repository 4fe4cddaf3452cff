// A model's associated files (TFLite metadata's zip after the flatbuffer)
// survive reading and writing, at their new offsets.
#include <gtest/gtest.h>

#include "core/appended_zip.h"
#include "exporters/tflite/tflite_writer.h"
#include "importers/tflite/tflite_reader.h"
#include "support/paths.h"

namespace detlite {
namespace {

TEST(AssociatedFilesTest, LabelMapZipSurvivesARoundTrip) {
  auto model = ReadTfliteFile(
      testing::DataPath("tflite/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ASSERT_FALSE(model->associated_files.empty());
  auto written = WriteTfliteBuffer(*model);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  auto start = zip::FindAppendedZip(written->data(), written->size());
  ASSERT_TRUE(start.has_value());
  std::vector<uint8_t> archive(written->begin() + static_cast<std::ptrdiff_t>(*start), written->end());
  auto files = zip::StoredFiles(archive, *start);
  ASSERT_EQ(files.count("labelmap.txt"), 1u);
  EXPECT_EQ(files["labelmap.txt"].size(), 661u);
  auto again = ReadTfliteBuffer(written->data(), written->size(), "written");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->associated_files, model->associated_files);
}

TEST(AssociatedFilesTest, ModelsWithoutAnArchiveGetNone) {
  auto model = ReadTfliteFile(
      testing::DataPath("tflite/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29_no_metadata.tflite"));
  ASSERT_TRUE(model.ok());
  EXPECT_TRUE(model->associated_files.empty());
  auto written = WriteTfliteBuffer(*model);
  ASSERT_TRUE(written.ok());
  EXPECT_FALSE(zip::FindAppendedZip(written->data(), written->size()).has_value());
}

}  // namespace
}  // namespace detlite
