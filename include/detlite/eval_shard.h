// Dataset-scale evaluation on many machines: each process runs a model over a
// deterministic share of a dataset's photos and writes a part file; merging
// the parts gives exactly the numbers one process running every photo gives
// (docs/SCALE.md).
#ifndef DETLITE_EVAL_SHARD_H_
#define DETLITE_EVAL_SHARD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "detlite/evaluate.h"
#include "detlite/model.h"
#include "detlite/shard.h"
#include "detlite/status.h"

namespace detlite {

// What a part file says about itself; parts merge only when everything but
// the shard index agrees.
struct EvalPartInfo {
  std::string path;          // the part file
  std::string dataset;       // absolute path of the dataset
  std::string dataset_hash;  // photos (names, ids), boxes and categories
  int64_t dataset_images = 0;  // photos in the whole dataset (after max_images)
  std::string model;         // path as given
  std::string model_hash;    // of the model file's bytes
  std::string options;       // canonical JSON of the options that change results
  Shard shard;
  int64_t images = 0;        // photos this part ran
  int64_t detections = 0;
  double seconds = 0;
  double invoke_ms_sum = 0;
  std::vector<std::string> notes;
};

// Runs `model` over the photos of `dataset_path` whose 0-based index i has
// shard.Contains(i) and writes their detections, as scored (dataset category
// ids, pixel boxes, the photo's index + 1 as image_id), with the EvalPartInfo
// to `out_path` (JSON, written atomically). EvalOptions::reference is not
// supported here.
StatusOr<EvalPartInfo> EvaluateModelShard(const Model& model, const std::string& dataset_path,
                                          const EvalOptions& options, const Shard& shard,
                                          const std::string& out_path);

// Reads the parts' headers, checks they come from one model, dataset and set
// of options and hold every shard 1..N exactly once (else an error naming the
// file), reloads the dataset's ground truth, and scores all the detections:
// the same EvalResult numbers a single EvaluateModel run gives.
StatusOr<EvalResult> MergeEvalParts(const std::vector<std::string>& part_paths);

}  // namespace detlite

#endif  // DETLITE_EVAL_SHARD_H_
