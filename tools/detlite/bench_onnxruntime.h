// ONNX Runtime as a peer in `bench --vs-onnxruntime`: the model is exported
// to a temporary .onnx (public API SaveOnnx) and run by
// tests/support/run_onnxruntime.mjs in --serve mode, one inference per
// request, so its runs interleave with detlite's on the same input bytes.
#ifndef DETLITE_TOOLS_DETLITE_BENCH_ONNXRUNTIME_H_
#define DETLITE_TOOLS_DETLITE_BENCH_ONNXRUNTIME_H_

#include <memory>
#include <string>
#include <vector>

#include "detlite/model.h"
#include "detlite/status.h"
#include "piped_child.h"

namespace detlite::cli {

class OnnxRuntimePeer {
 public:
  // `runner_script` "" = $DETLITE_ONNXRUNTIME_RUNNER, else this checkout's;
  // `threads`: ONNX Runtime's intra-op threads (bench gives detlite's).
  static StatusOr<std::unique_ptr<OnnxRuntimePeer>> Start(const Model& model,
                                                          const std::vector<HostTensor>& inputs,
                                                          const std::string& runner_script,
                                                          int threads);
  ~OnnxRuntimePeer();  // stops the child, removes the temporary files
  // One inference in ONNX Runtime; its milliseconds as the runner measured.
  StatusOr<double> RunOnce();
  const std::string& version() const { return version_; }

 private:
  OnnxRuntimePeer() = default;
  std::string dir_;
  std::string version_;
  std::unique_ptr<PipedChild> child_;
};

}  // namespace detlite::cli

#endif  // DETLITE_TOOLS_DETLITE_BENCH_ONNXRUNTIME_H_
