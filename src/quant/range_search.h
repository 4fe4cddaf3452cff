// Histogram-based choices of a clipping range: the percentile cut, and the
// search for the range that quantizes the observed distribution best (least
// mean squared error, or least KL divergence as in TensorRT's entropy
// calibration, generalized to asymmetric ranges).
#ifndef DETLITE_QUANT_RANGE_SEARCH_H_
#define DETLITE_QUANT_RANGE_SEARCH_H_

#include "quant/observer.h"
#include "quant/range_select.h"

namespace detlite::quant {

// [q_low, q_high] where q_low leaves (100 - percentile) / 2 percent of the
// values below it and q_high as many above; `observed` when the histogram
// is empty.
Range PercentileRange(const Histogram& h, float percentile, Range observed);

enum class RangeCriterion { kMse, kKl };

// Tries ranges observed * f for f from 1 down to 0.05 (each side shrunk by
// the same factor) and returns the best for `criterion`.
Range SearchRange(const Histogram& h, Range observed, int levels, RangeCriterion criterion);

// The criterion's cost of quantizing `h` over `r` with `levels` values
// (exposed for tests).
double RangeCost(const Histogram& h, Range r, int levels, RangeCriterion criterion);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_RANGE_SEARCH_H_
