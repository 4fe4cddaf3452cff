#include "quant/observer.h"

#include <algorithm>
#include <cmath>

namespace detlite::quant {

void Histogram::GrowTo(float r) {
  if (range == 0) {
    range = std::exp2(std::ceil(std::log2(r)));
    counts.assign(kHistogramBins, 0.0);
    return;
  }
  while (range < r) {
    // Doubling R: old bin i lands in bin kHistogramBins/4 + i/2.
    std::vector<double> merged(kHistogramBins, 0.0);
    for (int i = 0; i < kHistogramBins; ++i) merged[kHistogramBins / 4 + i / 2] += counts[i];
    counts = std::move(merged);
    range *= 2;
  }
}

void Histogram::Add(const float* v, int64_t n) {
  float amax = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (std::isfinite(v[i])) amax = std::max(amax, std::fabs(v[i]));
  }
  if (amax == 0 && range == 0) amax = 1;  // all zeros: any range holds them
  if (amax > range) GrowTo(amax);
  const float inv = kHistogramBins / (2 * range);
  for (int64_t i = 0; i < n; ++i) {
    if (!std::isfinite(v[i])) continue;
    int b = static_cast<int>((v[i] + range) * inv);
    counts[static_cast<size_t>(std::clamp(b, 0, kHistogramBins - 1))] += 1;
  }
}

void Histogram::Merge(const Histogram& other) {
  if (other.range == 0) return;
  Histogram o = other;
  if (range < o.range) GrowTo(o.range);
  if (o.range < range) o.GrowTo(range);
  for (int i = 0; i < kHistogramBins; ++i) counts[i] += o.counts[i];
}

void Observer::Observe(const float* values, int64_t n, int64_t sample) {
  float lo = 0, hi = 0;  // zero is always representable (TFLite's rule)
  for (int64_t i = 0; i < n; ++i) {
    const float v = values[i];
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  if (samples_ == 0) {
    min_ = lo;
    max_ = hi;
  } else {
    min_ = std::min(min_, lo);
    max_ = std::max(max_, hi);
  }
  if (sample >= 0) {
    indexed_.push_back({sample, lo, hi});
  } else if (samples_ == 0) {
    ema_min_ = lo;
    ema_max_ = hi;
  } else {
    ema_min_ += ema_constant_ * (lo - ema_min_);
    ema_max_ += ema_constant_ * (hi - ema_max_);
  }
  ++samples_;
  if (want_histogram_) histogram_.Add(values, n);
}

std::pair<float, float> Observer::Ema() const {
  if (indexed_.empty()) return {ema_min_, ema_max_};
  std::vector<Extremes> order = indexed_;
  std::sort(order.begin(), order.end(),
            [](const Extremes& a, const Extremes& b) { return a.sample < b.sample; });
  float lo = order[0].lo, hi = order[0].hi;
  for (size_t i = 1; i < order.size(); ++i) {
    lo += ema_constant_ * (order[i].lo - lo);
    hi += ema_constant_ * (order[i].hi - hi);
  }
  return {lo, hi};
}

void Observer::Merge(const Observer& other) {
  if (other.samples_ == 0) return;
  if (samples_ == 0) {
    *this = other;
    return;
  }
  const int64_t mine = samples_ - static_cast<int64_t>(indexed_.size());
  const int64_t theirs = other.samples_ - static_cast<int64_t>(other.indexed_.size());
  if (mine == 0) {
    ema_min_ = other.ema_min_;
    ema_max_ = other.ema_max_;
  } else if (theirs > 0) {
    const double w = static_cast<double>(theirs) / static_cast<double>(mine + theirs);
    ema_min_ = static_cast<float>(ema_min_ * (1 - w) + other.ema_min_ * w);
    ema_max_ = static_cast<float>(ema_max_ * (1 - w) + other.ema_max_ * w);
  }
  indexed_.insert(indexed_.end(), other.indexed_.begin(), other.indexed_.end());
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  samples_ += other.samples_;
  histogram_.Merge(other.histogram_);
}

}  // namespace detlite::quant
