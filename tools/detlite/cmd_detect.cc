// detlite detect (being built).
#include "commands.h"

namespace detlite::cli {

void AddDetectCommand(CLI::App& app, std::function<Status()>* run) {}

}  // namespace detlite::cli
