#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/file_io.h"
#include "data/datasets/voc.h"
#include "detlite/dataset.h"
#include "support/paths.h"

namespace detlite {
namespace {

using testing::DataPath;
using testing::TempDir;

TEST(DatasetVocTest, ReadsVocMini) {
  auto ds = LoadDataset(DataPath("datasets/voc_mini"));
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  EXPECT_EQ(ds->format, "voc");
  ASSERT_EQ(ds->categories.size(), 2u);
  EXPECT_EQ(ds->categories[0].id, 1);
  EXPECT_EQ(ds->categories[0].name, "android");
  EXPECT_EQ(ds->categories[1].id, 2);
  EXPECT_EQ(ds->categories[1].name, "pig_android");
  ASSERT_EQ(ds->samples.size(), 4u);
  // Sorted by annotation file name; values read from the xml by hand.
  const DatasetSample& first = ds->samples[0];
  EXPECT_EQ(first.file_name, "37ca2a3d-IMG_0520.jpg");
  EXPECT_EQ(first.image_id, 0);
  EXPECT_EQ(first.width, 800);
  EXPECT_EQ(first.height, 600);
  EXPECT_EQ(first.image_path, DataPath("datasets/voc_mini/images/37ca2a3d-IMG_0520.jpg"));
  ASSERT_EQ(first.boxes.size(), 1u);
  EXPECT_EQ(first.boxes[0].label, "pig_android");
  EXPECT_EQ(first.boxes[0].category_id, 2);
  EXPECT_EQ(first.boxes[0].xmin, 242);
  EXPECT_EQ(first.boxes[0].ymin, 17);
  EXPECT_EQ(first.boxes[0].xmax, 556);
  EXPECT_EQ(first.boxes[0].ymax, 476);
  EXPECT_FALSE(first.boxes[0].difficult);
  const DatasetSample& last = ds->samples[3];
  EXPECT_EQ(last.file_name, "d86b20e0-IMG_0509.jpg");
  ASSERT_EQ(last.boxes.size(), 2u);
  EXPECT_EQ(last.boxes[0].category_id, 1);
  EXPECT_EQ(last.boxes[0].xmin, 7);
  EXPECT_EQ(last.boxes[1].category_id, 2);
  EXPECT_EQ(last.boxes[1].xmax, 723);
  EXPECT_EQ(last.boxes[1].ymax, 329);

  auto image = LoadSampleImage(first);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(image->width, 800);
  EXPECT_EQ(image->height, 600);

  auto two = LoadDataset(DataPath("datasets/voc_mini"), {.max_samples = 2});
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->samples.size(), 2u);
}

constexpr char kGood[] =
    "<annotation><filename>x.jpg</filename>"
    "<size><width>20</width><height>10</height><depth>3</depth></size>"
    "<object><name>dog</name><difficult>1</difficult>"
    "<bndbox><xmin>1.5</xmin><ymin>2</ymin><xmax>8</xmax><ymax>9</ymax></bndbox></object>"
    "</annotation>";

TEST(DatasetVocTest, ParsesDecimalsAndDifficult) {
  auto s = datasets::ParseVocAnnotation(kGood, "a.xml");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->width, 20);
  ASSERT_EQ(s->boxes.size(), 1u);
  EXPECT_TRUE(s->boxes[0].difficult);
  EXPECT_EQ(s->boxes[0].xmin, 1.5f);
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

void ExpectError(const std::string& xml, const std::string& needle) {
  auto s = datasets::ParseVocAnnotation(xml, "a.xml");
  ASSERT_FALSE(s.ok()) << xml;
  EXPECT_EQ(s.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(s.status().message().find("a.xml"), std::string::npos);
  EXPECT_NE(s.status().message().find(needle), std::string::npos) << s.status().message();
}

TEST(DatasetVocTest, MalformedXmlIsRejected) {
  ExpectError(std::string(kGood).substr(0, 60), "not valid XML at byte");
  ExpectError("<notvoc/>", "no <annotation>");
  ExpectError(Replace(kGood, "<filename>x.jpg</filename>", ""), "missing <filename>");
  ExpectError(Replace(kGood, "<width>20</width>", "<width>wide</width>"),
              "<size>: <width> is 'wide', not a number");
  ExpectError(Replace(kGood, "<xmax>8</xmax><ymax>9</ymax></bndbox>", "</bndbox>"),
              "<object> 0 <bndbox>: missing <xmax>");
  ExpectError(Replace(Replace(kGood, "<bndbox>", ""), "</bndbox>", ""),
              "<object> 0: missing <bndbox>");
  ExpectError(Replace(kGood, "<xmax>8</xmax>", "<xmax>1</xmax>"), "box has a negative size");
  ExpectError(Replace(kGood, "<name>dog</name>", "<name> </name>"), "<name> is empty");
  ExpectError(Replace(kGood, "<difficult>1</difficult>", "<difficult>7</difficult>"),
              "<difficult> is out of range");
  ExpectError(Replace(kGood, "<ymin>2</ymin>", "<ymin>1e400</ymin>"), "<ymin>");
}

TEST(DatasetVocTest, BrokenFileInDirectoryNamesThatFile) {
  const std::string dir = TempDir() + "/voc_broken";
  std::filesystem::create_directories(dir + "/Annotations");
  ASSERT_TRUE(WriteFileAtomic(dir + "/Annotations/a.xml", std::string(kGood)).ok());
  ASSERT_TRUE(WriteFileAtomic(dir + "/Annotations/b.xml",
                              Replace(Replace(kGood, "<bndbox>", "<box>"), "</bndbox>",
                                      "</box>")).ok());
  auto ds = LoadDataset(dir);
  ASSERT_FALSE(ds.ok());
  EXPECT_NE(ds.status().message().find(dir + "/Annotations/b.xml: <object> 0"),
            std::string::npos)
      << ds.status().message();
  // The first file alone loads; its image is absent, so only loading fails,
  // and JPEGImages/ is where VOC keeps images.
  std::filesystem::remove(dir + "/Annotations/b.xml");
  std::filesystem::create_directories(dir + "/JPEGImages");
  auto one = LoadDataset(dir);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->samples[0].image_path, dir + "/JPEGImages/x.jpg");
  auto image = LoadSampleImage(one->samples[0]);
  EXPECT_EQ(image.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace detlite
