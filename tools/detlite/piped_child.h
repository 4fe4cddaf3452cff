// A child program we talk to line by line (stdin and stdout are pipes,
// stderr goes to a file kept for its error message), for `bench
// --vs-onnxruntime`, which interleaves single runs of ONNX Runtime under
// node with detlite's own.
#ifndef DETLITE_TOOLS_DETLITE_PIPED_CHILD_H_
#define DETLITE_TOOLS_DETLITE_PIPED_CHILD_H_

#include <sys/types.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "detlite/status.h"

namespace detlite::cli {

class PipedChild {
 public:
  // argv[0] is looked up on $PATH; stderr is written to `err_path`.
  static StatusOr<std::unique_ptr<PipedChild>> Start(const std::vector<std::string>& argv,
                                                     const std::string& err_path);
  ~PipedChild();  // closes stdin, waits for the child (kills it if still running)
  PipedChild(const PipedChild&) = delete;
  PipedChild& operator=(const PipedChild&) = delete;

  Status WriteLine(const std::string& line);
  // The next line without its newline; an error at end of output, quoting
  // the last line of the child's stderr.
  StatusOr<std::string> ReadLine();
  // Closes stdin and returns the exit code (-1 if killed by a signal).
  int Finish();

 private:
  PipedChild() = default;
  std::string ErrorTail() const;

  pid_t pid_ = -1;
  FILE* to_child_ = nullptr;
  FILE* from_child_ = nullptr;
  std::string err_path_;
};

}  // namespace detlite::cli

#endif  // DETLITE_TOOLS_DETLITE_PIPED_CHILD_H_
