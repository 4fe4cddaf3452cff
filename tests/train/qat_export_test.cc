// The QAT export is the int8 model the student simulated: before training
// it is the int8 converter's model bit for bit; after training every op of
// the student lands within 1 LSB of its int8 twin given the same inputs;
// and the file runs bit-identically in the real TFLite runtime. BlazeFace
// short range, 8 photos of people.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "detlite/model.h"
#include "quant/pipeline.h"
#include "runtime/interpreter.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"
#include "train/qat.h"
#include "train/qat_test_util.h"

namespace detlite::train {
namespace {

using testing::BlazeFaceFixture;
using testing::LoaderOf;
using testing::QatFixture;
using testing::ShortRun;
using testing::Trained;

const ir::Tensor* ByName(const ir::Subgraph& sg, const std::string& name, int32_t* index) {
  for (size_t i = 0; i < sg.tensors.size(); ++i) {
    if (sg.tensors[i].name == name) {
      *index = static_cast<int32_t>(i);
      return &sg.tensors[i];
    }
  }
  return nullptr;
}

// The int8 tensor of the exported model that stands for float tensor `name`:
// the tensor itself when its producer became int8, else the output of the
// QUANTIZE the exporter put after it. -1 if none.
int32_t ExportedInt8(const ir::Subgraph& sg, const std::string& name) {
  int32_t index = -1;
  const ir::Tensor* t = ByName(sg, name, &index);
  if (t == nullptr) return -1;
  if (t->dtype == DType::kInt8) return index;
  for (const ir::Operator& op : sg.ops) {
    if (op.kind == ir::OpKind::kDequantize && op.outputs[0] == index &&
        sg.tensors[static_cast<size_t>(op.inputs[0])].dtype == DType::kInt8) {
      return op.inputs[0];
    }
    if (op.kind == ir::OpKind::kQuantize && op.inputs[0] == index &&
        sg.tensors[static_cast<size_t>(op.outputs[0])].dtype == DType::kInt8) {
      return op.outputs[0];
    }
  }
  return -1;
}

// Every int8 tensor of the student graph (the QUANTIZE of each activation)
// against the exported model's, op by op: each DEQUANTIZE of the student
// reads the exported model's int8 values instead of the student's own, so
// every op sees exactly the inputs its int8 twin saw, and its output must
// land within 1 LSB. (End to end, 1-LSB differences propagate and grow
// through 60 layers with rescaling between them; that is measured and
// printed, not bounded.)
TEST(Qat, StudentMatchesTheExportedInt8ModelWithinOneLsbPerOp) {
  std::string why;
  const QatFixture* f = BlazeFaceFixture(&why);
  if (f == nullptr) GTEST_SKIP() << why;
  auto session = Trained(*f, ShortRun(), 2);
  ASSERT_NE(session, nullptr);
  QuantizeReport report;
  auto int8 = session->Export(&report);
  ASSERT_TRUE(int8.ok()) << int8.status().ToString();
  QuantPlanOptions po;
  po.own_ranges = &session->ranges();
  auto plan = PlanQuantization(session->student(), f->observers, po);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  auto graph = BuildFakeQuantGraph(session->student(), *plan, f->model.subgraphs[0].outputs);
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  const ir::Subgraph& isg = int8->subgraphs[0];
  // Forced copy: DEQUANTIZE ops read new int8 inputs fed from the export.
  ir::Model forced = graph->model;
  ir::Subgraph& fsg = forced.subgraphs[0];
  std::vector<std::pair<int32_t, int32_t>> feeds;     // forced input, exported tensor
  std::vector<std::pair<int32_t, int32_t>> compare;   // student int8, exported tensor
  const std::string suffix = "/fake_quant_int8";
  for (ir::Operator& op : fsg.ops) {
    if (op.kind != ir::OpKind::kDequantize) continue;
    const std::string& name = fsg.tensors[static_cast<size_t>(op.inputs[0])].name;
    ASSERT_GT(name.size(), suffix.size());
    const int32_t twin = ExportedInt8(isg, name.substr(0, name.size() - suffix.size()));
    ASSERT_GE(twin, 0) << name;
    compare.push_back({op.inputs[0], twin});
    ir::Tensor in = fsg.tensors[static_cast<size_t>(op.inputs[0])];
    in.name += "/forced";
    op.inputs[0] = fsg.AddTensor(std::move(in));
    fsg.inputs.push_back(op.inputs[0]);
    feeds.push_back({op.inputs[0], twin});
  }
  runtime::InterpreterOptions io;
  io.preserve_all_tensors = true;
  auto exported = runtime::Interpreter::Create(*int8, io);
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  auto student = runtime::Interpreter::Create(forced, io);
  ASSERT_TRUE(student.ok()) << student.status().ToString();
  for (const auto& photo : f->held) {
    ASSERT_TRUE((*exported)->SetInput(0, photo.data(), photo.size() * sizeof(float)).ok());
    ASSERT_TRUE((*exported)->Invoke().ok());
    ASSERT_TRUE((*student)->SetInput(0, photo.data(), photo.size() * sizeof(float)).ok());
    for (size_t k = 0; k < feeds.size(); ++k) {
      const runtime::TensorRef& t = (*exported)->tensor(feeds[k].second);
      ASSERT_TRUE((*student)->SetInput(static_cast<int>(k + 1), t.data, t.bytes).ok());
    }
    ASSERT_TRUE((*student)->Invoke().ok());
    int worst = 0;
    int64_t off = 0, total = 0;
    for (const auto& [ours, theirs] : compare) {
      const runtime::TensorRef& a = (*student)->tensor(ours);
      const runtime::TensorRef& b = (*exported)->tensor(theirs);
      ASSERT_EQ(a.NumElements(), b.NumElements());
      ASSERT_EQ(a.scale(), b.scale()) << a.name();
      ASSERT_EQ(a.zero_point(), b.zero_point()) << a.name();
      int tensor_worst = 0;
      for (int64_t i = 0; i < a.NumElements(); ++i) {
        const int d = std::abs(a.Data<int8_t>()[i] - b.Data<int8_t>()[i]);
        tensor_worst = std::max(tensor_worst, d);
        off += d > 0;
      }
      total += a.NumElements();
      EXPECT_LE(tensor_worst, 1) << a.name();
      worst = std::max(worst, tensor_worst);
    }
    std::printf("[qat] per op: %zu int8 tensors, worst %d LSB, %lld of %lld values differ\n",
                compare.size(), worst, static_cast<long long>(off), static_cast<long long>(total));
    // End to end (unforced), for the record.
    auto free_run = session->StudentOutputs(photo);
    ASSERT_TRUE(free_run.ok()) << free_run.status().ToString();
    for (size_t k = 0; k < session->targets().size(); ++k) {
      const std::string& name = f->model.subgraphs[0].tensors[static_cast<size_t>(session->targets()[k].tensor)].name;
      int32_t index = -1;
      ASSERT_NE(ByName(isg, name, &index), nullptr) << name;
      const runtime::TensorRef& got = (*exported)->tensor(index);
      if (got.dtype != DType::kFloat32) continue;
      double max_diff = 0, range = 0;
      for (size_t i = 0; i < (*free_run)[k].size(); ++i) {
        max_diff = std::max(max_diff, static_cast<double>(std::fabs(got.Data<float>()[i] - (*free_run)[k][i])));
        range = std::max(range, static_cast<double>(std::fabs(got.Data<float>()[i])));
      }
      std::printf("[qat] end to end, %s: max difference %g (largest |value| %g)\n", name.c_str(),
                  max_diff, range);
    }
  }
}

TEST(Qat, ExportedModelRunsBitIdenticallyInTheRealRuntime) {
  std::string why;
  const QatFixture* f = BlazeFaceFixture(&why);
  if (f == nullptr) GTEST_SKIP() << why;
  ASSERT_TRUE(detlite::testing::OracleAvailable(&why)) << why;
  auto session = Trained(*f, ShortRun(), 2);
  ASSERT_NE(session, nullptr);
  QuantizeReport report;
  auto int8 = session->Export(&report);
  ASSERT_TRUE(int8.ok()) << int8.status().ToString();
  const Model model(std::make_shared<ir::Model>(std::move(*int8)));
  const std::string path = detlite::testing::TempDir() + "/blazeface_qat.tflite";
  ASSERT_TRUE(model.Save(path).ok());
  auto loaded = Model::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  auto runner = Runner::Create(*loaded);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  for (const auto& photo : f->held) {
    std::vector<uint8_t> bytes(photo.size() * sizeof(float));
    std::memcpy(bytes.data(), photo.data(), bytes.size());
    ASSERT_TRUE(runner->SetInput(0, bytes).ok());
    ASSERT_TRUE(runner->Run().ok());
    auto real = detlite::testing::RunInRealTflite(path, {bytes});
    ASSERT_TRUE(real.ok()) << real.status().ToString();
    ASSERT_EQ(real->outputs.size(), static_cast<size_t>(runner->num_outputs()));
    for (int i = 0; i < runner->num_outputs(); ++i) {
      EXPECT_EQ(runner->Output(i).bytes, real->outputs[static_cast<size_t>(i)].bytes) << "output " << i;
    }
  }
}

TEST(Qat, UntrainedExportIsThePostTrainingInt8Model) {
  // Before any step, the export must be exactly what the int8 converter
  // makes of the same float model and calibration photos: QAT starts from
  // the converter's own decisions, not from a second set of rules.
  std::string why;
  const QatFixture* f = BlazeFaceFixture(&why);
  if (f == nullptr) GTEST_SKIP() << why;
  auto session = QatSession::Create(f->model, f->observers, ShortRun());
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  QuantizeReport qat_report, ptq_report;
  auto qat = (*session)->Export(&qat_report);
  ASSERT_TRUE(qat.ok()) << qat.status().ToString();
  ir::Model ptq = f->model;
  quant::FullIntegerConfig config;
  config.threads = 1;
  ASSERT_TRUE(quant::QuantizeFullInteger(ptq, 8, LoaderOf(f->photos), config, &ptq_report).ok());
  const ir::Subgraph& a = qat->subgraphs[0];
  const ir::Subgraph& b = ptq.subgraphs[0];
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  ASSERT_EQ(a.ops.size(), b.ops.size());
  for (size_t i = 0; i < a.tensors.size(); ++i) {
    EXPECT_EQ(a.tensors[i].dtype, b.tensors[i].dtype) << a.tensors[i].name;
    EXPECT_EQ(a.tensors[i].quant, b.tensors[i].quant) << a.tensors[i].name;
    if (a.tensors[i].is_constant()) {
      EXPECT_EQ(*a.tensors[i].data, *b.tensors[i].data) << a.tensors[i].name;
    }
  }
}

}  // namespace
}  // namespace detlite::train
