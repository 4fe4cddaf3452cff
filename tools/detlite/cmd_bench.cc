// detlite bench (being built).
#include "commands.h"

namespace detlite::cli {

void AddBenchCommand(CLI::App& app, std::function<Status()>* run) {}

}  // namespace detlite::cli
