// TFLite_Detection_PostProcess alone, bit for bit against the real TFLite
// runtime, on real head outputs with many ties: the SSDLite MobileNetV2 COCO
// (1917 anchors, 91 classes) quantized to int8 (float inputs dequantized from
// int8, so scores take few distinct values) and with --strict-integer (uint8
// inputs). The whole model runs in detlite on photos; the op's inputs are
// captured and fed to a model holding only that op, in detlite and in the
// real runtime, with fast NMS and with regular NMS. All four outputs must be
// byte-identical: boxes, classes, scores, count, order.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "data/image.h"
#include "data/preprocess.h"
#include "detlite/import.h"
#include "detlite/model.h"
#include "detlite/postprocess.h"
#include "detlite/quantize.h"
#include "exporters/tflite/tflite_writer.h"
#include "ir/detection_options.h"
#include "runtime/interpreter.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

bool Exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

// A model of just `op` from `sg`: its non-constant inputs become the inputs.
ir::Model OneOpModel(const ir::Subgraph& sg, const ir::Operator& op, bool regular) {
  ir::Model m;
  ir::Subgraph& out = m.subgraphs.emplace_back();
  ir::Operator copy = op;
  for (size_t i = 0; i < op.inputs.size(); ++i) {
    const ir::Tensor& t = sg.tensors[static_cast<size_t>(op.inputs[i])];
    copy.inputs[i] = out.AddTensor(t);
    if (!t.is_constant()) out.inputs.push_back(copy.inputs[i]);
  }
  for (size_t i = 0; i < op.outputs.size(); ++i) {
    copy.outputs[i] = out.AddTensor(sg.tensors[static_cast<size_t>(op.outputs[i])]);
    out.outputs.push_back(copy.outputs[i]);
  }
  auto params = ir::ParseDetectionOptions(op.custom_options);
  EXPECT_TRUE(params.ok());
  if (params.ok() && regular) {
    params->use_regular_nms = true;
    copy.custom_options = ir::WriteDetectionOptions(*params);
  }
  out.ops.push_back(copy);
  return m;
}

// Runs the whole model on three photos, then the op alone in both runtimes.
void CheckAlone(const ir::Model& whole_model, const std::string& what) {
  const ir::Subgraph& sg = whole_model.subgraphs[0];
  const ir::Operator* pp = nullptr;
  for (const ir::Operator& op : sg.ops) {
    if (op.custom_code == "TFLite_Detection_PostProcess") pp = &op;
  }
  ASSERT_NE(pp, nullptr);
  runtime::InterpreterOptions keep;
  keep.preserve_all_tensors = true;
  auto whole = runtime::Interpreter::Create(whole_model, keep);
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  const ir::Tensor& in = sg.tensors[static_cast<size_t>(sg.inputs[0])];
  auto pre = PresetPreprocess(PreprocessPreset::kSigned);
  ASSERT_TRUE(pre.ok());
  std::vector<std::vector<std::vector<uint8_t>>> captured;
  for (const char* photo : {"cats_and_dogs.jpg", "kite_and_cold.jpg", "multi_objects.jpg"}) {
    auto image = DecodeImageFile(testing::DataPath(std::string("images/") + photo));
    ASSERT_TRUE(image.ok()) << image.status().ToString();
    auto bytes = ImageToTensorBytes(*image, in.shape, in.dtype, *pre, &in.quant);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    ASSERT_TRUE((*whole)->SetInput(0, bytes->data(), bytes->size()).ok());
    const Status run = (*whole)->Invoke();
    ASSERT_TRUE(run.ok()) << run.ToString();
    std::vector<std::vector<uint8_t>> inputs;
    for (int32_t t : pp->inputs) {
      if (sg.tensors[static_cast<size_t>(t)].is_constant()) continue;
      const runtime::TensorRef& r = (*whole)->tensor(t);
      inputs.emplace_back(r.data, r.data + r.bytes);
    }
    captured.push_back(std::move(inputs));
  }
  for (bool regular : {false, true}) {
    const ir::Model alone = OneOpModel(sg, *pp, regular);
    const std::string path =
        testing::TempDir() + "/" + what + (regular ? "_regular" : "_fast") + "_alone.tflite";
    const Status written = WriteTfliteFile(alone, path);
    ASSERT_TRUE(written.ok()) << written.ToString();
    auto ours = runtime::Interpreter::Create(alone);
    ASSERT_TRUE(ours.ok()) << ours.status().ToString();
    for (size_t p = 0; p < captured.size(); ++p) {
      SCOPED_TRACE(what + (regular ? " regular, photo " : " fast, photo ") + std::to_string(p));
      for (size_t i = 0; i < captured[p].size(); ++i) {
        ASSERT_TRUE((*ours)->SetInput(static_cast<int>(i), captured[p][i].data(),
                                      captured[p][i].size()).ok());
      }
      const Status run = (*ours)->Invoke();
      ASSERT_TRUE(run.ok()) << run.ToString();
      auto real = testing::RunInRealTflite(path, captured[p]);
      ASSERT_TRUE(real.ok()) << real.status().ToString();
      ASSERT_EQ(real->outputs.size(), 4u);
      float count = -1;
      std::memcpy(&count, (*ours)->output(3).data, sizeof(count));
      int differing = 0;
      for (int o = 0; o < 4; ++o) {
        const runtime::TensorRef& t = (*ours)->output(o);
        const std::vector<uint8_t>& theirs = real->outputs[static_cast<size_t>(o)].bytes;
        ASSERT_EQ(t.bytes, theirs.size()) << "output " << o;
        for (size_t b = 0; b < t.bytes; b += 4) {
          if (std::memcmp(t.data + b, &theirs[b], 4) == 0) continue;
          float x, y;
          std::memcpy(&x, t.data + b, 4);
          std::memcpy(&y, &theirs[b], 4);
          if (++differing <= 8) {
            std::printf("  output %d value %zu: ours %.9g, tflite %.9g\n", o, b / 4, x, y);
          }
        }
      }
      std::printf("[alone] %s %s photo %zu: %g detections, %d differing output values\n",
                  what.c_str(), regular ? "regular" : "fast", p, count, differing);
      EXPECT_GT(count, 0);
      EXPECT_EQ(differing, 0);
    }
  }
}

class DetectionPostProcessAlone : public ::testing::Test {
 protected:
  // The SSDLite as `detlite convert` writes it, then quantized.
  static StatusOr<Model> Quantized(bool strict) {
    const std::string source = testing::DataPath("tf/tfjs/ssdlite_mobilenet_v2_coco/model.json");
    ImportReport report;
    ASSIGN_OR_RETURN(Model model, ImportModel(source, {}, &report));
    PostprocessOptions pp;
    pp.anchor_values = report.ssd.anchors;
    pp.box_scales = report.ssd.box_scales;
    pp.score_converter = report.ssd.score_converter;
    RETURN_IF_ERROR(AddPostprocess(model, pp).status());
    QuantizeOptions q;
    q.calibration_data = testing::DataPath("datasets/coco_train2017_288/images");
    q.calibration_size = 16;
    q.strict_integer = strict;
    RETURN_IF_ERROR(Quantize(model, q).status());
    return model;
  }

  void SetUp() override {
    std::string why;
    if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
    for (const char* need : {"tf/tfjs/ssdlite_mobilenet_v2_coco/model.json",
                             "datasets/coco_train2017_288/images"}) {
      if (!Exists(testing::DataPath(need))) GTEST_SKIP() << need << " missing";
    }
  }
};

TEST_F(DetectionPostProcessAlone, Int8SsdliteFloatInputsBitExact) {
  auto model = Quantized(false);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  CheckAlone(model->ir(), "int8");
}

TEST_F(DetectionPostProcessAlone, StrictSsdliteUint8InputsBitExact) {
  auto model = Quantized(true);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  CheckAlone(model->ir(), "strict");
}

}  // namespace
}  // namespace detlite
