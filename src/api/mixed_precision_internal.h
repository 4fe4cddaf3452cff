// Internals of accuracy-bounded mixed precision shared between its files.
#ifndef DETLITE_API_MIXED_PRECISION_INTERNAL_H_
#define DETLITE_API_MIXED_PRECISION_INTERNAL_H_

#include <vector>

#include "detlite/mixed_precision.h"

namespace detlite::api {

// The ops `quantized` (made from `float_model` by Quantize with `q`)
// quantizes, those whose rounded output alone hurts the detector's raw
// outputs most first, measured on up to `samples` calibration photos of
// q.calibration_data.
StatusOr<std::vector<OpSensitivity>> RankOpsByOutputSqnr(const Model& float_model,
                                                       const Model& quantized,
                                                       const QuantizeOptions& q,
                                                       int samples);

}  // namespace detlite::api

#endif  // DETLITE_API_MIXED_PRECISION_INTERNAL_H_
