// What the `detlite eval` commands share: the parsed flags, the options a
// model run takes from them, and printing a result (text, --json, --report).
#ifndef DETLITE_TOOLS_DETLITE_EVAL_PARAMS_H_
#define DETLITE_TOOLS_DETLITE_EVAL_PARAMS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "detlite/evaluate.h"
#include "detlite/status.h"

namespace detlite::cli {

struct EvalParams {
  std::string model;
  std::string dataset;
  std::string detections;
  std::string labels;
  std::string report;
  std::string compare_to;
  int worst = 6;
  std::vector<double> ious = {0.5};
  int64_t max_images = -1;
  float score_threshold = 0.0f;
  bool json = false;
  PreprocessOptions pre;
  std::string shard;   // --shard K/N
  std::string part;    // -o: write a part file for eval merge
  std::vector<std::string> merge_parts;
};

EvalOptions ModelEvalOptions(const EvalParams& p);
Status PrintResult(const EvalParams& p, const EvalResult& result);

// eval MODEL --dataset D [--shard K/N] -o part.json (cmd_eval_shard.cc).
Status RunEvalShard(const EvalParams& p);
// eval merge PART... [--report r.html] [--json].
Status RunEvalMerge(const EvalParams& p);

}  // namespace detlite::cli

#endif  // DETLITE_TOOLS_DETLITE_EVAL_PARAMS_H_
