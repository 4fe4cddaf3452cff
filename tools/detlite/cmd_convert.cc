// detlite convert IN -o OUT.tflite|OUT.onnx [step flags...]
#include <cstdio>
#include <memory>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "convert_steps.h"
#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/onnx.h"

namespace detlite::cli {
namespace {

struct ConvertParams {
  std::string input;
  std::string output;
  std::unique_ptr<ImportStep> import;
  std::vector<std::unique_ptr<ConvertStep>> steps;  // in pipeline order
};

Status RunConvert(ConvertParams& p) {
  std::vector<std::string> inputs = {p.input};
  for (auto& step : p.steps) {
    for (std::string& f : step->InputFiles()) inputs.push_back(std::move(f));
  }
  RETURN_IF_ERROR(CheckOutputPath("-o", p.output, inputs));
  ImportReport report;
  ASSIGN_OR_RETURN(Model model, p.import->Load(p.input, &report));
  for (auto& step : p.steps) step->OnImported(report);
  for (auto& step : p.steps) {
    if (step->enabled()) RETURN_IF_ERROR(step->Apply(model));
  }
  if (IsOnnxPath(p.output)) {
    RETURN_IF_ERROR(SaveOnnx(model, p.output));
  } else {
    RETURN_IF_ERROR(model.Save(p.output));
  }
  std::fprintf(stderr, "wrote %s\n", p.output.c_str());
  return Status::Ok();
}

}  // namespace

void AddConvertCommand(CLI::App& app, std::function<Status()>* run) {
  auto params = std::make_shared<ConvertParams>();
  CLI::App* cmd = app.add_subcommand(
      "convert",
      "Read a model, optionally add SSD post-processing and quantize it, and\n"
      "write a .tflite. Without step flags this is a faithful round trip (same\n"
      "ops, tensors, quantization, metadata and signatures).\n"
      "An output ending in .onnx writes a float ONNX model (opset 13) instead,\n"
      "for ONNX Runtime: same NHWC inputs and outputs, fp16/sparse weights\n"
      "folded to fp32; quantized models and custom ops (e.g.\n"
      "TFLite_Detection_PostProcess) are refused.\n"
      "--input-size HxW re-targets the detector to a new fixed input: every\n"
      "shape inferred again, the SSD anchors (TFLite_Detection_PostProcess's, or\n"
      "an imported SSD's) moved to the new feature maps, weights unchanged; what\n"
      "cannot follow (a FULLY_CONNECTED over spatial features, a fixed RESHAPE)\n"
      "is refused with the op named.\n"
      "Example: detlite convert detect.tflite -o detect_copy.tflite\n"
      "         detlite convert face.tflite -o face.onnx\n"
      "         detlite convert ssd.tflite --input-size 320x320 -o ssd_320.tflite\n"
      "         detlite convert face_detection_short_range.tflite --input-size 192x192 \\\n"
      "             --add-postprocess --anchors blazeface-short -o face_192.tflite");
  cmd->add_option("input", params->input, "the model to read")->required();
  cmd->add_option("-o,--output", params->output, "the .tflite (or .onnx) to write")
      ->required()
      ->check(kNonEmpty);
  params->import = MakeImportStep();
  params->import->AddFlags(*cmd);
  auto calibration = std::make_shared<CalibrationFlags>();
  params->steps.push_back(MakeDequantizeStep());
  params->steps.push_back(MakePostprocessStep());
  params->steps.push_back(MakePruneStep(calibration));
  params->steps.push_back(MakeQuantizeStep(calibration));
  for (auto& step : params->steps) step->AddFlags(*cmd);
  cmd->callback([params, run] { *run = [params] { return RunConvert(*params); }; });
}

}  // namespace detlite::cli
