#include "quant/range_search.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace detlite::quant {
namespace {

double Total(const Histogram& h) {
  double t = 0;
  for (double c : h.counts) t += c;
  return t;
}

// Bin centers and counts; the cheap view both criteria need.
float Center(const Histogram& h, int i) { return h.BinLow(i) + 0.5f * h.BinWidth(); }

double MseCost(const Histogram& h, Range r, int levels) {
  const AffineParams p = AsymmetricParams(r, 0, levels - 1);
  double err = 0;
  for (int i = 0; i < kHistogramBins; ++i) {
    const double c = h.counts[static_cast<size_t>(i)];
    if (c == 0) continue;
    const double x = Center(h, i);
    const double q = std::clamp<double>(std::nearbyint(x / p.scale) + p.zero_point, 0, levels - 1);
    const double d = (q - p.zero_point) * p.scale - x;
    err += c * d * d;
  }
  return err;
}

// KL(P || Q) in the manner of TensorRT's entropy calibration: P is the
// histogram clipped to r, the mass outside piled onto the edge bins inside
// r (so clipping heavy tails costs); Q spreads each quantization level's
// mass evenly over the nonempty bins of P that round to it.
double KlCost(const Histogram& h, Range r, int levels) {
  const AffineParams p = AsymmetricParams(r, 0, levels - 1);
  const int n = kHistogramBins;
  auto bin_of = [&](double x) {
    return std::clamp(static_cast<int>(std::floor((x + h.range) / h.BinWidth())), 0, n - 1);
  };
  const int lo = bin_of(r.min), hi = bin_of(r.max);
  // With fewer bins than levels every level holds at most one bin, Q equals
  // P and the divergence is 0 however much was clipped: such ranges are not
  // candidates (TensorRT starts its search at as many bins as levels).
  if (hi - lo + 1 < levels) return std::numeric_limits<double>::infinity();
  std::vector<double> pd(static_cast<size_t>(n), 0.0);
  for (int i = 0; i < n; ++i) {
    pd[static_cast<size_t>(std::clamp(i, lo, hi))] += h.counts[static_cast<size_t>(i)];
  }
  std::vector<int> level(static_cast<size_t>(n), 0);
  std::vector<double> mass(static_cast<size_t>(levels), 0.0);
  std::vector<int> nonempty(static_cast<size_t>(levels), 0);
  for (int i = lo; i <= hi; ++i) {
    const double x = std::clamp<double>(Center(h, i), r.min, r.max);
    const int l = static_cast<int>(
        std::clamp<double>(std::nearbyint(x / p.scale) + p.zero_point, 0, levels - 1));
    level[static_cast<size_t>(i)] = l;
    mass[static_cast<size_t>(l)] += pd[static_cast<size_t>(i)];
    if (pd[static_cast<size_t>(i)] > 0) ++nonempty[static_cast<size_t>(l)];
  }
  const double total = Total(h);
  if (total <= 0) return 0;
  double kl = 0;
  for (int i = lo; i <= hi; ++i) {
    const double pi = pd[static_cast<size_t>(i)];
    if (pi == 0) continue;
    const int l = level[static_cast<size_t>(i)];
    const double qi = mass[static_cast<size_t>(l)] / nonempty[static_cast<size_t>(l)];
    kl += pi / total * std::log(pi / qi);
  }
  return kl;
}

}  // namespace

Range PercentileRange(const Histogram& h, float percentile, Range observed) {
  if (h.range == 0) return observed;
  const double total = Total(h);
  const double tail = total * (100.0 - std::clamp(percentile, 50.0f, 100.0f)) / 200.0;
  Range r = observed;
  double acc = 0;
  for (int i = 0; i < kHistogramBins; ++i) {
    acc += h.counts[static_cast<size_t>(i)];
    if (acc > tail) {
      r.min = std::max(observed.min, h.BinLow(i));
      break;
    }
  }
  acc = 0;
  for (int i = kHistogramBins - 1; i >= 0; --i) {
    acc += h.counts[static_cast<size_t>(i)];
    if (acc > tail) {
      r.max = std::min(observed.max, h.BinLow(i) + h.BinWidth());
      break;
    }
  }
  return r;
}

double RangeCost(const Histogram& h, Range r, int levels, RangeCriterion criterion) {
  return criterion == RangeCriterion::kMse ? MseCost(h, r, levels) : KlCost(h, r, levels);
}

Range SearchRange(const Histogram& h, Range observed, int levels, RangeCriterion criterion) {
  if (h.range == 0 || observed.max - observed.min <= 0) return observed;
  Range best = observed;
  double best_cost = std::numeric_limits<double>::infinity();
  for (int step = 0; step < 96; ++step) {
    const float f = 1.0f - 0.01f * static_cast<float>(step);
    const Range r{observed.min * f, observed.max * f};
    const double cost = RangeCost(h, r, levels, criterion);
    if (cost < best_cost) {
      best_cost = cost;
      best = r;
    }
  }
  return best;
}

}  // namespace detlite::quant
