// The quantization debugger (what `detlite compare` does): runs a float
// model and its quantized version on the same inputs and measures, tensor by
// tensor, how far the quantized values drift from the float ones, so the
// layer where accuracy is lost can be found.
//
//   ASSIGN_OR_RETURN(CompareReport r, CompareModels(float_model, int8_model, opts));
//   for (const auto& t : r.tensors) ... t.sqnr_db ...
#ifndef DETLITE_COMPARE_H_
#define DETLITE_COMPARE_H_

#include <string>
#include <vector>

#include "detlite/inputs.h"
#include "detlite/model.h"
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

}  // namespace detlite

#endif  // DETLITE_COMPARE_H_
