#include "prune/channel_reconstruct_select.h"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "prune/layers.h"

namespace detlite::prune {
namespace {

// One consumer's refit state: its weights (with the bias column last) and
// the inverse of its input's second moments, both as updated by the
// removals so far.
struct Consumer {
  int64_t taps = 1, channels = 0;
  Eigen::MatrixXd w;     // outputs x (k + 1)
  Eigen::MatrixXd hinv;  // (k + 1) x (k + 1)
  double energy = 1;     // output energy before any removal
  std::vector<bool> gone;

  std::vector<int64_t> Columns(int c) const {
    std::vector<int64_t> q;
    for (int64_t t = 0; t < taps; ++t) q.push_back(t * channels + c);
    return q;
  }
  // The output error (relative to the energy) of removing channel c now.
  double Saliency(int c) const {
    const std::vector<int64_t> q = Columns(c);
    const auto n = static_cast<int64_t>(q.size());
    Eigen::MatrixXd m(n, n), wq(w.rows(), n);
    for (int64_t a = 0; a < n; ++a) {
      wq.col(a) = w.col(q[static_cast<size_t>(a)]);
      for (int64_t b = 0; b < n; ++b) m(a, b) = hinv(q[static_cast<size_t>(a)], q[static_cast<size_t>(b)]);
    }
    const Eigen::MatrixXd x = m.ldlt().solve(wq.transpose());  // n x outputs
    const double e = (wq.transpose().cwiseProduct(x)).sum() / energy;
    return std::isfinite(e) ? std::max(e, 0.0) : std::numeric_limits<double>::infinity();
  }
  // Removes channel c with the optimal refit of the rest.
  void Remove(int c) {
    const std::vector<int64_t> q = Columns(c);
    const auto n = static_cast<int64_t>(q.size());
    Eigen::MatrixXd m(n, n), hq(n, hinv.cols()), wq(w.rows(), n);
    for (int64_t a = 0; a < n; ++a) {
      hq.row(a) = hinv.row(q[static_cast<size_t>(a)]);
      wq.col(a) = w.col(q[static_cast<size_t>(a)]);
      for (int64_t b = 0; b < n; ++b) m(a, b) = hinv(q[static_cast<size_t>(a)], q[static_cast<size_t>(b)]);
    }
    const Eigen::MatrixXd minv_hq = m.ldlt().solve(hq);  // n x (k + 1)
    w.noalias() -= wq * minv_hq;
    hinv.noalias() -= hq.transpose() * minv_hq;
    for (int64_t col : q) {
      w.col(col).setZero();
      hinv.row(col).setZero();
      hinv.col(col).setZero();
    }
    gone[static_cast<size_t>(c)] = true;
  }
};

Consumer MakeConsumer(const ir::Subgraph& sg, const std::vector<int32_t>& producer, const ir::Operator& op,
                      const PatchGram& gram, double ridge) {
  Consumer u;
  const ir::Tensor& wt = sg.tensors[static_cast<size_t>(ConstantBehind(sg, producer, op.inputs[1]))];
  const std::vector<float> wv = WeightValues(wt);
  const int64_t o_n = wt.shape.dim(0), k = gram.k();
  u.taps = int64_t{wt.shape.dim(1)} * wt.shape.dim(2);
  u.channels = wt.shape.dim(3);
  u.gone.assign(static_cast<size_t>(u.channels), false);
  std::vector<float> b(static_cast<size_t>(o_n), 0.0f);
  if (op.inputs.size() > 2 && op.inputs[2] >= 0) {
    const int32_t bi = ConstantBehind(sg, producer, op.inputs[2]);
    if (bi >= 0) {
      const std::vector<float> v = WeightValues(sg.tensors[static_cast<size_t>(bi)]);
      if (v.size() == b.size()) b = v;
    }
  }
  u.w.resize(o_n, k + 1);
  for (int64_t o = 0; o < o_n; ++o) {
    for (int64_t j = 0; j < k; ++j) u.w(o, j) = wv[static_cast<size_t>(o * k + j)];
    u.w(o, k) = b[static_cast<size_t>(o)];
  }
  Eigen::MatrixXd h(k + 1, k + 1);
  const double inv = 1.0 / static_cast<double>(std::max<int64_t>(gram.count(), 1));
  for (int64_t i = 0; i <= k; ++i) {
    for (int64_t j = 0; j <= i; ++j) h(i, j) = h(j, i) = gram.at(i, j) * inv;
  }
  u.energy = std::max((u.w * h).cwiseProduct(u.w).sum(), 1e-30);
  double trace = 0;
  for (int64_t i = 0; i < k; ++i) trace += h(i, i);
  const double lambda = std::max(ridge * trace / static_cast<double>(std::max<int64_t>(k, 1)), 1e-12);
  for (int64_t i = 0; i < k; ++i) h(i, i) += lambda;
  u.hinv = h.ldlt().solve(Eigen::MatrixXd::Identity(k + 1, k + 1));
  return u;
}

}  // namespace

std::vector<int> RefitRemovalOrder(const ir::Model& original, const ChannelGraph& graph,
                                   const std::vector<int>& classes, const ConsumerGrams& grams,
                                   double ridge) {
  const ir::Subgraph& sg = original.subgraphs.at(0);
  const std::vector<int32_t> producer = Producers(sg);
  std::map<int, size_t> slot;  // class -> position in `classes`
  for (size_t i = 0; i < classes.size(); ++i) slot[classes[i]] = i;
  // Per class: the (consumer, input channel) pairs that read it.
  std::vector<std::vector<std::pair<size_t, int>>> readers(classes.size());
  std::vector<Consumer> consumers;
  for (const auto& [op_index, gram] : grams) {
    const ir::Operator& op = sg.ops[static_cast<size_t>(op_index)];
    const int32_t in = op.inputs[0];
    std::vector<std::pair<size_t, int>> hits;
    for (int c = 0; c < graph.Channels(sg, in); ++c) {
      const auto it = slot.find(graph.ClassOf(in, c));
      if (it != slot.end()) hits.push_back({it->second, c});
    }
    if (hits.empty()) continue;
    consumers.push_back(MakeConsumer(sg, producer, op, gram, ridge));
    for (const auto& [i, c] : hits) readers[i].push_back({consumers.size() - 1, c});
  }
  std::vector<std::vector<double>> sal(consumers.size());
  auto refresh = [&](size_t u) {
    Consumer& x = consumers[u];
    sal[u].assign(static_cast<size_t>(x.channels), 0.0);
    if (x.taps == 1) {  // 1x1: |w_c|^2 / hinv_cc for every column at once
      const Eigen::RowVectorXd norms = x.w.leftCols(x.channels).colwise().squaredNorm();
      for (int c = 0; c < x.channels; ++c) {
        const double d = x.hinv(c, c);
        const double e = norms(c) / d / x.energy;
        sal[u][static_cast<size_t>(c)] = x.gone[static_cast<size_t>(c)] ? 0.0
                                         : std::isfinite(e) && d > 0 ? e : std::numeric_limits<double>::infinity();
      }
      return;
    }
    for (int c = 0; c < x.channels; ++c) {
      if (!x.gone[static_cast<size_t>(c)]) sal[u][static_cast<size_t>(c)] = x.Saliency(c);
    }
  };
  for (size_t u = 0; u < consumers.size(); ++u) refresh(u);
  std::vector<int> order, unread;
  std::vector<bool> done(classes.size(), false);
  for (size_t i = 0; i < classes.size(); ++i) {
    if (readers[i].empty()) done[i] = true, unread.push_back(classes[i]);
  }
  while (order.size() + unread.size() < classes.size()) {
    size_t best = classes.size();
    double best_cost = std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < classes.size(); ++i) {
      if (done[i]) continue;
      double cost = 0;
      for (const auto& [u, c] : readers[i]) cost += sal[u][static_cast<size_t>(c)];
      if (best == classes.size() || cost < best_cost) best = i, best_cost = cost;
    }
    done[best] = true;
    order.push_back(classes[best]);
    if (order.size() + unread.size() == classes.size()) break;  // the last one's refit is never used
    for (const auto& [u, c] : readers[best]) {
      consumers[u].Remove(c);
      refresh(u);
    }
  }
  order.insert(order.end(), unread.begin(), unread.end());
  return order;
}

}  // namespace detlite::prune
