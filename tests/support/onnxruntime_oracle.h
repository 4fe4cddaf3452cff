// ONNX Runtime (npm onnxruntime-node, installed by scripts/setup.sh) driven
// through tests/support/run_onnxruntime.mjs under Node: the peer that runs
// the .onnx files detlite writes. $DETLITE_ONNXRUNTIME_DIR overrides where
// the package is; DETLITE_NODE as for the TFLite oracle.
#ifndef DETLITE_TESTS_SUPPORT_ONNXRUNTIME_ORACLE_H_
#define DETLITE_TESTS_SUPPORT_ONNXRUNTIME_ORACLE_H_

#include <string>
#include <vector>

#include "support/tflite_oracle.h"

namespace detlite::testing {

// False with *why naming what is missing (node, the package, the script).
bool OnnxRuntimeAvailable(std::string* why);

// Runs `model_path` (.onnx) on `inputs` (raw float32 bytes per input, in
// order), 1 thread; errors carry the runner's one-line message.
StatusOr<OracleResult> RunInOnnxRuntime(const std::string& model_path,
                                        const std::vector<std::vector<uint8_t>>& inputs,
                                        int runs = 1);

std::string OnnxRuntimeScriptPath();  // tests/support/run_onnxruntime.mjs

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_SUPPORT_ONNXRUNTIME_ORACLE_H_
