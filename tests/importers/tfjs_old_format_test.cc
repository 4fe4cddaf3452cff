// The older model.json the TF.js converter wrote (tensorflowjs_model.pb
// turned into JSON by protobuf.js, as in npm @tensorflow-models/coco-ssd):
// element types as codes, every default field spelled out, bytes as arrays
// of byte values, small constants kept in the graph. Small models built
// here; each bytes field must arrive as the bytes, and a field the reader
// does not understand must be an error naming it and the file.
#include <gtest/gtest.h>

#include <cstring>

#include "detlite/tf/graph.pb.h"
#include "importers/tfjs/tfjs_reader.h"
#include "tfjs_test_model.h"

namespace detlite {
namespace {

using J = nlohmann::json;
using testing::FloatBytes;
using testing::TfjsTestModel;

J ByteArray(const std::string& s) {
  J a = J::array();
  for (unsigned char c : s) a.push_back(static_cast<int>(c));
  return a;
}

// protobuf.js's toObject with defaults: every repeated field present.
J EmptyList() {
  return {{"s", J::array()}, {"i", J::array()},     {"f", J::array()},    {"b", J::array()},
          {"type", J::array()}, {"shape", J::array()}, {"tensor", J::array()}, {"func", J::array()}};
}

// y = BiasAdd(x, w) with data_format as bytes, Squeeze with a list attr, a
// string Const kept in the graph, and the image input of the converted
// Object Detection API models (uint8 [-1, -1, -1, 3]).
TfjsTestModel OldFormatModel() {
  TfjsTestModel m;
  J squeeze_dims = EmptyList();
  squeeze_dims["i"] = {"0"};
  J list_s = EmptyList();
  list_s["s"] = {ByteArray("NHWC"), ByteArray("ab")};
  J tensor = {{"floatVal", J::array()}, {"intVal", J::array()}, {"stringVal", J::array()},
              {"int64Val", J::array()}, {"boolVal", J::array()}, {"dtype", 1},
              {"tensorShape", {{"dim", {{{"size", "4"}}}}}}};
  J label = tensor;
  label["dtype"] = 7;
  label["tensorShape"] = {{"dim", J::array()}};
  label["stringVal"] = {ByteArray("person")};
  J packed = tensor;
  packed["tensorShape"] = {{"dim", {{{"size", "2"}}}}};
  packed["tensorContent"] = ByteArray(FloatBytes({0.5f, -1.0f}));
  m.json = {
      {"modelTopology",
       {{"node",
         {{{"name", "x"}, {"op", "Placeholder"}, {"input", J::array()},
           {"attr", {{"dtype", {{"type", 1}}},
                     {"shape", {{"shape", {{"dim", {{{"size", "1"}}, {{"size", "4"}}}}}}}}}}},
          {{"name", "image_tensor"}, {"op", "Placeholder"}, {"input", J::array()},
           {"attr", {{"dtype", {{"type", 4}}},
                     {"shape", {{"shape", {{"dim", {{{"size", "-1"}}, {{"size", "-1"}},
                                                    {{"size", "-1"}}, {{"size", "3"}}}}}}}}}}},
          {{"name", "w"}, {"op", "Const"}, {"input", J::array()},
           {"attr", {{"dtype", {{"type", 1}}}, {"value", {{"tensor", tensor}}}}}},
          {{"name", "label"}, {"op", "Const"}, {"input", J::array()},
           {"attr", {{"dtype", {{"type", 7}}}, {"value", {{"tensor", label}}}}}},
          {{"name", "packed"}, {"op", "Const"}, {"input", J::array()},
           {"attr", {{"dtype", {{"type", 1}}}, {"value", {{"tensor", packed}}}}}},
          {{"name", "y"}, {"op", "BiasAdd"}, {"input", {"x", "w"}},
           {"attr", {{"T", {{"type", 1}}}, {"data_format", {{"s", ByteArray("NHWC")}}},
                     {"names", {{"list", list_s}}}}}},
          {{"name", "z"}, {"op", "Squeeze"}, {"input", {"y"}},
           {"attr", {{"T", {{"type", 1}}}, {"squeeze_dims", {{"list", squeeze_dims}}}}}}}},
        {"library", {{"function", J::array()}, {"gradient", J::array()}}},
        {"versions", {{"badConsumers", J::array()}}}}},
      {"weightsManifest",
       {{{"paths", {"group1-shard1of1"}},
         {"weights", {{{"name", "w"}, {"shape", {4}}, {"dtype", "float32"}, {"group", "model"}}}}}}}};
  m.shards["group1-shard1of1"] = FloatBytes({1.0f, -2.0f, 0.5f, 8.0f});
  return m;
}

const tf::NodeDef& Node(const tf::GraphDef& g, const std::string& name) {
  for (const tf::NodeDef& n : g.node()) {
    if (n.name() == name) return n;
  }
  static const tf::NodeDef kNone;
  ADD_FAILURE() << "no node " << name;
  return kNone;
}

TEST(TfjsOldFormat, ByteArraysBecomeBytes) {
  auto m = OldFormatModel();
  auto r = tfjs_import::ParseTfjsModel(m.Text(), "old/model.json", m.Reader());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const tf::NodeDef& y = Node(r->graph, "y");
  EXPECT_EQ(y.attr().at("data_format").s(), "NHWC");
  ASSERT_EQ(y.attr().at("names").list().s_size(), 2);
  EXPECT_EQ(y.attr().at("names").list().s(0), "NHWC");
  EXPECT_EQ(y.attr().at("names").list().s(1), "ab");
  EXPECT_EQ(y.attr().at("T").type(), 1);
  const tf::AttrValue& dims = Node(r->graph, "z").attr().at("squeeze_dims");
  ASSERT_EQ(dims.list().i_size(), 1);
  EXPECT_EQ(dims.list().i(0), 0);
}

TEST(TfjsOldFormat, ConstantsKeptInTheGraphAndFromTheWeights) {
  auto m = OldFormatModel();
  auto r = tfjs_import::ParseTfjsModel(m.Text(), "old/model.json", m.Reader());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const tf::TensorProto& label = Node(r->graph, "label").attr().at("value").tensor();
  ASSERT_EQ(label.string_val_size(), 1);
  EXPECT_EQ(label.string_val(0), "person");
  const std::string& packed = Node(r->graph, "packed").attr().at("value").tensor().tensor_content();
  EXPECT_EQ(packed, FloatBytes({0.5f, -1.0f}));
  EXPECT_EQ(Node(r->graph, "w").attr().at("value").tensor().tensor_content(),
            FloatBytes({1.0f, -2.0f, 0.5f, 8.0f}));
  const tf::TensorShapeProto& image = Node(r->graph, "image_tensor").attr().at("shape").shape();
  ASSERT_EQ(image.dim_size(), 4);
  EXPECT_EQ(image.dim(0).size(), -1);
  EXPECT_EQ(image.dim(3).size(), 3);
  EXPECT_EQ(Node(r->graph, "image_tensor").attr().at("dtype").type(), 4);  // DT_UINT8
}

// Parses `m` and expects an error whose message holds every one of `parts`.
void ExpectError(const TfjsTestModel& m, std::vector<std::string> parts) {
  auto r = tfjs_import::ParseTfjsModel(m.Text(), "old/model.json", m.Reader());
  ASSERT_FALSE(r.ok());
  const std::string msg = r.status().message();
  parts.push_back("old/model.json");
  for (const std::string& p : parts) EXPECT_NE(msg.find(p), std::string::npos) << msg << "\n  lacks: " << p;
}

J& Attr(TfjsTestModel& m, size_t node, const char* attr) {
  return m.json["modelTopology"]["node"][node]["attr"][attr];
}

TEST(TfjsOldFormat, FieldsNotUnderstoodAreNamed) {
  auto m = OldFormatModel();
  Attr(m, 5, "data_format") = {{"sx", ByteArray("NHWC")}};
  ExpectError(m, {"node 'y' attribute 'data_format'", "unknown field 'sx' in AttrValue"});
  m = OldFormatModel();
  Attr(m, 5, "data_format")["s"] = {78, 300};
  ExpectError(m, {"node 'y' attribute 'data_format' field 's'", "300 is not a byte value"});
  m = OldFormatModel();
  Attr(m, 5, "data_format")["s"] = {{"bytes", "NHWC"}};
  ExpectError(m, {"node 'y' attribute 'data_format' field 's'", "base64 text or a list of byte values"});
  m = OldFormatModel();
  Attr(m, 5, "names")["list"]["s"] = ByteArray("NHWC");  // one value where a list of them belongs
  ExpectError(m, {"node 'y' attribute 'names' field 'list.s'", "base64 text or a list of byte values"});
  m = OldFormatModel();
  Attr(m, 6, "squeeze_dims")["list"]["i"] = 0;
  ExpectError(m, {"node 'z' attribute 'squeeze_dims' field 'list.i'", "must be a list"});
  m = OldFormatModel();
  Attr(m, 5, "T")["type"] = {1};
  ExpectError(m, {"node 'y' attribute 'T' field 'type'", "holds one value, not a list"});
  m = OldFormatModel();
  Attr(m, 2, "value")["tensor"]["floatValue"] = J::array();
  ExpectError(m, {"node 'w' attribute 'value' field 'tensor'", "unknown field 'floatValue' in TensorProto"});
}

TEST(TfjsOldFormat, ConstWithNeitherWeightNorValueIsAnError) {
  auto m = OldFormatModel();
  Attr(m, 3, "value")["tensor"]["stringVal"] = J::array();
  ExpectError(m, {"node 'label' (Const) has no weight"});
}

}  // namespace
}  // namespace detlite
