// Turning the evaluator's arrays into the public CocoSummary.
#ifndef DETLITE_API_EVAL_SUMMARY_H_
#define DETLITE_API_EVAL_SUMMARY_H_

#include <vector>

#include "detlite/evaluate.h"
#include "eval/coco_eval.h"

namespace detlite::api {

CocoSummary Summarize(const eval::CocoDataset& gt, const std::vector<eval::Detection>& dets,
                      const eval::CocoMetrics& m);

}  // namespace detlite::api

#endif  // DETLITE_API_EVAL_SUMMARY_H_
