// The real TFLite runtime is the judge of what the writer produces: every
// real model, read and written back by detlite, must compute bit-identical
// outputs to the original file on the same deterministic input. This
// catches what a structural IR comparison cannot: a field the runtime reads
// differently (op version, options table, alignment, sparse layout).
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "exporters/tflite/tflite_writer.h"
#include "importers/tflite/tflite_reader.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"

namespace detlite {
namespace {


// Fixed pseudo-random input covering the type's useful range: floats in
// [-1, 1) (what these detectors expect), integers over all their bytes.
std::vector<uint8_t> DeterministicInput(const ir::Tensor& t, uint32_t seed) {
  const size_t n = static_cast<size_t>(t.shape.NumElements());
  uint32_t state = seed;
  auto next = [&state] {
    state = state * 1664525u + 1013904223u;
    return state;
  };
  std::vector<uint8_t> bytes;
  if (t.dtype == DType::kFloat32) {
    bytes.resize(n * 4);
    for (size_t i = 0; i < n; ++i) {
      const float v = static_cast<float>(next() >> 8) / 8388608.0f - 1.0f;
      std::memcpy(bytes.data() + 4 * i, &v, 4);
    }
  } else {
    bytes.resize(n * DTypeSize(t.dtype));
    for (uint8_t& b : bytes) b = static_cast<uint8_t>(next() >> 24);
  }
  return bytes;
}

class RoundTripOracleTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string why;
    // Like the oracle's own tests, a missing runtime is a failure, not a
    // skip: scripts/setup.sh installs it.
    ASSERT_TRUE(testing::OracleAvailable(&why)) << why;
  }
};

TEST_P(RoundTripOracleTest, RoundTrippedFileComputesIdenticalBits) {
  const std::string original = testing::DataPath(std::string("tflite/") + GetParam());
  auto model = ReadTfliteFile(original);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const std::string written = testing::TempDir() + "/rt_" + GetParam();
  ASSERT_TRUE(WriteTfliteFile(*model, written).ok());

  const ir::Subgraph& sg = model->subgraphs[0];
  std::vector<std::vector<uint8_t>> inputs;
  for (size_t i = 0; i < sg.inputs.size(); ++i) {
    inputs.push_back(DeterministicInput(sg.tensors[static_cast<size_t>(sg.inputs[i])],
                                        0x5eed0000u + static_cast<uint32_t>(i)));
  }
  auto want = testing::RunInRealTflite(original, inputs);
  ASSERT_TRUE(want.ok()) << want.status().ToString();
  auto got = testing::RunInRealTflite(written, inputs);
  ASSERT_TRUE(got.ok()) << "round-tripped file: " << got.status().ToString();

  ASSERT_EQ(got->outputs.size(), want->outputs.size());
  for (size_t i = 0; i < want->outputs.size(); ++i) {
    const testing::OracleTensor& w = want->outputs[i];
    const testing::OracleTensor& g = got->outputs[i];
    EXPECT_EQ(g.name, w.name);
    EXPECT_EQ(g.dtype, w.dtype);
    EXPECT_EQ(g.shape, w.shape);
    ASSERT_EQ(g.bytes.size(), w.bytes.size()) << "output " << i;
    EXPECT_TRUE(g.bytes == w.bytes) << "output " << i << " '" << w.name
                                    << "' differs from the original's";
    EXPECT_FALSE(w.bytes.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(AllRealModels, RoundTripOracleTest, ::testing::ValuesIn(testing::RealTfliteModels()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n(info.param);
                           n = n.substr(0, n.size() - 7);
                           for (char& c : n) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace detlite
