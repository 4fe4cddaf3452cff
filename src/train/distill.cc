#include "train/distill.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <string>

namespace detlite::train {
namespace {

int32_t ProducerOf(const ir::Subgraph& sg, int32_t t) {
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    for (int32_t y : sg.ops[i].outputs) {
      if (y == t) return static_cast<int32_t>(i);
    }
  }
  return -1;
}

// The logits behind a score tensor: the input of the LOGISTIC making it.
DistillTarget ClassTarget(const ir::Subgraph& sg, int32_t t) {
  const int32_t p = ProducerOf(sg, t);
  if (p >= 0 && sg.ops[static_cast<size_t>(p)].kind == ir::OpKind::kLogistic) {
    return {sg.ops[static_cast<size_t>(p)].inputs[0], true};
  }
  return {t, true};
}

bool NamesClasses(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name.find("class") != std::string::npos || name.find("score") != std::string::npos;
}

// log(1 + exp(x)) without overflow.
double Softplus(double x) { return std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x))); }
double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

StatusOr<std::vector<DistillTarget>> FindDistillTargets(const ir::Subgraph& sg) {
  std::vector<DistillTarget> out;
  for (const ir::Operator& op : sg.ops) {
    if (op.kind == ir::OpKind::kCustom && op.custom_code == "TFLite_Detection_PostProcess" &&
        op.inputs.size() >= 2) {
      out.push_back({op.inputs[0], false});
      out.push_back(ClassTarget(sg, op.inputs[1]));
      return out;
    }
  }
  for (int32_t t : sg.outputs) {
    const ir::Tensor& tensor = sg.tensors[static_cast<size_t>(t)];
    if (tensor.dtype != DType::kFloat32) continue;
    const bool cls = (tensor.shape.rank() > 0 && tensor.shape.dim(tensor.shape.rank() - 1) == 1) ||
                     NamesClasses(tensor.name);
    out.push_back(cls ? ClassTarget(sg, t) : DistillTarget{t, false});
  }
  if (out.empty()) return InvalidArgument("the model has no float32 output to distill");
  return out;
}

std::vector<float> AnchorWeights(const float* teacher_logits, int64_t n, int64_t classes) {
  classes = std::max<int64_t>(classes, 1);
  const int64_t first = classes > 1 ? 1 : 0;
  std::vector<float> w(static_cast<size_t>(n / classes), 0.0f);
  for (size_t a = 0; a < w.size(); ++a) {
    float best = -std::numeric_limits<float>::infinity();
    for (int64_t c = first; c < classes; ++c) {
      best = std::max(best, teacher_logits[static_cast<int64_t>(a) * classes + c]);
    }
    w[a] = static_cast<float>(Sigmoid(best));
  }
  return w;
}

void AddDistillLoss(const DistillTarget& target, const float* student, const float* teacher,
                    int64_t n, int64_t last_dim, float weight,
                    const std::vector<float>* anchor_weights, DistillLoss* loss,
                    std::vector<float>* grad) {
  grad->assign(static_cast<size_t>(n), 0.0f);
  last_dim = std::max<int64_t>(last_dim, 1);
  const double anchors = static_cast<double>(std::max<int64_t>(n / last_dim, 1));
  const bool weighted = !target.logits && anchor_weights != nullptr &&
                        static_cast<int64_t>(anchor_weights->size()) * last_dim == n;
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double s = student[i], t = teacher[i];
    const double w = weight / anchors *
                     (weighted ? (*anchor_weights)[static_cast<size_t>(i / last_dim)] : 1.0);
    if (target.logits) {
      // KL(Bernoulli(sigmoid t) || Bernoulli(sigmoid s)).
      const double p = Sigmoid(t);
      sum += w * (p * (Softplus(-s) - Softplus(-t)) + (1 - p) * (Softplus(s) - Softplus(t)));
      (*grad)[static_cast<size_t>(i)] = static_cast<float>(w * (Sigmoid(s) - p));
    } else {
      sum += w * (s - t) * (s - t);
      (*grad)[static_cast<size_t>(i)] = static_cast<float>(w * 2 * (s - t));
    }
  }
  (target.logits ? loss->cls : loss->box) += sum;
}

}  // namespace detlite::train
