// Ultralytics YOLO11n (attention blocks with BATCH_MATMUL, a grouped
// CONV_2D) run whole through detlite's interpreter and through the real
// TFLite runtime on real photos, RGB in [0, 1] stretched to 640x640. Prints
// the measured difference per model and photo, for the record.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "data/image.h"
#include "data/preprocess.h"
#include "importers/tflite/tflite_reader.h"
#include "runtime/interpreter.h"
#include "support/compare.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

struct Case {
  const char* model;
  // Quantized outputs: the largest difference allowed, in LSB. Float
  // outputs (here the DEQUANTIZE of an int8 tensor): of the output's range.
  double tolerance;
};

void Compare(const Case& c, const std::string& image_name) {
  SCOPED_TRACE(std::string(c.model) + " on " + image_name);
  const std::string path = testing::DataPath(std::string("tflite/") + c.model);
  auto model = ReadTfliteFile(path);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto image = DecodeImageFile(testing::DataPath("images/" + image_name));
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  const ir::Subgraph& sg = model->subgraphs[0];
  ASSERT_EQ(sg.inputs.size(), 1u);
  ASSERT_EQ(sg.outputs.size(), 1u);
  const ir::Tensor& in = sg.tensors[static_cast<size_t>(sg.inputs[0])];
  auto pre = PresetPreprocess(PreprocessPreset::kUnit);
  ASSERT_TRUE(pre.ok());
  auto bytes = ImageToTensorBytes(*image, in.shape, in.dtype, *pre, &in.quant);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();

  auto interp = runtime::Interpreter::Create(*model);
  ASSERT_TRUE(interp.ok()) << interp.status().ToString();
  ASSERT_TRUE((*interp)->SetInput(0, bytes->data(), bytes->size()).ok());
  const Status run = (*interp)->Invoke();
  ASSERT_TRUE(run.ok()) << run.ToString();

  auto oracle = testing::RunInRealTflite(path, {*bytes});
  ASSERT_TRUE(oracle.ok()) << oracle.status().ToString();
  ASSERT_EQ(oracle->outputs.size(), 1u);
  const runtime::TensorRef& ours = (*interp)->output(0);
  EXPECT_EQ(oracle->outputs[0].shape, (std::vector<int>{1, 84, 8400}));
  const std::vector<uint8_t> mine(ours.data, ours.data + ours.bytes);
  const std::string dtype(DTypeName(ours.dtype));
  ASSERT_EQ(dtype, oracle->outputs[0].dtype);
  const testing::Diff d = testing::CompareBuffers(dtype, mine, oracle->outputs[0].bytes);
  ASSERT_GT(d.count, 0) << "size mismatch";
  std::printf("[agreement] %s %s: %s\n", c.model, image_name.c_str(), d.ToString().c_str());
  if (dtype == "float32") {
    EXPECT_LE(d.relative, c.tolerance) << d.ToString();
  } else {
    EXPECT_LE(d.max_abs, c.tolerance) << d.ToString();
  }
  // A photo with objects gives real scores, not a constant tensor.
  EXPECT_GT(d.range, 0.5) << d.ToString();
}

class YoloInterpreterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    ASSERT_TRUE(testing::OracleAvailable(&why)) << why;
  }
};

TEST_F(YoloInterpreterTest, FullInt8MatchesTflite) {
  const Case c{"yolo11n_full_integer_quant.tflite", 0};
  Compare(c, "cats_and_dogs.jpg");
  Compare(c, "kite_and_cold.jpg");
}

TEST_F(YoloInterpreterTest, FloatIoMatchesTflite) {
  const Case c{"yolo11n_integer_quant.tflite", 1e-4};
  Compare(c, "cats_and_dogs.jpg");
  Compare(c, "kite_and_cold.jpg");
}

}  // namespace
}  // namespace detlite
