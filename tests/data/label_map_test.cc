#include <gtest/gtest.h>

#include <string>

#include "core/file_io.h"
#include "data/datasets/label_map.h"
#include "detlite/dataset.h"
#include "support/paths.h"

namespace detlite {
namespace {

using testing::DataPath;
using testing::TempDir;

TEST(LabelMapTest, CocoTxtHasNoBackgroundLineAndKeepsUnusedIds) {
  auto map = LoadLabelMap(DataPath("tflite/coco_ssd_mobilenet_v1_labelmap.txt"));
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_FALSE(map->from_pbtxt);
  ASSERT_EQ(map->names.size(), 90u);  // wc -l: 90 lines
  EXPECT_EQ(map->Name(0), "person");  // output class 0 = line 0 (PITFALLS.md)
  EXPECT_EQ(map->Name(2), "car");
  EXPECT_EQ(map->Name(11), "???");  // line 12 of the file
  EXPECT_EQ(map->Name(16), "cat");
  EXPECT_EQ(map->Name(17), "dog");
  EXPECT_EQ(map->Name(89), "toothbrush");
  EXPECT_EQ(map->Name(90), "");
  EXPECT_EQ(map->Name(-1), "");
}

TEST(LabelMapTest, OidTxtStartsWithUnusedEntry) {
  auto map = LoadLabelMap(DataPath("tflite/ssd_mobilenetv2_oidv4_labelmap.txt"));
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  ASSERT_EQ(map->names.size(), 24u);
  EXPECT_EQ(map->Name(0), "???");
  EXPECT_EQ(map->Name(8), "Cat");  // PITFALLS.md: class 8 = Cat, 20 = Dog
  EXPECT_EQ(map->Name(20), "Dog");
}

TEST(LabelMapTest, MscocoPbtxtUsesDisplayNames) {
  auto map = LoadLabelMap(DataPath("tf/od_api_configs/mscoco_label_map.pbtxt"));
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_TRUE(map->from_pbtxt);
  ASSERT_EQ(map->names.size(), 80u);  // grep -c item: 80
  EXPECT_EQ(map->Name(1), "person");
  EXPECT_EQ(map->Name(4), "motorcycle");
  EXPECT_EQ(map->Name(90), "toothbrush");
  EXPECT_EQ(map->Name(12), "");  // an unused COCO id
  EXPECT_EQ(map->Name(0), "");
}

TEST(LabelMapTest, PetPbtxtUsesNamesWithSingleQuotes) {
  auto map = LoadLabelMap(DataPath("tf/od_api_configs/pet_label_map.pbtxt"));
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  ASSERT_EQ(map->names.size(), 37u);
  EXPECT_EQ(map->Name(1), "Abyssinian");
  EXPECT_EQ(map->Name(6), "Bengal");
  EXPECT_EQ(map->Name(37), "yorkshire_terrier");
  auto face = LoadLabelMap(DataPath("tf/od_api_configs/face_label_map.pbtxt"));
  ASSERT_TRUE(face.ok()) << face.status().ToString();
  EXPECT_EQ(face->names.size(), 1u);
  EXPECT_EQ(face->Name(1), "face");
}

TEST(LabelMapTest, TxtKeepsBlankLinesAndCrLf) {
  auto map = datasets::ParseTextLabelMap("background\r\n\r\ncat\r\n", "m.txt");
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  ASSERT_EQ(map->names.size(), 3u);
  EXPECT_EQ(map->Name(0), "background");
  EXPECT_EQ(map->Name(1), "");
  EXPECT_EQ(map->Name(2), "cat");
  auto no_newline = datasets::ParseTextLabelMap("a\nb", "m.txt");
  ASSERT_TRUE(no_newline.ok());
  EXPECT_EQ(no_newline->names.size(), 2u);
}

TEST(LabelMapTest, PbtxtSkipsUnknownFieldsAndIsDetectedByContent) {
  const std::string text =
      "# comment\nitem {\n  name: 'x' id: 3 frequency: FREQUENT\n"
      "  keypoints { id: 0 label: 'nose' }\n}\nitem { id: 0 name: 'background' }\n";
  EXPECT_TRUE(datasets::LooksLikePbtxt(text));
  EXPECT_FALSE(datasets::LooksLikePbtxt("items\nitem\n"));
  const std::string path = TempDir() + "/labels_as.txt";
  ASSERT_TRUE(WriteFileAtomic(path, text).ok());
  auto map = LoadLabelMap(path);
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_TRUE(map->from_pbtxt);
  EXPECT_EQ(map->Name(3), "x");
  EXPECT_EQ(map->Name(0), "background");
}

void ExpectPbtxtError(const std::string& text, const std::string& needle) {
  auto map = datasets::ParsePbtxtLabelMap(text, "map.pbtxt");
  ASSERT_FALSE(map.ok()) << text;
  EXPECT_EQ(map.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(map.status().message().find("map.pbtxt"), std::string::npos);
  EXPECT_NE(map.status().message().find(needle), std::string::npos) << map.status().message();
}

TEST(LabelMapTest, BrokenPbtxtIsRejectedWithPosition) {
  ExpectPbtxtError("item { id: 1 name: 'a' \n", "line 2");
  ExpectPbtxtError("item { id: 1 name: 'a' }\nitem { id: x name: 'b' }", "line 2 column");
  ExpectPbtxtError("item { id: 99999999999 name: 'a' }", "line 1");
  ExpectPbtxtError("", "no items");
  ExpectPbtxtError("item { name: 'a' }", "item 0: has no id");
  ExpectPbtxtError("item { id: -2 name: 'a' }", "negative");
  ExpectPbtxtError("item { id: 1 }", "neither name nor display_name");
  ExpectPbtxtError("item { id: 1 name: 'a' } item { id: 1 name: 'b' }",
                   "item 1: id 1 is used twice");
}

TEST(LabelMapTest, BrokenTxtAndMissingFilesAreRejected) {
  auto empty = datasets::ParseTextLabelMap("", "e.txt");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("e.txt: empty"), std::string::npos);
  auto binary = datasets::ParseTextLabelMap(std::string("a\nb\0c\n", 6), "b.txt");
  ASSERT_FALSE(binary.ok());
  EXPECT_NE(binary.status().message().find("b.txt: line 2"), std::string::npos);
  auto missing = LoadLabelMap(TempDir() + "/no_such_labels.txt");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("no_such_labels.txt"), std::string::npos);
}

}  // namespace
}  // namespace detlite
