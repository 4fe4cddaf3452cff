// `--input-size` judged by the real TFLite runtime: the SSD MobileNetV2 COCO
// (.tflite, uint8, post-processing attached: its anchors constant moved) and
// the SSDLite MobileNetV2 COCO TF.js graph (imported, anchors from the graph
// moved, post-processing re-attached) at 320x320 and 256x256 give the same
// detections in detlite's interpreter and in TFLite, and still find the
// person in real photos (scoring above 0.35).
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdio>

#include "detlite/import.h"
#include "detlite/input_size.h"
#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/postprocess.h"
#include "support/compare.h"
#include "support/model_outputs.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

bool Exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

constexpr float kPerson = 0;  // COCO id 1 with the background dropped

StatusOr<Model> ConvertTfjs(const std::string& path, InputSize size) {
  ImportOptions o;
  o.input_size = size;
  ImportReport report;
  ASSIGN_OR_RETURN(Model m, ImportModel(path, o, &report));
  PostprocessOptions pp;  // what `detlite convert` does with what the import found
  pp.anchor_values = report.ssd.anchors;
  pp.box_scales = report.ssd.box_scales;
  pp.score_converter = report.ssd.score_converter;
  RETURN_IF_ERROR(AddPostprocess(m, pp).status());
  return m;
}

StatusOr<Model> ConvertTflite(const std::string& path, InputSize size) {
  ASSIGN_OR_RETURN(Model m, Model::Load(path));
  RETURN_IF_ERROR(SetInputSize(m, size).status());
  return m;
}

void ExpectSameAsTflite(const std::string& name, Model& model, PreprocessPreset preset,
                        int side) {
  SCOPED_TRACE(name + " at " + std::to_string(side));
  const std::string path = testing::TempDir() + "/" + name + "_" + std::to_string(side) + ".tflite";
  ASSERT_TRUE(model.Save(path).ok());
  auto loaded = Model::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  auto runner = Runner::Create(*loaded);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  EXPECT_EQ(runner->InputInfo(0).shape, (std::vector<int32_t>{1, side, side, 3}));
  for (const std::string& photo : {testing::DepsDir() + "/photos/astronaut.png",
                                  testing::DataPath("images/kite_and_cold.jpg")}) {
    SCOPED_TRACE(photo);
    if (!Exists(photo)) GTEST_SKIP() << photo << " missing: run scripts/setup.sh";
    auto real = testing::RunPhotoInBoth(*runner, path, photo, preset);
    ASSERT_TRUE(real.ok()) << real.status().ToString();
    ASSERT_EQ(real->outputs.size(), 4u);
    for (int i = 0; i < 4; ++i) {
      const testing::Diff d =
          testing::CompareBuffers("float32", runner->Output(i).bytes, real->outputs[i].bytes);
      std::printf("[input-size] %s %dx%d %s output %d: %s\n", name.c_str(), side, side,
                  photo.c_str(), i, d.ToString().c_str());
      ASSERT_GE(d.count, 0) << "output " << i << " sizes differ";
      if (i == 1 || i == 3) {
        EXPECT_EQ(d.max_abs, 0) << "output " << i;  // same classes, same count
      } else {
        EXPECT_LE(d.relative, 1e-4) << "output " << i;
      }
    }
    const std::vector<float> classes = runner->Output(1).ToFloat();
    const std::vector<float> scores = runner->Output(2).ToFloat();
    // Trained at 300x300, the SSDs score lower away from it (SSDLite's
    // people in kite_and_cold at 256x256: 0.46, 0.39; 0.67 at 300x300).
    bool person = false;
    for (size_t i = 0; i < scores.size() && scores[i] > 0.35f; ++i) person |= classes[i] == kPerson;
    EXPECT_TRUE(person) << "no person scoring above 0.35";
  }
}

TEST(InputSizeOracle, SsdMobilenetV2QuantWithAttachedPostprocess) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  const std::string src = testing::DataPath("tflite/mobilenet_ssd_v2_coco_quant_postprocess.tflite");
  if (!Exists(src)) GTEST_SKIP() << src << " missing";
  for (int side : {320, 256}) {
    auto m = ConvertTflite(src, {side, side});
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    ExpectSameAsTflite("ssd_mobilenet_v2_quant", *m, PreprocessPreset::kRaw, side);
  }
}

TEST(InputSizeOracle, SsdliteTfjsImport) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  const std::string src = testing::DataPath("tf/tfjs/ssdlite_mobilenet_v2_coco/model.json");
  if (!Exists(src)) GTEST_SKIP() << src << " missing";
  for (int side : {320, 256}) {
    auto m = ConvertTfjs(src, {side, side});
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    ExpectSameAsTflite("ssdlite_tfjs", *m, PreprocessPreset::kSigned, side);
  }
}

}  // namespace
}  // namespace detlite
