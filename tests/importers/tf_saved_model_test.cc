// SavedModel (TF1) and MetaGraphDef import on the real fixtures: signature
// choice, variables from the checkpoint bundle, numbers computed.
#include <gtest/gtest.h>

#include <cstring>

#include "detlite/import.h"
#include "detlite/model.h"
#include "importers/tf/checkpoint_v1.h"
#include "ir/graph.h"
#include "support/paths.h"

namespace detlite {
namespace {

std::vector<float> RunFloat(const Model& m, const std::vector<float>& x) {
  auto r = Runner::Create(m);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return {};
  std::vector<uint8_t> bytes(x.size() * 4);
  std::memcpy(bytes.data(), x.data(), bytes.size());
  EXPECT_TRUE(r->SetInput(0, bytes).ok());
  EXPECT_TRUE(r->Run().ok());
  return r->Output(0).ToFloat();
}

TEST(TfSavedModel, HalfPlusTwoServingDefault) {
  ImportOptions o;
  o.input_shapes[""] = {4, 1};
  ImportReport report;
  auto m = ImportModel(testing::DataPath("tf/saved_models/half_plus_two_cpu/00000123"), o, &report);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(report.format, "saved_model");
  EXPECT_EQ(RunFloat(*m, {0, 1, 2, 10}), (std::vector<float>{2, 2.5f, 3, 7}));
  ASSERT_EQ(m->ir().signatures.size(), 1u);
  EXPECT_EQ(m->ir().signatures[0].key, "serving_default");
  EXPECT_EQ(m->ir().signatures[0].inputs[0].name, "x");
  EXPECT_EQ(m->ir().signatures[0].outputs[0].name, "y");
}

TEST(TfSavedModel, HalfPlusTwoOtherSignature) {
  ImportOptions o;
  o.signature_key = "regress_x2_to_y3";
  o.input_shapes[""] = {3, 1};
  auto m = ImportModel(testing::DataPath("tf/saved_models/half_plus_two_cpu/00000123"), o);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  // y3 = a * x2 + c = 0.5 x + 3
  EXPECT_EQ(RunFloat(*m, {0, 2, 4}), (std::vector<float>{3, 4, 5}));
  o.signature_key = "no_such_signature";
  auto bad = ImportModel(testing::DataPath("tf/saved_models/half_plus_two_cpu/00000123"), o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("regress_x2_to_y3"), std::string::npos);
}

TEST(TfSavedModel, HalfPlusThreeThroughModelLoad) {
  // Model::Load dispatches a SavedModel directory to the importer; this
  // signature's input has unknown rank, so a shape must be given.
  auto load = Model::Load(testing::DataPath("tf/saved_models/half_plus_three/00000123"));
  ASSERT_FALSE(load.ok());
  EXPECT_NE(load.status().message().find("give its shape"), std::string::npos);
  ImportOptions o;
  o.input_shapes[""] = {2};
  auto m = ImportModel(testing::DataPath("tf/saved_models/half_plus_three/00000123"), o);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const auto& sg = m->ir().subgraphs[0];
  ASSERT_EQ(sg.inputs.size(), 1u);
  const int64_t n = sg.tensors[sg.inputs[0]].shape.NumElements();
  std::vector<float> x(static_cast<size_t>(n), 4.0f);
  std::vector<float> y = RunFloat(*m, x);
  ASSERT_EQ(y.size(), x.size());
  EXPECT_FLOAT_EQ(y[0], 5.0f);
}

TEST(TfSavedModel, CounterReadIsConstantWritesAreRefused) {
  const std::string dir = testing::DataPath("tf/saved_models/counter/00000123");
  ImportOptions o;
  o.signature_key = "get_counter";
  auto m = ImportModel(dir, o);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const auto& sg = m->ir().subgraphs[0];
  ASSERT_EQ(sg.outputs.size(), 1u);
  EXPECT_TRUE(sg.tensors[sg.outputs[0]].is_constant());
  o.signature_key = "incr_counter_by";
  auto bad = ImportModel(dir, o);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("AssignAdd (incr_counter_by_op/AssignAdd)"),
            std::string::npos) << bad.status().message();
}

TEST(TfSavedModel, Tf2HalfPlusTwoInlinesTheSignatureFunction) {
  ImportOptions o;  // the signature declares its input as [1]
  ImportReport report;
  auto m = ImportModel(testing::DataPath("tf/saved_models/half_plus_two_tf2_cpu/00000123"), o,
                       &report);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(report.format, "saved_model_tf2");
  EXPECT_EQ(RunFloat(*m, {4}), (std::vector<float>{4}));
  o.signature_key = "regress_x2_to_y3";
  auto y3 = ImportModel(testing::DataPath("tf/saved_models/half_plus_two_tf2_cpu/00000123"), o);
  ASSERT_TRUE(y3.ok()) << y3.status().ToString();
  const std::vector<float> y = RunFloat(*y3, std::vector<float>(
      static_cast<size_t>(y3->ir().subgraphs[0].tensors[y3->ir().subgraphs[0].inputs[0]].shape.NumElements()), 4.0f));
  ASSERT_FALSE(y.empty());
  EXPECT_FLOAT_EQ(y[0], 5.0f);  // 0.5 * 4 + 3
}

TEST(TfSavedModel, MetaGraphWithV1Checkpoint) {
  ImportOptions o;
  o.outputs = {"multiplied"};
  for (const char* meta : {"tf/graph_fixtures/model.chkpt-0.meta"}) {
    ImportReport report;
    auto m = ImportModel(testing::DataPath(meta), o, &report);
    ASSERT_TRUE(m.ok()) << meta << ": " << m.status().ToString();
    const auto& sg = m->ir().subgraphs[0];
    ASSERT_TRUE(sg.tensors[sg.outputs[0]].is_constant());
    const int32_t* v = reinterpret_cast<const int32_t*>(sg.tensors[sg.outputs[0]].data->data());
    EXPECT_EQ(v[0], 3) << meta;
    EXPECT_EQ(v[1], 4) << meta;
  }
}

TEST(TfSavedModel, MangledMetaGraphIsRejectedAndItsCheckpointReads) {
  // This export.meta had its high bytes replaced by U+FFFD (EF BF BD) by a
  // text conversion upstream: it is not a protobuf any more.
  auto m = ImportModel(testing::DataPath("tf/graph_fixtures/bundle/00000000/export.meta"));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(m.status().message().find("export.meta"), std::string::npos);
  auto vars = tf_import::ReadCheckpointV1(
      testing::DataPath("tf/graph_fixtures/bundle/00000000/export-00000-of-00001"));
  ASSERT_TRUE(vars.ok()) << vars.status().ToString();
  EXPECT_EQ(vars->size(), 3u);  // a, b, global_step
  ASSERT_TRUE(vars->count("b"));
  const int32_t* b = reinterpret_cast<const int32_t*>(vars->at("b").bytes.data());
  EXPECT_EQ(b[0], 3);
}

TEST(TfSavedModel, FixtureSavedModelWithBundle) {
  ImportOptions o;
  o.outputs = {"multiplied"};
  auto m = ImportModel(testing::DataPath("tf/graph_fixtures/tensorflow_saved_model/00000000"), o);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  // Its signature feeds the variables' reads a and b: one MUL remains.
  const auto& sg = m->ir().subgraphs[0];
  EXPECT_EQ(sg.inputs.size(), 2u);
  ASSERT_EQ(sg.ops.size(), 1u);
  EXPECT_EQ(sg.ops[0].kind, ir::OpKind::kMul);
}

}  // namespace
}  // namespace detlite
