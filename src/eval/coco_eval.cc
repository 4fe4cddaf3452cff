#include "eval/coco_eval.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <unordered_map>

namespace detlite::eval {
namespace {

constexpr double kSpacing1 = 2.220446049250313e-16;  // np.spacing(1)
constexpr size_t kAreas = 4;
constexpr size_t kMaxDets = 3;

// maskApi.c bbIou: a crowd gt is scored against the detection's area alone.
double BoxIou(const std::array<double, 4>& d, const std::array<double, 4>& g,
              bool crowd) {
  double w = std::min(d[0] + d[2], g[0] + g[2]) - std::max(d[0], g[0]);
  if (w <= 0) return 0.0;
  double h = std::min(d[1] + d[3], g[1] + g[3]) - std::max(d[1], g[1]);
  if (h <= 0) return 0.0;
  double inter = w * h;
  double da = d[2] * d[3];
  double u = crowd ? da : da + g[2] * g[3] - inter;
  return inter / u;
}

// One (image, category) cell: its gts in file order, its detections sorted
// by descending score (stable) and cut to the largest maxDets.
struct Cell {
  std::vector<const GroundTruth*> gts;
  std::vector<const Detection*> dts;
};

// pycocotools evaluateImg for one area range.
struct ImageEval {
  size_t num_dt = 0;
  std::vector<double> scores;       // [D]
  std::vector<uint8_t> dt_matched;  // [T][D]
  std::vector<uint8_t> dt_ignore;   // [T][D]
  std::vector<uint8_t> gt_ignore;   // [G], non-ignored first
};

ImageEval EvaluateImage(const Cell& c, const std::vector<double>& ious,
                        const AreaRange& rng, const std::vector<double>& thr) {
  const size_t G = c.gts.size(), D = c.dts.size(), T = thr.size();
  std::vector<uint8_t> ig(G);
  for (size_t g = 0; g < G; ++g) {
    double area = c.gts[g]->area;
    ig[g] = c.gts[g]->iscrowd || area < rng.lo || area > rng.hi;
  }
  std::vector<size_t> order(G);  // np.argsort(_ignore, kind='mergesort')
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return ig[a] < ig[b]; });
  ImageEval e;
  e.num_dt = D;
  for (size_t g : order) e.gt_ignore.push_back(ig[g]);
  for (const Detection* d : c.dts) e.scores.push_back(d->score);
  e.dt_matched.assign(T * D, 0);
  e.dt_ignore.assign(T * D, 0);
  std::vector<uint8_t> gt_matched(T * G, 0);
  for (size_t t = 0; t < T; ++t) {
    for (size_t d = 0; d < D; ++d) {
      double best = std::min(thr[t], 1 - 1e-10);
      std::optional<size_t> m;
      for (size_t j = 0; j < G; ++j) {
        size_t g = order[j];
        if (gt_matched[t * G + j] && !c.gts[g]->iscrowd) continue;
        // Once matched to a regular gt, ignored gts (sorted last) never win.
        if (m && !e.gt_ignore[*m] && e.gt_ignore[j]) break;
        double iou = ious[d * G + g];
        if (iou < best) continue;
        best = iou;
        m = j;
      }
      if (!m) continue;
      e.dt_ignore[t * D + d] = e.gt_ignore[*m];
      e.dt_matched[t * D + d] = 1;
      gt_matched[t * G + *m] = 1;
    }
  }
  for (size_t d = 0; d < D; ++d) {
    const auto& b = c.dts[d]->bbox;
    double area = b[2] * b[3];
    bool out = area < rng.lo || area > rng.hi;
    for (size_t t = 0; t < T; ++t) {
      if (!e.dt_matched[t * D + d] && out) e.dt_ignore[t * D + d] = 1;
    }
  }
  return e;
}

double& PrecisionAt(CocoMetrics& o, size_t t, size_t r, size_t k, size_t a,
                    size_t m) {
  size_t R = o.recall_thresholds.size(), K = o.category_ids.size();
  return o.precision[(((t * R + r) * K + k) * kAreas + a) * kMaxDets + m];
}

double MeanValid(const std::vector<double>& v) {
  double sum = 0;
  size_t n = 0;
  for (double x : v) {
    if (x > -1) {
      sum += x;
      ++n;
    }
  }
  return n == 0 ? -1.0 : sum / static_cast<double>(n);
}

Status CheckParams(const CocoEvalParams& p) {
  for (const auto* v : {&p.iou_thresholds, &p.recall_thresholds}) {
    for (double x : *v) {
      if (!(x >= 0 && x <= 1)) {
        return InvalidArgument("coco eval: thresholds must lie in [0, 1]");
      }
    }
    if (!std::is_sorted(v->begin(), v->end())) {
      return InvalidArgument("coco eval: thresholds must be ascending");
    }
  }
  if (p.max_dets[0] < 1 || p.max_dets[0] > p.max_dets[1] ||
      p.max_dets[1] > p.max_dets[2]) {
    return InvalidArgument("coco eval: max_dets must be positive, ascending");
  }
  return Status::Ok();
}

}  // namespace

std::vector<double> Linspace(double start, double stop, int num) {
  std::vector<double> out(std::max(num, 0));
  if (num == 1) out[0] = start;
  if (num <= 1) return out;
  double step = (stop - start) / (num - 1);
  for (int i = 0; i < num; ++i) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

StatusOr<CocoMetrics> EvaluateCoco(const CocoDataset& gt,
                                   const std::vector<Detection>& dets,
                                   const CocoEvalParams& p) {
  RETURN_IF_ERROR(CheckParams(p));
  CocoMetrics out;
  out.iou_thresholds =
      p.iou_thresholds.empty() ? Linspace(0.5, 0.95, 10) : p.iou_thresholds;
  out.recall_thresholds = p.recall_thresholds.empty() ? Linspace(0.0, 1.0, 101)
                                                      : p.recall_thresholds;
  std::vector<int64_t> img_ids = gt.image_ids;
  std::sort(img_ids.begin(), img_ids.end());
  img_ids.erase(std::unique(img_ids.begin(), img_ids.end()), img_ids.end());
  for (const Category& c : gt.categories) out.category_ids.push_back(c.id);
  auto& cat_ids = out.category_ids;
  std::sort(cat_ids.begin(), cat_ids.end());
  cat_ids.erase(std::unique(cat_ids.begin(), cat_ids.end()), cat_ids.end());
  std::unordered_map<int64_t, size_t> img_index, cat_index;
  for (size_t i = 0; i < img_ids.size(); ++i) img_index[img_ids[i]] = i;
  for (size_t k = 0; k < cat_ids.size(); ++k) cat_index[cat_ids[k]] = k;

  const size_t I = img_ids.size(), K = cat_ids.size();
  const size_t T = out.iou_thresholds.size(), R = out.recall_thresholds.size();
  std::vector<Cell> cells(I * K);  // [k][i]
  for (const GroundTruth& g : gt.annotations) {
    auto i = img_index.find(g.image_id);
    auto k = cat_index.find(g.category_id);
    if (i == img_index.end() || k == cat_index.end()) continue;
    cells[k->second * I + i->second].gts.push_back(&g);
  }
  for (size_t n = 0; n < dets.size(); ++n) {
    auto i = img_index.find(dets[n].image_id);
    if (i == img_index.end()) {
      return InvalidArgument("coco eval: detection " + std::to_string(n) +
                             " is on image " +
                             std::to_string(dets[n].image_id) +
                             ", which the ground truth does not list");
    }
    auto k = cat_index.find(dets[n].category_id);
    if (k == cat_index.end()) continue;
    cells[k->second * I + i->second].dts.push_back(&dets[n]);
  }

  // evals[(k * A + a) * I + i]; empty cells stay absent.
  std::vector<std::optional<ImageEval>> evals(K * kAreas * I);
  for (size_t k = 0; k < K; ++k) {
    for (size_t i = 0; i < I; ++i) {
      Cell& c = cells[k * I + i];
      if (c.gts.empty() && c.dts.empty()) continue;
      std::stable_sort(c.dts.begin(), c.dts.end(),
                       [](const Detection* a, const Detection* b) {
                         return a->score > b->score;
                       });
      if (c.dts.size() > static_cast<size_t>(p.max_dets[2])) {
        c.dts.resize(p.max_dets[2]);
      }
      std::vector<double> ious(c.dts.size() * c.gts.size());
      for (size_t d = 0; d < c.dts.size(); ++d) {
        for (size_t g = 0; g < c.gts.size(); ++g) {
          ious[d * c.gts.size() + g] =
              BoxIou(c.dts[d]->bbox, c.gts[g]->bbox, c.gts[g]->iscrowd);
        }
      }
      for (size_t a = 0; a < kAreas; ++a) {
        evals[(k * kAreas + a) * I + i] =
            EvaluateImage(c, ious, p.area_ranges[a], out.iou_thresholds);
      }
    }
  }

  // accumulate(): merge each class's images, then a PR curve per threshold.
  out.precision.assign(T * R * K * kAreas * kMaxDets, -1.0);
  out.recall.assign(T * K * kAreas * kMaxDets, -1.0);
  for (size_t k = 0; k < K; ++k) {
    for (size_t a = 0; a < kAreas; ++a) {
      for (size_t m = 0; m < kMaxDets; ++m) {
        const size_t max_det = p.max_dets[m];
        struct Ref {
          const ImageEval* e;
          size_t d;
        };
        std::vector<Ref> refs;
        size_t npig = 0;
        bool any = false;
        for (size_t i = 0; i < I; ++i) {
          const auto& e = evals[(k * kAreas + a) * I + i];
          if (!e) continue;
          any = true;
          for (size_t d = 0; d < std::min(max_det, e->num_dt); ++d) {
            refs.push_back({&*e, d});
          }
          npig += std::count(e->gt_ignore.begin(), e->gt_ignore.end(), 0);
        }
        if (!any || npig == 0) continue;
        std::stable_sort(refs.begin(), refs.end(),
                         [](const Ref& x, const Ref& y) {
                           return x.e->scores[x.d] > y.e->scores[y.d];
                         });
        const size_t nd = refs.size();
        for (size_t t = 0; t < T; ++t) {
          std::vector<double> rc(nd), pr(nd);
          double tp = 0, fp = 0;
          for (size_t j = 0; j < nd; ++j) {
            const ImageEval& e = *refs[j].e;
            size_t at = t * e.num_dt + refs[j].d;
            if (!e.dt_ignore[at]) (e.dt_matched[at] ? tp : fp) += 1;
            rc[j] = tp / static_cast<double>(npig);
            pr[j] = tp / (fp + tp + kSpacing1);
          }
          out.recall[((t * K + k) * kAreas + a) * kMaxDets + m] =
              nd ? rc.back() : 0.0;
          for (size_t j = nd; j-- > 1;) pr[j - 1] = std::max(pr[j - 1], pr[j]);
          // pycocotools fills q until the first recall level out of reach
          // (an IndexError it swallows); the rest stay 0.
          for (size_t r = 0; r < R; ++r) {
            auto it = std::lower_bound(rc.begin(), rc.end(),
                                       out.recall_thresholds[r]);
            size_t pi = it - rc.begin();
            if (pi >= nd) {
              for (size_t rr = r; rr < R; ++rr)
                PrecisionAt(out, t, rr, k, a, m) = 0.0;
              break;
            }
            PrecisionAt(out, t, r, k, a, m) = pr[pi];
          }
        }
      }
    }
  }

  // summarize(): means over the entries that are not -1.
  auto ap = [&](std::optional<double> iou, size_t a, size_t m,
                std::optional<size_t> only_k) {
    std::vector<double> v;
    for (size_t t = 0; t < T; ++t) {
      if (iou && std::fabs(out.iou_thresholds[t] - *iou) > 1e-12) continue;
      for (size_t r = 0; r < R; ++r)
        for (size_t k = 0; k < K; ++k)
          if (!only_k || *only_k == k)
            v.push_back(out.Precision(t, r, k, a, m));
    }
    return MeanValid(v);
  };
  auto ar = [&](size_t a, size_t m) {
    std::vector<double> v;
    for (size_t t = 0; t < T; ++t)
      for (size_t k = 0; k < K; ++k) v.push_back(out.Recall(t, k, a, m));
    return MeanValid(v);
  };
  out.stats = {ap({}, 0, 2, {}), ap(0.5, 0, 2, {}), ap(0.75, 0, 2, {}),
               ap({}, 1, 2, {}), ap({}, 2, 2, {}),  ap({}, 3, 2, {}),
               ar(0, 0),         ar(0, 1),          ar(0, 2),
               ar(1, 2),         ar(2, 2),          ar(3, 2)};
  for (size_t k = 0; k < K; ++k) out.per_class_ap.push_back(ap({}, 0, 2, k));
  return out;
}

}  // namespace detlite::eval
