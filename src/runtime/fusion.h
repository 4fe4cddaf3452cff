// Prepare-time fusion in the interpreter (the model itself stays as
// imported): a float CONV_2D whose only consumer is an ADD with a residual
// (BlazeFace's and MobileNet's blocks), optionally through a channel PAD
// with zeros on the residual and followed by a RELU, RELU6, RELU_N1_TO_1,
// RELU_0_TO_1 or per-channel PRELU, becomes one conv that applies
// act(conv + residual) to each block of output pixels while it is in cache
// (kernel_api.h FusedResidual). The ADD, PAD and activation are then not
// run, and the intermediates they wrote need no memory. The float operations
// are those of the unfused ops, in the same order, so results are identical.
// Also: a zero spatial PAD read only by a float CONV_2D or DEPTHWISE_CONV_2D
// becomes padding in that conv's window geometry.
#ifndef DETLITE_RUNTIME_FUSION_H_
#define DETLITE_RUNTIME_FUSION_H_

#include <memory>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "runtime/kernel_api.h"

namespace detlite::runtime {

struct FusionPlan {
  std::vector<bool> skipped;  // per op: folded into an earlier conv
  // Per op: tensors a fused conv reads or writes beyond its own operands
  // (the residual source and the final output), for memory planning.
  std::vector<std::vector<int32_t>> extra_uses;
  // Per op: the ops folded into it, in graph order, as "+ADD+RELU" (empty
  // for ops that absorbed nothing), so profiles can name what a time covers.
  std::vector<std::string> absorbed;
  int fused_convs = 0;
  int fused_pads = 0;  // zero spatial PADs folded into the conv after them
};

// Finds the patterns above among ops not `folded` and rewires their convs'
// contexts.
FusionPlan FuseConvResiduals(const ir::Subgraph& sg,
                             std::vector<TensorRef>& tensors,
                             std::vector<std::unique_ptr<OpContext>>& contexts,
                             const std::vector<bool>& folded);

}  // namespace detlite::runtime

#endif  // DETLITE_RUNTIME_FUSION_H_
