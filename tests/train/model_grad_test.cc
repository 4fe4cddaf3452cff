// Gradients through a whole real detector: BlazeFace short range (MediaPipe,
// float32, 128x128), d(sum w_i * output_i)/d(weights) on a real photo,
// checked for sampled weight and bias entries against central differences of
// the runtime's forward pass.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "importers/tflite/tflite_reader.h"
#include "quant/fold_float_weights.h"
#include "support/paths.h"
#include "train/backward.h"
#include "train/grad_check.h"
#include "train/photo_input.h"

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
  std::vector<float> image;
  testing::PhotoInput(in.shape, &image);
  if (HasFatalFailure()) return;
  GradCheckOptions options;
  options.samples = 100;
  options.check_inputs = false;
  options.seed = 3;
  // The loss sums ~15k outputs of a 60-op float32 forward: below ~1e-3 the
  // difference drowns in rounding, far above it in ReLU and max-pool kinks
  // (measured over steps 1e-5..3e-2; 3e-3 relative, 1e-3 absolute is best).
  options.step = 3e-3f;
  options.min_step = 1e-3f;
  auto report = CheckGradients(*model, {image}, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  // Within 10% of the numeric value (or of 2% of the largest gradient for
  // the small ones); a few entries sit on kinks a finite step cannot avoid.
  // Measured over seeds 1-7: 88-97 of 100 within, cosine 0.982-0.9997; a
  // sign error in the depthwise filter gradient gave 73, a conv padding off
  // by one 18.
  CountWithin(0.1, 0.02, &*report);
  std::printf("BlazeFace: %d of %zu within 10%%, negated %d: %s\n", report->within,
              report->entries.size(), report->negated_within, report->Summary(sg, 5).c_str());
  EXPECT_GE(report->within, 80) << report->Summary(sg, 5);
  EXPECT_GT(report->cosine, 0.95) << report->Summary(sg, 5);
  EXPECT_LE(report->negated_within, 30) << "the tolerance would accept a negated gradient";
}

// Palm detection lite (192x192, PRELU and RESIZE_BILINEAR in its feature
// pyramid), fewer samples: its forward costs ~3x BlazeFace's.
TEST(ModelGrad, PalmDetectionWeightsMatchFiniteDifferences) {
  auto model = ReadTfliteFile(detlite::testing::DataPath("tflite/palm_detection_lite.tflite"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  int folded = 0;
  ASSERT_TRUE(quant::FoldFloatWeights(*model, &folded).ok());
  const ir::Subgraph& sg = model->subgraphs[0];
  std::vector<float> image;
  testing::PhotoInput(sg.tensors[static_cast<size_t>(sg.inputs[0])].shape, &image);
  if (HasFatalFailure()) return;
  GradCheckOptions options;
  options.samples = 20;
  options.check_inputs = false;
  options.seed = 3;
  options.step = 3e-3f;
  options.min_step = 1e-3f;
  auto report = CheckGradients(*model, {image}, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  // Its gradients span more decades than BlazeFace's, so the floor under
  // which entries are judged against the largest is lower (0.1%).
  CountWithin(0.1, 0.001, &*report);
  std::printf("Palm: %d of %zu within 10%%, negated %d: %s\n", report->within,
              report->entries.size(), report->negated_within, report->Summary(sg, 5).c_str());
  EXPECT_GE(report->within, 17) << report->Summary(sg, 5);
  EXPECT_GT(report->cosine, 0.95) << report->Summary(sg, 5);
  EXPECT_LE(report->negated_within, 5) << "the tolerance would accept a negated gradient";
}

}  // namespace
}  // namespace detlite::train
