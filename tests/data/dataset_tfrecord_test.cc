#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/crc32c.h"
#include "core/file_io.h"
#include "detlite/dataset.h"
#include "detlite/tf/example.pb.h"
#include "support/paths.h"

namespace detlite {
namespace {

using testing::DataPath;
using testing::TempDir;

std::string Le(uint64_t v, int bytes) {
  std::string s;
  for (int i = 0; i < bytes; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return s;
}

// One TFRecord frame around `data`, CRCs as TensorFlow writes them.
std::string Frame(const std::string& data) {
  const std::string len = Le(data.size(), 8);
  return len + Le(crc32c::Mask(crc32c::Value(len.data(), 8)), 4) + data +
         Le(crc32c::Mask(crc32c::Value(data.data(), data.size())), 4);
}

std::string ReadAll(const std::string& path) {
  auto text = ReadFileText(path);
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? *text : std::string();
}

std::string Write(const std::string& name, const std::string& bytes) {
  const std::string path = TempDir() + "/" + name;
  EXPECT_TRUE(WriteFileAtomic(path, bytes).ok());
  return path;
}

// The first record of the real file, for building variants of it.
std::string FirstRecord() {
  const std::string file = ReadAll(DataPath("datasets/pets_examples.record"));
  uint64_t len = 0;
  std::memcpy(&len, file.data(), 8);  // little-endian host
  return file.substr(12, len);
}

TEST(DatasetTfRecordTest, ReadsPetsExamples) {
  auto ds = LoadDataset(DataPath("datasets/pets_examples.record"));
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  EXPECT_EQ(ds->format, "tfrecord");
  EXPECT_TRUE(ds->labelled());
  ASSERT_EQ(ds->samples.size(), 10u);
  // Values read independently with a Python wire-format parser.
  const DatasetSample& first = ds->samples[0];
  EXPECT_EQ(first.file_name, "chihuahua_153.jpg");
  EXPECT_EQ(first.image_id, 0);  // source_id is a file name, so: index
  EXPECT_TRUE(first.image_path.empty());
  EXPECT_EQ(first.encoded_image.size(), 17828u);
  EXPECT_EQ(first.width, 300);
  EXPECT_EQ(first.height, 225);
  ASSERT_EQ(first.boxes.size(), 1u);
  EXPECT_EQ(first.boxes[0].category_id, 11);
  EXPECT_EQ(first.boxes[0].label, "chihuahua");
  EXPECT_NEAR(first.boxes[0].xmin, 0.39666667f * 300, 1e-3);
  EXPECT_NEAR(first.boxes[0].ymin, 0.24f * 225, 1e-3);
  EXPECT_NEAR(first.boxes[0].xmax, 0.76f * 300, 1e-3);
  EXPECT_NEAR(first.boxes[0].ymax, 0.5688889f * 225, 1e-3);
  EXPECT_FALSE(first.boxes[0].difficult);
  EXPECT_EQ(first.boxes[0].area, -1);
  const DatasetSample& last = ds->samples[9];
  EXPECT_EQ(last.file_name, "samoyed_161.jpg");
  EXPECT_EQ(last.image_id, 9);
  EXPECT_EQ(last.encoded_image.size(), 90854u);
  EXPECT_EQ(last.width, 500);
  EXPECT_EQ(last.height, 333);
  ASSERT_EQ(last.boxes.size(), 1u);
  EXPECT_EQ(last.boxes[0].category_id, 30);
  EXPECT_EQ(last.boxes[0].label, "samoyed");
  EXPECT_NEAR(last.boxes[0].xmin, 0.568f * 500, 1e-3);
  EXPECT_NEAR(last.boxes[0].ymax, 0.3033033f * 333, 1e-3);
  ASSERT_EQ(ds->categories.size(), 10u);  // ten different breeds
  EXPECT_EQ(ds->categories.front().id, 11);
  EXPECT_EQ(ds->categories.front().name, "chihuahua");
  EXPECT_EQ(ds->categories.back().id, 37);
  EXPECT_EQ(ds->categories.back().name, "yorkshire_terrier");

  auto image = LoadSampleImage(first);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(image->width, 300);
  EXPECT_EQ(image->height, 225);
}

TEST(DatasetTfRecordTest, MaxSamplesStopsEarlyAndHeaderSniffingWorks) {
  const std::string file = ReadAll(DataPath("datasets/pets_examples.record"));
  const std::string path = Write("pets.bin", file);  // no telling extension
  auto ds = LoadDataset(path, {.max_samples = 3});
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  EXPECT_EQ(ds->format, "tfrecord");
  EXPECT_EQ(ds->samples.size(), 3u);
  EXPECT_EQ(ds->samples[2].file_name, "japanese_chin_107.jpg");
}

// Decodes the image when width/height are missing, and takes numeric
// source ids as image ids.
TEST(DatasetTfRecordTest, MissingSizeIsDecodedAndNumericSourceIdsAreUsed) {
  tf::Example ex;
  ASSERT_TRUE(ex.ParseFromString(FirstRecord()));
  auto* f = ex.mutable_features()->mutable_feature();
  f->erase("image/width");
  f->erase("image/height");
  (*f)["image/source_id"].mutable_bytes_list()->set_value(0, "4242");
  const std::string path = Write("nosize.record", Frame(ex.SerializeAsString()));
  auto ds = LoadDataset(path);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  EXPECT_EQ(ds->samples[0].width, 300);
  EXPECT_EQ(ds->samples[0].height, 225);
  EXPECT_EQ(ds->samples[0].image_id, 4242);
  EXPECT_NEAR(ds->samples[0].boxes[0].xmax, 228.0f, 1e-3);
}

void ExpectError(const std::string& name, const std::string& bytes, const std::string& needle) {
  const std::string path = Write(name, bytes);
  auto ds = LoadDataset(path);
  ASSERT_FALSE(ds.ok()) << name;
  EXPECT_EQ(ds.status().code(), StatusCode::kDataLoss) << ds.status().ToString();
  EXPECT_NE(ds.status().message().find(path), std::string::npos) << ds.status().message();
  EXPECT_NE(ds.status().message().find(needle), std::string::npos) << ds.status().message();
}

TEST(DatasetTfRecordTest, BrokenFramingIsRejectedWithRecordIndex) {
  const std::string file = ReadAll(DataPath("datasets/pets_examples.record"));
  const std::string second = Frame(FirstRecord());
  ExpectError("trunc_data.record", file.substr(0, file.size() - 100), "record 9");
  ExpectError("trunc_head.record", file.substr(0, 12 + FirstRecord().size() + 4 + 5),
              "record 1 (offset");
  std::string bad_len_crc = file;
  bad_len_crc[9] ^= 0x01;
  ExpectError("len_crc.record", bad_len_crc, "record 0 (offset 0): length CRC mismatch");
  std::string bad_data = file;
  bad_data[500] ^= 0x40;
  ExpectError("data_crc.record", bad_data, "record 0 (offset 0): data CRC mismatch");
  // A huge length with a valid header CRC must be refused, not allocated.
  const std::string huge_len = Le(uint64_t{1} << 40, 8);
  ExpectError("huge.record",
              second + huge_len + Le(crc32c::Mask(crc32c::Value(huge_len.data(), 8)), 4) +
                  "abcd",
              "record 1 (offset " + std::to_string(second.size()) + "): length 1099511627776");
  ExpectError("empty.record", "", "holds no records");
  ExpectError("garbage.record", Frame("\xff\xff\xff"), "record 0: not a valid tf.Example");
}

TEST(DatasetTfRecordTest, InconsistentExamplesAreRejected) {
  auto variant = [](auto edit) {
    tf::Example ex;
    EXPECT_TRUE(ex.ParseFromString(FirstRecord()));
    edit(ex.mutable_features()->mutable_feature());
    return Frame(FirstRecord()) + Frame(ex.SerializeAsString());
  };
  using Map = google::protobuf::Map<std::string, tf::Feature>;
  ExpectError("xmin2.record", variant([](Map* f) {
                (*f)["image/object/bbox/xmin"].mutable_float_list()->add_value(0.5f);
              }),
              "record 1: bbox lists disagree in length (xmin 2, ymin 1");
  ExpectError("label.record", variant([](Map* f) { f->erase("image/object/class/label"); }),
              "record 1: 'image/object/class/label' has 0 values for 1 boxes");
  ExpectError("text.record", variant([](Map* f) {
                (*f)["image/object/class/text"].mutable_bytes_list()->add_value("x");
              }),
              "'image/object/class/text' has 2 values for 1 boxes");
  ExpectError("negative.record", variant([](Map* f) {
                (*f)["image/object/bbox/xmax"].mutable_float_list()->set_value(0, 0.1f);
              }),
              "record 1: object 0: bbox has a negative size");
  ExpectError("nan.record", variant([](Map* f) {
                (*f)["image/object/bbox/ymin"].mutable_float_list()->set_value(0, NAN);
              }),
              "object 0: bbox is not finite");
  ExpectError("kind.record", variant([](Map* f) {
                (*f)["image/width"].mutable_float_list()->add_value(3.0f);
              }),
              "'image/width' is not an int64 list");
  ExpectError("width.record", variant([](Map* f) {
                (*f)["image/width"].mutable_int64_list()->set_value(0, -5);
              }),
              "'image/width' is -5");
  ExpectError("noimage.record", variant([](Map* f) { f->erase("image/encoded"); }),
              "record 1: 'image/encoded' must hold one image");
  ExpectError("badimage.record", variant([](Map* f) {
                f->erase("image/width");
                (*f)["image/encoded"].mutable_bytes_list()->set_value(0, "not a jpeg");
              }),
              "record 1: image/encoded");
}

TEST(DatasetTfRecordTest, CorruptEmbeddedImageFailsOnlyWhenLoaded) {
  tf::Example ex;
  ASSERT_TRUE(ex.ParseFromString(FirstRecord()));
  std::string* bytes =
      (*ex.mutable_features()->mutable_feature())["image/encoded"].mutable_bytes_list()
          ->mutable_value(0);
  bytes->resize(bytes->size() / 3);
  auto ds = LoadDataset(Write("cut_jpeg.record", Frame(ex.SerializeAsString())));
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  auto image = LoadSampleImage(ds->samples[0]);
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.status().message().find("chihuahua_153.jpg"), std::string::npos)
      << image.status().message();
}

}  // namespace
}  // namespace detlite
