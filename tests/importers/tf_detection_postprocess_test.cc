// The TFLite_Detection_PostProcess node of an Object Detection API
// tflite_graph.pb, on small hand-built graphs: attributes become the custom
// op's options (TFLite's defaults where the exporter leaves one out), the
// default outputs are the node's four, and a node that disagrees with its
// inputs is one error naming it.
#include <gtest/gtest.h>

#include "core/file_io.h"
#include "detlite/import.h"
#include "detlite/model.h"
#include "ir/detection_options.h"
#include "ir/graph.h"
#include "support/paths.h"
#include "tf_graph_builder.h"

namespace detlite {
namespace {

using testing::AddFloatConst;
using testing::AddNode;
using testing::AddPlaceholder;

constexpr int kBoxes = 6;

// boxes [1,6,4] and classes [1,6,classes] placeholders, anchors, the node.
tf::GraphDef PostProcessGraph(int anchors = kBoxes, int classes = 4,
                              int num_classes = 3,
                              bool constant_anchors = true) {
  tf::GraphDef g;
  AddPlaceholder(g, "raw_outputs/box_encodings", {1, kBoxes, 4});
  AddPlaceholder(g, "raw_outputs/class_predictions", {1, kBoxes, classes});
  if (constant_anchors) {
    std::vector<float> a;
    for (int i = 0; i < anchors; ++i)
      a.insert(a.end(), {0.1f * i, 0.5f, 0.2f, 0.2f});
    AddFloatConst(g, "anchors", {anchors, 4}, a);
  } else {
    AddPlaceholder(g, "anchor_input", {anchors, 4});
    AddNode(g, "anchors", "Identity", {"anchor_input"});
  }
  tf::NodeDef* n =
      AddNode(g, "TFLite_Detection_PostProcess", "TFLite_Detection_PostProcess",
              {"raw_outputs/box_encodings", "raw_outputs/class_predictions",
               "anchors"});
  auto& a = *n->mutable_attr();
  a["_output_quantized"].set_b(true);
  a["max_detections"].set_i(10);
  a["max_classes_per_detection"].set_i(1);
  a["nms_score_threshold"].set_f(1e-8f);
  a["nms_iou_threshold"].set_f(0.6f);
  a["num_classes"].set_i(num_classes);
  a["y_scale"].set_f(10);
  a["x_scale"].set_f(10);
  a["h_scale"].set_f(5);
  a["w_scale"].set_f(5);
  return g;
}

StatusOr<Model> Import(const tf::GraphDef& g, const std::string& name) {
  const std::string path = testing::TempDir() + "/" + name;
  std::string bytes;
  EXPECT_TRUE(g.SerializeToString(&bytes));
  EXPECT_TRUE(WriteFileAtomic(path, bytes).ok());
  return ImportModel(path);
}

TEST(TfDetectionPostProcess,
     AttributesBecomeOptionsAndTheFourOutputsAreTheDefault) {
  auto m = Import(PostProcessGraph(), "pp.pb");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const ir::Subgraph& sg = m->ir().subgraphs[0];
  ASSERT_EQ(sg.ops.size(), 1u);
  const ir::Operator& op = sg.ops[0];
  EXPECT_EQ(op.kind, ir::OpKind::kCustom);
  EXPECT_EQ(op.custom_code, "TFLite_Detection_PostProcess");
  EXPECT_EQ(sg.outputs, op.outputs);
  ASSERT_EQ(sg.outputs.size(), 4u);
  EXPECT_EQ(sg.tensors[op.outputs[0]].shape, Shape({1, 10, 4}));
  EXPECT_EQ(sg.tensors[op.outputs[1]].shape, Shape({1, 10}));
  EXPECT_EQ(sg.tensors[op.outputs[3]].shape, Shape({1}));
  EXPECT_EQ(sg.tensors[op.outputs[3]].name, "TFLite_Detection_PostProcess:3");
  ASSERT_TRUE(sg.tensors[op.inputs[2]].is_constant());
  auto p = ir::ParseDetectionOptions(op.custom_options);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->max_detections, 10);
  EXPECT_EQ(p->num_classes, 3);
  EXPECT_FLOAT_EQ(p->nms_score_threshold, 1e-8f);
  EXPECT_FLOAT_EQ(p->nms_iou_threshold, 0.6f);
  EXPECT_FLOAT_EQ(p->y_scale, 10);
  EXPECT_FLOAT_EQ(p->w_scale, 5);
  EXPECT_EQ(p->detections_per_class, 100);  // TFLite's default when absent
  EXPECT_FALSE(p->use_regular_nms);
}

TEST(TfDetectionPostProcess, RegularNmsAttributesAreKept) {
  tf::GraphDef g = PostProcessGraph();
  auto& a = *g.mutable_node(g.node_size() - 1)->mutable_attr();
  a["use_regular_nms"].set_b(true);
  a["detections_per_class"].set_i(7);
  auto m = Import(g, "pp_regular.pb");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  auto p =
      ir::ParseDetectionOptions(m->ir().subgraphs[0].ops[0].custom_options);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->use_regular_nms);
  EXPECT_EQ(p->detections_per_class, 7);
}

TEST(TfDetectionPostProcess, ExplicitOutputsStillWin) {
  tf::GraphDef g = PostProcessGraph();
  const std::string path = testing::TempDir() + "/pp_outputs.pb";
  std::string bytes;
  ASSERT_TRUE(g.SerializeToString(&bytes));
  ASSERT_TRUE(WriteFileAtomic(path, bytes).ok());
  ImportOptions o;
  o.outputs = {"TFLite_Detection_PostProcess:2"};
  auto m = ImportModel(path, o);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->ir().subgraphs[0].outputs.size(), 1u);
}

void ExpectError(const tf::GraphDef& g, const std::string& name,
                 const std::vector<std::string>& parts) {
  auto m = Import(g, name);
  ASSERT_FALSE(m.ok());
  const std::string msg = m.status().message();
  EXPECT_NE(msg.find("node 'TFLite_Detection_PostProcess'"), std::string::npos)
      << msg;
  for (const std::string& p : parts)
    EXPECT_NE(msg.find(p), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
}

TEST(TfDetectionPostProcess, NonConstantAnchorsAreAnError) {
  ExpectError(PostProcessGraph(kBoxes, 4, 3, /*constant_anchors=*/false),
              "pp_var.pb", {"anchors input 'anchors'", "must be a constant"});
}

TEST(TfDetectionPostProcess, AnchorCountDisagreeingWithBoxesIsAnError) {
  ExpectError(PostProcessGraph(5), "pp_count.pb",
              {"5 anchors", "have 6 boxes"});
}

TEST(TfDetectionPostProcess,
     NumClassesDisagreeingWithClassPredictionsIsAnError) {
  ExpectError(PostProcessGraph(kBoxes, 4, 90), "pp_classes.pb",
              {"num_classes 90", "raw_outputs/class_predictions", "4 columns"});
  ExpectError(PostProcessGraph(kBoxes, 4, 2), "pp_classes2.pb",
              {"num_classes 2"});
}

TEST(TfDetectionPostProcess, MissingAttributesAreNamed) {
  tf::GraphDef g = PostProcessGraph();
  auto& a = *g.mutable_node(g.node_size() - 1)->mutable_attr();
  a.erase("y_scale");
  a.erase("num_classes");
  ExpectError(g, "pp_attrs.pb", {"num_classes", "y_scale"});
}

}  // namespace
}  // namespace detlite
