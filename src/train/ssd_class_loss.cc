#include "train/ssd_class_loss.h"

#include <algorithm>
#include <cmath>

namespace detlite::train {
namespace {

double Softplus(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x))); }
double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Focal loss of one logit, target 0 or 1. With q = 1 - p_t and ce the
// cross-entropy: L = w q^g ce. For t = 1 (q = 1 - p, ce = -log p):
// dL/dx = -w q^g (g p ce + q); for t = 0 (q = p, ce = -log(1 - p)):
// dL/dx = w q^g (g (1 - p) ce + q).
double Focal(double x, double t, const ClassLossOptions& o, double* grad) {
  const double p = Sigmoid(x);
  const bool one = t > 0.5;
  const double ce = one ? Softplus(-x) : Softplus(x);
  const double q = one ? 1 - p : p;
  const double w = o.focal_alpha < 0 ? 1.0 : (one ? o.focal_alpha : 1 - o.focal_alpha);
  const double qg = std::pow(q, o.focal_gamma);
  if (grad != nullptr) {
    *grad = one ? -w * qg * (o.focal_gamma * p * ce + q) : w * qg * (o.focal_gamma * (1 - p) * ce + q);
  }
  return w * qg * ce;
}

}  // namespace

double AnchorClassLoss(const ClassLossOptions& o, const float* logits, const double* targets,
                       int columns, double* grad) {
  double loss = 0;
  if (o.kind == ClassLoss::kSoftmax) {
    double top = logits[0];
    for (int c = 1; c < columns; ++c) top = std::max(top, static_cast<double>(logits[c]));
    double z = 0, mass = 0;
    for (int c = 0; c < columns; ++c) z += std::exp(logits[c] - top);
    const double log_z = top + std::log(z);
    for (int c = 0; c < columns; ++c) {
      loss += targets[c] * (log_z - logits[c]);
      mass += targets[c];
    }
    if (grad != nullptr) {
      for (int c = 0; c < columns; ++c) grad[c] = mass * std::exp(logits[c] - log_z) - targets[c];
    }
    return loss;
  }
  for (int c = 0; c < columns; ++c) {
    const double x = logits[c], t = targets[c];
    if (o.kind == ClassLoss::kSigmoidFocal) {
      loss += Focal(x, t, o, grad != nullptr ? &grad[c] : nullptr);
    } else {
      loss += Softplus(x) - x * t;
      if (grad != nullptr) grad[c] = Sigmoid(x) - t;
    }
  }
  return loss;
}

}  // namespace detlite::train
