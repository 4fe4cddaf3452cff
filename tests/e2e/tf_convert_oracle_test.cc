// TensorFlow graphs converted to .tflite and judged by the real TFLite
// runtime: the written file must load there and compute what detlite's
// interpreter computes on the same inputs.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <random>

#include "detlite/import.h"
#include "detlite/model.h"
#include "ir/graph.h"
#include "support/compare.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {

std::vector<uint8_t> RandomInput(const TensorInfo& info, uint32_t seed) {
  int64_t n = 1;
  for (int32_t d : info.shape) n *= d;
  std::mt19937 rng(seed);
  std::vector<uint8_t> bytes;
  if (info.dtype == "float32") {
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<float> v(static_cast<size_t>(n));
    for (float& x : v) x = dist(rng);
    bytes.resize(v.size() * 4);
    std::memcpy(bytes.data(), v.data(), bytes.size());
  } else if (info.dtype == "int32") {
    std::uniform_int_distribution<int32_t> dist(-100, 100);
    std::vector<int32_t> v(static_cast<size_t>(n));
    for (int32_t& x : v) x = dist(rng);
    bytes.resize(v.size() * 4);
    std::memcpy(bytes.data(), v.data(), bytes.size());
  }
  return bytes;
}

// Converts, saves, runs both runtimes, compares every output.
void ConvertAndJudge(const std::string& source, const ImportOptions& options,
                     const std::string& out_name) {
  std::string why;
  if (!testing::OracleAvailable(&why)) GTEST_SKIP() << why;
  ImportReport report;
  auto model = ImportModel(source, options, &report);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const std::string path = testing::TempDir() + "/" + out_name;
  ASSERT_TRUE(model->Save(path).ok());
  // Run what was written, as a user would.
  auto reloaded = Model::Load(path);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  auto runner = Runner::Create(*reloaded);
  ASSERT_TRUE(runner.ok()) << runner.status().ToString();
  std::vector<std::vector<uint8_t>> inputs;
  for (int i = 0; i < runner->num_inputs(); ++i) {
    inputs.push_back(RandomInput(runner->InputInfo(i), 17u + static_cast<uint32_t>(i)));
    ASSERT_TRUE(runner->SetInput(i, inputs.back()).ok());
  }
  ASSERT_TRUE(runner->Run().ok());
  auto real = testing::RunInRealTflite(path, inputs);
  ASSERT_TRUE(real.ok()) << real.status().ToString();
  ASSERT_EQ(static_cast<int>(real->outputs.size()), runner->num_outputs());
  for (int i = 0; i < runner->num_outputs(); ++i) {
    const HostTensor ours = runner->Output(i);
    const testing::Diff d = testing::CompareBuffers(ours.info.dtype, ours.bytes, real->outputs[i].bytes);
    ASSERT_GE(d.count, 0) << "output " << i << " size differs";
    std::printf("%s output %d (%s): %s\n", out_name.c_str(), i, ours.info.name.c_str(),
                d.ToString().c_str());
    EXPECT_LE(d.relative, 1e-5) << out_name << " output " << i;
  }
  std::printf("%s: %d TF nodes used, %d folded, %d TFLite ops, %.3f s\n", out_name.c_str(),
              report.imported_nodes, report.folded_ops,
              static_cast<int>(reloaded->ir().subgraphs[0].ops.size()), report.seconds);
}

TEST(TfConvertOracle, FrozenGraphDefWithCutInputs) {
  ImportOptions o;
  o.inputs = {"a", "Fill"};
  ConvertAndJudge(testing::DataPath("tf/graph_fixtures/frozen_graph_def.pb"), o, "frozen.tflite");
}

TEST(TfConvertOracle, UnfrozenGraphDefWithCutInputs) {
  ImportOptions o;
  o.inputs = {"Fill"};
  o.outputs = {"expensive"};
  ConvertAndJudge(testing::DataPath("tf/graph_fixtures/tf_graph_def.pb"), o, "graph_def.tflite");
}

}  // namespace
}  // namespace detlite
