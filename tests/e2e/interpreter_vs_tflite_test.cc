// detlite's interpreter against the real TFLite runtime, on every real model
// in ../shared/data/tflite and real photos. Models ending in the custom
// TFLite_Detection_PostProcess op are cut before it (its inputs become the
// outputs; the op itself is compared in the detection tests). Prints one
// line per model/photo with the measured difference, for the record.
#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "core/file_io.h"
#include "data/image.h"
#include "data/preprocess.h"
#include "exporters/tflite/tflite_writer.h"
#include "importers/tflite/tflite_reader.h"
#include "passes/dead_code_elimination.h"
#include "runtime/interpreter.h"
#include "support/compare.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

struct Case {
  const char* model;
  PreprocessPreset preset;  // image normalization the model expects
  std::vector<const char*> images;
};

// Float outputs must agree within 1e-4 of the output's range; quantized
// outputs exactly.
constexpr double kFloatRelTol = 1e-4;
constexpr double kQuantMaxLsb = 0;

std::vector<Case> Cases() {
  return {
      {"coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite", PreprocessPreset::kRaw,
       {"cats_and_dogs.jpg", "kite_and_cold.jpg", "grace_hopper.bmp"}},
      {"ssd_mobilenetv2_oidv4_fp16.tflite", PreprocessPreset::kSigned, {"cats_and_dogs.jpg", "multi_objects.jpg"}},
      {"face_detection_short_range.tflite", PreprocessPreset::kSigned, {"face.jpg", "grace_hopper.bmp"}},
      {"face_detection_full_range.tflite", PreprocessPreset::kSigned, {"face.jpg", "pets.jpg"}},
      {"face_detection_full_range_sparse.tflite", PreprocessPreset::kSigned, {"face.jpg", "pets.jpg"}},
      {"palm_detection_lite.tflite", PreprocessPreset::kUnit, {"owl.jpg", "parrot.jpg"}},
  };
}

// Cuts the model before TFLite_Detection_PostProcess, if it has one.
bool CutBeforePostprocess(ir::Model& model) {
  const ir::Subgraph& sg = model.subgraphs[0];
  for (const ir::Operator& op : sg.ops) {
    if (op.kind == ir::OpKind::kCustom && op.custom_code == "TFLite_Detection_PostProcess") {
      EXPECT_TRUE(passes::CutToOutputs(model, {op.inputs[0], op.inputs[1]}).ok());
      return true;
    }
  }
  return false;
}

void CompareOnImage(const std::string& model_path, const ir::Model& model, const Case& c,
                    const std::string& image_name) {
  SCOPED_TRACE(std::string(c.model) + " on " + image_name);
  auto image = DecodeImageFile(testing::DataPath("images/" + image_name));
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  const ir::Subgraph& sg = model.subgraphs[0];
  ASSERT_EQ(sg.inputs.size(), 1u);
  const ir::Tensor& in = sg.tensors[static_cast<size_t>(sg.inputs[0])];
  auto pre = PresetPreprocess(c.preset);
  ASSERT_TRUE(pre.ok());
  auto bytes = ImageToTensorBytes(*image, in.shape, in.dtype, *pre, &in.quant);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();

  auto interp = runtime::Interpreter::Create(model);
  ASSERT_TRUE(interp.ok()) << interp.status().ToString();
  ASSERT_TRUE((*interp)->SetInput(0, bytes->data(), bytes->size()).ok());
  ASSERT_TRUE((*interp)->Invoke().ok());

  auto oracle = testing::RunInRealTflite(model_path, {*bytes});
  ASSERT_TRUE(oracle.ok()) << oracle.status().ToString();
  ASSERT_EQ(oracle->outputs.size(), sg.outputs.size());
  for (size_t i = 0; i < sg.outputs.size(); ++i) {
    const runtime::TensorRef& ours = (*interp)->output(static_cast<int>(i));
    std::vector<uint8_t> mine(ours.data, ours.data + ours.bytes);
    const std::string dtype(DTypeName(ours.dtype));
    ASSERT_EQ(dtype, oracle->outputs[i].dtype);
    const testing::Diff d = testing::CompareBuffers(dtype, mine, oracle->outputs[i].bytes);
    ASSERT_GE(d.count, 0) << "size mismatch for output " << i;
    std::printf("[agreement] %s %s output %zu '%s' %s: %s\n", c.model, image_name.c_str(), i,
                ours.name().c_str(), dtype.c_str(), d.ToString().c_str());
    if (dtype == "float32") {
      EXPECT_LE(d.relative, kFloatRelTol) << ours.name() << " " << d.ToString();
    } else {
      EXPECT_LE(d.max_abs, kQuantMaxLsb) << ours.name() << " " << d.ToString();
    }
  }
}

class InterpreterVsTflite : public ::testing::TestWithParam<Case> {};

TEST_P(InterpreterVsTflite, OutputsAgreeOnRealPhotos) {
  std::string why;
  ASSERT_TRUE(testing::OracleAvailable(&why)) << why;
  const Case& c = GetParam();
  const std::string path = testing::DataPath(std::string("tflite/") + c.model);
  auto model = ReadTfliteFile(path);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  std::string run_path = path;
  if (CutBeforePostprocess(*model)) {
    run_path = testing::TempDir() + "/cut_" + c.model;
    ASSERT_TRUE(WriteTfliteFile(*model, run_path).ok());
  }
  for (const char* image : c.images) CompareOnImage(run_path, *model, c, image);
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  return testing::TestNameForModel(info.param.model);
}

INSTANTIATE_TEST_SUITE_P(RealModels, InterpreterVsTflite, ::testing::ValuesIn(Cases()), CaseName);

TEST(InterpreterVsTfliteTest, HalfPlusTwo) {
  const std::string path = testing::DataPath("tflite/half_plus_two.tflite");
  auto model = ReadTfliteFile(path);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto interp = runtime::Interpreter::Create(*model);
  ASSERT_TRUE(interp.ok()) << interp.status().ToString();
  runtime::TensorRef& in = (*interp)->input(0);
  std::vector<float> x(static_cast<size_t>(in.NumElements()));
  for (size_t i = 0; i < x.size(); ++i) x[i] = 3.0f * static_cast<float>(i) - 1.0f;
  ASSERT_TRUE((*interp)->SetInput(0, x.data(), x.size() * 4).ok());
  ASSERT_TRUE((*interp)->Invoke().ok());
  const float* y = (*interp)->output(0).Data<float>();
  for (size_t i = 0; i < x.size(); ++i) EXPECT_FLOAT_EQ(y[i], x[i] / 2 + 2);
}

}  // namespace
}  // namespace detlite
