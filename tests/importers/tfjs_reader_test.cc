// The TF.js reader on small models built in code: weights decode exactly as
// tfjs-core decodes them, Const nodes receive their values, the signature
// is read, and the imported graph computes y = x + w.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "detlite/tf/graph.pb.h"
#include "importers/tfjs/tfjs_reader.h"
#include "core/fp16.h"
#include "tfjs_test_model.h"

namespace detlite {
namespace {

using testing::AddModel;
using testing::FloatBytes;

std::vector<float> ConstFloats(const tf::GraphDef& g, const std::string& name) {
  for (const tf::NodeDef& n : g.node()) {
    if (n.name() != name) continue;
    const std::string& c = n.attr().at("value").tensor().tensor_content();
    std::vector<float> v(c.size() / 4);
    std::memcpy(v.data(), c.data(), v.size() * 4);
    return v;
  }
  return {};
}

TEST(TfjsReader, ReadsGraphWeightsAndSignature) {
  auto m = AddModel();
  auto r = tfjs_import::ParseTfjsModel(m.Text(), "m/model.json", m.Reader());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->graph.node_size(), 3);
  EXPECT_EQ(r->signature_inputs, std::vector<std::string>{"x:0"});
  EXPECT_EQ(r->signature_outputs, std::vector<std::string>{"y:0"});
  EXPECT_EQ(r->num_weights, 1);
  EXPECT_EQ(r->weight_bytes, 16u);
  EXPECT_EQ(ConstFloats(r->graph, "w"), (std::vector<float>{1.0f, -2.0f, 0.5f, 8.0f}));
  // Enum names became TensorFlow's codes; base64 and int64 strings parsed.
  EXPECT_EQ(r->graph.node(0).attr().at("dtype").type(), 1);
  EXPECT_EQ(r->graph.node(0).attr().at("shape").shape().dim(1).size(), 4);
}

TEST(TfjsReader, Uint8AndUint16DequantizeAsQTimesScalePlusMin) {
  for (const char* q : {"uint8", "uint16"}) {
    auto m = AddModel();
    m.Weight()["quantization"] = {{"dtype", q}, {"min", -1.5}, {"scale", 0.25},
                                  {"original_dtype", "float32"}};
    std::string bytes;
    for (uint16_t v : {0, 1, 6, 255}) {
      bytes.push_back(static_cast<char>(v & 0xff));
      if (std::string(q) == "uint16") bytes.push_back(static_cast<char>(v >> 8));
    }
    m.shards["group1-shard1of1.bin"] = bytes;
    auto r = tfjs_import::ParseTfjsModel(m.Text(), "model.json", m.Reader());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(ConstFloats(r->graph, "w"), (std::vector<float>{-1.5f, -1.25f, 0.0f, 62.25f})) << q;
  }
}

TEST(TfjsReader, Float16DecodesIeeeHalf) {
  auto m = AddModel();
  m.Weight()["quantization"] = {{"dtype", "float16"}};
  std::string bytes;
  for (float f : {1.0f, -2.0f, 0.333251953125f, 65504.0f}) {
    const uint16_t h = FloatToHalf(f);
    bytes.append(reinterpret_cast<const char*>(&h), 2);
  }
  m.shards["group1-shard1of1.bin"] = bytes;
  auto r = tfjs_import::ParseTfjsModel(m.Text(), "model.json", m.Reader());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ConstFloats(r->graph, "w"), (std::vector<float>{1.0f, -2.0f, 0.333251953125f, 65504.0f}));
}

TEST(TfjsReader, QuantizedInt32RoundsHalfUp) {
  auto m = AddModel();
  m.json["modelTopology"]["node"][1]["attr"]["dtype"]["type"] = "DT_INT32";
  m.Weight()["dtype"] = "int32";
  m.Weight()["quantization"] = {{"dtype", "uint8"}, {"min", -3.0}, {"scale", 0.5}};
  m.shards["group1-shard1of1.bin"] = std::string("\x00\x01\x03\x0b", 4);  // -3 -2.5 -1.5 2.5
  auto r = tfjs_import::ParseTfjsModel(m.Text(), "model.json", m.Reader());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string& c = r->graph.node(1).attr().at("value").tensor().tensor_content();
  std::vector<int32_t> v(4);
  std::memcpy(v.data(), c.data(), 16);
  EXPECT_EQ(v, (std::vector<int32_t>{-3, -2, -1, 3}));  // JavaScript's Math.round
}

TEST(TfjsReader, Int64ConstsHoldTheConvertersInt32Weights) {
  // The TF.js converter narrows int64 constants to int32 weights.
  auto m = AddModel();
  m.json["modelTopology"]["node"][1]["attr"]["dtype"]["type"] = "DT_INT64";
  m.Weight()["dtype"] = "int32";
  auto r = tfjs_import::ParseTfjsModel(m.Text(), "model.json", m.Reader());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->graph.node(1).attr().at("dtype").type(), 3);  // DT_INT32
  EXPECT_EQ(r->graph.node(1).attr().at("value").tensor().dtype(), 3);
  // Widening is not something the converter does: refused.
  m = AddModel();
  m.json["modelTopology"]["node"][1]["attr"]["dtype"]["type"] = "DT_INT32";
  m.Weight()["dtype"] = "float32";
  EXPECT_FALSE(tfjs_import::ParseTfjsModel(m.Text(), "model.json", m.Reader()).ok());
}

TEST(TfjsReader, ShardsOfAGroupConcatenate) {
  auto m = AddModel();
  m.json["weightsManifest"][0]["paths"] = {"a.bin", "sub/b.bin"};
  const std::string all = FloatBytes({1, 2, 3, 4});
  m.shards["a.bin"] = all.substr(0, 6);
  m.shards["sub/b.bin"] = all.substr(6);
  auto r = tfjs_import::ParseTfjsModel(m.Text(), "model.json", m.Reader());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(ConstFloats(r->graph, "w"), (std::vector<float>{1, 2, 3, 4}));
}

TEST(TfjsReader, ModelJsonPathOfFileAndDirectory) {
  EXPECT_EQ(tfjs_import::TfjsModelJsonPath("a/centernet.json"), "a/centernet.json");
  EXPECT_EQ(tfjs_import::TfjsModelJsonPath("a/model.pb"), "");
  EXPECT_EQ(tfjs_import::TfjsModelJsonPath("/nonexistent_dir_xyz"), "");
}

}  // namespace
}  // namespace detlite
