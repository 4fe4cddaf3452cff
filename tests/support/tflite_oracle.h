// The judge of every .tflite detlite writes or runs: the real TensorFlow Lite
// runtime (WebAssembly build from @tensorflow/tfjs-tflite, installed by
// scripts/setup.sh), driven through tests/oracle/run_tflite.mjs under Node.
//
// Environment overrides: DETLITE_NODE (node binary), DETLITE_TFLITE_WASM_DIR
// (the package's wasm/ directory), DETLITE_KEEP_ORACLE_DIR=1 (keep the
// temporary inputs and outputs for a look after a failure).
#ifndef DETLITE_TESTS_SUPPORT_TFLITE_ORACLE_H_
#define DETLITE_TESTS_SUPPORT_TFLITE_ORACLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "detlite/status.h"

namespace detlite::testing {

struct OracleTensor {
  std::string name;
  std::string dtype;  // as TFLite names it: "float32", "uint8", ...
  std::vector<int> shape;
  std::vector<uint8_t> bytes;  // little endian, row major
};

struct OracleResult {
  std::vector<OracleTensor> outputs;
  double median_ms = 0;  // of `runs` calls to Invoke, without loading
  double min_ms = 0;
};

// True when node, the wasm runtime and the runner script are all present;
// otherwise false with *why saying what is missing and how to get it.
bool OracleAvailable(std::string* why);

// Runs `model_path` once per `runs` on `inputs` (one raw byte buffer per model
// input, in order) and returns every output. Errors carry the runtime's own
// one-line message: CREATE_FAILED (model rejected), INPUT_COUNT / INPUT_SIZE
// (inputs do not fit), INFER_FAILED.
StatusOr<OracleResult> RunInRealTflite(
    const std::string& model_path,
    const std::vector<std::vector<uint8_t>>& inputs, int runs = 1);

// Reads what a runner script (run_tflite.mjs, run_onnxruntime.mjs) wrote to
// `out_dir`: outputs.json, out<i>.bin and timing.json, all checked.
StatusOr<OracleResult> ReadRunnerOutputs(const std::string& out_dir);

std::string OracleNodePath();  // "" if node is not found
std::string OracleWasmDir();
std::string OracleScriptPath();  // tests/oracle/run_tflite.mjs

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_SUPPORT_TFLITE_ORACLE_H_
