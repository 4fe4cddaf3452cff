#include "api/eval_summary.h"

#include <map>

namespace detlite {

const std::array<const char*, 12>& CocoStatNames() {
  static const std::array<const char*, 12> kNames = {
      "AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"};
  return kNames;
}

namespace api {

CocoSummary Summarize(const eval::CocoDataset& gt, const std::vector<eval::Detection>& dets,
                      const eval::CocoMetrics& m) {
  CocoSummary s;
  s.stats = m.stats;
  s.images = static_cast<int>(gt.image_ids.size());
  std::map<int64_t, std::string> names;
  for (const auto& c : gt.categories) names[c.id] = c.name;
  std::map<int64_t, int> gt_count, det_count;
  for (const auto& a : gt.annotations) {
    if (!a.iscrowd) ++gt_count[a.category_id];
    ++s.ground_truth;
  }
  for (const auto& d : dets) {
    if (names.count(d.category_id)) {
      ++det_count[d.category_id];
      ++s.detections;
    }
  }
  const size_t R = m.recall_thresholds.size();
  for (size_t k = 0; k < m.category_ids.size(); ++k) {
    ClassMetrics c;
    c.category_id = m.category_ids[k];
    c.name = names[c.category_id];
    c.num_gt = gt_count[c.category_id];
    c.num_detections = det_count[c.category_id];
    c.ap = k < m.per_class_ap.size() ? m.per_class_ap[k] : -1;
    // AP50: mean precision over recall points at IoU index 0, area all (0),
    // 100 detections (index 2), as pycocotools' summarize does per class.
    double sum = 0;
    int n = 0;
    c.precision_at_recall.resize(R, -1);
    for (size_t r = 0; r < R; ++r) {
      double p = m.Precision(0, r, k, 0, 2);
      c.precision_at_recall[r] = p;
      if (p > -1) {
        sum += p;
        ++n;
      }
    }
    c.ap50 = n > 0 ? sum / n : -1;
    s.classes.push_back(std::move(c));
  }
  return s;
}

}  // namespace api
}  // namespace detlite
