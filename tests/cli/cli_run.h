// Runs the detlite binary as a user would, for the CLI tests: the path of the
// built binary is put in front of `args`; a process that cannot be started
// fails the test and yields an empty result.
#ifndef DETLITE_TESTS_CLI_CLI_RUN_H_
#define DETLITE_TESTS_CLI_CLI_RUN_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/paths.h"
#include "support/subprocess.h"

namespace detlite::testing {

inline ProcessResult RunCli(std::vector<std::string> args, int timeout_seconds) {
  args.insert(args.begin(), CliPath());
  auto r = RunProcess(args, timeout_seconds);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : ProcessResult{};
}

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_CLI_CLI_RUN_H_
