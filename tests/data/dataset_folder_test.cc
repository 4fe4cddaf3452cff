#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/file_io.h"
#include "detlite/dataset.h"
#include "support/paths.h"

namespace detlite {
namespace {

namespace fs = std::filesystem;
using testing::DataPath;
using testing::TempDir;

TEST(DatasetFolderTest, ListsImagesSortedCaseInsensitively) {
  const std::string dir = TempDir() + "/folder";
  fs::create_directories(dir + "/sub");
  fs::copy_file(DataPath("images/cat.bmp"), dir + "/b.BMP");
  fs::copy_file(DataPath("images/cats_and_dogs.jpg"), dir + "/a.JPEG");
  fs::copy_file(DataPath("images/sergey.png"), dir + "/c.png");
  fs::copy_file(DataPath("images/burger.jpg"), dir + "/sub/d.jpg");  // not recursive
  ASSERT_TRUE(WriteFileAtomic(dir + "/notes.txt", std::string("x")).ok());
  auto ds = LoadDataset(dir);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  EXPECT_EQ(ds->format, "folder");
  EXPECT_FALSE(ds->labelled());
  EXPECT_TRUE(ds->categories.empty());
  ASSERT_EQ(ds->samples.size(), 3u);
  EXPECT_EQ(ds->samples[0].file_name, "a.JPEG");
  EXPECT_EQ(ds->samples[1].file_name, "b.BMP");
  EXPECT_EQ(ds->samples[2].file_name, "c.png");
  EXPECT_EQ(ds->samples[2].image_id, 2);
  EXPECT_EQ(ds->samples[2].image_path, dir + "/c.png");
  EXPECT_TRUE(ds->samples[0].boxes.empty());
  auto image = LoadSampleImage(ds->samples[0]);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(image->width, 1200);  // cats_and_dogs.jpg is 1200x600
  EXPECT_EQ(image->height, 600);

  auto one = LoadDataset(dir, {.max_samples = 1});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->samples.size(), 1u);
}

TEST(DatasetFolderTest, RealImagesFolderLoads) {
  auto ds = LoadDataset(DataPath("images"));
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  EXPECT_EQ(ds->format, "folder");
  EXPECT_GE(ds->samples.size(), 10u);
}

TEST(DatasetFolderTest, EmptyFolderAndBadPathsAreErrors) {
  const std::string dir = TempDir() + "/empty_folder";
  fs::create_directories(dir);
  ASSERT_TRUE(WriteFileAtomic(dir + "/readme.md", std::string("no images")).ok());
  auto empty = LoadDataset(dir);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find(dir + ": no images"), std::string::npos)
      << empty.status().message();

  auto missing = LoadDataset(TempDir() + "/does_not_exist");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("does_not_exist"), std::string::npos);

  auto not_dataset = LoadDataset(DataPath("tflite/half_plus_two.tflite"));
  ASSERT_FALSE(not_dataset.ok());
  EXPECT_EQ(not_dataset.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(not_dataset.status().message().find("not a dataset"), std::string::npos);

  DatasetSample nothing;
  nothing.file_name = "lost.jpg";
  auto image = LoadSampleImage(nothing);
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.status().message().find("lost.jpg"), std::string::npos);
}

}  // namespace
}  // namespace detlite
