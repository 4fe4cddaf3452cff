// The Object Detection API's SSDLite MobileNetV2 COCO as a TF.js graph model
// in the older model.json format (npm @tensorflow-models/coco-ssd's
// "lite_mobilenet_v2"), converted with no cut points, anchors or scales
// given: detlite must find the cut (Preprocessor/sub -> concat, concat_1),
// the 1917 tiled corner anchors, the box coder's scales and the sigmoid
// score converter in the graph, re-attach TFLite_Detection_PostProcess, and
// the written .tflite must give the same detections in detlite's
// interpreter and in the real TFLite runtime on real photos, and find what
// the photos show.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <chrono>
#include <cstdio>

#include "detlite/import.h"
#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/postprocess.h"
#include "detlite/quantize.h"
#include "ir/graph.h"
#include "support/compare.h"
#include "support/model_outputs.h"
#include "support/paths.h"
#include "support/subprocess.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

bool Exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

std::string Source() { return testing::DataPath("tf/tfjs/ssdlite_mobilenet_v2_coco/model.json"); }

// COCO classes as TFLite_Detection_PostProcess numbers them (background
// dropped: 0 = person, COCO id - 1).
constexpr float kPerson = 0, kMotorcycle = 3, kCat = 16, kDog = 17;

class SsdliteTfjs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!Exists(Source())) return;
    const auto start = std::chrono::steady_clock::now();
    auto model = ImportModel(Source(), {}, &report_);
    if (!model.ok()) {
      error_ = model.status().ToString();
      return;
    }
    // What `detlite convert` does with what the import found.
    PostprocessOptions pp;
    pp.anchor_values = report_.ssd.anchors;
    pp.box_scales = report_.ssd.box_scales;
    pp.score_converter = report_.ssd.score_converter;
    auto added = AddPostprocess(*model, pp);
    if (!added.ok()) {
      error_ = added.status().ToString();
      return;
    }
    postprocess_ = *added;
    path_ = testing::TempDir() + "/ssdlite_tfjs.tflite";
    const Status saved = model->Save(path_);
    if (!saved.ok()) error_ = saved.ToString();
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    for (const ir::Operator& op : model->ir().subgraphs[0].ops) {
      ++ops_[op.kind == ir::OpKind::kCustom ? op.custom_code : std::string(ir::OpKindName(op.kind))];
    }
  }

  void SetUp() override {
    if (!Exists(Source())) GTEST_SKIP() << Source() << " missing";
    ASSERT_TRUE(error_.empty()) << error_;
  }

  static ImportReport report_;
  static PostprocessResult postprocess_;
  static std::string path_, error_;
  static double seconds_;
  static std::map<std::string, int> ops_;
};

ImportReport SsdliteTfjs::report_;
PostprocessResult SsdliteTfjs::postprocess_;
std::string SsdliteTfjs::path_, SsdliteTfjs::error_;
double SsdliteTfjs::seconds_ = 0;
std::map<std::string, int> SsdliteTfjs::ops_;

TEST_F(SsdliteTfjs, FindsTheCutAnchorsScalesAndScoreConverter) {
  const ImportReport::Ssd& ssd = report_.ssd;
  ASSERT_TRUE(ssd.found);
  EXPECT_EQ(ssd.input, "Preprocessor/sub");
  EXPECT_EQ(ssd.box_encodings, "concat");
  EXPECT_EQ(ssd.class_predictions, "concat_1");
  EXPECT_EQ(ssd.input_height, 300);
  EXPECT_EQ(ssd.input_width, 300);
  // The zoo's SSD anchor generator on 19, 10, 5, 3, 2, 1 feature maps:
  // 19*19*3 + (100 + 25 + 9 + 4 + 1) * 6 = 1917.
  EXPECT_EQ(ssd.anchors.size(), 1917u * 4);
  EXPECT_NE(ssd.anchors_source.find("Postprocessor/ExpandDims"), std::string::npos) << ssd.anchors_source;
  // ssd_mobilenet configs' faster_rcnn_box_coder: y 10, x 10, h 5, w 5.
  EXPECT_EQ(ssd.box_scales, (std::vector<float>{10, 10, 5, 5}));
  EXPECT_EQ(ssd.score_converter, ScoreConverter::kSigmoid);
  EXPECT_EQ(postprocess_.num_anchors, 1917);
  EXPECT_EQ(postprocess_.num_classes, 90);
  EXPECT_EQ(postprocess_.label_offset, 1);
  EXPECT_EQ(postprocess_.score_converter, "sigmoid");
  EXPECT_EQ(ops_["LOGISTIC"], 1);
  EXPECT_EQ(ops_["TFLite_Detection_PostProcess"], 1);
  std::string ops;
  int total = 0;
  for (const auto& [op, n] : ops_) {
    ops += " " + op + "=" + std::to_string(n);
    total += n;
  }
  std::printf("ssdlite tfjs: %d ops:%s; import %.2f s, import + postprocess + save %.2f s\n", total,
              ops.c_str(), report_.seconds, seconds_);
}

struct Photo {
  std::string path;
  float expected_class;  // among the detections scoring above 0.5
};

TEST_F(SsdliteTfjs, SameDetectionsAsTheRealRuntimeOnRealPhotos) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  auto model = Model::Load(path_);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  auto runner = Runner::Create(*model);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  const std::string deps = testing::DepsDir() + "/photos/";
  const std::vector<Photo> photos = {
      {deps + "astronaut.png", kPerson},
      {deps + "chelsea.png", kCat},
      {deps + "motorcycle_left.png", kMotorcycle},
      {deps + "coffee.png", -1},
      {deps + "rocket.jpg", -1},
      {testing::DataPath("images/cats_and_dogs.jpg"), kCat},
      {testing::DataPath("images/kite_and_cold.jpg"), kPerson},
      {testing::DataPath("images/pets.jpg"), kDog},
  };
  for (const Photo& photo : photos) {
    SCOPED_TRACE(photo.path);
    if (!Exists(photo.path)) GTEST_SKIP() << photo.path << " missing: run scripts/setup.sh";
    // kSigned: the preprocessor's x * 2/255 - 1.
    auto real = testing::RunPhotoInBoth(*runner, path_, photo.path, PreprocessPreset::kSigned);
    ASSERT_TRUE(real.ok()) << real.status().ToString();
    ASSERT_EQ(real->outputs.size(), 4u);
    const char* kNames[4] = {"boxes", "classes", "scores", "count"};
    for (int i = 0; i < 4; ++i) {
      const testing::Diff d =
          testing::CompareBuffers("float32", runner->Output(i).bytes, real->outputs[i].bytes);
      std::printf("ssdlite tfjs %s %s: %s\n", photo.path.c_str(), kNames[i], d.ToString().c_str());
      ASSERT_GE(d.count, 0) << kNames[i] << " sizes differ";
      if (i == 1 || i == 3) {
        EXPECT_EQ(d.max_abs, 0) << kNames[i];  // same classes, same count
      } else {
        EXPECT_LE(d.relative, 1e-4) << kNames[i];
      }
    }
    const std::vector<float> boxes = runner->Output(0).ToFloat();
    const std::vector<float> classes = runner->Output(1).ToFloat();
    const std::vector<float> scores = runner->Output(2).ToFloat();
    bool seen = photo.expected_class < 0;
    for (size_t i = 0; i < scores.size() && scores[i] > 0.5f; ++i) {
      std::printf("  class %.0f score %.3f box (%.3f %.3f %.3f %.3f)\n", classes[i], scores[i],
                  boxes[i * 4], boxes[i * 4 + 1], boxes[i * 4 + 2], boxes[i * 4 + 3]);
      seen |= classes[i] == photo.expected_class;
    }
    EXPECT_TRUE(seen) << "no class " << photo.expected_class << " scoring above 0.5";
  }
}

// The converted SSDLite quantized to int8 (default mse calibration on 16
// coco_train2017_288 photos, never the accuracy set) runs the same in
// detlite's interpreter and in the real TFLite runtime: same classes and
// count, and boxes/scores equal (both dequantize the same int8 values).
// detlite's interpreter and the real TFLite runtime give the same
// detections from the quantized model at `path` on three photos.
void ExpectSameDetectionsAsTflite(const std::string& path, const char* what) {
  auto loaded = Model::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  auto runner = Runner::Create(*loaded);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  for (const std::string& photo : {testing::DataPath("images/cats_and_dogs.jpg"),
                                  testing::DataPath("images/kite_and_cold.jpg"),
                                  testing::DataPath("images/multi_objects.jpg")}) {
    SCOPED_TRACE(photo);
    auto real = testing::RunPhotoInBoth(*runner, path, photo, PreprocessPreset::kSigned);
    ASSERT_TRUE(real.ok()) << real.status().ToString();
    ASSERT_EQ(real->outputs.size(), 4u);
    for (int i = 0; i < 4; ++i) {
      const testing::Diff d =
          testing::CompareBuffers("float32", runner->Output(i).bytes, real->outputs[i].bytes);
      std::printf("ssdlite %s %s output %d: %s\n", what, photo.c_str(), i, d.ToString().c_str());
      ASSERT_GE(d.count, 0) << "output " << i << " sizes differ";
      if (i == 1 || i == 3) {
        EXPECT_EQ(d.max_abs, 0) << "output " << i;
      } else {
        EXPECT_LE(d.relative, 1e-5) << "output " << i;
      }
    }
  }
}

std::string CalibrationPhotos() { return testing::DataPath("datasets/coco_train2017_288/images"); }

// Why the quantized-SSDLite tests cannot run here, or "".
std::string WhyNoQuantizedRun() {
  std::string why;
  if (!testing::OracleAvailable(&why)) return why;
  return Exists(CalibrationPhotos()) ? "" : CalibrationPhotos() + " missing";
}

// The converted SSDLite quantized to int8 on 16 calibration photos.
StatusOr<Model> QuantizedSsdlite(const std::string& path, bool strict) {
  ASSIGN_OR_RETURN(Model model, Model::Load(path));
  QuantizeOptions q;
  q.calibration_data = CalibrationPhotos();
  q.calibration_size = 16;
  q.strict_integer = strict;
  RETURN_IF_ERROR(Quantize(model, q).status());
  return model;
}

TEST_F(SsdliteTfjs, Int8SameDetectionsAsTheRealRuntime) {
  if (const std::string why = WhyNoQuantizedRun(); !why.empty()) GTEST_SKIP() << why;
  auto model = QuantizedSsdlite(path_, false);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const std::string int8_path = testing::TempDir() + "/ssdlite_tfjs_int8.tflite";
  ASSERT_TRUE(model->Save(int8_path).ok());
  ExpectSameDetectionsAsTflite(int8_path, "int8");
}

// --strict-integer: int8 input, no float op but the post-processing, which
// reads uint8 box encodings and scores (one exact int8 -> uint8 QUANTIZE
// each, Coral's layout: the real runtime's kernel takes uint8, not int8);
// the real runtime agrees.
TEST_F(SsdliteTfjs, StrictIntegerHasNoFloatOpAndRunsInTflite) {
  if (const std::string why = WhyNoQuantizedRun(); !why.empty()) GTEST_SKIP() << why;
  auto model = QuantizedSsdlite(path_, true);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const ir::Subgraph& sg = model->ir().subgraphs[0];
  EXPECT_EQ(sg.tensors[static_cast<size_t>(sg.inputs[0])].dtype, DType::kInt8);
  int postprocess = 0, requantize = 0;
  for (const ir::Operator& op : sg.ops) {
    if (op.kind == ir::OpKind::kCustom) {
      ++postprocess;
      for (int k = 0; k < 2; ++k) {
        EXPECT_EQ(sg.tensors[static_cast<size_t>(op.inputs[static_cast<size_t>(k)])].dtype,
                  DType::kUInt8) << "post-processing input " << k;
      }
      continue;
    }
    EXPECT_NE(op.kind, ir::OpKind::kDequantize);
    if (op.kind == ir::OpKind::kQuantize) {
      ++requantize;
      EXPECT_EQ(sg.tensors[static_cast<size_t>(op.inputs[0])].dtype, DType::kInt8);
      continue;
    }
    for (int32_t y : op.outputs) {
      EXPECT_EQ(sg.tensors[static_cast<size_t>(y)].dtype, DType::kInt8)
          << ir::OpKindName(op.kind) << " '" << sg.tensors[static_cast<size_t>(y)].name << "'";
    }
  }
  EXPECT_EQ(postprocess, 1);
  EXPECT_EQ(requantize, 2) << "int8 -> uint8 for the encodings and the scores";
  const std::string path = testing::TempDir() + "/ssdlite_tfjs_strict.tflite";
  ASSERT_TRUE(model->Save(path).ok());
  ExpectSameDetectionsAsTflite(path, "strict");
}

// `detlite convert` with no flags says what it found and writes a detector.
TEST_F(SsdliteTfjs, CliConvertPrintsWhatItFound) {
  const std::string out = testing::TempDir() + "/ssdlite_tfjs_cli.tflite";
  auto r = testing::RunProcess({testing::CliPath(), "convert", Source(), "-o", out}, 300);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->exit_code, 0) << r->err;
  for (const char* part : {"input 'Preprocessor/sub' (normalized image 1x300x300x3)",
                           "box encodings 'concat'", "class predictions 'concat_1'",
                           "1917 anchors from Postprocessor/ExpandDims",
                           "box coder scales 10,10,5,5", "score converter sigmoid",
                           "added LOGISTIC (sigmoid)", "90 classes (label offset 1)"}) {
    EXPECT_NE(r->err.find(part), std::string::npos) << "lacks: " << part << "\n" << r->err;
  }
  auto loaded = Model::Load(out);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->ir().subgraphs[0].outputs.size(), 4u);
}

}  // namespace
}  // namespace detlite
