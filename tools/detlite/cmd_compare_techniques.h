// `detlite compare --techniques`: the post-training technique ladder of a
// float model, step by step (detlite::CompareTechniques).
#ifndef DETLITE_TOOLS_DETLITE_CMD_COMPARE_TECHNIQUES_H_
#define DETLITE_TOOLS_DETLITE_CMD_COMPARE_TECHNIQUES_H_

#include <CLI/CLI.hpp>
#include <string>

#include "detlite/compare.h"
#include "detlite/status.h"

namespace detlite::cli {

struct CompareParams {
  std::string float_model;
  std::string quant_model;
  CompareOptions options;
  bool json = false;
  std::string html;
  int top = 15;
  // --techniques
  bool techniques = false;
  TechniqueOptions ladder;
  int64_t eval_size = -1;
};

// --techniques, --calibration-data, --calibration-size, --quantize, --adaround,
// --eval-data, --eval-size, --labels.
void AddTechniqueFlags(CLI::App* cmd, CompareParams* p);
Status RunCompareTechniques(const CompareParams& p);

}  // namespace detlite::cli

#endif  // DETLITE_TOOLS_DETLITE_CMD_COMPARE_TECHNIQUES_H_
