// The Object Detection API SSD graph of odapi_ssd_graph_test.cc as a TF1
// SavedModel: weights and batch-norm statistics are VariableV2 nodes
// restored from a tensor bundle (tests/support/tf_bundle_writer.h), the
// signature returns the post-processing node's four outputs. Converted, it
// must compute exactly what the frozen graph converts to.
#include <gtest/gtest.h>

#include <cstring>

#include "data/image.h"
#include "data/preprocess.h"
#include "detlite/import.h"
#include "detlite/model.h"
#include "ir/graph.h"
#include "support/odapi_ssd_generator.h"
#include "support/paths.h"

namespace detlite {
namespace {

// The four outputs in the post-processing op's slot order (boxes, classes,
// scores, count): a signature's outputs come in its map's order, which
// protobuf leaves unspecified.
std::vector<std::vector<uint8_t>> RunModel(const Model& model,
                                           const std::vector<uint8_t>& in) {
  auto runner = Runner::Create(model);
  EXPECT_TRUE(runner.ok()) << runner.status().ToString();
  if (!runner.ok()) return {};
  EXPECT_TRUE(runner->SetInput(0, in).ok());
  EXPECT_TRUE(runner->Run().ok());
  const ir::Subgraph& sg = model.ir().subgraphs[0];
  std::vector<std::vector<uint8_t>> out;
  for (const ir::Operator& op : sg.ops) {
    if (op.custom_code != "TFLite_Detection_PostProcess") continue;
    for (int32_t t : op.outputs) {
      for (size_t i = 0; i < sg.outputs.size(); ++i) {
        if (sg.outputs[i] == t) {
          out.push_back(runner->Output(static_cast<int>(i)).bytes);
        }
      }
    }
  }
  return out;
}

TEST(OdapiSsdSavedModel, VariablesFromTheBundleGiveTheFrozenGraphsDetections) {
  auto g = testing::GenerateOdapiSsdGraph(
      testing::DataPath("tflite/ssd_mobilenetv2_oidv4_fp16.tflite"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  const std::string dir = testing::TempDir() + "/odapi_saved_model";
  int num_variables = 0;
  const Status written =
      testing::WriteOdapiSavedModel(g->graph, dir, &num_variables);
  ASSERT_TRUE(written.ok()) << written.ToString();
  // Per feature-extractor conv: weights, gamma, beta, moving mean and
  // variance; per predictor: weights and biases.
  EXPECT_EQ(num_variables, 5 * g->batch_norms + 2 * g->predictor_convs);
  const std::string pb = testing::TempDir() + "/odapi_frozen.pb";
  ASSERT_TRUE(testing::WriteGraphDef(g->graph, pb).ok());

  ImportReport report;
  auto saved = ImportModel(dir, {}, &report);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(report.format, "saved_model");
  EXPECT_EQ(report.source_ops["VariableV2"], num_variables);
  EXPECT_EQ(report.ops["MUL"], 0);
  std::printf("[saved_model] %d variables restored, %d TF nodes used, %.2f s\n",
              num_variables, report.imported_nodes, report.seconds);
  auto frozen = ImportModel(pb);
  ASSERT_TRUE(frozen.ok()) << frozen.status().ToString();
  ASSERT_EQ(saved->ir().subgraphs[0].outputs.size(), 4u);

  auto image = DecodeImageFile(testing::DataPath("images/cats_and_dogs.jpg"));
  auto pre = PresetPreprocess(PreprocessPreset::kSigned);
  ASSERT_TRUE(image.ok() && pre.ok());
  auto in = ImageToTensorBytes(*image, Shape{1, 300, 300, 3}, DType::kFloat32,
                               *pre, nullptr);
  ASSERT_TRUE(in.ok());
  const auto a = RunModel(*saved, *in);
  const auto b = RunModel(*frozen, *in);
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a, b) << "the SavedModel and the frozen graph must convert to the "
                     "same computation";
  float count = 0;
  std::memcpy(&count, a[3].data(), 4);
  EXPECT_EQ(count, 10.0f);
}

}  // namespace
}  // namespace detlite
