// `detlite convert` is a fixed, ordered pipeline of steps. Each step owns its
// flags and its file (cmd_convert_<step>.cc), so features land independently:
//   import (read any supported input) -> dequantize (back to float, if asked)
//   -> postprocess (add SSD decoding + NMS)
//   -> prune -> quantize -> save.
#ifndef DETLITE_TOOLS_DETLITE_CONVERT_STEPS_H_
#define DETLITE_TOOLS_DETLITE_CONVERT_STEPS_H_

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "detlite/import.h"
#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/status.h"

namespace detlite::cli {

class ConvertStep {
 public:
  virtual ~ConvertStep() = default;
  // Registers the step's flags on the convert subcommand.
  virtual void AddFlags(CLI::App& cmd) = 0;
  // Whether the flags given ask for this step.
  virtual bool enabled() const = 0;
  // Transforms the model in place; prints one stderr line per action taken.
  virtual Status Apply(Model& model) = 0;
  // Told what the import found (e.g. an Object Detection API SSD whose
  // post-processing must be re-attached) before enabled() is asked.
  virtual void OnImported(const ImportReport& report) { (void)report; }
  // Files the step reads (an output path must not name one of them).
  virtual std::vector<std::string> InputFiles() const { return {}; }
};

// Reading the input: .tflite today; TensorFlow formats plug in here.
class ImportStep {
 public:
  virtual ~ImportStep() = default;
  virtual void AddFlags(CLI::App& cmd) = 0;
  // *report is left default for a .tflite input.
  virtual StatusOr<Model> Load(const std::string& path, ImportReport* report) = 0;
};

std::unique_ptr<ImportStep> MakeImportStep();           // cmd_convert_import.cc
std::unique_ptr<ConvertStep> MakeDequantizeStep();      // cmd_convert_dequantize.cc
std::unique_ptr<ConvertStep> MakePostprocessStep();     // cmd_convert_postprocess.cc
// Flags more than one step reads: registered once by the quantize step,
// read by pruning too (its sensitivity runs on the calibration photos).
struct CalibrationFlags {
  std::string data;
  PreprocessOptions preprocess;
};

std::unique_ptr<ConvertStep> MakePruneStep(std::shared_ptr<const CalibrationFlags> calibration);  // cmd_convert_prune.cc
std::unique_ptr<ConvertStep> MakeQuantizeStep(std::shared_ptr<CalibrationFlags> calibration);  // cmd_convert_quantize.cc

}  // namespace detlite::cli

#endif  // DETLITE_TOOLS_DETLITE_CONVERT_STEPS_H_
