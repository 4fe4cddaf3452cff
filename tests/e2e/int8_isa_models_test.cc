// Whole real 8-bit detectors on every instruction set level this machine
// runs (reference, avx2, avxvnni, avx512, avx512vnni: the portable and VNNI
// 8-bit GEMM of kernels/optimized/qgemm.h and the int16 one of gemm.h): every
// integer tensor and every output must be bit-identical to the reference
// level's, on real photos. Covers a uint8 model (Coral's SSD MobileNetV2) and
// int8 ones written by detlite's own full-integer quantization (BlazeFace and
// SSD MobileNetV2). The default level's agreement with the real TFLite runtime
// is checked by the oracle tests.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/quantize.h"
#include "ir/graph.h"
#include "kernels/optimized/cpu.h"
#include "support/paths.h"
#include "support/photos.h"

namespace detlite {
namespace {

namespace opt = kernels::optimized;

struct Run {
  std::vector<std::vector<uint8_t>> tensors;  // empty for float tensors
  std::vector<std::vector<uint8_t>> outputs;
};

Run RunAt(opt::Isa isa, const Model& model, const std::vector<uint8_t>& input) {
  opt::ScopedIsa scope(isa);
  Run run;
  RunnerOptions options;
  options.preserve_all_tensors = true;
  auto runner = Runner::Create(model, options);
  EXPECT_TRUE(runner.ok()) << runner.status().ToString();
  if (!runner.ok()) return run;
  EXPECT_TRUE(runner->SetInput(0, input).ok());
  EXPECT_TRUE(runner->Run().ok());
  const size_t count = model.ir().subgraphs[0].tensors.size();
  for (size_t i = 0; i < count; ++i) {
    auto t = runner->Tensor(static_cast<int>(i));
    const bool integer = t.ok() && t->info.dtype != "float32";
    run.tensors.push_back(integer ? t->bytes : std::vector<uint8_t>{});
  }
  for (int i = 0; i < runner->num_outputs(); ++i) {
    run.outputs.push_back(runner->Output(i).bytes);
  }
  return run;
}

void ExpectSameOnEveryIsa(const std::string& name, const Model& model,
                          PreprocessPreset preset, const char* image) {
  SCOPED_TRACE(name + " on " + image);
  auto runner = Runner::Create(model);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  PreprocessOptions pre;
  pre.preset = preset;
  auto input = LoadInput(testing::DataPath(std::string("images/") + image),
                         runner->InputInfo(0), pre);
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  const Run want = RunAt(opt::Isa::kReference, model, input->bytes);
  ASSERT_FALSE(want.outputs.empty());
  int compared = 0;
  for (opt::Isa isa : opt::SupportedIsas()) {
    if (isa == opt::Isa::kReference) continue;
    SCOPED_TRACE(opt::IsaName(isa));
    const Run got = RunAt(isa, model, input->bytes);
    ASSERT_EQ(got.tensors.size(), want.tensors.size());
    for (size_t i = 0; i < want.tensors.size(); ++i) {
      ASSERT_EQ(got.tensors[i], want.tensors[i])
          << "tensor " << i << " '" << model.ir().subgraphs[0].tensors[i].name
          << "'";
      compared += !want.tensors[i].empty();
    }
    ASSERT_EQ(got.outputs, want.outputs);
  }
  std::printf("[int8-isa] %s on %s: %zu levels, %d integer tensors equal\n",
              name.c_str(), image, opt::SupportedIsas().size(), compared);
}

TEST(Int8IsaModelsTest, CoralUint8SsdIsIdenticalOnEveryIsa) {
  auto model = Model::Load(
      testing::DataPath("tflite/mobilenet_ssd_v2_coco_quant_postprocess.tflite"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ExpectSameOnEveryIsa("mobilenet_ssd_v2_coco_quant", *model,
                       PreprocessPreset::kRaw, "cats_and_dogs.jpg");
}

TEST(Int8IsaModelsTest, DetliteInt8ModelsAreIdenticalOnEveryIsa) {
  if (!std::filesystem::exists(testing::DepsDir() + "/photos/opencv")) {
    GTEST_SKIP() << "run scripts/setup.sh";
  }
  struct Case {
    const char* model;
    PreprocessPreset preset;
    bool people;
    const char* image;
  };
  for (const Case& c :
       {Case{"face_detection_short_range.tflite", PreprocessPreset::kSigned,
             true, "face.jpg"},
        Case{"ssd_mobilenetv2_oidv4_fp16.tflite", PreprocessPreset::kSigned,
             false, "multi_objects.jpg"}}) {
    auto model = Model::Load(testing::DataPath(std::string("tflite/") + c.model));
    ASSERT_TRUE(model.ok()) << model.status().ToString();
    QuantizeOptions opts;
    opts.calibration_data = testing::CalibrationFolder(c.people);
    opts.preprocess.preset = c.preset;
    auto report = Quantize(*model, opts);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_GT(report->ops_quantized, 10);
    ExpectSameOnEveryIsa(std::string(c.model) + " int8", *model, c.preset,
                         c.image);
  }
}

}  // namespace
}  // namespace detlite
