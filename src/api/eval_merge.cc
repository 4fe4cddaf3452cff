// MergeEvalParts: the part files of one sharded evaluation scored together,
// with the numbers a single EvaluateModel run gives.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "api/eval_classes.h"
#include "api/eval_part.h"
#include "api/eval_summary.h"
#include "detlite/dataset.h"
#include "detlite/eval_shard.h"
#include "eval/coco_eval.h"
#include "eval/coco_json.h"

namespace detlite {
namespace {

std::string ShardText(const Shard& s) {
  return std::to_string(s.index) + "/" + std::to_string(s.count);
}

// Every part agrees with the first on all but the shard index; each index
// 1..N appears once.
Status CheckTogether(const std::vector<EvalPartInfo>& parts) {
  const EvalPartInfo& a = parts[0];
  std::map<int, const EvalPartInfo*> by_index;
  for (const EvalPartInfo& p : parts) {
    const auto differs = [&](const char* what, const std::string& mine,
                             const std::string& theirs) {
      return InvalidArgument(p.path + ": a part of another " + what + " (" + mine + ") than " +
                             a.path + " (" + theirs + "); merge parts of one eval only");
    };
    if (p.model_hash != a.model_hash) {
      return differs("model", p.model + ", hash " + p.model_hash,
                     a.model + ", hash " + a.model_hash);
    }
    if (p.dataset_hash != a.dataset_hash || p.dataset != a.dataset) {
      return differs("dataset", p.dataset + ", hash " + p.dataset_hash,
                     a.dataset + ", hash " + a.dataset_hash);
    }
    if (p.options != a.options) return differs("set of eval options", p.options, a.options);
    if (p.shard.count != a.shard.count) {
      return differs("shard count", "shard " + ShardText(p.shard), "shard " + ShardText(a.shard));
    }
    auto [it, fresh] = by_index.emplace(p.shard.index, &p);
    if (!fresh) {
      return InvalidArgument(p.path + ": shard " + ShardText(p.shard) + " is given twice (also " +
                             it->second->path + ")");
    }
  }
  for (int k = 1; k <= a.shard.count; ++k) {
    if (by_index.count(k) == 0) {
      return InvalidArgument("shard " + std::to_string(k) + "/" + std::to_string(a.shard.count) +
                             " is missing: " + std::to_string(parts.size()) + " part(s) given, " +
                             a.path + " says there are " + std::to_string(a.shard.count));
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<EvalResult> MergeEvalParts(const std::vector<std::string>& part_paths) {
  if (part_paths.empty()) return InvalidArgument("eval merge: give the part files");
  std::vector<EvalPartInfo> parts;
  for (const std::string& path : part_paths) {
    ASSIGN_OR_RETURN(EvalPartInfo info, api::ReadPartHeader(path));
    parts.push_back(std::move(info));
  }
  RETURN_IF_ERROR(CheckTogether(parts));
  const EvalPartInfo& first = parts[0];
  const nlohmann::json options = nlohmann::json::parse(first.options);
  DatasetOptions dopt;
  dopt.max_samples = options["max_images"].get<int64_t>();  // checked by ReadPartHeader
  ASSIGN_OR_RETURN(Dataset ds, LoadDataset(first.dataset, dopt));
  if (api::DatasetHash(ds) != first.dataset_hash ||
      static_cast<int64_t>(ds.samples.size()) != first.dataset_images) {
    return InvalidArgument(first.dataset + ": changed since " + first.path +
                           " was written (its photos, boxes or categories differ)");
  }
  eval::CocoDataset gt;
  int background_boxes = 0;
  const int64_t background_id = api::ScoredCategories(ds, &gt);
  for (size_t i = 0; i < ds.samples.size(); ++i) {
    api::AddGroundTruth(ds.samples[i], static_cast<int64_t>(i) + 1, background_id, &gt,
                        &background_boxes);
  }
  std::vector<eval::Detection> dets;
  EvalResult result;
  double invoke_ms = 0, seconds = 0;
  for (const EvalPartInfo& p : parts) {
    ASSIGN_OR_RETURN(std::vector<eval::Detection> mine, eval::ReadCocoResults(p.path));
    if (static_cast<int64_t>(mine.size()) != p.detections) {
      return DataLoss(p.path + ": holds " + std::to_string(mine.size()) +
                      " detections, its header says " + std::to_string(p.detections));
    }
    for (const eval::Detection& d : mine) {
      if (d.image_id < 1 || d.image_id > first.dataset_images || !p.shard.Contains(d.image_id - 1)) {
        return DataLoss(p.path + ": a detection on image " + std::to_string(d.image_id) +
                        ", which is not in shard " + ShardText(p.shard));
      }
    }
    dets.insert(dets.end(), mine.begin(), mine.end());
    invoke_ms += p.invoke_ms_sum;
    seconds += p.seconds;
  }
  // The order of a single run: photos in dataset order, each photo's
  // detections as the model returned them (ties in score keep this order).
  std::stable_sort(dets.begin(), dets.end(), [](const eval::Detection& x,
                                                const eval::Detection& y) {
    return x.image_id < y.image_id;
  });
  auto metrics = eval::EvaluateCoco(gt, dets);
  if (!metrics.ok()) return metrics.status().WithContext(first.dataset);
  result.model = first.model;
  result.dataset = first.dataset;
  result.notes = first.notes;
  if (background_boxes > 0) {
    result.notes.push_back(std::to_string(background_boxes) +
                           " ground-truth box(es) labelled 'background' are not scored");
  }
  result.notes.push_back("merged from " + std::to_string(parts.size()) + " shard(s)");
  result.coco = api::Summarize(gt, dets, *metrics);
  result.mean_invoke_ms = invoke_ms / static_cast<double>(first.dataset_images);
  result.seconds = seconds;  // summed over the shards
  return result;
}

}  // namespace detlite
