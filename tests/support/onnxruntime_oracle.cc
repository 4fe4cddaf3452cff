#include "support/onnxruntime_oracle.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>

#include "core/file_io.h"
#include "support/paths.h"
#include "support/subprocess.h"

namespace detlite::testing {
namespace {

std::string PackageDir() {
  const char* env = std::getenv("DETLITE_ONNXRUNTIME_DIR");
  if (env && *env) return env;
  return DepsDir() + "/npm/node_modules/onnxruntime-node";
}

}  // namespace

std::string OnnxRuntimeScriptPath() {
  return std::string(DETLITE_SOURCE_DIR) + "/tests/support/run_onnxruntime.mjs";
}

bool OnnxRuntimeAvailable(std::string* why) {
  std::string missing;
  std::error_code ec;
  if (OracleNodePath().empty()) missing += " node is not on PATH;";
  if (!std::filesystem::exists(PackageDir() + "/package.json", ec)) {
    missing += " " + PackageDir() + " is missing;";
  }
  if (!std::filesystem::exists(OnnxRuntimeScriptPath(), ec)) {
    missing += " " + OnnxRuntimeScriptPath() + " is missing;";
  }
  if (missing.empty()) return true;
  if (why) *why = "ONNX Runtime unavailable:" + missing + " run scripts/setup.sh";
  return false;
}

StatusOr<OracleResult> RunInOnnxRuntime(const std::string& model_path,
                                        const std::vector<std::vector<uint8_t>>& inputs,
                                        int runs) {
  std::string why;
  if (!OnnxRuntimeAvailable(&why)) return FailedPrecondition(why);
  std::string dir = TempDir() + "/ort_XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr) return IoError("cannot create a directory in " + TempDir());
  std::vector<std::string> argv = {OracleNodePath(), OnnxRuntimeScriptPath(), "--model", model_path,
                                   "--out", dir + "/out", "--runs", std::to_string(runs)};
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string path = dir + "/in" + std::to_string(i) + ".bin";
    RETURN_IF_ERROR(WriteFileAtomic(path, inputs[i]));
    argv.push_back(path);
  }
  auto proc = RunProcess(argv);
  StatusOr<OracleResult> result = Internal("not run");
  if (!proc.ok()) {
    result = proc.status();
  } else if (proc->exit_code != 0) {
    result = Internal("ONNX Runtime: " + LastLine(proc->err) + " (exit " +
                      std::to_string(proc->exit_code) + ")");
  } else {
    result = ReadRunnerOutputs(dir + "/out");
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return result;
}

}  // namespace detlite::testing
