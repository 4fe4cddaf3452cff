// Full-integer variants that change what the model's input or weights look
// like: --io-type uint8 / int8 (the input quantized with the model's own
// scale and zero point, no QUANTIZE op in front) and --per-tensor weights.
// Each must load and run in the real TFLite runtime and agree with detlite's
// interpreter within 1 LSB of every int8 output.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <cstdlib>

#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/postprocess.h"
#include "detlite/quantize.h"
#include "ir/graph.h"
#include "support/model_outputs.h"
#include "support/paths.h"
#include "support/photos.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

using testing::AsFloats;
using testing::OutputInt8Scale;

struct Variant {
  const char* name;
  const char* io_type;
  bool per_tensor;
  const char* input_dtype;
};


bool PerTensorFilters(const Model& m) {
  const ir::Subgraph& sg = m.ir().subgraphs[0];
  int convs = 0;
  for (const ir::Operator& op : sg.ops) {
    if (op.kind != ir::OpKind::kConv2D && op.kind != ir::OpKind::kDepthwiseConv2D) continue;
    ++convs;
    if (sg.tensors[static_cast<size_t>(op.inputs[1])].quant.scale.size() != 1) return false;
  }
  return convs > 0;
}

TEST(QuantizeIoE2eTest, IntegerInputsAndPerTensorWeightsRunInTflite) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  const std::string model_path = testing::DataPath("tflite/face_detection_short_range.tflite");
  for (const Variant& v : {Variant{"uint8 input", "uint8", false, "uint8"},
                           Variant{"int8 input", "int8", false, "int8"},
                           Variant{"per-tensor weights", "float32", true, "float32"}}) {
    SCOPED_TRACE(v.name);
    auto loaded = Model::Load(model_path);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    Model q = *loaded;
    QuantizeOptions opts;
    opts.calibration_data = photos;
    opts.preprocess.preset = PreprocessPreset::kSigned;
    ASSERT_TRUE(ParseSetting(v.io_type, &opts.io_type)) << v.io_type;
    opts.per_tensor = v.per_tensor;
    auto report = Quantize(q, opts);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    const std::string path = testing::TempDir() + "/face_" + v.io_type +
                             (v.per_tensor ? "_pt" : "") + ".tflite";
    ASSERT_TRUE(q.Save(path).ok());
    auto reloaded = Model::Load(path);
    ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
    EXPECT_EQ(PerTensorFilters(*reloaded), v.per_tensor);
    auto runner = Runner::Create(*reloaded);
    ASSERT_TRUE(runner.ok()) << runner.status().ToString();
    ASSERT_EQ(runner->InputInfo(0).dtype, std::string(v.input_dtype));
    PreprocessOptions pre;
    pre.preset = PreprocessPreset::kSigned;
    auto input = LoadInput(testing::DataPath("images/sergey.png"), runner->InputInfo(0), pre);
    ASSERT_TRUE(input.ok()) << input.status().ToString();
    ASSERT_TRUE(runner->SetInput(0, input->bytes).ok());
    ASSERT_TRUE(runner->Run().ok());
    auto oracle = testing::RunInRealTflite(path, {input->bytes});
    ASSERT_TRUE(oracle.ok()) << oracle.status().ToString();
    ASSERT_EQ(oracle->outputs.size(), static_cast<size_t>(runner->num_outputs()));
    for (int i = 0; i < runner->num_outputs(); ++i) {
      const std::vector<float> ours = AsFloats(runner->Output(i).bytes);
      const std::vector<float> real = AsFloats(oracle->outputs[static_cast<size_t>(i)].bytes);
      ASSERT_EQ(real.size(), ours.size());
      float scale = OutputInt8Scale(*reloaded, i);
      if (scale == 0) scale = 1e-4f;  // a float output (concatenation trap)
      double lsb = 0;
      float best = -1e30f;
      for (size_t k = 0; k < ours.size(); ++k) {
        lsb = std::max(lsb, std::fabs(double(ours[k]) - real[k]) / scale);
        best = std::max(best, ours[k]);
      }
      std::printf("[quant-io] %s output %d: detlite vs TFLite %.0f LSB, max %.3f\n", v.name, i,
                  lsb, best);
      EXPECT_LE(lsb, 1.0) << "output " << i;
    }
  }
}

// --strict-integer on BlazeFace's raw heads: int8 input, int8 outputs (no
// DEQUANTIZE), the trapped output concatenations quantized at one shared
// scale with the bits lost reported; the real runtime gives the same bytes.
TEST(QuantizeIoE2eTest, StrictIntegerRawHeadsRunInTfliteBitExact) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  const std::string model_path = testing::DataPath("tflite/face_detection_short_range.tflite");
  auto loaded = Model::Load(model_path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  Model q = *loaded;
  QuantizeOptions opts;
  opts.calibration_data = photos;
  opts.preprocess.preset = PreprocessPreset::kSigned;
  opts.strict_integer = true;
  auto report = Quantize(q, opts);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->ops_left_float, 0);
  bool trap_reported = false;
  for (const std::string& w : report->warnings) {
    if (w.find("concatenation trap") != std::string::npos &&
        w.find("bits left") != std::string::npos && w.find("shares the scale") != std::string::npos) {
      trap_reported = true;
    }
  }
  EXPECT_TRUE(trap_reported) << "the shared-scale cost of the output concatenations";
  const std::string path = testing::TempDir() + "/face_strict.tflite";
  ASSERT_TRUE(q.Save(path).ok());
  auto reloaded = Model::Load(path);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  auto runner = Runner::Create(*reloaded);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  ASSERT_EQ(runner->InputInfo(0).dtype, "int8");
  for (const ir::Operator& op : reloaded->ir().subgraphs[0].ops) {
    EXPECT_NE(op.kind, ir::OpKind::kDequantize);
    EXPECT_NE(op.kind, ir::OpKind::kQuantize);
  }
  PreprocessOptions pre;
  pre.preset = PreprocessPreset::kSigned;
  auto input = LoadInput(testing::DataPath("images/sergey.png"), runner->InputInfo(0), pre);
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  ASSERT_TRUE(runner->SetInput(0, input->bytes).ok());
  ASSERT_TRUE(runner->Run().ok());
  auto oracle = testing::RunInRealTflite(path, {input->bytes});
  ASSERT_TRUE(oracle.ok()) << oracle.status().ToString();
  ASSERT_EQ(oracle->outputs.size(), static_cast<size_t>(runner->num_outputs()));
  for (int i = 0; i < runner->num_outputs(); ++i) {
    EXPECT_EQ(runner->Output(i).info.dtype, "int8") << "output " << i;
    const std::vector<uint8_t>& ours = runner->Output(i).bytes;
    const std::vector<uint8_t>& real = oracle->outputs[static_cast<size_t>(i)].bytes;
    ASSERT_EQ(real.size(), ours.size());
    int lsb = 0;
    for (size_t k = 0; k < ours.size(); ++k) {
      lsb = std::max(lsb, std::abs(int(int8_t(ours[k])) - int(int8_t(real[k]))));
    }
    std::printf("[strict] output %d: detlite vs TFLite %d LSB\n", i, lsb);
    EXPECT_EQ(lsb, 0) << "output " << i;
  }
}

// What --strict-integer refuses: other modes, --keep-float, and a model with
// float-only ops (BlazeFace's attached box re-encoding: DIV, LOG, ...),
// every one named, before any calibration.
TEST(QuantizeIoE2eTest, StrictIntegerRefusesWhatCannotBeInteger) {
  const std::string photos = testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  auto loaded = Model::Load(testing::DataPath("tflite/face_detection_short_range.tflite"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  QuantizeOptions opts;
  opts.calibration_data = photos;
  opts.strict_integer = true;
  {
    Model m = *loaded;
    QuantizeOptions o = opts;
    o.mode = QuantizeMode::kFloat16;
    auto r = Quantize(m, o);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("needs --quantize int8"), std::string::npos)
        << r.status().message();
  }
  {
    Model m = *loaded;
    QuantizeOptions o = opts;
    o.keep_float = {"LOGISTIC"};
    auto r = Quantize(m, o);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("--keep-float LOGISTIC"), std::string::npos)
        << r.status().message();
  }
  Model with_pp = *loaded;
  PostprocessOptions pp;
  ASSERT_TRUE(ParseSetting("blazeface-short", &pp.anchors));
  ASSERT_TRUE(AddPostprocess(with_pp, pp).ok());
  int calibrated = 0;
  opts.progress = [&calibrated](int, int) { ++calibrated; };
  auto r = Quantize(with_pp, opts);
  EXPECT_EQ(calibrated, 0) << "refused before calibrating";
  ASSERT_FALSE(r.ok());
  const std::string& msg = r.status().message();
  for (const char* op : {"DIV", "LOG"}) {
    EXPECT_NE(msg.find(op), std::string::npos) << msg;
  }
  EXPECT_NE(msg.find("would stay float"), std::string::npos) << msg;
}

}  // namespace
}  // namespace detlite
