// The quantization debugger (what `detlite compare` does): runs a float
// model and its quantized version on the same inputs and measures, tensor by
// tensor, how far the quantized values drift from the float ones, so the
// layer where accuracy is lost can be found.
//
//   ASSIGN_OR_RETURN(CompareReport r, CompareModels(float_model, int8_model, opts));
//   for (const auto& t : r.tensors) ... t.sqnr_db ...
#ifndef DETLITE_COMPARE_H_
#define DETLITE_COMPARE_H_

#include <functional>
#include <string>
#include <vector>

#include "detlite/evaluate.h"
#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/quantize.h"
#include "detlite/status.h"

namespace detlite {

struct CompareOptions {
  // Images or .npy inputs: a folder (sorted by name) or one file.
  std::string data;
  int max_samples = 8;
  PreprocessOptions preprocess;
};

// One tensor present in both models (matched by name; an int8 tensor named
// "<name>_int8" matches the float "<name>"), over all samples.
struct TensorComparison {
  std::string name;
  std::string producer;  // op that writes it in the quantized model, "" for inputs/constants
  std::string dtype;     // in the quantized model
  bool is_output = false;
  int64_t elements = 0;
  double float_min = 0, float_max = 0;
  double max_abs_error = 0;
  double mean_abs_error = 0;
  double rmse = 0;
  // 10 log10(signal power / error power); higher is better, +inf if exact.
  double sqnr_db = 0;
  // The quantized tensor's scale (0 for float tensors) and the RMSE in
  // those steps: about 0.29 is the floor of rounding alone.
  double scale = 0;
  double rmse_in_steps = 0;
};

struct CompareReport {
  int samples = 0;
  std::vector<TensorComparison> tensors;  // in the quantized model's op order
  std::vector<std::string> unmatched;     // float tensors with no counterpart
};

StatusOr<CompareReport> CompareModels(const Model& float_model, const Model& quantized_model,
                                      const CompareOptions& options);

// The report as a JSON object and as a standalone HTML page.
std::string CompareReportJson(const CompareReport& report);
std::string CompareReportHtml(const CompareReport& report, const std::string& title);

// What each post-training technique buys (`detlite compare --techniques`):
// the float model is quantized once per step of a cumulative ladder (plain
// int8; + cross-layer equalization; + bias correction, the default; +
// AdaRound when asked), each step is compared tensor by tensor with the float
// model and, given a labelled dataset, scored, so a user sees what each step
// changed: the SQNR of every tensor and the AP.
//
//   TechniqueOptions o;
//   o.quantize.calibration_data = "train/images";
//   o.compare.data = "photos/";
//   o.eval_data = "val/annotations.json";  // optional
//   ASSIGN_OR_RETURN(TechniqueReport r, CompareTechniques(float_model, o));
struct TechniqueOptions {
  // Calibration data, preprocessing, io type...: the settings every step
  // shares. The technique fields (equalize, bias_correction,
  // weight_rounding) are set by each step.
  QuantizeOptions quantize;
  bool adaround = false;  // add the AdaRound step (slow: minutes on an SSD)
  CompareOptions compare;
  // A labelled dataset (COCO json, VOC, TFRecord) to score the float model
  // and every step on; empty for SQNR only. The model must end in
  // TFLite_Detection_PostProcess.
  std::string eval_data;
  EvalOptions eval;
  // Called as each step starts (index, label) and when it ends.
  std::function<void(int step, const std::string& label, bool done)> progress;
};

struct TechniqueStep {
  std::string label;  // "plain int8", "+ equalization", ...
  std::string flags;  // the `detlite convert` flags that make it
  double convert_seconds = 0;
  CompareReport compare;
  // The lowest SQNR over the model's heads: its outputs, or, for outputs of
  // TFLite_Detection_PostProcess, that op's box encodings and scores.
  double head_sqnr_db = 0;
  bool evaluated = false;
  double ap = 0, ap50 = 0, ap_large = 0;  // COCO AP@[.5:.95], AP@.5, APl
};

struct TechniqueReport {
  std::vector<std::string> heads;  // the tensors head_sqnr_db is taken over
  bool evaluated = false;
  double float_ap = 0, float_ap50 = 0, float_ap_large = 0;
  std::vector<TechniqueStep> steps;
};

StatusOr<TechniqueReport> CompareTechniques(const Model& float_model,
                                            const TechniqueOptions& options);

std::string TechniqueReportJson(const TechniqueReport& report);
std::string TechniqueReportHtml(const TechniqueReport& report, const std::string& title);

}  // namespace detlite

#endif  // DETLITE_COMPARE_H_
