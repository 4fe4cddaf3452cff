// EvaluateModelShard: one share of a dataset's photos through a detector,
// written as a part file for MergeEvalParts.
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "api/eval_classes.h"
#include "api/eval_part.h"
#include "core/file_io.h"
#include "detlite/dataset.h"
#include "detlite/eval_shard.h"

namespace detlite {

StatusOr<EvalPartInfo> EvaluateModelShard(const Model& model, const std::string& dataset_path,
                                          const EvalOptions& o, const Shard& shard,
                                          const std::string& out_path) {
  const auto start = std::chrono::steady_clock::now();
  if (o.reference != nullptr) {
    return InvalidArgument("--compare-to cannot be sharded: run it on one machine");
  }
  if (shard.count < 1 || shard.index < 1 || shard.index > shard.count) {
    return InvalidArgument("shard " + std::to_string(shard.index) + "/" +
                           std::to_string(shard.count) + " does not exist");
  }
  ASSIGN_OR_RETURN(api::LabelledEvaluation ev, api::OpenLabelledEvaluation(model, dataset_path, o));
  const Dataset& ds = ev.ds;
  Detector& detector = ev.detector;
  api::ClassMapping& mapping = ev.mapping;
  eval::CocoDataset categories;
  const int64_t background_id = api::ScoredCategories(ds, &categories);
  for (auto& [cls, cat] : mapping.to_category) {
    if (cat == background_id) cat = -1;
  }
  EvalPartInfo info;
  info.path = out_path;
  std::error_code ec;
  info.dataset = std::filesystem::absolute(dataset_path, ec).lexically_normal().string();
  if (ec) info.dataset = dataset_path;
  info.dataset_hash = api::DatasetHash(ds);
  info.dataset_images = static_cast<int64_t>(ds.samples.size());
  info.model = model.path();
  ASSIGN_OR_RETURN(info.model_hash, api::FileHash(model.path()));
  ASSIGN_OR_RETURN(info.options, api::OptionsJson(o));
  info.shard = shard;
  info.notes = {mapping.note, "outputs: " + detector.description()};

  std::string body;  // the "annotations" array, one detection a line
  const int64_t total = info.dataset_images;
  const int64_t mine = (total - shard.index + shard.count) / shard.count;
  for (int64_t i = shard.index - 1; i < total; i += shard.count) {
    const DatasetSample& s = ds.samples[static_cast<size_t>(i)];
    auto img = LoadSampleImage(s);
    if (!img.ok()) return img.status();
    auto found = detector.Detect(*img);
    if (!found.ok()) return found.status().WithContext(s.file_name);
    info.invoke_ms_sum += detector.last_invoke_ms();
    // image_id is the photo's index in the whole dataset + 1, as EvaluateModel numbers them.
    for (const eval::Detection& d : api::ToScored(*found, i + 1, *img, mapping)) {
      const nlohmann::json e = {{"image_id", d.image_id}, {"category_id", d.category_id},
                                {"bbox", d.bbox}, {"score", d.score}};
      body += (info.detections == 0 ? "\n" : ",\n") + e.dump();
      ++info.detections;
    }
    ++info.images;
    if (o.progress) o.progress(info.images, mine);
  }
  info.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string text = api::PartHeaderJson(info) + ",\n \"annotations\": [" + body + "\n]}\n";
  RETURN_IF_ERROR(WriteFileAtomic(out_path, text));
  return info;
}

}  // namespace detlite
