// Gradients through a whole real detector: BlazeFace short range (MediaPipe,
// float32, 128x128), d(sum w_i * output_i)/d(weights) on a real photo,
// checked for sampled weight and bias entries against central differences of
// the runtime's forward pass.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "importers/tflite/tflite_reader.h"
#include "quant/fold_float_weights.h"
#include "support/paths.h"
#include "data/image.h"
#include "data/preprocess.h"
#include "train/backward.h"
#include "train/grad_check.h"

namespace detlite::train {
namespace {

TEST(ModelGrad, BlazeFaceWeightsMatchFiniteDifferences) {
  auto model = ReadTfliteFile(detlite::testing::DataPath("tflite/face_detection_short_range.tflite"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  // The file stores its weights as float16 behind DEQUANTIZE; training
  // updates float32 constants.
  int folded = 0;
  ASSERT_TRUE(quant::FoldFloatWeights(*model, &folded).ok());
  EXPECT_GT(folded, 0);
  const ir::Subgraph& sg = model->subgraphs[0];
  ASSERT_TRUE(CheckDifferentiable(sg, sg.outputs).ok());
  const ir::Tensor& in = sg.tensors[static_cast<size_t>(sg.inputs[0])];
  auto photo = DecodeImageFile(detlite::testing::DepsDir() + "/photos/astronaut.png");
  ASSERT_TRUE(photo.ok()) << photo.status().ToString();
  Preprocess pre;
  pre.mean = {127.5f, 127.5f, 127.5f};
  pre.stddev = {127.5f, 127.5f, 127.5f};
  auto bytes = ImageToTensorBytes(*photo, in.shape, DType::kFloat32, pre, nullptr);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  std::vector<float> image(bytes->size() / sizeof(float));
  std::memcpy(image.data(), bytes->data(), bytes->size());
  GradCheckOptions options;
  options.samples = 60;
  options.check_inputs = false;
  options.seed = 3;
  auto report = CheckGradients(*model, {image}, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  CountWithin(0.02, &*report);
  std::printf("BlazeFace: %d of %zu within 2%%: %s\n", report->within, report->entries.size(),
              report->Summary(sg, 5).c_str());
  EXPECT_GE(report->within, 57) << report->Summary(sg, 5);
  EXPECT_GT(report->negated_error, 0.5);
}

}  // namespace
}  // namespace detlite::train
