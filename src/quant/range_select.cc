#include "quant/range_select.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "quant/range_search.h"

namespace detlite::quant {

bool MethodNeedsHistogram(CalibrationMethod method) {
  return method == CalibrationMethod::kPercentile || method == CalibrationMethod::kMse ||
         method == CalibrationMethod::kKl;
}

Range SelectRange(const Observer& obs, CalibrationMethod method, float percentile, int levels) {
  Range r{obs.min(), obs.max()};
  switch (method) {
    case CalibrationMethod::kMinMax:
      break;
    case CalibrationMethod::kMovingAverage:
      r = {obs.ema_min(), obs.ema_max()};
      break;
    case CalibrationMethod::kPercentile:
      r = PercentileRange(obs.histogram(), percentile, r);
      break;
    case CalibrationMethod::kMse:
      r = SearchRange(obs.histogram(), r, levels, RangeCriterion::kMse);
      break;
    case CalibrationMethod::kKl:
      r = SearchRange(obs.histogram(), r, levels, RangeCriterion::kKl);
      break;
  }
  r.min = std::min(r.min, 0.0f);
  r.max = std::max(r.max, 0.0f);
  return r;
}

AffineParams AsymmetricParams(Range r, int64_t qmin, int64_t qmax) {
  const double lo = std::min<double>(r.min, 0.0);
  const double hi = std::max<double>(r.max, 0.0);
  AffineParams p;
  if (hi - lo < 1e-30) {
    // A tensor that was always 0: any scale represents it; 1 keeps kernels'
    // multipliers in range.
    p.scale = 1.0f;
    p.zero_point = qmin == 0 ? 0 : (qmin + qmax + 1) / 2;
    if (qmin < 0) p.zero_point = 0;
    return p;
  }
  const double scale = (hi - lo) / static_cast<double>(qmax - qmin);
  const double zp_from_min = static_cast<double>(qmin) - lo / scale;
  int64_t zp;
  if (zp_from_min <= static_cast<double>(qmin)) zp = qmin;
  else if (zp_from_min >= static_cast<double>(qmax)) zp = qmax;
  else zp = static_cast<int64_t>(std::llround(zp_from_min));
  p.scale = static_cast<float>(scale);
  p.zero_point = zp;
  return p;
}

AffineParams SymmetricParams(float abs_max, int64_t qmax) {
  AffineParams p;
  p.scale = abs_max > 0 ? abs_max / static_cast<float>(qmax) : 1.0f;
  p.zero_point = 0;
  return p;
}

}  // namespace detlite::quant
