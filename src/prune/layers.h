// The layers pruning can edit: CONV_2D and FULLY_CONNECTED ops whose weights
// are a float32 constant, or a float16 constant behind DEQUANTIZE (how
// float16 models store them). Depthwise convolutions are left alone: their
// few weights each feed a whole output channel.
#ifndef DETLITE_PRUNE_LAYERS_H_
#define DETLITE_PRUNE_LAYERS_H_

#include <string>
#include <vector>

#include "ir/graph.h"

namespace detlite::prune {

struct Layer {
  int op_index = 0;
  int32_t weights = -1;  // constant tensor holding them (float32 or float16)
  bool first_conv = false;  // the first CONV_2D in execution order
};

std::vector<Layer> FindLayers(const ir::Subgraph& sg);

// The weights as float (float16 widened).
std::vector<float> WeightValues(const ir::Tensor& t);

// `t` with the weights where mask is true set to +0, marked to be stored
// sparse in `layout`.
ir::Tensor ZeroWeights(const ir::Tensor& t, const std::vector<bool>& mask,
                       const SparseLayout& layout);

}  // namespace detlite::prune

#endif  // DETLITE_PRUNE_LAYERS_H_
