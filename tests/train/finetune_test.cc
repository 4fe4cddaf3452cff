// Float fine-tuning with the SSD loss on the real SSDLite MobileNetV2 COCO
// (converted as `detlite convert` converts it) and real labelled COCO
// train2017 photos: a few steps on one batch lower its loss; the written
// file gives the same detections in detlite and in the real TFLite runtime;
// the same seed gives the same file (flip and crop on); a model without
// the post-processing op and a dataset without usable boxes are refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

#include "api/train_ssd_labels.h"
#include "detlite/dataset.h"
#include "detlite/detection.h"
#include "detlite/prune.h"
#include "detlite/train.h"
#include "support/compare.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"
#include "train/finetune.h"
#include "train/ssdlite_fixture.h"

namespace detlite {
namespace {

const char* const kTrain = testing::kCocoTrain;
bool Exists(const std::string& p) { return testing::PathExists(p); }
const Model* Ssdlite() { return testing::SsdliteFixture(); }

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}


TEST(FineTuneSsd, LossFallsOnOneBatchAndTheFileRunsInTheRealRuntime) {
  const Model* model = Ssdlite();
  if (model == nullptr) GTEST_SKIP() << "SSDLite model.json or " << kTrain << " missing";
  auto ds = LoadDataset(testing::DataPath(kTrain), {2, ""});
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  auto runner = Runner::Create(*model);
  ASSERT_TRUE(runner.ok());
  const TensorInfo input = runner->InputInfo(0);
  std::vector<train::SsdSample> batch = {testing::SsdSampleOf(*ds, 0, input), testing::SsdSampleOf(*ds, 1, input)};
  train::FineTuneOptions o;
  o.steps = 4;
  o.lr = 1e-4f;
  o.warmup_steps = 0;
  auto session = train::FineTuneSession::Create(model->ir(), o);
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  const train::SsdHead& head = (*session)->head();
  EXPECT_EQ(head.anchors.size(), 1917u);
  EXPECT_EQ(head.columns, 91);
  EXPECT_EQ(head.background_columns, 1);
  EXPECT_EQ(head.scales.y, 10);
  EXPECT_EQ(head.scales.h, 5);
  auto before = (*session)->Loss(batch);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_GT(before->matches, 0);
  for (int s = 0; s < o.steps; ++s) {
    auto step = (*session)->Step(batch);
    ASSERT_TRUE(step.ok()) << step.status().ToString();
    std::printf("step %d: box %.4f class %.4f (%d matches)\n", step->step, step->box, step->cls,
                step->matches);
  }
  auto after = (*session)->Loss(batch);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  std::printf("loss on the batch: %.4f -> %.4f\n", before->box + before->cls, after->box + after->cls);
  EXPECT_LT(after->box + after->cls, 0.8 * (before->box + before->cls));

  Model tuned(std::make_shared<ir::Model>((*session)->Export()));
  const std::string path = testing::TempDir() + "/ssdlite_ft.tflite";
  ASSERT_TRUE(tuned.Save(path).ok());
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  auto loaded = Model::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  auto ours = Runner::Create(*loaded);
  ASSERT_TRUE(ours.ok());
  std::vector<uint8_t> bytes(batch[0].input.size() * 4);
  std::memcpy(bytes.data(), batch[0].input.data(), bytes.size());
  ASSERT_TRUE(ours->SetInput(0, bytes).ok());
  ASSERT_TRUE(ours->Run().ok());
  auto real = testing::RunInRealTflite(path, {bytes});
  ASSERT_TRUE(real.ok()) << real.status().ToString();
  ASSERT_EQ(real->outputs.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    const testing::Diff d = testing::CompareBuffers("float32", ours->Output(i).bytes, real->outputs[i].bytes);
    ASSERT_GE(d.count, 0);
    if (i == 1 || i == 3) {
      EXPECT_EQ(d.max_abs, 0) << "output " << i;  // same classes, same count
    } else {
      EXPECT_LE(d.relative, 1e-4) << "output " << i;
    }
  }
  // The weights moved: the tuned file's scores differ from the original's.
  ASSERT_TRUE(runner->SetInput(0, bytes).ok());
  ASSERT_TRUE(runner->Run().ok());
  EXPECT_NE(runner->Output(2).bytes, ours->Output(2).bytes);
}

const ir::Operator* Producer(const ir::Subgraph& sg, int32_t t) {
  for (const ir::Operator& op : sg.ops) {
    if (!op.outputs.empty() && op.outputs[0] == t) return &op;
  }
  return nullptr;
}

TEST(FineTuneSsd, NonFiniteLossStopsNamingTheStepAndImage) {
  const Model* model = Ssdlite();
  if (model == nullptr) GTEST_SKIP() << "SSDLite model.json or " << kTrain << " missing";
  auto ds = LoadDataset(testing::DataPath(kTrain), {2, ""});
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  auto runner = Runner::Create(*model);
  ASSERT_TRUE(runner.ok());
  // The ReLU6s clamp any input to finite values, so the fault goes into the
  // class head: the bias of the conv whose logits come first, NaN.
  ir::Model broken = model->ir();
  ir::Subgraph& sg = broken.subgraphs[0];
  auto head = train::FindSsdHead(sg);
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  const ir::Operator* concat = Producer(sg, head->logits);
  ASSERT_NE(concat, nullptr);
  const ir::Operator* reshape = Producer(sg, concat->inputs[0]);
  ASSERT_NE(reshape, nullptr);
  const ir::Operator* conv = Producer(sg, reshape->inputs[0]);
  ASSERT_TRUE(conv != nullptr && conv->kind == ir::OpKind::kConv2D);
  ir::Tensor& bias = sg.tensors[static_cast<size_t>(conv->inputs[2])];
  std::vector<float> nan(static_cast<size_t>(bias.shape.NumElements()), std::nanf(""));
  auto bytes = std::make_shared<ir::Bytes>(nan.size() * sizeof(float));
  std::memcpy(bytes->data(), nan.data(), bytes->size());
  bias.data = bytes;
  auto session = train::FineTuneSession::Create(broken, train::FineTuneOptions{});
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  const TensorInfo input = runner->InputInfo(0);
  auto step = (*session)->Step({testing::SsdSampleOf(*ds, 0, input), testing::SsdSampleOf(*ds, 1, input)});
  ASSERT_FALSE(step.ok()) << step->box << " " << step->cls;
  // The runtime's kernels clamp NaN to +-FLT_MAX: beyond float32 either way.
  EXPECT_EQ(step.status().message().rfind("step 1: the SSD loss is ", 0), 0u) << step.status().message();
  EXPECT_NE(step.status().message().find("not finite in float32"), std::string::npos)
      << step.status().message();
  EXPECT_NE(step.status().message().find(ds->samples[0].file_name), std::string::npos)
      << step.status().message();
}

TEST(FineTuneSsd, BoxesTrainTheColumnsEvalScores) {
  const Model* model = Ssdlite();
  if (model == nullptr) GTEST_SKIP() << "SSDLite model.json or " << kTrain << " missing";
  auto ds = LoadDataset(testing::DataPath(kTrain));
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  auto labels = api::SsdTrainingLabels(*model, *ds, 1);
  ASSERT_TRUE(labels.ok()) << labels.status().ToString();
  // No label map in the model: class c is COCO id c + 1, and with one
  // background column class c is column c + 1, so id k trains column k.
  EXPECT_EQ(labels->columns.at(1), 1);    // person
  EXPECT_EQ(labels->columns.at(18), 18);  // dog
  EXPECT_EQ(labels->columns.at(90), 90);  // toothbrush
  auto detector = Detector::Create(*model);
  ASSERT_TRUE(detector.ok());
  for (const auto& [category, column] : labels->columns) {
    EXPECT_EQ(detector->category_id(column - 1), category);  // what eval scores it as
  }
  // Matched by name through the Object Detection API's COCO label map:
  // the same columns.
  const std::string pbtxt = testing::DataPath("tf/od_api_configs/mscoco_label_map.pbtxt");
  auto named = api::SsdTrainingLabels(*model, *ds, 1, pbtxt);
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  EXPECT_NE(named->note.find("matched by name"), std::string::npos) << named->note;
  for (const auto& [category, column] : named->columns) {
    EXPECT_EQ(labels->columns.at(category), column) << category;
  }
  EXPECT_EQ(named->used, 2359);
  EXPECT_EQ(labels->total, 2383);
  EXPECT_EQ(labels->crowd, 24);
  EXPECT_EQ(labels->used, 2359);
  // A sample's boxes keep the dataset's pixels.
  size_t i = 0;
  while (i < ds->samples.size() && ds->samples[i].boxes.empty()) ++i;
  ASSERT_LT(i, ds->samples.size());
  const BoxAnnotation& first = ds->samples[i].boxes[0];
  ASSERT_FALSE(labels->boxes[i].empty());
  if (!first.iscrowd) {
    EXPECT_EQ(labels->boxes[i][0].xmax, first.xmax);
    EXPECT_EQ(labels->boxes[i][0].column, first.category_id);
  }
}

TEST(FineTuneSsd, SameSeedGivesTheSameFile) {
  const Model* model = Ssdlite();
  if (model == nullptr) GTEST_SKIP() << "SSDLite model.json or " << kTrain << " missing";
  auto run = [&](uint64_t seed) {
    Model m = *model;
    TrainOptions o;
    o.data = testing::DataPath(kTrain);
    o.steps = 2;
    o.batch = 2;
    o.seed = seed;
    o.learning_rate = 1e-4f;
    auto r = FineTuneSsd(m, o);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok()) {
      EXPECT_EQ(r->steps.size(), 2u);
      EXPECT_EQ(r->training_images, 288);
      EXPECT_GT(r->training_boxes, 2000);
    }
    const std::string path = testing::TempDir() + "/ft_seed" + std::to_string(seed) + ".tflite";
    EXPECT_TRUE(m.Save(path).ok());
    return ReadAll(path);
  };
  const std::string a = run(1), b = run(1), c = run(2);
  ASSERT_FALSE(a.empty());
  EXPECT_TRUE(a == b) << "seed 1 twice gave different files";
  EXPECT_FALSE(a == c) << "seeds 1 and 2 gave the same file";
}

// Fine-tuning a pruned model (issue 13 item 6, issue 14 item 5) keeps its
// zero pattern: the same zeros per layer after training, the weights around
// them moved, and the file stored as sparse (as small) as the pruned one.
TEST(FineTuneSsd, APrunedModelKeepsItsZerosAndStaysSparse) {
  const Model* model = Ssdlite();
  if (model == nullptr) GTEST_SKIP() << "SSDLite model.json or " << kTrain << " missing";
  Model pruned = *model;
  PruneOptions po;
  po.sparsity = 0.5f;  // no photos: every prunable layer at 50%
  ASSERT_TRUE(Prune(pruned, po).ok());
  const std::string pruned_path = testing::TempDir() + "/ft_pruned.tflite";
  ASSERT_TRUE(pruned.Save(pruned_path).ok());
  Model tuned = pruned;
  TrainOptions o;
  o.data = testing::DataPath(kTrain);
  o.steps = 2;
  o.batch = 2;
  o.learning_rate = 1e-3f;
  auto r = FineTuneSsd(tuned, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string tuned_path = testing::TempDir() + "/ft_pruned_tuned.tflite";
  ASSERT_TRUE(tuned.Save(tuned_path).ok());
  auto a = Model::Load(pruned_path);
  auto b = Model::Load(tuned_path);
  ASSERT_TRUE(a.ok() && b.ok());
  const ModelInfo ia = a->Inspect(), ib = b->Inspect();
  ASSERT_GT(ia.sparsity.zero_weights, ia.sparsity.weights / 4);
  EXPECT_EQ(ib.sparsity.zero_weights, ia.sparsity.zero_weights);
  ASSERT_EQ(ia.op_sparsity.size(), ib.op_sparsity.size());
  for (size_t i = 0; i < ia.op_sparsity.size(); ++i) {
    EXPECT_EQ(ib.op_sparsity[i].zero_weights, ia.op_sparsity[i].zero_weights)
        << ia.op_sparsity[i].weights;
  }
  const std::string pa = ReadAll(pruned_path), pb = ReadAll(tuned_path);
  EXPECT_NE(pa, pb) << "training changed no weight";
  const double ratio = static_cast<double>(pb.size()) / static_cast<double>(pa.size());
  std::printf("pruned %zu bytes, fine-tuned %zu bytes, %lld zero weights kept\n", pa.size(),
              pb.size(), static_cast<long long>(ib.sparsity.zero_weights));
  EXPECT_NEAR(ratio, 1.0, 0.01);
}

TEST(FineTuneSsd, RefusesAModelWithoutPostprocessAndDataWithoutBoxes) {
  TrainOptions o;
  o.data = testing::DataPath(kTrain);
  o.steps = 1;
  auto face = Model::Load(testing::DataPath("tflite/face_detection_short_range.tflite"));
  if (!face.ok() || !Exists(o.data)) GTEST_SKIP() << "data missing";
  auto r = FineTuneSsd(*face, o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("TFLite_Detection_PostProcess"), std::string::npos)
      << r.status().ToString();
  const Model* model = Ssdlite();
  if (model == nullptr) GTEST_SKIP() << "SSDLite model.json missing";
  // One real photo whose only box is a crowd region.
  const std::string json = testing::TempDir() + "/crowd_only.json";
  std::ofstream(json) << R"({"images": [{"id": 9, "file_name": "000000000009.jpg", "width": 640,
      "height": 480}], "categories": [{"id": 1, "name": "person"}], "annotations": [{"id": 1,
      "image_id": 9, "category_id": 1, "bbox": [10, 10, 100, 100], "area": 10000,
      "iscrowd": 1}]})";
  Model m = *model;
  o.data = json;
  auto crowd = FineTuneSsd(m, o);
  ASSERT_FALSE(crowd.ok());
  EXPECT_NE(crowd.status().message().find(json + ": no usable boxes"), std::string::npos)
      << crowd.status().ToString();
  EXPECT_NE(crowd.status().message().find("1 crowd"), std::string::npos) << crowd.status().ToString();
  o.data = testing::DataPath(std::string(kTrain) + "/images");
  auto folder = FineTuneSsd(m, o);
  ASSERT_FALSE(folder.ok());
  EXPECT_NE(folder.status().message().find("needs labelled data"), std::string::npos)
      << folder.status().ToString();
}

}  // namespace
}  // namespace detlite
