// Reads every real model in shared/data/tflite and checks what is known
// about it from the file itself (counts, shapes, types, quantization,
// sparsity, metadata) so a reader regression shows up as a named fact.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "importers/tflite/tflite_reader.h"
#include "ir/verifier.h"
#include "support/paths.h"

namespace detlite {
namespace {

using OpCounts = std::map<std::string, int>;

struct ModelFacts {
  std::string file;
  std::string description;
  size_t tensors;
  size_t ops;
  std::vector<int32_t> input_shape;
  DType input_type;
  std::vector<std::vector<int32_t>> output_shapes;  // empty = not checked
  OpCounts op_counts;
  std::vector<std::string> metadata;  // names, in file order
  size_t unnamed_metadata;
  int sparse_tensors;
};

const std::vector<ModelFacts>& AllModels() {
  static const std::vector<ModelFacts> models = {
      {"coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite", "TOCO Converted.",
       176, 64, {1, 300, 300, 3}, DType::kUInt8, {},
       {{"CONV_2D", 34}, {"DEPTHWISE_CONV_2D", 13}, {"RESHAPE", 13},
        {"CONCATENATION", 2}, {"LOGISTIC", 1},
        {"TFLite_Detection_PostProcess", 1}},
       {"TFLITE_METADATA"}, 0, 0},
      {"coco_ssd_mobilenet_v1_1.0_quant_2018_06_29_no_metadata.tflite",
       "TOCO Converted.", 176, 64, {1, 300, 300, 3}, DType::kUInt8, {},
       {{"CONV_2D", 34}, {"DEPTHWISE_CONV_2D", 13}, {"RESHAPE", 13},
        {"CONCATENATION", 2}, {"LOGISTIC", 1},
        {"TFLite_Detection_PostProcess", 1}},
       {}, 0, 0},
      {"face_detection_full_range.tflite",
       "keras2tflite_facedetector-back-192x192.tflite.generated", 544, 354,
       {1, 192, 192, 3}, DType::kFloat32, {{1, 2304, 16}, {1, 2304, 1}},
       {{"DEQUANTIZE", 178}, {"CONV_2D", 49}, {"RELU", 47},
        {"DEPTHWISE_CONV_2D", 40}, {"ADD", 23}, {"MAX_POOL_2D", 4}, {"PAD", 8},
        {"RESIZE_BILINEAR", 3}, {"RESHAPE", 2}},
       {}, 2, 0},
      {"face_detection_full_range_sparse.tflite", "MLIR Converted.", 577, 388,
       {1, 192, 192, 3}, DType::kFloat32, {{1, 2304, 16}, {1, 2304, 1}},
       {{"PAD", 43}, {"DEQUANTIZE", 182}, {"CONV_2D", 49},
        {"DEPTHWISE_CONV_2D", 42}, {"DENSIFY", 46}, {"ADD", 19},
        {"RESIZE_BILINEAR", 3}, {"DEPTH_TO_SPACE", 2}, {"RESHAPE", 2}},
       {"min_runtime_version"}, 2, 46},
      {"face_detection_short_range.tflite",
       "keras2tflite_facedetector-front.tflite.generated", 250, 164,
       {1, 128, 128, 3}, DType::kFloat32, {{1, 896, 16}, {1, 896, 1}},
       {{"DEQUANTIZE", 74}, {"CONV_2D", 21}, {"RELU", 17},
        {"DEPTHWISE_CONV_2D", 16}, {"ADD", 16}, {"PAD", 11}, {"MAX_POOL_2D", 3},
        {"RESHAPE", 4}, {"CONCATENATION", 2}},
       {}, 2, 0},
      {"half_plus_two.tflite", "TOCO Converted.", 5, 2, {1, 1},
       DType::kFloat32, {{1, 1}}, {{"MUL", 1}, {"ADD", 1}},
       {"min_runtime_version"}, 0, 0},
      {"palm_detection_lite.tflite", "MLIR Converted.", 353, 232,
       {1, 192, 192, 3}, DType::kFloat32, {{1, 2016, 18}, {1, 2016, 1}},
       {{"DEQUANTIZE", 113}, {"CONV_2D", 30}, {"PRELU", 26},
        {"DEPTHWISE_CONV_2D", 23}, {"ADD", 25}, {"MAX_POOL_2D", 4}, {"PAD", 3},
        {"RESIZE_BILINEAR", 2}, {"RESHAPE", 4}, {"CONCATENATION", 2}},
       {"min_runtime_version", "reduced_precision_support"}, 2, 0},
      {"ssd_mobilenetv2_oidv4_fp16.tflite", "MLIR Converted.", 389, 241,
       {1, 300, 300, 3}, DType::kFloat32, {{1, 1917, 4}, {1, 1917, 24}},
       {{"DEQUANTIZE", 144}, {"CONV_2D", 55}, {"DEPTHWISE_CONV_2D", 17},
        {"ADD", 10}, {"RESHAPE", 13}, {"CONCATENATION", 2}},
       {"min_runtime_version"}, 0, 0},
  };
  return models;
}

class RealModelTest : public ::testing::TestWithParam<ModelFacts> {};

TEST_P(RealModelTest, ReadsWithExpectedStructure) {
  const ModelFacts& f = GetParam();
  auto model = ReadTfliteFile(testing::DataPath("tflite/" + f.file));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(model->version, 3u);
  EXPECT_EQ(model->description, f.description);
  ASSERT_EQ(model->subgraphs.size(), 1u);
  const ir::Subgraph& sg = model->subgraphs[0];
  EXPECT_EQ(sg.tensors.size(), f.tensors);
  EXPECT_EQ(sg.ops.size(), f.ops);

  ASSERT_EQ(sg.inputs.size(), 1u);
  const ir::Tensor& in = sg.tensors[static_cast<size_t>(sg.inputs[0])];
  EXPECT_EQ(in.shape.dims(), f.input_shape);
  EXPECT_EQ(in.dtype, f.input_type);
  if (!f.output_shapes.empty()) {
    ASSERT_EQ(sg.outputs.size(), f.output_shapes.size());
    for (size_t i = 0; i < sg.outputs.size(); ++i) {
      const ir::Tensor& out = sg.tensors[static_cast<size_t>(sg.outputs[i])];
      EXPECT_EQ(out.shape.dims(), f.output_shapes[i]) << "output " << i;
      EXPECT_EQ(out.dtype, DType::kFloat32) << "output " << i;
    }
  }

  OpCounts counts;
  for (const ir::Operator& op : sg.ops) {
    ++counts[op.kind == ir::OpKind::kCustom ? op.custom_code
                                            : std::string(ir::OpKindName(op.kind))];
    EXPECT_FALSE(op.options_unsupported);
  }
  EXPECT_EQ(counts, f.op_counts);

  std::vector<std::string> names;
  for (const auto& m : model->metadata) names.push_back(m.name);
  EXPECT_EQ(names, f.metadata);
  EXPECT_EQ(model->unnamed_metadata.size(), f.unnamed_metadata);
  EXPECT_TRUE(model->unsupported_features.empty());

  int sparse = 0;
  for (const ir::Tensor& t : sg.tensors) sparse += t.sparsity ? 1 : 0;
  EXPECT_EQ(sparse, f.sparse_tensors);

  // The reader's checks imply the IR verifier's.
  EXPECT_TRUE(ir::Verify(*model).ok()) << ir::Verify(*model).ToString();
}

INSTANTIATE_TEST_SUITE_P(
    AllRealModels, RealModelTest, ::testing::ValuesIn(AllModels()),
    [](const ::testing::TestParamInfo<ModelFacts>& info) {
      std::string n = info.param.file.substr(0, info.param.file.size() - 7);
      for (char& c : n) {
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return n;
    });

}  // namespace
}  // namespace detlite
