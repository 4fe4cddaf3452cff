// The Object Detection API's TF1 export path (tflite_graph.pb) end to end,
// on a frozen graph generated from the real ssd_mobilenetv2_oidv4_fp16.tflite
// (tests/support/odapi_ssd_generator.h): batch norms split out again with
// random statistics, TF layouts, Sigmoid score converter, anchors Const and
// the TFLite_Detection_PostProcess node. Judged three ways:
//  (a) converted up to raw_outputs/*, it reproduces the original .tflite's
//      box encodings and sigmoid(class logits) on a real photo;
//  (b) converted with no flags, it detects what the original .tflite plus
//      `--add-postprocess` detects, in detlite and in the real TFLite runtime;
//  (c) every batch norm folded: no MUL, ADDs only the residual ones, RELU6
//      fused, the same convolutions as the original.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>

#include "data/image.h"
#include "data/preprocess.h"
#include "detlite/import.h"
#include "detlite/model.h"
#include "detlite/postprocess.h"
#include "ir/detection_options.h"
#include "ir/graph.h"
#include "support/odapi_ssd_generator.h"
#include "support/paths.h"
#include "support/subprocess.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

constexpr char kTflite[] = "tflite/ssd_mobilenetv2_oidv4_fp16.tflite";

std::vector<float> Floats(const std::vector<uint8_t>& bytes) {
  std::vector<float> v(bytes.size() / 4);
  if (!v.empty()) std::memcpy(v.data(), bytes.data(), v.size() * 4);
  return v;
}

double MaxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return INFINITY;
  double m = 0;
  for (size_t i = 0; i < a.size(); ++i)
    m = std::max(m, std::fabs(double(a[i]) - b[i]));
  return m;
}

std::vector<uint8_t> PhotoBytes(const std::string& photo) {
  auto image = DecodeImageFile(testing::DataPath("images/" + photo));
  auto pre =
      PresetPreprocess(PreprocessPreset::kSigned);  // [-1, 1], as normalized_input_image_tensor
  EXPECT_TRUE(image.ok() && pre.ok());
  if (!image.ok() || !pre.ok()) return {};
  auto bytes = ImageToTensorBytes(*image, Shape{1, 300, 300, 3},
                                  DType::kFloat32, *pre, nullptr);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::vector<uint8_t>{};
}

// Every output of `model` on one input, from detlite's interpreter.
std::vector<std::vector<float>> RunDetlite(const Model& model,
                                           const std::vector<uint8_t>& in) {
  auto runner = Runner::Create(model);
  EXPECT_TRUE(runner.ok()) << runner.status().ToString();
  if (!runner.ok()) return {};
  EXPECT_TRUE(runner->SetInput(0, in).ok());
  EXPECT_TRUE(runner->Run().ok());
  std::vector<std::vector<float>> out;
  for (int i = 0; i < runner->num_outputs(); ++i)
    out.push_back(Floats(runner->Output(i).bytes));
  return out;
}

std::vector<std::vector<float>> RunReal(const std::string& path,
                                        const std::vector<uint8_t>& in) {
  auto r = testing::RunInRealTflite(path, {in});
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  std::vector<std::vector<float>> out;
  if (r.ok())
    for (const auto& t : r->outputs) out.push_back(Floats(t.bytes));
  return out;
}

class OdapiSsdGraphTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto start = std::chrono::steady_clock::now();
    auto g = testing::GenerateOdapiSsdGraph(testing::DataPath(kTflite));
    ASSERT_TRUE(g.ok()) << g.status().ToString();
    generated_ = new testing::OdapiSsdGraph(std::move(*g));
    pb_path_ = testing::TempDir() + "/tflite_graph.pb";
    ASSERT_TRUE(testing::WriteGraphDef(generated_->graph, pb_path_).ok());
    std::printf(
        "[generator] %d nodes, %d batch norms, %d predictor convs, %zu "
        "anchors, "
        "%d classes, %.2f s, %.1f MB\n",
        generated_->graph.node_size(), generated_->batch_norms,
        generated_->predictor_convs, generated_->anchors.size(),
        generated_->num_classes,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count(),
        std::filesystem::file_size(pb_path_) / 1e6);
  }
  static void TearDownTestSuite() {
    delete generated_;
    generated_ = nullptr;
  }
  void SetUp() override {
    if (generated_ == nullptr) GTEST_SKIP() << "generation failed";
  }

  static testing::OdapiSsdGraph* generated_;
  static std::string pb_path_;
};

testing::OdapiSsdGraph* OdapiSsdGraphTest::generated_ = nullptr;
std::string OdapiSsdGraphTest::pb_path_;

TEST_F(OdapiSsdGraphTest, GeneratorWritesTheExportersStructure) {
  EXPECT_EQ(generated_->anchors.size(), 1917u);
  EXPECT_EQ(generated_->num_classes, 23);
  std::map<std::string, int> ops;
  std::map<std::string, const tf::NodeDef*> by_name;
  for (const tf::NodeDef& n : generated_->graph.node())
    ++ops[n.op()], by_name[n.name()] = &n;
  std::string hist;
  for (const auto& [op, n] : ops) hist += " " + op + "=" + std::to_string(n);
  std::printf("[tf ops]%s\n", hist.c_str());
  EXPECT_EQ(ops["FusedBatchNormV3"], generated_->batch_norms);
  EXPECT_EQ(ops["DepthwiseConv2dNative"], 17);  // MobileNetV2's 17 bottlenecks
  EXPECT_EQ(ops["BiasAdd"], 12);                // 6 box + 6 class predictors
  EXPECT_EQ(ops["TFLite_Detection_PostProcess"], 1);
  for (const char* name :
       {"normalized_input_image_tensor", "raw_outputs/box_encodings",
        "raw_outputs/class_predictions", "anchors", "convert_scores",
        "BoxPredictor_0/BoxEncodingPredictor/BiasAdd",
        "BoxPredictor_5/ClassPredictor/Conv2D", "BoxPredictor_0/Reshape_1",
        "FeatureExtractor/MobilenetV2/Conv/BatchNorm/FusedBatchNormV3",
        "FeatureExtractor/MobilenetV2/expanded_conv/depthwise/depthwise",
        "FeatureExtractor/MobilenetV2/expanded_conv_2/add", "concat",
        "concat_1"}) {
    EXPECT_TRUE(by_name.count(name)) << name;
  }
}

// (a) and (c): up to the raw outputs, against the original.
TEST_F(OdapiSsdGraphTest, RawOutputsReproduceTheTfliteAndBatchNormsFold) {
  ImportOptions o;
  o.outputs = {"raw_outputs/box_encodings", "raw_outputs/class_predictions"};
  ImportReport report;
  auto converted = ImportModel(pb_path_, o, &report);
  ASSERT_TRUE(converted.ok()) << converted.status().ToString();
  auto original = Model::Load(testing::DataPath(kTflite));
  ASSERT_TRUE(original.ok()) << original.status().ToString();

  std::map<std::string, int> before;
  for (const ir::Operator& op : original->ir().subgraphs[0].ops) {
    ++before[std::string(ir::OpKindName(op.kind))];
  }
  std::string hist;
  for (const auto& [op, n] : report.ops)
    hist += " " + op + "=" + std::to_string(n);
  std::printf(
      "[ops] TF nodes %d used of %d, %d folded; TFLite ops:%s (%.2f s)\n",
      report.imported_nodes, report.graph_nodes, report.folded_ops,
      hist.c_str(), report.seconds);
  auto count = [&](const std::string& op) {
    return report.ops.count(op) ? report.ops.at(op) : 0;
  };
  EXPECT_EQ(count("MUL"), 0) << "a batch norm was not folded";
  EXPECT_EQ(count("ADD"), before["ADD"]) << "only the residual ADDs may remain";
  EXPECT_EQ(count("RELU6"), 0) << "a Relu6 was not fused";
  EXPECT_EQ(count("CONV_2D"), before["CONV_2D"]);
  EXPECT_EQ(count("DEPTHWISE_CONV_2D"), before["DEPTHWISE_CONV_2D"]);
  EXPECT_EQ(count("LOGISTIC"), 1);
  EXPECT_EQ(count("CUSTOM"), 0);

  const std::vector<uint8_t> in = PhotoBytes("cats_and_dogs.jpg");
  ASSERT_FALSE(in.empty());
  auto ours = RunDetlite(*converted, in);
  auto ref = RunDetlite(*original, in);
  ASSERT_EQ(ours.size(), 2u);
  ASSERT_EQ(ref.size(), 2u);
  for (float& x : ref[1]) x = 1.0f / (1.0f + std::exp(-x));
  const double box_diff = MaxAbsDiff(ours[0], ref[0]);
  const double cls_diff = MaxAbsDiff(ours[1], ref[1]);
  std::printf(
      "[raw] detlite: max |box diff| %.3g, max |sigmoid score diff| %.3g\n",
      box_diff, cls_diff);
  EXPECT_LE(box_diff, 1e-4);
  EXPECT_LE(cls_diff, 1e-4);

  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  const std::string raw_path = testing::TempDir() + "/odapi_raw.tflite";
  ASSERT_TRUE(converted->Save(raw_path).ok());
  auto real = RunReal(raw_path, in);
  ASSERT_EQ(real.size(), 2u);
  const double real_box = MaxAbsDiff(real[0], ref[0]);
  const double real_cls = MaxAbsDiff(real[1], ref[1]);
  std::printf(
      "[raw] real TFLite on the converted graph vs detlite on the original: "
      "box %.3g, score %.3g\n",
      real_box, real_cls);
  EXPECT_LE(real_box, 1e-4);
  EXPECT_LE(real_cls, 1e-4);
}

struct Detections {
  std::vector<float> boxes, classes, scores;
  int count = -1;
};

Detections FromOutputs(const std::vector<std::vector<float>>& o) {
  Detections d;
  if (o.size() != 4 || o[3].size() != 1) return d;
  d.count = static_cast<int>(o[3][0]);
  d.boxes.assign(o[0].begin(), o[0].begin() + 4 * d.count);
  d.classes.assign(o[1].begin(), o[1].begin() + d.count);
  d.scores.assign(o[2].begin(), o[2].begin() + d.count);
  return d;
}

void ExpectSameDetections(const Detections& a, const Detections& b,
                          const std::string& what) {
  ASSERT_GE(a.count, 0) << what;
  ASSERT_EQ(a.count, b.count) << what;
  EXPECT_EQ(a.classes, b.classes) << what;
  const double box = MaxAbsDiff(a.boxes, b.boxes),
               score = MaxAbsDiff(a.scores, b.scores);
  std::printf(
      "[detections] %s: %d detections, top class %g score %.4f; max |box diff| "
      "%.3g, "
      "max |score diff| %.3g\n",
      what.c_str(), a.count, a.count ? a.classes[0] : -1.0,
      a.count ? a.scores[0] : 0.0, box, score);
  EXPECT_LE(box, 1e-4) << what;
  EXPECT_LE(score, 1e-5) << what;
}

// (b): `detlite convert tflite_graph.pb -o out.tflite` with no flags, against
// the original .tflite + --add-postprocess with the same anchors and settings.
TEST_F(OdapiSsdGraphTest,
       ConvertedWithNoFlagsDetectsWhatTheOriginalPlusPostprocessDoes) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  const std::string out = testing::TempDir() + "/odapi_full.tflite";
  const auto start = std::chrono::steady_clock::now();
  auto cli = testing::RunProcess(
      {testing::CliPath(), "convert", pb_path_, "-o", out}, 300);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  ASSERT_TRUE(cli.ok()) << cli.status().ToString();
  ASSERT_EQ(cli->exit_code, 0) << cli->err;
  std::printf(
      "[convert] detlite convert tflite_graph.pb -o out.tflite: %.2f s\n",
      seconds);

  auto converted = Model::Load(out);
  ASSERT_TRUE(converted.ok()) << converted.status().ToString();
  const ir::Subgraph& sg = converted->ir().subgraphs[0];
  ASSERT_EQ(sg.outputs.size(), 4u)
      << "the default outputs must be the post-processing op's four";
  ASSERT_FALSE(sg.ops.empty());
  const ir::Operator& post = sg.ops.back();
  ASSERT_EQ(post.custom_code, "TFLite_Detection_PostProcess");
  EXPECT_EQ(sg.outputs, post.outputs);

  auto reference = Model::Load(testing::DataPath(kTflite));
  ASSERT_TRUE(reference.ok());
  PostprocessOptions po;
  po.anchors = AnchorPreset::kSsd;
  po.max_detections = 10;
  po.score_threshold = 1e-8f;
  po.iou_threshold = 0.6f;
  auto added = AddPostprocess(*reference, po);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  const std::string ref_path = testing::TempDir() + "/odapi_reference.tflite";
  ASSERT_TRUE(reference->Save(ref_path).ok());
  const ir::Operator& ref_post = reference->ir().subgraphs[0].ops.back();
  auto p1 = ir::ParseDetectionOptions(post.custom_options);
  auto p2 = ir::ParseDetectionOptions(ref_post.custom_options);
  ASSERT_TRUE(p1.ok() && p2.ok());
  EXPECT_EQ(ir::WriteDetectionOptions(*p1), ir::WriteDetectionOptions(*p2))
      << "the node's attributes must give the same options as "
         "--add-postprocess";
  const ir::Tensor& anchors = sg.tensors[static_cast<size_t>(post.inputs[2])];
  const ir::Subgraph& rsg = reference->ir().subgraphs[0];
  const ir::Tensor& ref_anchors =
      rsg.tensors[static_cast<size_t>(ref_post.inputs[2])];
  ASSERT_TRUE(anchors.is_constant() && ref_anchors.is_constant());
  EXPECT_EQ(*anchors.data, *ref_anchors.data);

  for (const char* photo :
       {"cats_and_dogs.jpg", "kite_and_cold.jpg", "pets.jpg"}) {
    const std::vector<uint8_t> in = PhotoBytes(photo);
    ASSERT_FALSE(in.empty());
    const Detections ref = FromOutputs(RunReal(ref_path, in));
    ASSERT_GT(ref.count, 0) << photo;
    ExpectSameDetections(
        FromOutputs(RunDetlite(*converted, in)), ref,
        std::string(photo) + " detlite(converted) vs TFLite(reference)");
    ExpectSameDetections(
        FromOutputs(RunReal(out, in)), ref,
        std::string(photo) + " TFLite(converted) vs TFLite(reference)");
    ExpectSameDetections(
        FromOutputs(RunDetlite(*reference, in)), ref,
        std::string(photo) + " detlite(reference) vs TFLite(reference)");
  }
}

// A post-processing node that disagrees with its graph stops the conversion
// with one line naming the node, and writes nothing.
TEST_F(OdapiSsdGraphTest, WrongNumClassesFailsNamingTheNodeAndWritesNothing) {
  tf::GraphDef bad = generated_->graph;
  for (tf::NodeDef& n : *bad.mutable_node()) {
    if (n.op() == "TFLite_Detection_PostProcess")
      (*n.mutable_attr())["num_classes"].set_i(90);
  }
  const std::string pb = testing::TempDir() + "/bad_num_classes.pb";
  ASSERT_TRUE(testing::WriteGraphDef(bad, pb).ok());
  const std::string out = testing::TempDir() + "/bad_num_classes.tflite";
  auto cli =
      testing::RunProcess({testing::CliPath(), "convert", pb, "-o", out}, 300);
  ASSERT_TRUE(cli.ok());
  EXPECT_NE(cli->exit_code, 0);
  std::printf("[error] %s", cli->err.c_str());
  EXPECT_NE(cli->err.find("node 'TFLite_Detection_PostProcess'"),
            std::string::npos)
      << cli->err;
  EXPECT_NE(cli->err.find("num_classes 90"), std::string::npos) << cli->err;
  EXPECT_EQ(std::count(cli->err.begin(), cli->err.end(), '\n'), 1) << cli->err;
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
}  // namespace detlite
