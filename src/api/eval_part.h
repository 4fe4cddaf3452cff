// The part files of sharded evaluation (eval --shard, eval merge): what
// identifies a part (dataset, model, options) and its header, read without
// holding its detections in memory.
#ifndef DETLITE_API_EVAL_PART_H_
#define DETLITE_API_EVAL_PART_H_

#include <string>

#include "detlite/dataset.h"
#include "detlite/eval_shard.h"
#include "detlite/evaluate.h"

namespace detlite::api {

// Hash of everything of a dataset that scoring depends on: each photo's
// name, id and size, its boxes, and the categories, in order.
std::string DatasetHash(const Dataset& ds);
// Hash of a file's bytes (the model, a label map).
StatusOr<std::string> FileHash(const std::string& path);
// Canonical JSON of the options that change detections or scores.
StatusOr<std::string> OptionsJson(const EvalOptions& o);

// The part file's text before its "annotations" member (which follows and
// ends the object), and reading that header back: errors name the file.
std::string PartHeaderJson(const EvalPartInfo& info);
StatusOr<EvalPartInfo> ReadPartHeader(const std::string& path);

}  // namespace detlite::api

#endif  // DETLITE_API_EVAL_PART_H_
