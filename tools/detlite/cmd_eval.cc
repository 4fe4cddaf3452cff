// detlite eval (being built).
#include "commands.h"

namespace detlite::cli {

void AddEvalCommand(CLI::App& app, std::function<Status()>* run) {}

}  // namespace detlite::cli
