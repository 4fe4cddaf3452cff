#include "bench_onnxruntime.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "detlite/onnx.h"

#ifndef DETLITE_ONNXRUNTIME_RUNNER_DEFAULT
#define DETLITE_ONNXRUNTIME_RUNNER_DEFAULT ""
#endif

namespace detlite::cli {

StatusOr<std::unique_ptr<OnnxRuntimePeer>> OnnxRuntimePeer::Start(
    const Model& model, const std::vector<HostTensor>& inputs, const std::string& runner_script,
    int threads) {
  std::string script = runner_script;
  if (script.empty() && std::getenv("DETLITE_ONNXRUNTIME_RUNNER")) {
    script = std::getenv("DETLITE_ONNXRUNTIME_RUNNER");
  }
  if (script.empty()) script = DETLITE_ONNXRUNTIME_RUNNER_DEFAULT;
  std::error_code ec;
  if (script.empty() || !std::filesystem::exists(script, ec)) {
    return NotFound("--vs-onnxruntime: cannot find the ONNX Runtime runner script '" + script +
                    "' (give --onnxruntime-runner or set DETLITE_ONNXRUNTIME_RUNNER)");
  }
  char tmpl[] = "/tmp/detlite_ort_XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return IoError("--vs-onnxruntime: cannot make a temporary directory");
  std::unique_ptr<OnnxRuntimePeer> peer(new OnnxRuntimePeer());
  peer->dir_ = tmpl;
  const std::string onnx = peer->dir_ + "/model.onnx";
  Status saved = SaveOnnx(model, onnx);
  if (!saved.ok()) {
    // The temporary file's name means nothing to the user: name the model.
    std::string msg = saved.message();
    if (msg.rfind(onnx + ": ", 0) == 0) msg = msg.substr(onnx.size() + 2);
    return Status(saved.code(), "--vs-onnxruntime: cannot export " + model.path() + " to ONNX: " + msg);
  }
  std::vector<std::string> argv = {"node", script, "--serve", "--model", onnx, "--out",
                                   peer->dir_ + "/out", "--threads", std::to_string(threads)};
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].info.dtype != "float32") {
      return Unimplemented("--vs-onnxruntime: input " + std::to_string(i) + " is " +
                           inputs[i].info.dtype + "; ONNX export takes float models");
    }
    std::string path = peer->dir_ + "/in" + std::to_string(i) + ".bin";
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(inputs[i].bytes.data()),
            static_cast<std::streamsize>(inputs[i].bytes.size()));
    if (!f) return IoError(path + ": cannot write");
    argv.push_back(path);
  }
  auto child = PipedChild::Start(argv, peer->dir_ + "/err");
  if (!child.ok()) return child.status().WithContext("--vs-onnxruntime (is node installed?)");
  peer->child_ = std::move(*child);
  auto ready = peer->child_->ReadLine();
  if (!ready.ok()) return ready.status().WithContext("ONNX Runtime failed on " + model.path());
  if (ready->rfind("ready", 0) != 0) return Internal("ONNX Runtime runner said '" + *ready + "'");
  peer->version_ = ready->size() > 6 ? ready->substr(6) : "";
  return peer;
}

OnnxRuntimePeer::~OnnxRuntimePeer() {
  child_.reset();
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

StatusOr<double> OnnxRuntimePeer::RunOnce() {
  RETURN_IF_ERROR(child_->WriteLine("run"));
  ASSIGN_OR_RETURN(std::string line, child_->ReadLine());
  char* end = nullptr;
  const double ms = std::strtod(line.c_str(), &end);
  if (end == line.c_str() || ms < 0) return Internal("ONNX Runtime runner said '" + line + "'");
  return ms;
}

}  // namespace detlite::cli
