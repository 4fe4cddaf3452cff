// detlite compare (being built).
#include "commands.h"

namespace detlite::cli {

void AddCompareCommand(CLI::App& app, std::function<Status()>* run) {}

}  // namespace detlite::cli
