// The ONNX files detlite writes, run in ONNX Runtime on real models and real
// photos, against detlite's own interpreter on the .tflite: float outputs
// within 1e-4 of each output's range (tests/support/compare.h).
#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>

#include "data/image.h"
#include "data/preprocess.h"
#include "exporters/onnx/onnx_writer.h"
#include "importers/tflite/tflite_reader.h"
#include "runtime/interpreter.h"
#include "support/compare.h"
#include "support/onnxruntime_oracle.h"
#include "support/paths.h"

namespace detlite {
namespace {

constexpr double kFloatRelTol = 1e-4;

struct Case {
  const char* model;
  PreprocessPreset preset;
  const char* image;
};

std::vector<Case> Cases() {
  return {
      {"ssd_mobilenetv2_oidv4_fp16.tflite", PreprocessPreset::kSigned, "cats_and_dogs.jpg"},
      {"face_detection_short_range.tflite", PreprocessPreset::kSigned, "face.jpg"},
      {"face_detection_full_range.tflite", PreprocessPreset::kSigned, "pets.jpg"},
      {"face_detection_full_range_sparse.tflite", PreprocessPreset::kSigned, "face.jpg"},
      {"palm_detection_lite.tflite", PreprocessPreset::kUnit, "owl.jpg"},
  };
}

class OnnxVsDetlite : public ::testing::TestWithParam<Case> {};

TEST_P(OnnxVsDetlite, OnnxRuntimeAgreesWithInterpreter) {
  std::string why;
  ASSERT_TRUE(testing::OnnxRuntimeAvailable(&why)) << why;
  const Case& c = GetParam();
  auto model = ReadTfliteFile(testing::DataPath(std::string("tflite/") + c.model));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const std::string onnx_path = testing::TempDir() + "/" + c.model + ".onnx";
  Status written = WriteOnnxFile(*model, onnx_path);
  ASSERT_TRUE(written.ok()) << written.ToString();

  auto image = DecodeImageFile(testing::DataPath(std::string("images/") + c.image));
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  const ir::Subgraph& sg = model->subgraphs[0];
  ASSERT_EQ(sg.inputs.size(), 1u);
  const ir::Tensor& in = sg.tensors[static_cast<size_t>(sg.inputs[0])];
  auto pre = PresetPreprocess(c.preset);
  ASSERT_TRUE(pre.ok());
  auto bytes = ImageToTensorBytes(*image, in.shape, in.dtype, *pre, &in.quant);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();

  auto interp = runtime::Interpreter::Create(*model);
  ASSERT_TRUE(interp.ok()) << interp.status().ToString();
  ASSERT_TRUE((*interp)->SetInput(0, bytes->data(), bytes->size()).ok());
  ASSERT_TRUE((*interp)->Invoke().ok());

  auto ort = testing::RunInOnnxRuntime(onnx_path, {*bytes});
  ASSERT_TRUE(ort.ok()) << ort.status().ToString();
  ASSERT_EQ(ort->outputs.size(), sg.outputs.size());
  for (size_t i = 0; i < sg.outputs.size(); ++i) {
    const runtime::TensorRef& ours = (*interp)->output(static_cast<int>(i));
    EXPECT_EQ(ort->outputs[i].name, ours.name());
    std::vector<int> shape(ours.shape.dims().begin(), ours.shape.dims().end());
    EXPECT_EQ(ort->outputs[i].shape, shape);
    std::vector<uint8_t> mine(ours.data, ours.data + ours.bytes);
    const testing::Diff d = testing::CompareBuffers("float32", ort->outputs[i].bytes, mine);
    ASSERT_GE(d.count, 0) << "size mismatch for output " << i;
    std::printf("[onnx agreement] %s %s output %zu '%s': %s\n", c.model, c.image, i,
                ours.name().c_str(), d.ToString().c_str());
    EXPECT_GT(d.range, 0.0) << "a constant output proves nothing";
    EXPECT_LE(d.relative, kFloatRelTol) << ours.name() << " " << d.ToString();
  }
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  return testing::TestNameForModel(info.param.model);
}

INSTANTIATE_TEST_SUITE_P(RealModels, OnnxVsDetlite, ::testing::ValuesIn(Cases()), CaseName);

}  // namespace
}  // namespace detlite
