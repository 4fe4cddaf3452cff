// EvaluateModel: run a detector over a labelled dataset and score it.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <optional>

#include "api/eval_classes.h"
#include "api/eval_summary.h"
#include "api/evaluate_compare.h"
#include "data/draw.h"
#include "detlite/dataset.h"
#include "detlite/evaluate.h"

namespace detlite {
using api::AddGroundTruth;
using api::ClassMapping;
using api::ClassNames;
using api::ToScored;

StatusOr<EvalResult> EvaluateModel(const Model& model, const std::string& dataset_path,
                                   const EvalOptions& o) {
  auto start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(api::LabelledEvaluation ev, api::OpenLabelledEvaluation(model, dataset_path, o));
  const Dataset& ds = ev.ds;
  Detector& detector = ev.detector;
  const api::ClassNames& names = ev.names;
  api::ClassMapping& mapping = ev.mapping;
  // Without a label map, report photos name a class by the dataset category
  // it is scored as.
  std::function<std::string(int)> namer = names.namer;
  if (names.source.empty()) {
    std::map<int, std::string> by_class;
    for (const auto& [cls, cat] : mapping.to_category) {
      for (const Category& c : ds.categories) {
        if (c.id == cat) by_class[cls] = c.name;
      }
    }
    namer = [by_class, fallback = names.namer](int c) {
      auto it = by_class.find(c);
      return it != by_class.end() ? it->second : fallback(c);
    };
  }
  EvalResult result;
  result.model = model.path();
  result.dataset = dataset_path;
  result.notes.push_back(mapping.note);
  result.notes.push_back("outputs: " + detector.description());
  // Some tools reserve a category named "background" (usually id 0); it is
  // not an object class, so boxes labelled with it are not scored.
  int background_boxes = 0;
  eval::CocoDataset gt;
  const int64_t background_id = api::ScoredCategories(ds, &gt);
  for (auto& [cls, cat] : mapping.to_category) {
    if (cat == background_id) cat = -1;
  }
  std::optional<Detector> reference;
  if (o.reference) {
    ASSIGN_OR_RETURN(Detector r, Detector::Create(*o.reference, api::EvalDetectorOptions(o)));
    if (r.num_classes() != detector.num_classes()) {
      return InvalidArgument(o.reference->path() + ": has " + std::to_string(r.num_classes()) +
                             " classes, " + model.path() + " has " +
                             std::to_string(detector.num_classes()) + "; compare the same detector");
    }
    reference = std::move(r);
    result.reference = o.reference->path();
  }
  std::vector<eval::Detection> dets, reference_dets;
  std::vector<api::ImageRun> runs, reference_runs;
  double invoke_ms = 0;
  const int64_t total = static_cast<int64_t>(ds.samples.size());
  for (int64_t i = 0; i < total; ++i) {
    const DatasetSample& s = ds.samples[static_cast<size_t>(i)];
    const int64_t image_id = i + 1;  // unique even when the dataset's ids are not
    auto img = LoadSampleImage(s);
    if (!img.ok()) return img.status();
    auto found = detector.Detect(*img);
    if (!found.ok()) return found.status().WithContext(s.file_name);
    invoke_ms += detector.last_invoke_ms();
    AddGroundTruth(s, image_id, background_id, &gt, &background_boxes);
    std::vector<eval::Detection> scored = ToScored(*found, image_id, *img, mapping);
    dets.insert(dets.end(), scored.begin(), scored.end());
    if (reference) {
      auto ref_found = reference->Detect(*img);
      if (!ref_found.ok()) return ref_found.status().WithContext(s.file_name);
      std::vector<eval::Detection> ref_scored = ToScored(*ref_found, image_id, *img, mapping);
      reference_dets.insert(reference_dets.end(), ref_scored.begin(), ref_scored.end());
      runs.push_back({*found, std::move(scored)});
      reference_runs.push_back({*std::move(ref_found), std::move(ref_scored)});
    }
    if (static_cast<int>(result.samples.size()) < o.report_samples) {
      result.samples.push_back(
          {s.file_name, api::DrawSample(*img, s, *found, o.draw_threshold, namer)});
    }
    if (o.progress) o.progress(i + 1, total);
  }
  if (background_boxes > 0) {
    result.notes.push_back(std::to_string(background_boxes) +
                           " ground-truth box(es) labelled 'background' are not scored");
  }
  auto metrics = eval::EvaluateCoco(gt, dets);
  if (!metrics.ok()) return metrics.status().WithContext(dataset_path);
  result.coco = api::Summarize(gt, dets, *metrics);
  if (reference) {
    auto ref_metrics = eval::EvaluateCoco(gt, reference_dets);
    if (!ref_metrics.ok()) return ref_metrics.status().WithContext(dataset_path);
    result.reference_coco = api::Summarize(gt, reference_dets, *ref_metrics);
    ASSIGN_OR_RETURN(result.worst, api::WorstImages(ds, gt, runs, reference_runs, o.worst_images,
                                                    o.draw_threshold, namer));
  }
  result.mean_invoke_ms = invoke_ms / static_cast<double>(total);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace detlite
