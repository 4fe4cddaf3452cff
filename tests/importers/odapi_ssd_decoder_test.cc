// The Object Detection API post-processor's anchors, box coder scales and
// score converter, read from small graphs shaped like the ones TF1 exports
// converted to TF.js hold (tiled corner anchors, a decoder that multiplies
// by folded reciprocals) and like unfolded ones (RealDiv by the scale).
#include <gtest/gtest.h>

#include "importers/odapi/ssd_decoder.h"
#include "tf_graph_builder.h"

namespace detlite {
namespace {

using testing::AddFloatConst;
using testing::AddIntConst;
using testing::AddNode;
using testing::AddPlaceholder;

void SetNum(tf::NodeDef* n, int64_t num) { (*n->mutable_attr())["num"].set_i(num); }

// anchors [1, N, 4] -> Tile -> Reshape [-1, 4] -> Transpose -> Unpack(4),
// as box_list_ops.get_center_coordinates_and_sizes reads them.
void AddAnchorDecoder(tf::GraphDef& g, const std::string& scope, const std::string& anchors) {
  AddIntConst(g, scope + "/multiples", {3}, {1, 1, 1});
  AddNode(g, scope + "/Tile", "Tile", {anchors, scope + "/multiples"});
  AddIntConst(g, scope + "/shape", {2}, {-1, 4});
  AddNode(g, scope + "/Reshape", "Reshape", {scope + "/Tile", scope + "/shape"});
  AddIntConst(g, scope + "/perm", {2}, {1, 0});
  AddNode(g, scope + "/transpose", "Transpose", {scope + "/Reshape", scope + "/perm"});
  SetNum(AddNode(g, scope + "/Decode/get_center_coordinates_and_sizes/unstack", "Unpack",
                 {scope + "/transpose"}),
         4);
}

TEST(OdapiSsdDecoder, CornerAnchorsBecomeCentreForm) {
  tf::GraphDef g;
  AddFloatConst(g, "Postprocessor/ExpandDims", {1, 2, 4},
                {0.1f, 0.2f, 0.5f, 0.6f,     // ymin xmin ymax xmax
                 -0.25f, 0.0f, 0.75f, 0.5f});
  AddAnchorDecoder(g, "Postprocessor", "Postprocessor/ExpandDims");
  std::string source;
  auto a = odapi::FindCornerAnchors(g, 0, "m.json", &source);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->size(), 8u);
  const float h0 = 0.5f - 0.1f, w0 = 0.6f - 0.2f;
  EXPECT_EQ((*a)[0], 0.1f + h0 * 0.5f);
  EXPECT_EQ((*a)[1], 0.2f + w0 * 0.5f);
  EXPECT_EQ((*a)[2], h0);
  EXPECT_EQ((*a)[3], w0);
  EXPECT_EQ((*a)[4], 0.25f);
  EXPECT_EQ((*a)[5], 0.25f);
  EXPECT_EQ((*a)[6], 1.0f);
  EXPECT_EQ((*a)[7], 0.5f);
  EXPECT_NE(source.find("Postprocessor/ExpandDims"), std::string::npos) << source;
  // A count that is not the box predictors' is not these anchors.
  auto other = odapi::FindCornerAnchors(g, 3, "m.json", &source);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());
}

TEST(OdapiSsdDecoder, AnchorsThatAreNotBoxesAreAnError) {
  tf::GraphDef g;
  AddFloatConst(g, "anchors", {2, 4}, {0.1f, 0.2f, 0.5f, 0.6f, 0.5f, 0.2f, 0.1f, 0.6f});
  AddAnchorDecoder(g, "Postprocessor", "anchors");
  std::string source;
  auto a = odapi::FindCornerAnchors(g, 0, "m.json", &source);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("m.json: anchor 1 in 'anchors' is not a box"), std::string::npos)
      << a.status().message();
}

TEST(OdapiSsdDecoder, TwoAnchorConstantsAreAmbiguous) {
  tf::GraphDef g;
  AddFloatConst(g, "a1", {1, 4}, {0, 0, 1, 1});
  AddFloatConst(g, "a2", {1, 4}, {0, 0, 0.5f, 0.5f});
  AddAnchorDecoder(g, "first", "a1");
  AddAnchorDecoder(g, "second", "a2");
  std::string source;
  auto a = odapi::FindCornerAnchors(g, 0, "m.json", &source);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("2 constants of corner anchors (a1, a2)"), std::string::npos)
      << a.status().message();
}

// concat [1, N, 1, 4] -> Squeeze -> Reshape [-1, 4] -> Transpose -> Unpack
// -> each of ty, tx, th, tw scaled by `scale_op` with the given constants.
tf::GraphDef BoxDecoder(const std::string& scale_op, const std::vector<float>& constants) {
  tf::GraphDef g;
  AddPlaceholder(g, "concat", {1, 3, 1, 4});
  AddNode(g, "Squeeze", "Squeeze", {"concat"});
  AddIntConst(g, "shape", {2}, {-1, 4});
  AddNode(g, "Postprocessor/Reshape_1", "Reshape", {"Squeeze", "shape"});
  AddIntConst(g, "perm", {2}, {1, 0});
  AddNode(g, "Postprocessor/Decode/transpose", "Transpose", {"Postprocessor/Reshape_1", "perm"});
  SetNum(AddNode(g, "Postprocessor/Decode/unstack", "Unpack", {"Postprocessor/Decode/transpose"}), 4);
  for (int k = 0; k < 4; ++k) {
    const std::string c = "scale_" + std::to_string(k);
    AddFloatConst(g, c, {}, {constants[static_cast<size_t>(k)]});
    const std::string out = k == 0 ? "Postprocessor/Decode/unstack"
                                   : "Postprocessor/Decode/unstack:" + std::to_string(k);
    // Mul is commutative: the folded graphs have the constant on either side.
    if (scale_op == "Mul" && k == 3) {
      AddNode(g, "div_" + std::to_string(k), scale_op, {c, out});
    } else {
      AddNode(g, "div_" + std::to_string(k), scale_op, {out, c});
    }
  }
  return g;
}

TEST(OdapiSsdDecoder, ScalesFromFoldedReciprocals) {
  std::string source;
  const auto s = odapi::FindBoxScales(BoxDecoder("Mul", {0.1f, 0.1f, 0.2f, 0.2f}), "concat", {}, &source);
  EXPECT_EQ(s, (std::vector<float>{10, 10, 5, 5}));
  EXPECT_EQ(source, "Postprocessor/Decode/unstack");
}

TEST(OdapiSsdDecoder, ScalesFromDivisions) {
  std::string source;
  EXPECT_EQ(odapi::FindBoxScales(BoxDecoder("RealDiv", {10, 8, 5, 4}), "concat", {}, &source),
            (std::vector<float>{10, 8, 5, 4}));
  // Without a constant divisor for every coordinate there are no scales.
  tf::GraphDef g = BoxDecoder("RealDiv", {10, 10, 5, 5});
  g.mutable_node(g.node_size() - 1)->set_op("Sub");
  EXPECT_TRUE(odapi::FindBoxScales(g, "concat", {}, &source).empty());
  // The scales must be of these encodings.
  EXPECT_TRUE(odapi::FindBoxScales(BoxDecoder("RealDiv", {10, 10, 5, 5}), "Squeeze_9", {}, &source).empty());
}

// TF2 exports folded by Grappler: ty * (ha / 10) with one constant per anchor.
TEST(OdapiSsdDecoder, ScalesFoldedWithTheAnchorSizes) {
  const std::vector<float> anchors = {0.5f, 0.5f, 0.3f, 0.7f, 0.2f, 0.6f, 0.15f, 0.45f,
                                      0.8f, 0.1f, 0.9f, 0.05f};  // yc xc h w x 3
  tf::GraphDef g = BoxDecoder("Mul", {0.1f, 0.1f, 0.2f, 0.2f});
  for (int k = 0; k < 2; ++k) {
    std::vector<float> per_anchor;
    for (size_t i = 0; i < 3; ++i) per_anchor.push_back(anchors[i * 4 + 2 + static_cast<size_t>(k)] / (k ? 8.0f : 10.0f));
    for (tf::NodeDef& n : *g.mutable_node()) {
      if (n.name() != "scale_" + std::to_string(k)) continue;
      tf::TensorProto* t = n.mutable_attr()->at("value").mutable_tensor();
      t->mutable_tensor_shape()->add_dim()->set_size(3);
      t->set_tensor_content(std::string(reinterpret_cast<const char*>(per_anchor.data()), 12));
    }
  }
  std::string source;
  EXPECT_EQ(odapi::FindBoxScales(g, "concat", anchors, &source), (std::vector<float>{10, 8, 5, 5}));
  // Without the anchors the per-anchor constants say nothing.
  EXPECT_TRUE(odapi::FindBoxScales(g, "concat", {}, &source).empty());
}

TEST(OdapiSsdDecoder, ScoreConverterIsTheOpAfterTheClassPredictions) {
  for (const auto& [op, name, want] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"Sigmoid", "Postprocessor/convert_scores", "sigmoid"},
           {"Softmax", "Postprocessor/convert_scores", "softmax"},
           {"Identity", "Postprocessor/convert_scores", "identity"},
           {"Exp", "Postprocessor/convert_scores", ""}}) {
    tf::GraphDef g;
    AddPlaceholder(g, "concat_1", {1, 3, 91});
    AddIntConst(g, "shape", {2}, {3, 91});
    AddNode(g, "Reshape", "Reshape", {"concat_1", "shape"});
    AddNode(g, name, op, {"Reshape"});
    EXPECT_EQ(odapi::FindScoreConverter(g, "concat_1"), want) << op;
  }
}

}  // namespace
}  // namespace detlite
