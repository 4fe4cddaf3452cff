#include "train/optimizer.h"

#include <algorithm>
#include <cmath>

namespace detlite::train {

float CosineLearningRate(float base, int step, int steps, int warmup) {
  if (warmup > 0 && step < warmup) return base * static_cast<float>(step + 1) / static_cast<float>(warmup);
  const int decay = std::max(steps - warmup, 1);
  const double progress = std::min(1.0, static_cast<double>(step - warmup) / decay);
  return static_cast<float>(0.5 * base * (1.0 + std::cos(M_PI * progress)));
}

float ScheduledLearningRate(float base, int step, int steps, int warmup,
                            const LearningRateSchedule& schedule) {
  using Kind = LearningRateSchedule::Kind;
  if (schedule.kind == Kind::kCosine) return CosineLearningRate(base, step, steps, warmup);
  if (warmup > 0 && step < warmup) return base * static_cast<float>(step + 1) / static_cast<float>(warmup);
  float lr = base;
  if (schedule.kind == Kind::kStep) {
    for (int b : schedule.boundaries) {
      if (step >= b) lr *= schedule.factor;
    }
  }
  return lr;
}

void Optimizer::Update(int32_t id, float lr, const std::vector<float>& grad,
                       std::vector<float>* param) {
  Slots& s = slots_[id];
  const size_t n = param->size();
  if (s.m.size() != n) s.m.assign(n, 0.0f);
  float* p = param->data();
  if (options_.kind == OptimizerKind::kSgd) {
    const float mu = options_.momentum;
    for (size_t i = 0; i < n; ++i) {
      s.m[i] = mu * s.m[i] + grad[i];
      p[i] -= lr * s.m[i];
    }
    return;
  }
  if (s.v.size() != n) s.v.assign(n, 0.0f);
  const float b1 = options_.beta1, b2 = options_.beta2;
  const double t = static_cast<double>(std::max<int64_t>(t_, 1));
  const float c1 = static_cast<float>(1.0 - std::pow(b1, t));
  const float c2 = static_cast<float>(1.0 - std::pow(b2, t));
  for (size_t i = 0; i < n; ++i) {
    s.m[i] = b1 * s.m[i] + (1 - b1) * grad[i];
    s.v[i] = b2 * s.v[i] + (1 - b2) * grad[i] * grad[i];
    const float mhat = s.m[i] / c1;
    const float vhat = s.v[i] / c2;
    p[i] -= lr * mhat / (std::sqrt(vhat) + options_.epsilon);
  }
}

}  // namespace detlite::train
