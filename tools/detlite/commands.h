// The detlite CLI: each subcommand parses its flags into a params struct and
// calls the public API (include/detlite/); nothing here reaches into src/.
#ifndef DETLITE_TOOLS_DETLITE_COMMANDS_H_
#define DETLITE_TOOLS_DETLITE_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "detlite/status.h"

namespace detlite::cli {

// Each Add* registers a subcommand and sets *run to its action when chosen.
void AddInspectCommand(CLI::App& app, std::function<Status()>* run);
void AddRunCommand(CLI::App& app, std::function<Status()>* run);
void AddConvertCommand(CLI::App& app, std::function<Status()>* run);
void AddDetectCommand(CLI::App& app, std::function<Status()>* run);   // cmd_detect.cc
void AddEvalCommand(CLI::App& app, std::function<Status()>* run);     // cmd_eval.cc
void AddBenchCommand(CLI::App& app, std::function<Status()>* run);    // cmd_bench.cc
void AddCompareCommand(CLI::App& app, std::function<Status()>* run);  // cmd_compare.cc
void AddSweepCommand(CLI::App& app, std::function<Status()>* run);    // cmd_sweep.cc
void AddTrainCommand(CLI::App& app, std::function<Status()>* run);    // cmd_train.cc

}  // namespace detlite::cli

#endif  // DETLITE_TOOLS_DETLITE_COMMANDS_H_
