// Pieces of the plan reader shared between its files.
#ifndef DETLITE_SWEEP_PLAN_INTERNAL_H_
#define DETLITE_SWEEP_PLAN_INTERNAL_H_

#include <nlohmann/json.hpp>
#include <string>

#include "detlite/sweep.h"

namespace detlite::sweep {

// `entry` is the plan's JSON at `where` ("/quantization/2").
Status ParseQuantization(const std::string& file, const std::string& where,
                         const nlohmann::json& entry, SweepQuantization* q);
Status ParseModel(const std::string& file, const std::string& plan_dir, const std::string& where,
                  const nlohmann::json& entry, SweepModel* m);

}  // namespace detlite::sweep

#endif  // DETLITE_SWEEP_PLAN_INTERNAL_H_
