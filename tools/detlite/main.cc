#include <cstdio>
#include <exception>
#include <functional>
#include <new>
#include <string>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{
      "detlite: optimize, quantize and check TensorFlow Lite object detectors.\n"
      "Run 'detlite COMMAND --help' for the flags of a command."};
  app.set_version_flag("--version", "detlite 0.1.0");
  app.require_subcommand(1);
  std::function<detlite::Status()> run;
  detlite::cli::AddInspectCommand(app, &run);
  detlite::cli::AddRunCommand(app, &run);
  detlite::cli::AddConvertCommand(app, &run);
  detlite::cli::AddDetectCommand(app, &run);
  detlite::cli::AddEvalCommand(app, &run);
  detlite::cli::AddBenchCommand(app, &run);
  detlite::cli::AddCompareCommand(app, &run);
  detlite::cli::AddSweepCommand(app, &run);
  detlite::cli::AddTrainCommand(app, &run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  // Errors travel as Status; an exception reaching here is a bug, but it
  // still ends in one line and exit 1 instead of an abort.
  detlite::Status status = detlite::Status::Ok();
  try {
    status = run();
  } catch (const std::bad_alloc&) {
    status = detlite::Internal("out of memory (see docs/LIMITS.md for the input limits)");
  } catch (const std::exception& e) {
    status = detlite::Internal(std::string("unexpected exception: ") + e.what());
  }
  if (!status.ok()) {
    std::fprintf(stderr, "detlite: error: %s\n", status.message().c_str());
    return 1;
  }
  return 0;
}
