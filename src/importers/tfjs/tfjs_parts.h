// Internal pieces of the TF.js reader: the topology (GraphDef JSON) and the
// weights manifest. See tfjs_reader.h for the format.
#ifndef DETLITE_IMPORTERS_TFJS_TFJS_PARTS_H_
#define DETLITE_IMPORTERS_TFJS_TFJS_PARTS_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "detlite/status.h"
#include "detlite/tf/graph.pb.h"
#include "detlite/tf/tensor.pb.h"

namespace detlite::tfjs_import {

using Json = nlohmann::json;

// modelTopology -> GraphDef (enum type names become TensorFlow's codes).
StatusOr<tf::GraphDef> ParseTopology(const Json& topology, const std::string& file);

struct WeightSpec {
  std::string name;
  std::vector<int64_t> shape;
  int64_t elements = 0;
  std::string dtype;        // float32, int32, bool
  std::string quant_dtype;  // "", uint8, uint16, float16
  double min = 0, scale = 0;
};

struct WeightGroup {
  std::vector<std::string> paths;
  std::vector<WeightSpec> weights;
};

StatusOr<std::vector<WeightGroup>> ParseManifest(const Json& manifest, const std::string& file);

// Bytes one stored element of `w` takes.
int StoredElementBytes(const WeightSpec& w);

// Decodes a group's weights from its concatenated shard bytes into
// TensorProtos (dtype, shape, tensor_content) keyed by weight name. `where`
// names the file and group in errors.
Status DecodeGroup(const WeightGroup& group, std::string_view bytes, const std::string& where,
                   std::map<std::string, tf::TensorProto>* out);

}  // namespace detlite::tfjs_import

#endif  // DETLITE_IMPORTERS_TFJS_TFJS_PARTS_H_
