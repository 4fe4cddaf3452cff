// From what calibration observed to the range a tensor is quantized over,
// and from a range to TFLite's scale and zero point.
#ifndef DETLITE_QUANT_RANGE_SELECT_H_
#define DETLITE_QUANT_RANGE_SELECT_H_

#include <cstdint>
#include <string>

#include "detlite/settings.h"
#include "detlite/status.h"
#include "quant/observer.h"

namespace detlite::quant {

using ::detlite::CalibrationMethod;  // detlite/settings.h

bool MethodNeedsHistogram(CalibrationMethod method);

struct Range {
  float min = 0;
  float max = 0;
};

// The clipping range for one tensor. Percentile clips both tails at
// `percentile` percent; mse and kl search shrunken ranges of the observed one
// for the least squared error / KL divergence after quantizing to `levels`
// values. Always contains 0.
Range SelectRange(const Observer& obs, CalibrationMethod method, float percentile, int levels);

struct AffineParams {
  float scale = 1;
  int64_t zero_point = 0;
};

// TFLite's asymmetric parameters for [min, max] over [qmin, qmax]: the range
// is widened to contain 0, then the zero point is the rounded qmin - min /
// scale, clamped (the "nudging" that makes 0 exactly representable).
AffineParams AsymmetricParams(Range r, int64_t qmin, int64_t qmax);
// Symmetric (zero point 0) over [-qmax, qmax]: int8 weights, int16 data.
AffineParams SymmetricParams(float abs_max, int64_t qmax);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_RANGE_SELECT_H_
