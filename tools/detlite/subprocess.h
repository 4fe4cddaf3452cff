// Running another program without a shell (so no argument is ever
// interpreted), for `bench --vs-tflite`, which times the real TFLite runtime
// under node.
#ifndef DETLITE_TOOLS_DETLITE_SUBPROCESS_H_
#define DETLITE_TOOLS_DETLITE_SUBPROCESS_H_

#include <string>
#include <vector>

#include "detlite/status.h"

namespace detlite::cli {

struct ChildResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
};

// argv[0] is looked up on $PATH. An error only when it cannot be started.
StatusOr<ChildResult> RunChild(const std::vector<std::string>& argv);

}  // namespace detlite::cli

#endif  // DETLITE_TOOLS_DETLITE_SUBPROCESS_H_
