#include "support/tflite_oracle.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/dtype.h"
#include "core/file_io.h"
#include "support/paths.h"
#include "support/subprocess.h"

namespace detlite::testing {
namespace {

using nlohmann::json;

bool IsFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// Removes the per-call directory unless the caller asked to keep it.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = TempDir() + "/oracle_XXXXXX";
    if (::mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~ScratchDir() {
    const char* keep = std::getenv("DETLITE_KEEP_ORACLE_DIR");
    if (path_.empty() || (keep && *keep && std::string(keep) != "0")) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The runner's first word says whose fault a failure is.
Status FailureStatus(const ProcessResult& r) {
  std::string line = LastLine(r.err);
  if (line.empty()) line = "(no message)";
  std::string msg = "real TFLite: " + line;
  if (r.timed_out) return Internal(msg + " (timed out, killed)");
  if (r.signal != 0)
    return Internal(msg + " (killed by signal " + std::to_string(r.signal) +
                    ")");
  msg += " (exit " + std::to_string(r.exit_code) + ")";
  if (line.rfind("CREATE_FAILED", 0) == 0 || line.rfind("INPUT_", 0) == 0) {
    return InvalidArgument(msg);
  }
  if (line.rfind("INFER_FAILED", 0) == 0) return FailedPrecondition(msg);
  return Internal(msg);
}

StatusOr<json> ReadJson(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFileText(path, 16u << 20));
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return DataLoss(path + ": not valid JSON");
  return j;
}

StatusOr<OracleTensor> ReadOutput(const std::string& dir, const json& meta,
                                  size_t i) {
  const std::string where = dir + "/outputs.json entry " + std::to_string(i);
  if (!meta.is_object() || !meta.contains("name") ||
      !meta["name"].is_string() || !meta.contains("dtype") ||
      !meta["dtype"].is_string() || !meta.contains("shape") ||
      !meta["shape"].is_array()) {
    return DataLoss(where + ": needs name, dtype and shape");
  }
  OracleTensor t;
  t.name = meta["name"].get<std::string>();
  t.dtype = meta["dtype"].get<std::string>();
  int64_t elements = 1;
  for (const json& d : meta["shape"]) {
    if (!d.is_number_integer() || d.get<int64_t>() < 0 ||
        d.get<int64_t>() > (1 << 30)) {
      return DataLoss(where + ": bad dimension " + d.dump());
    }
    t.shape.push_back(d.get<int>());
    elements *= d.get<int64_t>();
    if (elements > (int64_t{1} << 40)) {
      return DataLoss(where + ": shape too large");
    }
  }
  ASSIGN_OR_RETURN(t.bytes,
                   ReadFileBytes(dir + "/out" + std::to_string(i) + ".bin"));
  DType dtype;
  if (DTypeFromName(t.dtype, &dtype) && DTypeSize(dtype) > 0 &&
      static_cast<int64_t>(t.bytes.size()) !=
          elements * static_cast<int64_t>(DTypeSize(dtype))) {
    return DataLoss(where + ": " + std::to_string(t.bytes.size()) +
                    " bytes for " + std::to_string(elements) + " " + t.dtype +
                    " elements");
  }
  return t;
}

}  // namespace

std::string OracleNodePath() {
  const char* env = std::getenv("DETLITE_NODE");
  if (env && *env) return IsFile(env) ? std::string(env) : std::string();
  return FindExecutable("node");
}

std::string OracleWasmDir() {
  const char* env = std::getenv("DETLITE_TFLITE_WASM_DIR");
  if (env && *env) return env;
  return DepsDir() + "/npm/node_modules/@tensorflow/tfjs-tflite/wasm";
}

std::string OracleScriptPath() {
  return std::string(DETLITE_SOURCE_DIR) + "/tests/oracle/run_tflite.mjs";
}

bool OracleAvailable(std::string* why) {
  std::string missing;
  if (OracleNodePath().empty()) {
    const char* env = std::getenv("DETLITE_NODE");
    missing += (env && *env)
                   ? " DETLITE_NODE=" + std::string(env) + " is not a file;"
                   : std::string(" node (Node.js 20) is not on PATH;");
  }
  const std::string wasm = OracleWasmDir() + "/tflite_web_api_cc_simd.wasm";
  if (!IsFile(wasm)) missing += " " + wasm + " is missing;";
  if (!IsFile(OracleScriptPath())) {
    missing += " " + OracleScriptPath() + " is missing;";
  }
  if (missing.empty()) return true;
  if (why)
    *why =
        "real-TFLite oracle unavailable:" + missing + " run scripts/setup.sh";
  return false;
}

StatusOr<OracleResult> RunInRealTflite(
    const std::string& model_path,
    const std::vector<std::vector<uint8_t>>& inputs, int runs) {
  std::string why;
  if (!OracleAvailable(&why)) return FailedPrecondition(why);
  if (!IsFile(model_path)) return NotFound(model_path + ": no such model file");
  if (runs < 1) {
    return InvalidArgument("runs must be >= 1, got " + std::to_string(runs));
  }
  ScratchDir scratch;
  if (scratch.path().empty()) {
    return IoError("cannot create a directory in " + TempDir());
  }

  std::vector<std::string> argv = {
      OracleNodePath(), OracleScriptPath(),      "--model",    model_path,
      "--out",          scratch.path() + "/out", "--wasm-dir", OracleWasmDir(),
      "--runs",         std::to_string(runs)};
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string path =
        scratch.path() + "/in" + std::to_string(i) + ".bin";
    RETURN_IF_ERROR(WriteFileAtomic(path, inputs[i]));
    argv.push_back(path);
  }
  ASSIGN_OR_RETURN(ProcessResult proc, RunProcess(argv));
  if (proc.exit_code != 0) return FailureStatus(proc);
  return ReadRunnerOutputs(scratch.path() + "/out");
}

StatusOr<OracleResult> ReadRunnerOutputs(const std::string& out_dir) {
  ASSIGN_OR_RETURN(json metas, ReadJson(out_dir + "/outputs.json"));
  ASSIGN_OR_RETURN(json timing, ReadJson(out_dir + "/timing.json"));
  if (!metas.is_array()) return DataLoss(out_dir + "/outputs.json: not a list");
  OracleResult result;
  for (size_t i = 0; i < metas.size(); ++i) {
    ASSIGN_OR_RETURN(OracleTensor t, ReadOutput(out_dir, metas[i], i));
    result.outputs.push_back(std::move(t));
  }
  if (timing.is_object() && timing.contains("median_ms") &&
      timing["median_ms"].is_number() && timing.contains("min_ms") &&
      timing["min_ms"].is_number()) {
    result.median_ms = timing["median_ms"].get<double>();
    result.min_ms = timing["min_ms"].get<double>();
  }
  return result;
}

}  // namespace detlite::testing
