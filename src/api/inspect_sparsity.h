// The sparsity part of Model::Inspect: zeros per constant, and per conv /
// FC op the multiply-accumulates whose weight is zero.
#ifndef DETLITE_API_INSPECT_SPARSITY_H_
#define DETLITE_API_INSPECT_SPARSITY_H_

#include "detlite/model.h"
#include "ir/graph.h"

namespace detlite::api {

// Zero elements of constant `t` in its dense form.
int64_t CountZeros(const ir::Tensor& t);

// Fills info->constant_sparsity, op_sparsity and sparsity from subgraph `sg`.
void InspectSparsity(const ir::Subgraph& sg, ModelInfo* info);

}  // namespace detlite::api

#endif  // DETLITE_API_INSPECT_SPARSITY_H_
