// Broken TF.js models: each gives one clear error naming model.json and the
// group, shard, weight or node concerned, and never crashes or allocates
// what a shape merely claims.
#include <gtest/gtest.h>

#include "importers/tfjs/tfjs_reader.h"
#include "tfjs_test_model.h"

namespace detlite {
namespace {

using testing::AddModel;
using testing::TfjsTestModel;

// Parses `m` and expects an error whose message holds every one of `parts`.
void ExpectError(const TfjsTestModel& m, std::vector<std::string> parts) {
  auto r = tfjs_import::ParseTfjsModel(m.Text(), "dir/model.json", m.Reader());
  ASSERT_FALSE(r.ok());
  const std::string msg = r.status().message();
  parts.push_back("dir/model.json");
  for (const std::string& p : parts) EXPECT_NE(msg.find(p), std::string::npos) << msg << "\n  lacks: " << p;
}

TEST(TfjsReject, TruncatedShard) {
  auto m = AddModel();
  m.shards["group1-shard1of1.bin"].resize(10);
  ExpectError(m, {"group1-shard1of1.bin", "'w' needs 16 bytes", "truncated"});
}

TEST(TfjsReject, ShardLongerThanTheManifest) {
  auto m = AddModel();
  m.shards["group1-shard1of1.bin"] += "xxxx";
  ExpectError(m, {"group1-shard1of1.bin", "hold 20 bytes", "take 16"});
}

TEST(TfjsReject, MissingShard) {
  auto m = AddModel();
  m.shards.clear();
  ExpectError(m, {"weight shard 'group1-shard1of1.bin'"});
}

TEST(TfjsReject, ShardPathLeavingTheDirectory) {
  for (const char* p : {"../secret.bin", "/etc/passwd", "a/../../b.bin"}) {
    auto m = AddModel();
    m.json["weightsManifest"][0]["paths"] = {p};
    ExpectError(m, {p, "leaves the model's directory"});
  }
}

TEST(TfjsReject, WrongManifestShape) {
  auto m = AddModel();
  m.Weight()["shape"] = {8};
  ExpectError(m, {"'w' needs 32 bytes"});
}

TEST(TfjsReject, MalformedJson) {
  TfjsTestModel m;
  auto r = tfjs_import::ParseTfjsModel("{\"format\": \"graph-model\", \"modelTopology\": {",
                                       "dir/model.json", m.Reader());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "dir/model.json: not valid JSON");
}

TEST(TfjsReject, MissingParts) {
  auto m = AddModel();
  m.json.erase("weightsManifest");
  ExpectError(m, {"missing 'weightsManifest'"});
  m = AddModel();
  m.json.erase("modelTopology");
  ExpectError(m, {"missing 'modelTopology'"});
  m = AddModel();
  m.json["format"] = "layers-model";
  ExpectError(m, {"\"layers-model\" is not supported"});
}

TEST(TfjsReject, UnknownDtypes) {
  auto m = AddModel();
  m.Weight()["dtype"] = "float64";
  ExpectError(m, {"weightsManifest[0].weights[0] 'w'", "unknown dtype 'float64'"});
  m = AddModel();
  m.Weight()["dtype"] = "string";
  ExpectError(m, {"'w'", "string weights are not supported"});
  m = AddModel();
  m.json["modelTopology"]["node"][0]["attr"]["dtype"]["type"] = "DT_FLOAT99";
  ExpectError(m, {"node 'x'", "unknown type 'DT_FLOAT99'"});
}

TEST(TfjsReject, BadQuantization) {
  auto m = AddModel();
  m.Weight()["quantization"] = {{"dtype", "int4"}};
  ExpectError(m, {"'w'", "unknown quantization dtype 'int4'"});
  m = AddModel();
  m.Weight()["quantization"] = {{"dtype", "uint8"}, {"min", 0}};
  ExpectError(m, {"'w'", "needs numbers 'min' and 'scale'"});
  m = AddModel();
  m.Weight()["dtype"] = "bool";
  m.Weight()["quantization"] = {{"dtype", "float16"}};
  ExpectError(m, {"'w'", "float16 quantization of a bool weight"});
  m = AddModel();
  m.Weight()["quantization"] = {{"dtype", "uint8"}, {"min", 0}, {"scale", 1}, {"original_dtype", "int32"}};
  ExpectError(m, {"'w'", "original_dtype"});
}

TEST(TfjsReject, HugeAndNegativeShapes) {
  auto m = AddModel();
  m.Weight()["shape"] = {2147483647, 2147483647, 2147483647};
  ExpectError(m, {"'w'", "is too large"});
  m = AddModel();
  m.Weight()["shape"] = {65536, 32768};  // 2^31 elements: 8 GiB, only 16 bytes there
  ExpectError(m, {"'w' needs 8589934592 bytes"});
  m = AddModel();
  m.Weight()["shape"] = {-4};
  ExpectError(m, {"'w'", "not an integer in 0..2^31-1"});
  m = AddModel();
  m.Weight()["shape"] = {"4"};
  ExpectError(m, {"'w'", "not an integer"});
}

TEST(TfjsReject, WeightsAndConstsMustMatch) {
  auto m = AddModel();
  m.Weight()["name"] = "v";
  ExpectError(m, {"node 'w' (Const) has no weight"});
  m = AddModel();
  m.json["weightsManifest"][0]["weights"].push_back({{"name", "extra"}, {"shape", {0}}, {"dtype", "float32"}});
  ExpectError(m, {"weight 'extra'", "is not a Const node"});
  m = AddModel();
  m.Weight()["dtype"] = "int32";
  ExpectError(m, {"node 'w' (Const) has dtype 1 but its weight has dtype 3"});
  m = AddModel();
  m.json["weightsManifest"][0]["weights"].push_back(m.Weight());
  ExpectError(m, {"weight 'w' is listed twice"});
  m = AddModel();
  m.json["modelTopology"]["node"].push_back(m.json["modelTopology"]["node"][1]);
  ExpectError(m, {"node 'w' is defined twice"});
}

TEST(TfjsReject, TopologyThatIsNotAGraphDef) {
  auto m = AddModel();
  m.json["modelTopology"]["node"][2]["input"] = 7;
  ExpectError(m, {"modelTopology is not a valid GraphDef"});
  m = AddModel();
  m.json["modelTopology"]["node"] = nlohmann::json::array();
  ExpectError(m, {"no 'node' list"});
}

}  // namespace
}  // namespace detlite
