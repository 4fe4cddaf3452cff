// What calibration records about one float tensor: its extremes over all
// samples, a moving average of per-sample extremes, and (when a method needs
// it) a histogram. Samples observed with their index (calibration on several
// threads) feed the moving average in index order, whichever thread saw them,
// so the result does not depend on scheduling. The histogram covers [-R, R] with R a power of two that
// doubles as larger values arrive (merging bins pairwise), so observers
// filled on different threads merge exactly.
#ifndef DETLITE_QUANT_OBSERVER_H_
#define DETLITE_QUANT_OBSERVER_H_

#include <cstdint>
#include <utility>
#include <vector>

namespace detlite::quant {

inline constexpr int kHistogramBins = 2048;  // even, over [-R, R]

struct Histogram {
  float range = 0;  // R; 0 until the first nonzero value
  std::vector<double> counts;  // kHistogramBins entries once range > 0

  void Add(const float* v, int64_t n);
  void Merge(const Histogram& other);
  float BinLow(int i) const { return -range + 2 * range * i / kHistogramBins; }
  float BinWidth() const { return 2 * range / kHistogramBins; }

 private:
  void GrowTo(float r);
};

class Observer {
 public:
  explicit Observer(bool histogram = false, float ema_constant = 0.01f)
      : want_histogram_(histogram), ema_constant_(ema_constant) {}

  // sample < 0: the next sample in order (the running average is updated
  // now); sample >= 0: the average is computed in sample order when read.
  void Observe(const float* values, int64_t n, int64_t sample = -1);
  // Combines the observations of another thread: indexed samples join the
  // ordered average; unindexed running averages are averaged, weighted by
  // sample counts.
  void Merge(const Observer& other);

  bool seen() const { return samples_ > 0; }
  int64_t samples() const { return samples_; }
  float min() const { return min_; }
  float max() const { return max_; }
  float ema_min() const { return Ema().first; }
  float ema_max() const { return Ema().second; }
  const Histogram& histogram() const { return histogram_; }

 private:
  bool want_histogram_;
  float ema_constant_;
  int64_t samples_ = 0;
  float min_ = 0, max_ = 0;
  float ema_min_ = 0, ema_max_ = 0;
  Histogram histogram_;
  struct Extremes {
    int64_t sample;
    float lo, hi;
  };
  std::vector<Extremes> indexed_;  // per-sample extremes of indexed samples

  std::pair<float, float> Ema() const;
};

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_OBSERVER_H_
