// One trial: convert through the public API, then measure the written file.
#ifndef DETLITE_SWEEP_RUN_TRIAL_H_
#define DETLITE_SWEEP_RUN_TRIAL_H_

#include <string>

#include "detlite/sweep.h"

namespace detlite::sweep {

// Never fails as a call: an error in any step is recorded in the result
// (status "failed", error = the step's message) so the sweep goes on.
TrialResult RunTrial(const SweepPlan& plan, const TrialSpec& trial, const std::string& out_dir,
                     const SweepOptions& options);

// The result's fields that come from the plan alone (no measurement).
TrialResult DescribeTrial(const SweepPlan& plan, const TrialSpec& trial);

}  // namespace detlite::sweep

#endif  // DETLITE_SWEEP_RUN_TRIAL_H_
