// detlite convert IN.tflite -o OUT.tflite
#include <cstdio>
#include <memory>

#include "commands.h"
#include "detlite/model.h"

namespace detlite::cli {
namespace {

struct ConvertParams {
  std::string input;
  std::string output;
};

Status RunConvert(const ConvertParams& p) {
  ASSIGN_OR_RETURN(Model model, Model::Load(p.input));
  RETURN_IF_ERROR(model.Save(p.output));
  std::fprintf(stderr, "wrote %s\n", p.output.c_str());
  return Status::Ok();
}

}  // namespace

void AddConvertCommand(CLI::App& app, std::function<Status()>* run) {
  auto params = std::make_shared<ConvertParams>();
  CLI::App* cmd = app.add_subcommand(
      "convert",
      "Read a model and write it as .tflite. For now this is a faithful round\n"
      "trip (same ops, tensors, quantization, metadata and signatures); the\n"
      "optimization passes come behind it.\n"
      "Example: detlite convert detect.tflite -o detect_copy.tflite");
  cmd->add_option("input", params->input, "the model to read (.tflite)")->required();
  cmd->add_option("-o,--output", params->output, "the .tflite to write")->required();
  cmd->callback([params, run] { *run = [params] { return RunConvert(*params); }; });
}

}  // namespace detlite::cli
