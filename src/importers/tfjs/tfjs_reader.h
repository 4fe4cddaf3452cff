// Reads a TensorFlow.js graph model (model.json plus binary weight shards)
// into a TensorFlow GraphDef whose Const nodes carry their values, so the
// TensorFlow importer can map it like a frozen graph. This reader knows
// nothing of op semantics and does not depend on importers/tf.
//
// The format (tfjs-converter "graph-model"), as read here:
//
//   model.json = {
//     "format": "graph-model",              (checked when present)
//     "modelTopology": GraphDef in protobuf's JSON mapping: node[].name, op,
//         input[], attr{name: AttrValue}; enum types as strings
//         ({"type": "DT_FLOAT"}), int64 as strings, bytes as base64.
//         Const nodes hold only dtype and shape; their values are weights.
//         The older format (tensorflowjs_model.pb turned into JSON by
//         protobuf.js, e.g. npm @tensorflow-models/coco-ssd) writes types
//         as codes ({"type": 1}), every default field, bytes fields
//         (attr s, list.s, tensorContent, stringVal) as arrays of byte
//         values, and may keep small Const values in the graph itself.
//     "weightsManifest": [ {                 groups, in order
//         "paths": ["group1-shard1of2.bin", ...],   relative to model.json;
//                                           a group's shards concatenate
//         "weights": [ {"name", "shape": [dims], "dtype": float32|int32|bool,
//                       "group"?: ignored,
//                       "quantization"?: {"dtype": uint8|uint16|float16,
//                                         "min", "scale", "original_dtype"?}} ]
//       } ],                                weights lie back to back in the
//                                           group's bytes, in manifest order
//     "signature"?: {"inputs": {key: {"name": "x:0", ...}}, "outputs": {...}},
//     "userDefinedMetadata"?, "generatedBy"?, "convertedBy"?
//   }
//
// Element bytes are little-endian. A uint8/uint16-quantized weight decodes
// as q * scale + min (computed in double, stored as float32; int32 weights
// round half up), as tfjs-core's decodeWeights does; float16 is IEEE half.
// bool is one byte per element. String weights are refused.
//
// Everything is untrusted: every size is checked before use (shape products
// against the bytes left in the group, the group's total against its
// shards, shard paths kept inside the model's directory), and every error
// names model.json and the group, shard, weight or node concerned.
#ifndef DETLITE_IMPORTERS_TFJS_TFJS_READER_H_
#define DETLITE_IMPORTERS_TFJS_TFJS_READER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "detlite/status.h"
#include "detlite/tf/graph.pb.h"

namespace detlite::tfjs_import {

// Caps far above any detector, well below what would exhaust memory.
inline constexpr uint64_t kMaxModelJsonBytes = uint64_t{256} << 20;
inline constexpr uint64_t kMaxWeightBytes = uint64_t{2} << 30;

struct TfjsModel {
  tf::GraphDef graph;                       // Const nodes filled from the weights
  std::vector<std::string> signature_inputs;   // tensor names, sorted by key
  std::vector<std::string> signature_outputs;  // tensor names, sorted by key
  std::string generated_by;
  std::string converted_by;
  int num_weights = 0;
  uint64_t weight_bytes = 0;  // bytes in the shards
};

// Returns the bytes of the shard at `path` (relative to model.json, already
// checked to stay inside its directory); errors name the shard.
using ShardReader = std::function<StatusOr<std::string>(const std::string& path)>;

// Parses model.json text; `file` names it in errors.
StatusOr<TfjsModel> ParseTfjsModel(std::string_view json_text, const std::string& file,
                                   const ShardReader& read_shard);

// The first format (tfjs-converter 0.x): the GraphDef in binary protobuf
// (Const values stripped) and the manifest (the weightsManifest list
// above) in two files beside the shards.
inline constexpr char kLegacyGraphName[] = "tensorflowjs_model.pb";
inline constexpr char kLegacyManifestName[] = "weights_manifest.json";

// `graph_pb`: tensorflowjs_model.pb's bytes; `file` names the manifest.
StatusOr<TfjsModel> ParseLegacyTfjsModel(std::string_view graph_pb, std::string_view manifest_json,
                                         const std::string& file, const ShardReader& read_shard);

// `path`: a model.json (any *.json), a directory holding model.json, or
// the 0.x format's directory, tensorflowjs_model.pb or weights_manifest.json.
StatusOr<TfjsModel> ReadTfjsModel(const std::string& path);

// The JSON file a path refers to ("" if it is not a TF.js model path): the
// path itself for a *.json file, dir/model.json for a directory, and
// weights_manifest.json for the 0.x format's directory or graph file.
std::string TfjsModelJsonPath(const std::string& path);

}  // namespace detlite::tfjs_import

#endif  // DETLITE_IMPORTERS_TFJS_TFJS_READER_H_
