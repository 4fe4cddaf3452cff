// Pieces several subcommands share: image preprocessing flags, a progress
// bar, and output directories.
#ifndef DETLITE_TOOLS_DETLITE_CLI_COMMON_H_
#define DETLITE_TOOLS_DETLITE_CLI_COMMON_H_

#include <CLI/CLI.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "detlite/inputs.h"
#include "detlite/settings.h"
#include "detlite/status.h"

namespace detlite::cli {

// --preset, --mean, --std, --bgr, --resize.
void AddPreprocessFlags(CLI::App* cmd, PreprocessOptions* pre);

// A flag taking one of a setting's names (detlite/settings.h): the help
// text and the error for a wrong name list them, from the one table.
template <typename E>
CLI::Option* AddSettingOption(CLI::App* cmd, const std::string& flag, E* value,
                              const std::string& help) {
  std::vector<std::string> names;
  for (const SettingName<E>& n : SettingNames<E>()) {
    if (*n.name != '\0') names.push_back(n.name);
  }
  return cmd
      ->add_option_function<std::string>(
          flag, [value](const std::string& s) { ParseSetting(s, value); }, help)
      ->check(CLI::IsMember(names));
}

// A number in [lo, hi]: unlike CLI::Range it refuses NaN (which compares
// false both ways) and infinities. Works for each value of a vector flag.
CLI::Validator NumberIn(double lo, double hi);

// Refuses an empty value ("-o ''"), which would otherwise read as "not given".
extern const CLI::Validator kNonEmpty;

// Creates `dir` (and parents) if missing.
Status EnsureDirectory(const std::string& dir);

// A progress bar on stderr for work that takes more than a second: silent
// before that, redrawn in place on a terminal, one line every ~5 s otherwise.
class Progress {
 public:
  Progress(std::string what, int64_t total);
  ~Progress();
  void Update(int64_t done, const std::string& note = "");
  void Finish();

 private:
  std::string what_;
  int64_t total_;
  std::chrono::steady_clock::time_point start_, last_;
  bool tty_;
  bool shown_ = false;
  bool finished_ = false;
};

}  // namespace detlite::cli

#endif  // DETLITE_TOOLS_DETLITE_CLI_COMMON_H_
