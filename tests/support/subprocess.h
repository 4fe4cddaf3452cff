// Runs a helper program (node, python) from a test without a shell, so no
// argument is ever interpreted by one, and collects what it printed.
#ifndef DETLITE_TESTS_SUPPORT_SUBPROCESS_H_
#define DETLITE_TESTS_SUPPORT_SUBPROCESS_H_

#include <string>
#include <vector>

#include "detlite/status.h"

namespace detlite::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;      // the signal that ended it, or 0
  bool timed_out = false;
  std::string out;  // stdout
  std::string err;  // stderr
  long max_rss_kib = 0;  // the child's peak resident memory (getrusage)
  double seconds = 0;    // wall time from start to exit
};

// argv[0] must be a path (see FindExecutable). A program that outlives
// `timeout_seconds` is killed and reported with timed_out set. The Status is
// an error only when the program could not be started.
StatusOr<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                   double timeout_seconds = 600);

// The first executable `name` on $PATH, or "" if there is none.
std::string FindExecutable(const std::string& name);

// The last line of `text` that is not blank, without its newline.
std::string LastLine(const std::string& text);

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_SUPPORT_SUBPROCESS_H_
