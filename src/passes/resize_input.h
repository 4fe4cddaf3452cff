// Re-targets a model to a new fixed input height and width: the image input
// [N,H,W,C] gets the new H and W and every tensor's shape is inferred again,
// op by op, with detlite's own kernel Prepare (the runtime's rules). Weights
// do not change. Constants that spell a size are rewritten where the rule
// is unambiguous: a fixed RESHAPE whose dimensions merge or split the input's
// (the SSD heads' [1, boxes, 1, 4], the FPN's upsampling; resize_input_rules)
// and a RESIZE_* to a fixed multiple of its input. A
// TFLite_Detection_PostProcess op gets its anchors moved to the new feature
// maps (ssd/anchor_retarget.h). Anything else that cannot follow the new size
// stops the pass with the op named: a FULLY_CONNECTED over features whose
// count changes, a RESHAPE/SLICE/STRIDED_SLICE/TILE/BROADCAST_TO with fixed
// sizes over a tensor whose shape changes, an op whose Prepare refuses.
// At the model's own size nothing is touched.
#ifndef DETLITE_PASSES_RESIZE_INPUT_H_
#define DETLITE_PASSES_RESIZE_INPUT_H_

#include <string>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"

namespace detlite::passes {

struct ResizeInputResult {
  int from_height = 0, from_width = 0;
  bool changed = false;
  int reshapes_rewritten = 0;
  int resizes_rewritten = 0;
  int anchors_before = 0, anchors_after = 0;  // of a post-processing op, if any
  std::vector<std::string> log;
};

Status ResizeInput(ir::Model& model, int height, int width, ResizeInputResult* result);

// For anchors that live outside the model (an imported SSD's decoder
// constants, (yc, xc, h, w) x N): the same move, given the model before and
// after ResizeInput (tensor indices are kept) and its raw box output.
StatusOr<std::vector<float>> RetargetAnchorValues(const ir::Model& before,
                                                  const ir::Model& after, int32_t box_tensor,
                                                  const std::vector<float>& anchors,
                                                  std::string* scheme = nullptr);

}  // namespace detlite::passes

#endif  // DETLITE_PASSES_RESIZE_INPUT_H_
