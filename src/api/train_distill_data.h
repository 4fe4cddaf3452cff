// The samples distillation trains on: a calibration set's photos and, with
// augmentations (TrainOptions' augment_flip / _crop / _color; flip and
// crop by default, as for the SSD loss), kDistillCopies - 1 augmented
// copies of each. The teacher sees the same pixels as the student, so any
// augmentation is a valid target. Copy k of photo i is sample k * n + i,
// augmented with a seed mixed from TrainOptions::seed and that index, so
// the same seed gives the same pixels and a resumed run sees the same
// copies. A .npy sample (already a model input) is used as it is in every
// copy.
#ifndef DETLITE_API_TRAIN_DISTILL_DATA_H_
#define DETLITE_API_TRAIN_DISTILL_DATA_H_

#include "api/quantize_calibration.h"
#include "detlite/train.h"

namespace detlite::api {

inline constexpr int kDistillCopies = 4;

// The loader (valid while `set` lives) and, in *samples, how many samples
// it serves: n, or kDistillCopies * n with augmentations.
quant::SampleLoader DistillLoader(const CalibrationSet& set, const TensorInfo& input,
                                  const TrainOptions& options, int* samples);

}  // namespace detlite::api

#endif  // DETLITE_API_TRAIN_DISTILL_DATA_H_
