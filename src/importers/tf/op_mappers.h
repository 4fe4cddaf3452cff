// One mapper per TensorFlow op type: it reads the node's attributes and its
// already-imported inputs and emits the equivalent TFLite builtin ops through
// ImportContext (which folds whatever is constant). The mappers live in
// ops_*.cc by family; OpMapperTable() is the one list of supported ops.
#ifndef DETLITE_IMPORTERS_TF_OP_MAPPERS_H_
#define DETLITE_IMPORTERS_TF_OP_MAPPERS_H_

#include <map>
#include <string>
#include <vector>

#include "detlite/tf/graph.pb.h"
#include "importers/tf/import_context.h"

namespace detlite::tf_import {

// Returns the tensors of the node's outputs 0..n-1.
using OpMapper = StatusOr<std::vector<int32_t>> (*)(ImportContext& ctx, const tf::NodeDef& node,
                                                    const std::vector<int32_t>& in);
using OpMapperMap = std::map<std::string, OpMapper>;

const OpMapperMap& OpMapperTable();

void AddConvMappers(OpMapperMap& m);         // ops_conv.cc
void AddElementwiseMappers(OpMapperMap& m);  // ops_elementwise.cc
void AddShapeMappers(OpMapperMap& m);        // ops_shape.cc
void AddArrayMappers(OpMapperMap& m);        // ops_array.cc
void AddDetectionMappers(OpMapperMap& m);    // ops_detection.cc
void AddFusedMappers(OpMapperMap& m);        // ops_fused.cc
void AddMiscMappers(OpMapperMap& m);         // ops_misc.cc
void AddMathMappers(OpMapperMap& m);         // ops_math.cc
void AddLogicMappers(OpMapperMap& m);        // ops_logic.cc
void AddRearrangeMappers(OpMapperMap& m);    // ops_rearrange.cc
void AddScanMappers(OpMapperMap& m);         // ops_scan.cc

// Shared helpers for mappers.
Status CheckInputs(ImportContext& ctx, const tf::NodeDef& node, const std::vector<int32_t>& in,
                   size_t min_count);
// A constant integer input re-emitted as an int32 constant (TFLite's kernels
// take int32 axes, sizes and permutations; TensorFlow often uses int64).
StatusOr<int32_t> Int32Const(ImportContext& ctx, const tf::NodeDef& node, int32_t t,
                             const std::string& what);

}  // namespace detlite::tf_import

#endif  // DETLITE_IMPORTERS_TF_OP_MAPPERS_H_
