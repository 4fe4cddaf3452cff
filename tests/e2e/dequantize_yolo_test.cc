// Back to float and quantized again by detlite: Ultralytics' int8 YOLO11n
// (float I/O) dequantized to a float32 graph, which the real TFLite runtime
// runs as detlite does (<= 1e-4 of the output range) and which stays close
// to the int8 model it came from; then quantized to int8 by detlite (SiLU as
// LOGISTIC x MUL, attention BATCH_MATMUL, split heads, concatenations), and
// that file gives 0 LSB against the real runtime.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "detlite/dequantize.h"
#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/quantize.h"
#include "ir/graph.h"
#include "support/compare.h"
#include "support/model_outputs.h"
#include "support/paths.h"
#include "support/photos.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

const char* const kYolo = "tflite/yolo11n_integer_quant.tflite";

std::vector<uint8_t> Photo(const Runner& runner, const std::string& name) {
  PreprocessOptions pre;
  pre.preset = PreprocessPreset::kUnit;
  auto input = LoadInput(testing::DataPath("images/" + name), runner.InputInfo(0), pre);
  EXPECT_TRUE(input.ok()) << input.status().ToString();
  return input.ok() ? input->bytes : std::vector<uint8_t>{};
}

// Runs `m` (saved to `path`) in detlite and in the real runtime on one photo.
testing::Diff AgainstTflite(const Model& m, const std::string& path, std::vector<uint8_t>* ours) {
  EXPECT_TRUE(m.Save(path).ok());
  auto written = Model::Load(path);
  EXPECT_TRUE(written.ok()) << written.status().ToString();
  auto runner = Runner::Create(*written);
  EXPECT_TRUE(runner.ok()) << runner.status().ToString();
  auto real = testing::RunPhotoInBoth(*runner, path, testing::DataPath("images/kite_and_cold.jpg"),
                                      PreprocessPreset::kUnit);
  EXPECT_TRUE(real.ok()) << real.status().ToString();
  if (!real.ok()) return {};
  *ours = runner->Output(0).bytes;
  return testing::CompareBuffers(runner->Output(0).info.dtype, *ours, real->outputs[0].bytes);
}

TEST(DequantizeYoloTest, FloatGraphAndDetliteInt8AgreeWithRealTflite) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  auto original = Model::Load(testing::DataPath(kYolo));
  ASSERT_TRUE(original.ok()) << original.status().ToString();
  auto m = Model::Load(testing::DataPath(kYolo));
  ASSERT_TRUE(m.ok());
  auto report = Dequantize(*m);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_GT(report->constants, 150);  // 82 convs' weights and biases, ...
  EXPECT_GT(report->activations, 300);
  for (const ir::Tensor& t : m->ir().subgraphs[0].tensors) {
    EXPECT_FALSE(t.quant.has_scale()) << t.name;
    EXPECT_TRUE(t.dtype == DType::kFloat32 || t.dtype == DType::kInt32) << t.name;
  }
  for (const ir::Operator& op : m->ir().subgraphs[0].ops) {
    EXPECT_NE(op.kind, ir::OpKind::kQuantize);
    EXPECT_NE(op.kind, ir::OpKind::kDequantize);
  }
  std::vector<uint8_t> float_out;
  const testing::Diff f = AgainstTflite(*m, testing::TempDir() + "/yolo_dequantized.tflite", &float_out);
  std::printf("[dequantize] float graph vs TFLite: %s\n", f.ToString().c_str());
  EXPECT_LE(f.relative, 1e-4) << f.ToString();
  EXPECT_GT(f.range, 0.5);

  // Close to the int8 model it came from, up to the int8 activations'
  // rounding: a few anchors' raw boxes move (the largest difference is large),
  // the typical value little.
  auto int8_runner = Runner::Create(*original);
  ASSERT_TRUE(int8_runner.ok());
  ASSERT_TRUE(int8_runner->SetInput(0, Photo(*int8_runner, "kite_and_cold.jpg")).ok());
  ASSERT_TRUE(int8_runner->Run().ok());
  const std::vector<float> a = int8_runner->Output(0).ToFloat();
  ASSERT_EQ(a.size() * 4, float_out.size());
  double mean_abs = 0;
  for (size_t k = 0; k < a.size(); ++k) {
    float b;
    std::memcpy(&b, float_out.data() + 4 * k, 4);
    mean_abs += std::fabs(static_cast<double>(b) - a[k]);
  }
  mean_abs /= static_cast<double>(a.size());
  std::printf("[dequantize] float graph vs the int8 model: mean |diff| %.4g (range %.3g)\n",
              mean_abs, f.range);
  EXPECT_LT(mean_abs, 0.01 * f.range);
  EXPECT_GT(mean_abs, 0.0);  // it is not the int8 model run again

  QuantizeOptions qo;
  qo.calibration_data = testing::CalibrationFolder(true);
  qo.calibration_size = 2;
  qo.preprocess.preset = PreprocessPreset::kUnit;
  auto q = Quantize(*m, qo);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  std::vector<uint8_t> int8_out;
  const testing::Diff i = AgainstTflite(*m, testing::TempDir() + "/yolo_requantized.tflite", &int8_out);
  std::printf("[dequantize] detlite int8 vs TFLite: %s\n", i.ToString().c_str());
  EXPECT_EQ(i.max_abs, 0.0) << i.ToString();
  EXPECT_GT(i.range, 0.5);
}

TEST(DequantizeYoloTest, RefusesAFloatModel) {
  auto m = Model::Load(testing::DataPath("tflite/face_detection_short_range.tflite"));
  ASSERT_TRUE(m.ok());
  const size_t ops = m->ir().subgraphs[0].ops.size();
  auto r = Dequantize(*m);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("float already"), std::string::npos) << r.status().ToString();
  EXPECT_EQ(m->ir().subgraphs[0].ops.size(), ops);  // unchanged
}

}  // namespace
}  // namespace detlite
