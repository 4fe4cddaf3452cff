// Slicing constants along one dimension, for channel pruning.
#ifndef DETLITE_PRUNE_CHANNEL_SLICE_H_
#define DETLITE_PRUNE_CHANNEL_SLICE_H_

#include <vector>

#include "ir/graph.h"

namespace detlite::prune {

// `t` keeping only indices `keep` (increasing) of dimension `dim`; any
// dtype of fixed size. A block-sparse hint is dropped (the blocks may no
// longer divide), a plain one kept.
ir::Tensor SliceConstant(const ir::Tensor& t, int dim, const std::vector<int>& keep);

// A float32 constant of `shape` holding `values`.
ir::Tensor FloatConstant(const std::string& name, const Shape& shape, const std::vector<float>& values);

// A float32 constant's values rounded to float16 (same name and shape).
ir::Tensor ToHalf(const ir::Tensor& t);

}  // namespace detlite::prune

#endif  // DETLITE_PRUNE_CHANNEL_SLICE_H_
