// The shape family: data movement that never changes values (reshape,
// concatenation, padding, slicing, gathering, resizing, casts). Each group
// lives in its own shape_*.cc file; this is the one list that registers them.
#include "runtime/op_registry.h"
#include "runtime/ops/shape_internal.h"

namespace detlite::runtime {

void RegisterShapeOps(OpRegistry* r) {
  RegisterShapeReshapeOps(r);
  RegisterShapeConcatOps(r);
  RegisterShapePadOps(r);
  RegisterShapeSliceOps(r);
  RegisterShapeGatherOps(r);
  RegisterShapeResizeOps(r);
  RegisterShapeMiscOps(r);
  RegisterShapeTopKOps(r);
  RegisterShapeRearrangeOps(r);
  RegisterShapeScanOps(r);
  RegisterShapeSegmentOps(r);
}

}  // namespace detlite::runtime
