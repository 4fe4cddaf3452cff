#include "api/evaluate_compare.h"

#include <algorithm>
#include <numeric>

#include "data/draw.h"

namespace detlite::api {

double ImageAp(const eval::CocoDataset& gt, int64_t image_id,
               const std::vector<eval::Detection>& scored) {
  eval::CocoDataset one;
  one.image_ids = {image_id};
  one.categories = gt.categories;
  for (const eval::GroundTruth& g : gt.annotations) {
    if (g.image_id == image_id) one.annotations.push_back(g);
  }
  auto m = eval::EvaluateCoco(one, scored);
  return m.ok() ? m->stats[0] : -1;
}

RgbImage DrawSample(const RgbImage& img, const DatasetSample& s,
                    const std::vector<Detection>& dets, float draw_threshold,
                    const std::function<std::string(int)>& namer) {
  std::vector<Detection> shown;
  for (const Detection& d : dets) {
    if (d.score >= draw_threshold) shown.push_back(d);
  }
  RgbImage drawn = DrawDetections(img, shown, namer);
  Image view{drawn.width, drawn.height, 3, std::move(drawn.pixels)};
  for (const BoxAnnotation& b : s.boxes) {
    DrawBox(&view, b.xmin, b.ymin, b.xmax, b.ymax, Rgb{255, 255, 255}, 1);
  }
  drawn.pixels = std::move(view.pixels);
  return drawn;
}

namespace {

// `left` and `right` (same size) next to each other, a gap between.
RgbImage SideBySide(const RgbImage& left, const RgbImage& right) {
  constexpr int kGap = 8;
  RgbImage out;
  out.width = left.width * 2 + kGap;
  out.height = left.height;
  out.pixels.assign(static_cast<size_t>(out.width) * out.height * 3, 255);
  const size_t row = static_cast<size_t>(left.width) * 3;
  for (int y = 0; y < left.height; ++y) {
    uint8_t* dst = out.pixels.data() + static_cast<size_t>(y) * out.width * 3;
    std::copy_n(left.pixels.data() + y * row, row, dst);
    std::copy_n(right.pixels.data() + y * row, row, dst + row + kGap * 3);
  }
  return out;
}

int CountAbove(const std::vector<Detection>& dets, float t) {
  return static_cast<int>(
      std::count_if(dets.begin(), dets.end(), [t](const Detection& d) { return d.score >= t; }));
}

}  // namespace

StatusOr<std::vector<ImageComparison>> WorstImages(
    const Dataset& ds, const eval::CocoDataset& gt, const std::vector<ImageRun>& model,
    const std::vector<ImageRun>& reference, int count, float draw_threshold,
    const std::function<std::string(int)>& namer) {
  struct Loss {
    size_t index;
    double ap, reference_ap;
  };
  std::vector<Loss> losses;
  for (size_t i = 0; i < model.size() && i < reference.size(); ++i) {
    const int64_t id = static_cast<int64_t>(i) + 1;
    const double ap = ImageAp(gt, id, model[i].scored);
    const double ref = ImageAp(gt, id, reference[i].scored);
    if (ap < 0 || ref < 0) continue;
    losses.push_back({i, ap, ref});
  }
  // Largest drop first; ties by the photo's order so the report is stable.
  std::stable_sort(losses.begin(), losses.end(), [](const Loss& a, const Loss& b) {
    return a.reference_ap - a.ap > b.reference_ap - b.ap;
  });
  std::vector<ImageComparison> worst;
  for (const Loss& l : losses) {
    if (static_cast<int>(worst.size()) >= count || l.reference_ap - l.ap <= 0) break;
    const DatasetSample& s = ds.samples[l.index];
    ASSIGN_OR_RETURN(RgbImage img, LoadSampleImage(s));
    ImageComparison c;
    c.name = s.file_name;
    c.ap = l.ap;
    c.reference_ap = l.reference_ap;
    c.detections = CountAbove(model[l.index].found, draw_threshold);
    c.reference_detections = CountAbove(reference[l.index].found, draw_threshold);
    c.drawn = SideBySide(DrawSample(img, s, reference[l.index].found, draw_threshold, namer),
                         DrawSample(img, s, model[l.index].found, draw_threshold, namer));
    worst.push_back(std::move(c));
  }
  return worst;
}

}  // namespace detlite::api
