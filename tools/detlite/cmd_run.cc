// detlite run MODEL --input FILE... [--output-dir DIR] [--json]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli_common.h"
#include "commands.h"
#include "detlite/inputs.h"
#include "detlite/model.h"
#include "json_util.h"

namespace detlite::cli {
namespace {

struct RunParams {
  std::string model;
  std::vector<std::string> inputs;
  std::string output_dir;
  bool json = false;
  PreprocessOptions pre;
};

std::string SafeFileName(std::string name, int index) {
  if (name.empty()) name = "output_" + std::to_string(index);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
  }
  return name + ".npy";
}

nlohmann::json Summary(const HostTensor& t) {
  const std::vector<float> v = t.ToFloat();
  nlohmann::json j = TensorInfoJson(t.info);
  if (v.empty()) return j;
  double sum = 0;
  float lo = v[0], hi = v[0];
  for (float x : v) {
    sum += x;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  j["min"] = lo;
  j["max"] = hi;
  j["mean"] = sum / static_cast<double>(v.size());
  j["first"] = std::vector<float>(v.begin(), v.begin() + std::min<size_t>(v.size(), 8));
  return j;
}

Status RunRun(const RunParams& p) {
  ASSIGN_OR_RETURN(Model model, Model::Load(p.model));
  ASSIGN_OR_RETURN(Runner runner, Runner::Create(model));
  if (static_cast<int>(p.inputs.size()) != runner.num_inputs()) {
    return InvalidArgument(p.model + ": the model has " + std::to_string(runner.num_inputs()) +
                           " input(s); " + std::to_string(p.inputs.size()) + " --input given");
  }
  for (int i = 0; i < runner.num_inputs(); ++i) {
    std::string how;
    ASSIGN_OR_RETURN(HostTensor t, LoadInput(p.inputs[static_cast<size_t>(i)],
                                             runner.InputInfo(i), p.pre, &how));
    if (!p.json) std::fprintf(stderr, "input %d: %s\n", i, how.c_str());
    RETURN_IF_ERROR(runner.SetInput(i, t.bytes));
  }
  RETURN_IF_ERROR(runner.Run());
  nlohmann::json out = nlohmann::json::array();
  std::vector<std::string> inputs = p.inputs;
  inputs.push_back(p.model);
  if (!p.output_dir.empty()) {
    RETURN_IF_ERROR(CheckOutputDirectory("-o", p.output_dir));
    std::error_code ec;
    std::filesystem::create_directories(p.output_dir, ec);
    if (ec) return IoError(p.output_dir + ": cannot create directory: " + ec.message());
  }
  for (int i = 0; i < runner.num_outputs(); ++i) {
    const HostTensor t = runner.Output(i);
    nlohmann::json s = Summary(t);
    if (!p.output_dir.empty()) {
      const std::string path = p.output_dir + "/" + SafeFileName(t.info.name, i);
      RETURN_IF_ERROR(CheckOutputPath("-o", path, inputs));
      RETURN_IF_ERROR(WriteNpy(path, t));
      s["file"] = path;
    }
    if (!p.json) {
      std::printf("output %d %s %s min %g max %g mean %g%s\n", i, t.info.name.c_str(),
                  TensorInfoText(t.info).c_str(), s.value("min", 0.0), s.value("max", 0.0),
                  s.value("mean", 0.0),
                  s.contains("file") ? (" -> " + s["file"].get<std::string>()).c_str() : "");
    }
    out.push_back(s);
  }
  if (p.json) std::cout << DumpJson(nlohmann::json{{"model", p.model}, {"outputs", out}}, 2) << "\n";
  return Status::Ok();
}

}  // namespace

void AddRunCommand(CLI::App& app, std::function<Status()>* run) {
  auto params = std::make_shared<RunParams>();
  CLI::App* cmd = app.add_subcommand(
      "run",
      "Run a model with detlite's interpreter on images or .npy tensors and write\n"
      "every output as .npy (named after the tensor).\n"
      "Images (JPEG/PNG/BMP) are resized to the input's size and normalized:\n"
      "  --preset auto     uint8 input: raw pixels; float input: [-1,1] (default)\n"
      "  --preset raw|unit|signed|imagenet, or --mean/--std per channel.\n"
      "Example: detlite run face_detection_short_range.tflite --input face.jpg -o out/");
  cmd->add_option("model", params->model, "a .tflite file")->required();
  cmd->add_option("-i,--input", params->inputs, "one file per model input (image or .npy)")
      ->required();
  cmd->add_option("-o,--output-dir", params->output_dir, "write outputs as .npy here")->check(kNonEmpty);
  cmd->add_flag("--json", params->json, "print a JSON summary of the outputs");
  AddPreprocessFlags(cmd, &params->pre);
  cmd->callback([params, run] { *run = [params] { return RunRun(*params); }; });
}

}  // namespace detlite::cli
