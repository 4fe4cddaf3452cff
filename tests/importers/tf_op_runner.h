// Runs a GraphDef built in a test through the whole TensorFlow import
// (ImportModel on a written .pb, passes, verifier) and detlite's
// interpreter, so op mapping tests compare with the op's math.
#ifndef DETLITE_TESTS_IMPORTERS_TF_OP_RUNNER_H_
#define DETLITE_TESTS_IMPORTERS_TF_OP_RUNNER_H_

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "core/file_io.h"
#include "detlite/import.h"
#include "detlite/model.h"
#include "detlite/tf/graph.pb.h"
#include "ir/graph.h"
#include "support/paths.h"
#include "support/tflite_oracle.h"

namespace detlite::testing {

struct OpRun {
  std::vector<float> out;      // output 0 as float
  std::vector<int32_t> shape;  // output 0's shape
  std::map<std::string, int> ops;  // TFLite op -> count
  std::vector<uint8_t> out_bytes;
  std::string tflite_path;  // the model as written
  std::vector<uint8_t> input_bytes;
};

// Imports `g` (one float input, given `input` values; outputs `outputs` or
// the graph's unread nodes) and runs it.
inline StatusOr<OpRun> RunGraph(const tf::GraphDef& g, const std::vector<float>& input,
                                const std::vector<std::string>& outputs = {},
                                const std::string& name = "op.pb") {
  const std::string path = TempDir() + "/" + name;
  std::string bytes;
  if (!g.SerializeToString(&bytes)) return Internal("cannot serialize the graph");
  RETURN_IF_ERROR(WriteFileAtomic(path, bytes));
  ImportOptions o;
  o.outputs = outputs;
  ASSIGN_OR_RETURN(Model m, ImportModel(path, o));
  OpRun r;
  for (const ir::Operator& op : m.ir().subgraphs[0].ops) ++r.ops[std::string(ir::OpKindName(op.kind))];
  r.tflite_path = path + ".tflite";
  RETURN_IF_ERROR(m.Save(r.tflite_path));
  ASSIGN_OR_RETURN(Runner runner, Runner::Create(m));
  if (runner.num_inputs() > 0) {
    r.input_bytes.resize(input.size() * 4);
    std::memcpy(r.input_bytes.data(), input.data(), r.input_bytes.size());
    RETURN_IF_ERROR(runner.SetInput(0, r.input_bytes));
  }
  RETURN_IF_ERROR(runner.Run());
  const HostTensor out = runner.Output(0);
  r.out = out.ToFloat();
  r.out_bytes = out.bytes;
  r.shape = out.info.shape;
  return r;
}

// Whether the real TFLite runtime computes the same bytes for output 0
// (true, with *skipped set, when the runtime is not installed).
inline ::testing::AssertionResult SameInRealTflite(const OpRun& r, bool* skipped) {
  std::string why;
  *skipped = !OracleAvailable(&why);
  if (*skipped) return ::testing::AssertionSuccess();
  auto real = RunInRealTflite(r.tflite_path, {r.input_bytes});
  if (!real.ok()) return ::testing::AssertionFailure() << real.status().ToString();
  if (real->outputs.empty() || real->outputs[0].bytes != r.out_bytes) {
    return ::testing::AssertionFailure() << r.tflite_path << ": output 0 differs in the real runtime";
  }
  return ::testing::AssertionSuccess();
}

// EXPECT form of SameInRealTflite, `what` naming the case.
inline void ExpectSameInTflite(const OpRun& r, const std::string& what) {
  bool skipped = false;
  EXPECT_TRUE(SameInRealTflite(r, &skipped)) << what;
}

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_IMPORTERS_TF_OP_RUNNER_H_
