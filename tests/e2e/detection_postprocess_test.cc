// TFLite_Detection_PostProcess end to end: coco_ssd_mobilenet_v1 (uint8) run
// whole in detlite and in the real TFLite runtime on every photo in
// ../shared/data/images, with the model's own fast NMS and again with
// use_regular_nms flipped on (custom options rewritten, model re-written).
// Counts, classes, scores and boxes must all be exact (boxes are decoded in
// double and rounded once, as the runtime does; in float they were within
// 1e-5).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "data/image.h"
#include "data/preprocess.h"
#include "exporters/tflite/tflite_writer.h"
#include "importers/tflite/tflite_reader.h"
#include "runtime/interpreter.h"
#include "ir/detection_options.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

constexpr char kModel[] = "coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite";
constexpr double kBoxTol = 0;

std::vector<std::string> Photos() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(testing::DataPath("images"))) {
    if (!e.is_regular_file()) continue;
    std::string ext = e.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) {
      return static_cast<char>(std::tolower(c));
    });
    if (ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp") {
      out.push_back(e.path().filename().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<float> AsFloats(const uint8_t* data, size_t bytes) {
  std::vector<float> v(bytes / 4);
  std::memcpy(v.data(), data, v.size() * 4);
  return v;
}

// Runs every photo through both runtimes and prints one agreement line each.
void CompareOnPhotos(const std::string& model_path, const ir::Model& model, const char* label) {
  const ir::Subgraph& sg = model.subgraphs[0];
  ASSERT_EQ(sg.inputs.size(), 1u);
  ASSERT_EQ(sg.outputs.size(), 4u);
  const ir::Tensor& in = sg.tensors[static_cast<size_t>(sg.inputs[0])];
  auto pre = PresetPreprocess(PreprocessPreset::kRaw);
  ASSERT_TRUE(pre.ok());
  auto interp = runtime::Interpreter::Create(model);
  ASSERT_TRUE(interp.ok()) << interp.status().ToString();
  const std::vector<std::string> photos = Photos();
  ASSERT_FALSE(photos.empty());
  for (const std::string& photo : photos) {
    SCOPED_TRACE(std::string(label) + " on " + photo);
    auto image = DecodeImageFile(testing::DataPath("images/" + photo));
    ASSERT_TRUE(image.ok()) << image.status().ToString();
    auto bytes = ImageToTensorBytes(*image, in.shape, in.dtype, *pre, &in.quant);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    ASSERT_TRUE((*interp)->SetInput(0, bytes->data(), bytes->size()).ok());
    const Status run = (*interp)->Invoke();
    ASSERT_TRUE(run.ok()) << run.ToString();
    auto oracle = testing::RunInRealTflite(model_path, {*bytes});
    ASSERT_TRUE(oracle.ok()) << oracle.status().ToString();
    ASSERT_EQ(oracle->outputs.size(), 4u);
    std::vector<std::vector<float>> ours(4), theirs(4);
    for (int i = 0; i < 4; ++i) {
      const runtime::TensorRef& t = (*interp)->output(i);
      ASSERT_EQ(oracle->outputs[static_cast<size_t>(i)].dtype, "float32");
      ours[static_cast<size_t>(i)] = AsFloats(t.data, t.bytes);
      const auto& ob = oracle->outputs[static_cast<size_t>(i)].bytes;
      theirs[static_cast<size_t>(i)] = AsFloats(ob.data(), ob.size());
      ASSERT_EQ(ours[static_cast<size_t>(i)].size(), theirs[static_cast<size_t>(i)].size())
          << "output " << i;
    }
    ASSERT_EQ(ours[3].size(), 1u);
    ASSERT_EQ(ours[3][0], theirs[3][0]) << "detection count";
    const int n = static_cast<int>(ours[3][0]);
    ASSERT_LE(static_cast<size_t>(n), ours[1].size());
    double max_box = 0, max_score = 0;
    int class_mismatches = 0;
    for (int d = 0; d < n; ++d) {
      const size_t k = static_cast<size_t>(d);
      if (ours[1][k] != theirs[1][k]) ++class_mismatches;
      max_score = std::max(max_score, std::fabs(double(ours[2][k]) - theirs[2][k]));
      for (size_t c = 0; c < 4; ++c) {
        max_box = std::max(max_box, std::fabs(double(ours[0][4 * k + c]) - theirs[0][4 * k + c]));
      }
    }
    std::printf("[agreement] %s %s: %d detections, class mismatches %d, max |score diff| %g, "
                "max |box diff| %g\n",
                label, photo.c_str(), n, class_mismatches, max_score, max_box);
    if (class_mismatches > 0 || max_box > kBoxTol) {
      for (int d = 0; d < n; ++d) {
        const size_t k = static_cast<size_t>(d);
        std::printf("  #%d ours class %g score %.6f ymin %.4f | tflite class %g score %.6f ymin %.4f\n",
                    d, ours[1][k], ours[2][k], ours[0][4 * k], theirs[1][k], theirs[2][k],
                    theirs[0][4 * k]);
      }
    }
    EXPECT_EQ(class_mismatches, 0);
    EXPECT_EQ(max_score, 0.0);
    EXPECT_LE(max_box, kBoxTol);
  }
}

ir::Operator* FindPostProcess(ir::Model& model) {
  for (ir::Operator& op : model.subgraphs[0].ops) {
    if (op.kind == ir::OpKind::kCustom && op.custom_code == "TFLite_Detection_PostProcess") {
      return &op;
    }
  }
  return nullptr;
}

TEST(DetectionPostProcessE2E, FastNmsMatchesRealTflite) {
  std::string why;
  ASSERT_TRUE(testing::OracleAvailable(&why)) << why;
  const std::string path = testing::DataPath(std::string("tflite/") + kModel);
  auto model = ReadTfliteFile(path);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ir::Operator* op = FindPostProcess(*model);
  ASSERT_NE(op, nullptr);
  auto params = ir::ParseDetectionOptions(op->custom_options);
  ASSERT_TRUE(params.ok()) << params.status().ToString();
  ASSERT_FALSE(params->use_regular_nms);
  CompareOnPhotos(path, *model, "fast");
}

TEST(DetectionPostProcessE2E, RegularNmsMatchesRealTflite) {
  std::string why;
  ASSERT_TRUE(testing::OracleAvailable(&why)) << why;
  const std::string path = testing::DataPath(std::string("tflite/") + kModel);
  auto model = ReadTfliteFile(path);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  ir::Operator* op = FindPostProcess(*model);
  ASSERT_NE(op, nullptr);
  auto params = ir::ParseDetectionOptions(op->custom_options);
  ASSERT_TRUE(params.ok()) << params.status().ToString();
  params->use_regular_nms = true;
  op->custom_options = ir::WriteDetectionOptions(*params);
  const std::string out_path = testing::TempDir() + "/regular_nms_" + kModel;
  const Status written = WriteTfliteFile(*model, out_path);
  ASSERT_TRUE(written.ok()) << written.ToString();
  auto reread = ReadTfliteFile(out_path);
  ASSERT_TRUE(reread.ok()) << reread.status().ToString();
  CompareOnPhotos(out_path, *reread, "regular");
}

}  // namespace
}  // namespace detlite
