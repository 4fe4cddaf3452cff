// What `detlite sweep` prints: the trial list, a progress line per trial
// with an ETA, the summary (text or JSON); and the real-TFLite timing hook.
#ifndef DETLITE_TOOLS_DETLITE_SWEEP_OUTPUT_H_
#define DETLITE_TOOLS_DETLITE_SWEEP_OUTPUT_H_

#include <chrono>
#include <functional>
#include <string>

#include "detlite/sweep.h"

namespace detlite::cli {

void PrintTrialList(const SweepPlan& plan, const Shard& shard, bool json);
void PrintProgress(const SweepProgress& s, std::chrono::steady_clock::time_point start);
void PrintSummary(const SweepSummary& summary, const Shard& shard, const std::string& report,
                  bool json);
// Times a .tflite in the real TFLite runtime (bench --vs-tflite's path).
std::function<StatusOr<double>(const std::string&, int, int)> RealTfliteLatency(
    const std::string& runner_script);

}  // namespace detlite::cli

#endif  // DETLITE_TOOLS_DETLITE_SWEEP_OUTPUT_H_
