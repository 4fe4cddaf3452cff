#include "eval/voc_eval.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <system_error>

#include "core/file_io.h"
#include "eval/coco_eval.h"

namespace detlite::eval {
namespace {

// Inclusive-pixel IoU: touching boxes overlap by one pixel row.
double VocIou(const VocBox& a, const VocBox& b) {
  double ax2 = a.left + a.width, ay2 = a.top + a.height;
  double bx2 = b.left + b.width, by2 = b.top + b.height;
  if (a.left > bx2 || b.left > ax2 || a.top > by2 || b.top > ay2) return 0.0;
  double inter = (std::min(ax2, bx2) - std::max(a.left, b.left) + 1) *
                 (std::min(ay2, by2) - std::max(a.top, b.top) + 1);
  double area_a = (a.width + 1) * (a.height + 1);
  double area_b = (b.width + 1) * (b.height + 1);
  return inter / (area_a + area_b - inter);
}

double EveryPointAp(const std::vector<double>& rec,
                    const std::vector<double>& prec) {
  std::vector<double> mrec = {0.0}, mpre = {0.0};
  mrec.insert(mrec.end(), rec.begin(), rec.end());
  mpre.insert(mpre.end(), prec.begin(), prec.end());
  mrec.push_back(1.0);
  mpre.push_back(0.0);
  for (size_t i = mpre.size() - 1; i > 0; --i) {
    mpre[i - 1] = std::max(mpre[i - 1], mpre[i]);
  }
  double ap = 0.0;
  for (size_t i = 1; i < mrec.size(); ++i) {
    if (mrec[i] != mrec[i - 1]) ap += (mrec[i] - mrec[i - 1]) * mpre[i];
  }
  return ap;
}

double ElevenPointAp(const std::vector<double>& rec,
                     const std::vector<double>& prec) {
  double sum = 0.0;
  for (double r : Linspace(0.0, 1.0, 11)) {
    auto it = std::lower_bound(rec.begin(), rec.end(), r);
    double pmax = 0.0;
    for (auto p = prec.begin() + (it - rec.begin()); p < prec.end(); ++p) {
      pmax = std::max(pmax, *p);
    }
    sum += pmax;
  }
  return sum / 11.0;
}

Status ParseFile(const std::string& path, const std::string& image,
                 VocFileKind kind, std::vector<VocBox>* out) {
  ASSIGN_OR_RETURN(std::string text, ReadFileText(path, 64u << 20));
  std::istringstream lines(text);
  std::string line;
  for (int n = 1; std::getline(lines, line); ++n) {
    std::istringstream fields(line);
    VocBox b;
    b.image = image;
    if (!(fields >> b.label)) continue;  // blank line
    bool ok = kind == VocFileKind::kGroundTruth || (fields >> b.score);
    ok = ok && (fields >> b.left >> b.top >> b.width >> b.height);
    std::string extra;
    if (!ok || (fields >> extra) || !std::isfinite(b.score) ||
        !std::isfinite(b.left) || !std::isfinite(b.top) ||
        !std::isfinite(b.width) || !std::isfinite(b.height) || b.width < 0 ||
        b.height < 0) {
      return DataLoss(
          path + ": line " + std::to_string(n) + ": expected '" +
          (kind == VocFileKind::kGroundTruth ? "class" : "class score") +
          " left top width height' with finite, non-negative "
          "sizes");
    }
    out->push_back(std::move(b));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::vector<VocBox>> ReadVocBoxes(const std::string& dir,
                                           VocFileKind kind) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() == ".txt") files.push_back(it->path());
  }
  if (ec) return IoError(dir + ": cannot list directory: " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<VocBox> boxes;
  for (const fs::path& f : files) {
    RETURN_IF_ERROR(ParseFile(f.string(), f.stem().string(), kind, &boxes));
  }
  return boxes;
}

VocClassResult EvaluateVocClass(const std::vector<VocBox>& gts,
                                const std::vector<VocBox>& dets,
                                const std::string& label, double iou_threshold,
                                VocInterpolation interpolation) {
  VocClassResult res;
  std::map<std::string, std::vector<const VocBox*>> gt_by_image;
  for (const VocBox& g : gts) {
    if (g.label != label) continue;
    gt_by_image[g.image].push_back(&g);
    ++res.num_gt;
  }
  std::map<std::string, std::vector<bool>> taken;
  for (const auto& [image, list] : gt_by_image) {
    taken[image].assign(list.size(), false);
  }
  std::vector<const VocBox*> ds;
  for (const VocBox& d : dets) {
    if (d.label == label) ds.push_back(&d);
  }
  std::stable_sort(ds.begin(), ds.end(), [](const VocBox* a, const VocBox* b) {
    return a->score > b->score;
  });
  for (const VocBox* d : ds) {
    double iou_max = DBL_MIN;
    size_t jmax = 0;
    auto it = gt_by_image.find(d->image);
    if (it != gt_by_image.end()) {
      for (size_t j = 0; j < it->second.size(); ++j) {
        double iou = VocIou(*d, *it->second[j]);
        if (iou > iou_max) {
          iou_max = iou;
          jmax = j;
        }
      }
    }
    bool tp = iou_max >= iou_threshold && it != gt_by_image.end() &&
              !taken[d->image][jmax];
    if (tp) taken[d->image][jmax] = true;
    (tp ? res.tp : res.fp) += 1;
    res.recall.push_back(res.num_gt ? static_cast<double>(res.tp) / res.num_gt
                                    : 0.0);
    res.precision.push_back(static_cast<double>(res.tp) / (res.tp + res.fp));
  }
  res.ap = interpolation == VocInterpolation::kEveryPoint
               ? EveryPointAp(res.recall, res.precision)
               : ElevenPointAp(res.recall, res.precision);
  return res;
}

}  // namespace detlite::eval
