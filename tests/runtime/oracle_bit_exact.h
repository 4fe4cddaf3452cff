// Runs a small model in detlite's interpreter and, written as .tflite, in
// the real TFLite runtime on the same inputs, and expects every output to
// have the same shape and the same bytes. Used by the op-level oracle tests
// whose results must be bit-exact (data movement, comparisons, TopK).
#ifndef DETLITE_TESTS_RUNTIME_ORACLE_BIT_EXACT_H_
#define DETLITE_TESTS_RUNTIME_ORACLE_BIT_EXACT_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "exporters/tflite/tflite_writer.h"
#include "ir/graph.h"
#include "runtime/interpreter.h"
#include "support/tflite_oracle.h"

namespace detlite::testing {

// `path` is where the .tflite goes. The written model declares the output
// shapes detlite's Prepare computed.
inline void ExpectBitExactInTflite(ir::Model& model, const std::vector<std::vector<uint8_t>>& inputs,
                                   const std::string& path) {
  auto interp = runtime::Interpreter::Create(model);
  ASSERT_TRUE(interp.ok()) << interp.status().ToString();
  for (size_t i = 0; i < inputs.size(); ++i) {
    ASSERT_TRUE((*interp)->SetInput(static_cast<int>(i), inputs[i].data(), inputs[i].size()).ok());
  }
  ASSERT_TRUE((*interp)->Invoke().ok());
  ir::Subgraph& sg = model.subgraphs[0];
  for (int i = 0; i < (*interp)->num_outputs(); ++i) {
    sg.tensors[static_cast<size_t>(sg.outputs[static_cast<size_t>(i)])].shape = (*interp)->output(i).shape;
  }
  Status written = WriteTfliteFile(model, path);
  ASSERT_TRUE(written.ok()) << written.ToString();
  auto oracle = RunInRealTflite(path, inputs);
  ASSERT_TRUE(oracle.ok()) << oracle.status().ToString();
  ASSERT_EQ(static_cast<int>(oracle->outputs.size()), (*interp)->num_outputs());
  for (int i = 0; i < (*interp)->num_outputs(); ++i) {
    const runtime::TensorRef& ours = (*interp)->output(i);
    const OracleTensor& ref = oracle->outputs[static_cast<size_t>(i)];
    EXPECT_EQ(ref.shape, std::vector<int>(ours.shape.dims().begin(), ours.shape.dims().end()));
    ASSERT_EQ(ref.bytes.size(), ours.bytes) << "output " << i;
    size_t first = 0;
    while (first < ours.bytes && ours.data[first] == ref.bytes[first]) ++first;
    EXPECT_EQ(first, ours.bytes) << "output " << i << " differs first at byte " << first;
  }
}

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_RUNTIME_ORACLE_BIT_EXACT_H_
