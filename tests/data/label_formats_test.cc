// Every label file format detlite reads, recognised from the content, on the
// real files in ../shared/data and on hand-made broken ones.
#include <gtest/gtest.h>

#include <string>

#include "data/datasets/label_map.h"
#include "detlite/dataset.h"
#include "detlite/detection.h"
#include "detlite/model.h"
#include "support/paths.h"

namespace detlite {
namespace {

using testing::DataPath;

TEST(LabelFormatsTest, CoralIdNameFileSkipsUnusedIds) {
  auto map = LoadLabelMap(DataPath("tflite/mobilenet_ssd_v2_coco_labels.txt"));
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_EQ(map->format, LabelFormat::kIdName);
  EXPECT_FALSE(map->from_pbtxt);
  EXPECT_EQ(map->names.size(), 80u);  // 80 lines; ids 11, 25, ... absent
  EXPECT_EQ(map->Name(0), "person");
  EXPECT_EQ(map->Name(12), "stop sign");  // "12  stop sign": two-word names kept
  EXPECT_EQ(map->Name(11), "");
  // id = model class: the namer never shifts it, whatever num_classes is.
  auto namer = ClassNamer(*map, 80);
  EXPECT_EQ(namer(0), "person");
  EXPECT_EQ(namer(12), "stop sign");
}

TEST(LabelFormatsTest, UltralyticsMetadataYaml) {
  auto map = LoadLabelMap(DataPath("tflite/yolo11n_metadata.yaml"));
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_EQ(map->format, LabelFormat::kYaml);
  ASSERT_EQ(map->names.size(), 80u);
  EXPECT_EQ(map->Name(0), "person");
  EXPECT_EQ(map->Name(9), "traffic light");
  EXPECT_EQ(map->Name(79), "toothbrush");
}

TEST(LabelFormatsTest, YamlListAndFlowForms) {
  auto block = datasets::ParseLabelMap("path: ../x\nnames:\n  - cat\n  - 'dog' # pet\nnc: 2\n",
                                       "data.yaml");
  ASSERT_TRUE(block.ok()) << block.status().ToString();
  EXPECT_EQ(block->Name(0), "cat");
  EXPECT_EQ(block->Name(1), "dog");
  EXPECT_EQ(block->names.size(), 2u);
  auto flow = datasets::ParseLabelMap("nc: 2\nnames: ['cat', \"dog\"]\n", "d.yml");
  ASSERT_TRUE(flow.ok()) << flow.status().ToString();
  EXPECT_EQ(flow->Name(1), "dog");
  auto flow_map = datasets::ParseLabelMap("names: {0: cat, 5: dog}\n", "x");
  ASSERT_TRUE(flow_map.ok()) << flow_map.status().ToString();
  EXPECT_EQ(flow_map->format, LabelFormat::kYaml);
  EXPECT_EQ(flow_map->Name(5), "dog");
}

TEST(LabelFormatsTest, JsonNamesMapListAndPlainMap) {
  auto meta = datasets::ParseLabelMap("{\"stride\": 32, \"names\": {\"0\": \"person\", \"2\": "
                                      "\"car\"}}", "metadata.json");
  ASSERT_TRUE(meta.ok()) << meta.status().ToString();
  EXPECT_EQ(meta->format, LabelFormat::kJson);
  EXPECT_EQ(meta->Name(2), "car");
  auto list = datasets::ParseLabelMap("[\"a\", \"b\"]", "l.json");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->Name(1), "b");
}

TEST(LabelFormatsTest, YoloModelCarriesItsNamesInDeflatedMetadataJson) {
  auto model = Model::Load(DataPath("tflite/yolo11n_integer_quant.tflite"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  std::string file;
  LabelMap labels = EmbeddedLabels(*model, &file);
  EXPECT_EQ(file, "metadata.json");
  EXPECT_EQ(labels.format, LabelFormat::kJson);
  ASSERT_EQ(labels.names.size(), 80u);
  EXPECT_EQ(labels.Name(15), "cat");
}

TEST(LabelFormatsTest, PlainLinesStillPlainWhenOnlySomeStartWithDigits) {
  auto map = datasets::ParseLabelMap("person\n3d printer\ncar\n", "l.txt");
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(map->format, LabelFormat::kLines);
  EXPECT_EQ(map->Name(1), "3d printer");
}

void ExpectError(const std::string& text, const std::string& name, const std::string& needle) {
  auto map = datasets::ParseLabelMap(text, name);
  ASSERT_FALSE(map.ok()) << text;
  EXPECT_NE(map.status().message().find(name), std::string::npos) << map.status().message();
  EXPECT_NE(map.status().message().find(needle), std::string::npos) << map.status().message();
}

TEST(LabelFormatsTest, BrokenFilesSayWhyWithTheLine) {
  ExpectError("0 person\n1 car\n1 bus\n", "c.txt", "line 3: id 1 is used twice");
  ExpectError("names:\n  0: cat\n  dog\n", "d.yaml", "line 3: expected");
  ExpectError("names:\n  0: cat\n  0: dog\n", "d.yaml", "line 3: id 0 is used twice");
  ExpectError("names: [cat, dog\n", "d.yaml", "line 1: names: flow list");
  ExpectError("nc: 3\n", "d.yaml", "no names: key");
  ExpectError("names: person\n", "d.yaml", "line 1: names: must be");
  ExpectError("{\"names\": {\"0\": \"a\",\n \"x\": \"b\"}}", "m.json", "'x' is not an integer");
  ExpectError("{\"names\": [\"a\",\n 3]}", "m.json", "names[1]: is not a string");
  ExpectError("{\"names\": [\"a\",\n\n oops]}", "m.json", "line 3: not valid json");
  ExpectError("{\"stride\": 32}", "m.json", "no \"names\"");
}

}  // namespace
}  // namespace detlite
