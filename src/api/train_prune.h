// `detlite train --prune-schedule`: each layer's final sparsity, allocated
// by detlite::Prune on a copy of the model (measured sensitivity), for the
// training loop's gradual schedule (train/prune_schedule.h).
#ifndef DETLITE_API_TRAIN_PRUNE_H_
#define DETLITE_API_TRAIN_PRUNE_H_

#include "detlite/model.h"
#include "detlite/train.h"
#include "ir/graph.h"
#include "train/prune_schedule.h"

namespace detlite::api {

// Inactive when options.prune_sparsity is 0. Refuses a sparsity outside
// [0, 1) and begin/end/every that do not fit --steps, before any work.
StatusOr<train::PruneSchedule> PruneScheduleOf(const Model& model, const TrainOptions& options);

}  // namespace detlite::api

#endif  // DETLITE_API_TRAIN_PRUNE_H_
