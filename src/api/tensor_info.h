// Conversions between the IR / runtime and the public API's plain structs.
#ifndef DETLITE_API_TENSOR_INFO_H_
#define DETLITE_API_TENSOR_INFO_H_

#include "detlite/model.h"
#include "ir/graph.h"

namespace detlite::api {

TensorInfo MakeTensorInfo(const ir::Subgraph& sg, int32_t index);

// Multiply-accumulates of a conv-family or matmul op, from its shapes
// (inspect.cc); 0 for other ops.
int64_t OpMacs(const ir::Subgraph& sg, const ir::Operator& op);

}  // namespace detlite::api

#endif  // DETLITE_API_TENSOR_INFO_H_
