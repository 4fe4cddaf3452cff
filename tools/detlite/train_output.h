// `detlite train`'s parameters and what it prints: the progress lines on
// stderr, the summary (text or --json) on stdout, the --report page.
#ifndef DETLITE_TOOLS_DETLITE_TRAIN_OUTPUT_H_
#define DETLITE_TOOLS_DETLITE_TRAIN_OUTPUT_H_

#include <string>

#include "detlite/status.h"
#include "detlite/train.h"

namespace detlite::cli {

struct TrainParams {
  std::string model;
  std::string output;
  bool qat = false;
  bool json = false;
  std::string loss;  // "", "distill" or "ssd"; "" with --qat: chosen by the data
  bool distill = false;  // --distill
  std::string augment = "flip,crop";
  std::string class_loss = "sigmoid";
  std::string hard_mining = "on";
  std::string optimizer = "adam";
  std::string lr_schedule = "cosine";
  std::string report;         // --report
  bool resume = false;        // --resume given
  std::string resume_path;    // its value; empty: <checkpoint>
  bool no_checkpoint = false;
  TrainOptions options;
};

void PrintStep(const TrainProgress& s);
void PrintEval(const TrainEvalPoint& e, const std::string& dataset);
// The summary of a finished run, and the --report page when asked.
Status PrintTrainSummary(const TrainParams& p, const TrainReport& r);

}  // namespace detlite::cli

#endif  // DETLITE_TOOLS_DETLITE_TRAIN_OUTPUT_H_
