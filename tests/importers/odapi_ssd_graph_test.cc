// The Object Detection API SSD path on a real MetaGraphDef: SSDLite
// MobileNetV2 (depth 0.5, 320x320, COCO) from the model zoo, whose weights
// file is not in ../shared/data (its checkpoint index is). The analysis must
// find the cut points; imported with seeded random weights of the
// variables' declared shapes, the cut model must have 2034 boxes, the
// pipeline.config's ssd_anchor_generator must give the same 2034 anchors,
// and the result (with TFLite_Detection_PostProcess) must run in detlite and
// in the real TFLite runtime with the same raw outputs; likewise after
// `--input-size 256x256` (ResizeInput) on this TensorFlow import.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>

#include "api/import_ssd.h"
#include "detlite/model.h"
#include "detlite/postprocess.h"
#include "detlite/tf/saved_model.pb.h"
#include "importers/odapi/ssd_graph.h"
#include "importers/tf/graph_importer.h"
#include "importers/tf/tensor_bundle.h"
#include "passes/resize_input.h"
#include "passes/tf_pipeline.h"
#include "support/compare.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

const char* kDir = "tf/ssdlite_mobilenet_v2_0.5_320_no_weights/";

tf::MetaGraphDef LoadMeta() {
  std::ifstream f(testing::DataPath(std::string(kDir) + "model.ckpt.meta"), std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  tf::MetaGraphDef meta;
  EXPECT_TRUE(meta.ParseFromString(ss.str()));
  return meta;
}

TEST(OdapiSsdGraphTest, FindsCutPointsInTheZooMetaGraph) {
  const tf::MetaGraphDef meta = LoadMeta();
  ASSERT_TRUE(odapi::LooksLikeSsd(meta.graph_def()));
  auto ssd = odapi::FindSsdGraph(meta.graph_def(), "model.ckpt.meta");
  ASSERT_TRUE(ssd.ok()) << ssd.status().ToString();
  EXPECT_EQ(ssd->box_encodings, "concat_1");      // BoxPredictor_i/Reshape (BoxEncodingPredictor)
  EXPECT_EQ(ssd->class_predictions, "concat");    // BoxPredictor_i/Reshape_1 (ClassPredictor)
  EXPECT_EQ(ssd->num_predictors, 6);
  EXPECT_EQ(ssd->input.rfind("Preprocessor/", 0), 0u) << ssd->input;
  EXPECT_EQ(ssd->image_placeholder, "image_tensor");
  std::printf("[odapi] cut: input %s, boxes %s, classes %s\n", ssd->input.c_str(),
              ssd->box_encodings.c_str(), ssd->class_predictions.c_str());
}

// Seeded values of a variable's declared shape; BN variances 1.
tf_import::VariableResolver RandomWeights(const tf::GraphDef& graph,
                                          const tf_import::TensorBundle& index, int* looked_up) {
  return [&graph, &index, looked_up](const tf::NodeDef& n) -> StatusOr<tf_import::ConstTensor> {
    if (!index.Contains(n.name())) return NotFound(n.name() + " is not in the checkpoint index");
    ++*looked_up;
    auto s = n.attr().find("shape");
    if (s == n.attr().end()) return NotFound(n.name() + " has no shape");
    tf_import::ConstTensor t;
    std::vector<int32_t> dims;
    int64_t count = 1;
    for (const auto& d : s->second.shape().dim()) {
      dims.push_back(static_cast<int32_t>(d.size()));
      count *= d.size();
    }
    t.shape = Shape(dims);
    std::vector<float> v(static_cast<size_t>(count));
    std::mt19937 rng(static_cast<uint32_t>(std::hash<std::string>()(n.name())));
    std::normal_distribution<float> dist(0.0f, 0.1f);
    const bool variance = n.name().find("moving_variance") != std::string::npos;
    for (float& x : v) x = variance ? 1.0f : dist(rng);
    t.bytes.resize(v.size() * 4);
    std::memcpy(t.bytes.data(), v.data(), t.bytes.size());
    (void)graph;
    return t;
  };
}

// The zoo graph cut at its raw outputs, imported with seeded weights.
void ImportCut(ir::Model* out) {
  const tf::MetaGraphDef meta = LoadMeta();
  auto index = tf_import::TensorBundle::Open(testing::DataPath(std::string(kDir) + "model.ckpt"));
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  ImportOptions user;
  user.input_shapes[""] = {1, 320, 320, 3};  // the config's fixed_shape_resizer
  tf_import::GraphImportOptions o;
  auto planned = api_internal::PlanSsdImport(meta.graph_def(), user, "model.ckpt.meta", &o);
  ASSERT_TRUE(planned.ok()) << planned.status().ToString();
  ImportReport::Ssd ssd = *planned;
  int looked_up = 0;
  tf_import::GraphImportStats stats;
  auto imported = tf_import::ImportGraphDef(meta.graph_def(), "model.ckpt.meta", o,
                                            RandomWeights(meta.graph_def(), *index, &looked_up),
                                            &stats);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  ASSERT_TRUE(ssd.found);
  EXPECT_GT(looked_up, 100);  // every conv/BN variable came through the index
  ASSERT_TRUE(api_internal::FinishSsdImport(*imported, "model.ckpt.meta", &ssd).ok());
  passes::PassContext ctx;
  ASSERT_TRUE(passes::RunTfImportPipeline(*imported, ctx).ok());
  std::printf("[odapi] %d of %d nodes imported, %zu TFLite ops\n", stats.imported_nodes,
              stats.graph_nodes, imported->subgraphs[0].ops.size());
  *out = std::move(*imported);
}

std::vector<uint8_t> RandomImage(int size) {
  std::vector<float> image(static_cast<size_t>(size) * size * 3);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (float& x : image) x = u(rng);
  std::vector<uint8_t> bytes(image.size() * 4);
  std::memcpy(bytes.data(), image.data(), bytes.size());
  return bytes;
}

// The cut model's two raw outputs in detlite and in the real TFLite runtime
// agree within 1e-5 of the reference's range.
void ExpectRawOutputsAsTflite(const ir::Model& m, const std::vector<uint8_t>& bytes,
                              const std::string& file) {
  Model raw(std::make_shared<ir::Model>(m), "ssdlite.meta");
  const std::string path = testing::TempDir() + "/" + file;
  ASSERT_TRUE(raw.Save(path).ok());
  auto runner = Runner::Create(raw);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  ASSERT_TRUE(runner->SetInput(0, bytes).ok());
  ASSERT_TRUE(runner->Run().ok());
  auto real = testing::RunInRealTflite(path, {bytes});
  ASSERT_TRUE(real.ok()) << real.status().ToString();
  for (int i = 0; i < 2; ++i) {
    const testing::Diff d = testing::CompareBuffers(
        "float32", runner->Output(i).bytes, real->outputs[static_cast<size_t>(i)].bytes);
    std::printf("[odapi] %s raw output %d: %s\n", file.c_str(), i, d.ToString().c_str());
    EXPECT_LE(d.relative, 1e-5) << "output " << i;
  }
}

TEST(OdapiSsdGraphTest, CutModelMatchesTheConfigsAnchorsAndRunsInTflite) {
  auto imported = std::make_unique<ir::Model>();
  ImportCut(imported.get());
  if (HasFatalFailure()) return;
  const ir::Subgraph& sg = imported->subgraphs[0];
  EXPECT_EQ(sg.tensors[static_cast<size_t>(sg.outputs[0])].shape, (Shape{1, 2034, 4}));
  EXPECT_EQ(sg.tensors[static_cast<size_t>(sg.outputs[1])].shape, (Shape{1, 2034, 91}));

  std::string why;
  const bool oracle = testing::OracleAvailable(&why);
  const std::vector<uint8_t> bytes = RandomImage(320);
  // The cut model's raw outputs, in both runtimes.
  if (oracle) ExpectRawOutputsAsTflite(*imported, bytes, "ssdlite_raw.tflite");

  Model model(std::make_shared<ir::Model>(std::move(*imported)), "ssdlite.meta");
  PostprocessOptions pp;
  pp.config = testing::DataPath(std::string(kDir) + "pipeline.config");
  auto r = AddPostprocess(model, pp);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->num_anchors, 2034);
  EXPECT_EQ(r->num_classes, 90);
  EXPECT_EQ(r->label_offset, 1);
  EXPECT_EQ(r->score_converter, "sigmoid");
  if (!oracle) GTEST_SKIP() << why;
  // With post-processing, the real runtime loads and runs it too.
  const std::string path = testing::TempDir() + "/ssdlite_random.tflite";
  ASSERT_TRUE(model.Save(path).ok());
  auto real = testing::RunInRealTflite(path, {bytes});
  ASSERT_TRUE(real.ok()) << real.status().ToString();
  ASSERT_EQ(real->outputs.size(), 4u);
  EXPECT_EQ(real->outputs[0].shape, (std::vector<int>{1, 100, 4}));
}

// --input-size on a TensorFlow import: at 256x256 the feature maps are
// 16, 8, 4, 2, 1, 1 (3 anchors a cell on the first, 6 on the others), the
// config's generator gives the same count, and both runtimes agree.
TEST(OdapiSsdGraphTest, ResizedTo256TheConfigsAnchorsFollowAndTfliteAgrees) {
  auto imported = std::make_unique<ir::Model>();
  ImportCut(imported.get());
  if (HasFatalFailure()) return;
  passes::ResizeInputResult rr;
  ASSERT_TRUE(passes::ResizeInput(*imported, 256, 256, &rr).ok());
  EXPECT_TRUE(rr.changed);
  const int anchors = 16 * 16 * 3 + (8 * 8 + 4 * 4 + 2 * 2 + 1 + 1) * 6;
  const ir::Subgraph& sg = imported->subgraphs[0];
  EXPECT_EQ(sg.tensors[static_cast<size_t>(sg.outputs[0])].shape, (Shape{1, anchors, 4}));
  std::string why;
  const bool oracle = testing::OracleAvailable(&why);
  const std::vector<uint8_t> bytes = RandomImage(256);
  // Raw outputs in both runtimes (random weights leave the scores nearly
  // tied, so detections would only compare NMS tie-breaking).
  if (oracle) ExpectRawOutputsAsTflite(*imported, bytes, "ssdlite_raw_256.tflite");
  Model model(std::make_shared<ir::Model>(std::move(*imported)), "ssdlite.meta");
  PostprocessOptions pp;
  pp.config = testing::DataPath(std::string(kDir) + "pipeline.config");
  auto r = AddPostprocess(model, pp);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->num_anchors, anchors);
  if (!oracle) GTEST_SKIP() << why;
  const std::string path = testing::TempDir() + "/ssdlite_random_256.tflite";
  ASSERT_TRUE(model.Save(path).ok());
  auto real = testing::RunInRealTflite(path, {bytes});
  ASSERT_TRUE(real.ok()) << real.status().ToString();
  ASSERT_EQ(real->outputs.size(), 4u);
  EXPECT_EQ(real->outputs[0].shape, (std::vector<int>{1, 100, 4}));
}

}  // namespace
}  // namespace detlite
