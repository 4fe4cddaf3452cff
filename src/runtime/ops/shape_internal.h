// Registration functions of the shape family's files; RegisterShapeOps
// (shape_ops.cc) calls them in one explicit list.
#ifndef DETLITE_RUNTIME_OPS_SHAPE_INTERNAL_H_
#define DETLITE_RUNTIME_OPS_SHAPE_INTERNAL_H_

#include "runtime/op_registry.h"

namespace detlite::runtime {

void RegisterShapeReshapeOps(OpRegistry* r);  // RESHAPE, SQUEEZE, EXPAND_DIMS, SHAPE
void RegisterShapeConcatOps(OpRegistry* r);   // CONCATENATION, PACK, UNPACK, SPLIT, SPLIT_V
void RegisterShapePadOps(OpRegistry* r);      // PAD, PADV2, MIRROR_PAD
void RegisterShapeSliceOps(OpRegistry* r);    // STRIDED_SLICE, SLICE
void RegisterShapeGatherOps(OpRegistry* r);   // GATHER, TILE, TRANSPOSE
void RegisterShapeResizeOps(OpRegistry* r);   // RESIZE_*, SPACE_TO_DEPTH, DEPTH_TO_SPACE
void RegisterShapeMiscOps(OpRegistry* r);     // CAST, ARG_MAX, ARG_MIN
void RegisterShapeTopKOps(OpRegistry* r);     // TOPK_V2
// SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND, REVERSE_V2, BROADCAST_TO, GATHER_ND
// (shape_rearrange.cc; GATHER_ND's kernel in shape_gather_nd.cc).
void RegisterShapeRearrangeOps(OpRegistry* r);
// CUMSUM, BUCKETIZE, MATRIX_DIAG, MATRIX_SET_DIAG (shape_scan.cc).
void RegisterShapeScanOps(OpRegistry* r);
// SEGMENT_SUM, UNSORTED_SEGMENT_*, SCATTER_ND (shape_segment.cc).
void RegisterShapeSegmentOps(OpRegistry* r);
Status GatherNdPrepare(OpContext& ctx);
Status GatherNdEval(OpContext& ctx);

void RegisterQuantizeConvertOps(OpRegistry* r);  // DEQUANTIZE, QUANTIZE
void RegisterDensifyOp(OpRegistry* r);           // DENSIFY

}  // namespace detlite::runtime

#endif  // DETLITE_RUNTIME_OPS_SHAPE_INTERNAL_H_
