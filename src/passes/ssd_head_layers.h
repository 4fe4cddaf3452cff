// Where an SSD's anchors come from in the graph: walking back from the box
// tensor ([1,N,k], or the post-processing op's box input) through the ops
// that only move data (RESHAPE, SQUEEZE, EXPAND_DIMS) to the CONCATENATION
// that joins the box predictors, and from each of its inputs to the
// predictor's [1,H,W,A*k] output. Each gives one anchor layer: its grid
// H x W and A anchors per cell.
#ifndef DETLITE_PASSES_SSD_HEAD_LAYERS_H_
#define DETLITE_PASSES_SSD_HEAD_LAYERS_H_

#include <cstdint>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "passes/ssd/anchor_retarget.h"

namespace detlite::passes {

// Layers in concatenation order (the anchors' order). InvalidArgument naming
// the tensor when the structure is not there or the counts do not divide.
StatusOr<std::vector<ssd::AnchorLayer>> FindAnchorLayers(const ir::Subgraph& sg,
                                                         int32_t box_tensor);

}  // namespace detlite::passes

#endif  // DETLITE_PASSES_SSD_HEAD_LAYERS_H_
