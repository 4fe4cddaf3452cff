#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/file_io.h"
#include "detlite/dataset.h"
#include "support/paths.h"

namespace detlite {
namespace {

using testing::DataPath;
using testing::TempDir;

TEST(DatasetCocoTest, ReadsCocoMiniWithRenumberedCategories) {
  for (const std::string& path :
       {DataPath("datasets/coco_mini/labels.json"), DataPath("datasets/coco_mini")}) {
    auto ds = LoadDataset(path);
    ASSERT_TRUE(ds.ok()) << ds.status().ToString();
    EXPECT_EQ(ds->format, "coco");
    ASSERT_EQ(ds->categories.size(), 12u);  // 0 = background .. 11 = vase
    EXPECT_EQ(ds->categories[0].name, "background");
    EXPECT_EQ(ds->categories[11].name, "vase");
    ASSERT_EQ(ds->samples.size(), 5u);
    size_t boxes = 0;
    for (const DatasetSample& s : ds->samples) boxes += s.boxes.size();
    EXPECT_EQ(boxes, 57u);
    // Values from /usr/bin/python3's json module.
    const DatasetSample& first = ds->samples[0];
    EXPECT_EQ(first.image_id, 1);
    EXPECT_EQ(first.file_name, "000000000078.jpg");
    EXPECT_EQ(first.width, 0);  // the file gives no size
    EXPECT_EQ(first.image_path,
              DataPath("datasets/coco_mini/images/000000000078.jpg"));
    ASSERT_EQ(first.boxes.size(), 1u);
    EXPECT_EQ(first.boxes[0].category_id, 11);
    EXPECT_EQ(first.boxes[0].label, "vase");
    EXPECT_FLOAT_EQ(first.boxes[0].xmin, 466.864812f);
    EXPECT_FLOAT_EQ(first.boxes[0].ymin, 120.024828f);
    EXPECT_FLOAT_EQ(first.boxes[0].xmax, static_cast<float>(466.864812 + 214.130232));
    EXPECT_FLOAT_EQ(first.boxes[0].ymax, static_cast<float>(120.024828 + 235.910088));
    EXPECT_EQ(first.boxes[0].area, -1);
    EXPECT_EQ(ds->samples[1].boxes.size(), 38u);
    const DatasetSample& last = ds->samples[4];
    EXPECT_EQ(last.file_name, "000000000446.jpg");
    ASSERT_EQ(last.boxes.size(), 13u);
    EXPECT_EQ(last.boxes.back().category_id, 8);
    EXPECT_EQ(last.boxes.back().label, "bed");
    EXPECT_FLOAT_EQ(last.boxes.back().xmin, 453.32016f);
    EXPECT_FLOAT_EQ(last.boxes.back().ymax, static_cast<float>(229.6352 + 103.87008));
  }
}

TEST(DatasetCocoTest, LoadsImagesFromImagesDirAndHonoursMaxSamples) {
  auto ds = LoadDataset(DataPath("datasets/coco_mini/labels.json"), {.max_samples = 2});
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  ASSERT_EQ(ds->samples.size(), 2u);
  EXPECT_EQ(ds->samples[1].boxes.size(), 38u);
  auto image = LoadSampleImage(ds->samples[0]);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_GT(image->width, 0);
  EXPECT_EQ(image->pixels.size(), static_cast<size_t>(image->width) * image->height * 3);
}

TEST(DatasetCocoTest, GroundTruthWithoutImagesLoadsButImagesFailOnLoad) {
  auto ds = LoadDataset(DataPath("coco-eval/cocoapi_val2014_100/instances_val2014_100.json"));
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  ASSERT_EQ(ds->samples.size(), 100u);
  EXPECT_EQ(ds->categories.size(), 80u);
  EXPECT_EQ(ds->categories.back().id, 90);
  EXPECT_EQ(ds->categories.back().name, "toothbrush");
  size_t boxes = 0, crowd = 0;
  for (const DatasetSample& s : ds->samples) {
    boxes += s.boxes.size();
    for (const BoxAnnotation& b : s.boxes) crowd += b.iscrowd;
  }
  EXPECT_EQ(boxes, 839u);
  EXPECT_EQ(crowd, 9u);
  const DatasetSample& first = ds->samples[0];
  EXPECT_EQ(first.image_id, 1146);
  ASSERT_EQ(first.boxes.size(), 2u);
  EXPECT_EQ(first.boxes[0].category_id, 32);
  EXPECT_DOUBLE_EQ(first.boxes[0].area, 20500.276400000002);
  EXPECT_FLOAT_EQ(first.boxes[0].ymax, static_cast<float>(252.04 + 378.25));
  EXPECT_EQ(ds->samples[99].image_id, 987);
  EXPECT_EQ(ds->samples[99].width, 640);
  EXPECT_EQ(ds->samples[99].height, 480);
  auto image = LoadSampleImage(first);
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), StatusCode::kNotFound);
  EXPECT_NE(image.status().message().find("COCO_val2014_000000001146.jpg"), std::string::npos);
}

TEST(DatasetCocoTest, ImagesDirOverrides) {
  auto ds = LoadDataset(DataPath("coco-eval/cocoapi_val2014_100/instances_val2014_100.json"),
                        {.max_samples = 1, .images_dir = "/somewhere"});
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  EXPECT_EQ(ds->samples[0].image_path, "/somewhere/COCO_val2014_000000001146.jpg");
}

constexpr char kGood[] = R"({"images": [{"id": 7, "file_name": "a.jpg", "width": 64}],
  "categories": [{"id": 3, "name": "cat"}],
  "annotations": [{"image_id": 7, "category_id": 3, "bbox": [1, 2, 3, 4], "iscrowd": 0}]})";

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

void ExpectError(const std::string& json, const std::string& needle) {
  const std::string path = TempDir() + "/coco_bad.json";
  ASSERT_TRUE(WriteFileAtomic(path, json).ok());
  auto ds = LoadDataset(path);
  ASSERT_FALSE(ds.ok()) << json;
  EXPECT_EQ(ds.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(ds.status().message().find(path), std::string::npos) << ds.status().message();
  EXPECT_NE(ds.status().message().find(needle), std::string::npos) << ds.status().message();
}

TEST(DatasetCocoTest, SmallFileParses) {
  const std::string path = TempDir() + "/coco_good.json";
  ASSERT_TRUE(WriteFileAtomic(path, std::string(kGood)).ok());
  auto ds = LoadDataset(path);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  ASSERT_EQ(ds->samples.size(), 1u);
  EXPECT_EQ(ds->samples[0].width, 64);
  EXPECT_EQ(ds->samples[0].height, 0);
  EXPECT_EQ(ds->samples[0].boxes[0].xmax, 4.0f);
  EXPECT_EQ(ds->samples[0].boxes[0].ymax, 6.0f);
  auto image = LoadSampleImage(ds->samples[0]);
  EXPECT_EQ(image.status().code(), StatusCode::kNotFound);
}

TEST(DatasetCocoTest, MalformedJsonNamesFileAndElement) {
  ExpectError("{\"images\": [", "not valid JSON");
  ExpectError("[]", "top level is not an object");
  ExpectError(Replace(kGood, "\"images\"", "\"imgs\""), "missing 'images'");
  ExpectError(Replace(kGood, "\"categories\"", "\"cats\""), "missing 'categories'");
  ExpectError(Replace(kGood, "\"annotations\": [", "\"annotations\": 5, \"x\": ["), "'annotations' is not an array");
  ExpectError(Replace(kGood, "\"id\": 7", "\"id\": \"7\""), "images[0]: 'id' must be an integer");
  ExpectError(Replace(kGood, "\"file_name\": \"a.jpg\", ", ""), "images[0]: missing 'file_name'");
  ExpectError(Replace(kGood, "\"width\": 64", "\"width\": -1"), "images[0]: 'width' is out of range");
  ExpectError(Replace(kGood, "\"id\": 7", "\"id\": 7.5"), "images[0]: 'id' must be an integer");
  ExpectError(Replace(kGood, "\"name\": \"cat\"", "\"name\": 3"), "categories[0]: 'name'");
  ExpectError(Replace(kGood, "[1, 2, 3, 4]", "[1, 2, -3, 4]"),
              "annotations[0]: 'bbox' has a negative width or height");
  ExpectError(Replace(kGood, "[1, 2, 3, 4]", "[1, 2, 3]"), "annotations[0]: 'bbox' must be");
  ExpectError(Replace(kGood, "[1, 2, 3, 4]", "[1, \"2\", 3, 4]"), "annotations[0]: 'bbox'");
  ExpectError(Replace(kGood, ", \"bbox\": [1, 2, 3, 4]", ""), "annotations[0]: missing 'bbox'");
  ExpectError(Replace(kGood, "\"image_id\": 7", "\"image_id\": 8"),
              "annotations[0]: image_id 8 is not in 'images'");
  ExpectError(Replace(kGood, "\"category_id\": 3", "\"category_id\": 4"),
              "annotations[0]: category_id 4 is not in 'categories'");
  ExpectError(Replace(kGood, "\"iscrowd\": 0", "\"iscrowd\": 2"), "'iscrowd' is out of range");
  ExpectError(Replace(kGood, "\"image_id\": 7", "\"image_id\": 18446744073709551615"),
              "'image_id' is out of range");
  ExpectError(Replace(kGood, "}]}", "}, 5]}"), "annotations[1]: not an object");
  ExpectError(Replace(kGood, "[{\"id\": 3", "[{\"id\": 3, \"name\": \"x\"}, {\"id\": 3"),
              "categories[1]: category id 3 is listed twice");
}

TEST(DatasetCocoTest, DirectoryWithSeveralJsonsIsAmbiguous) {
  const std::string dir = TempDir() + "/two_jsons";
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(WriteFileAtomic(dir + "/a.json", std::string(kGood)).ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/b.json", std::string(kGood)).ok());
  auto ds = LoadDataset(dir);
  ASSERT_FALSE(ds.ok());
  EXPECT_NE(ds.status().message().find("2 json files"), std::string::npos)
      << ds.status().message();
}

}  // namespace
}  // namespace detlite
