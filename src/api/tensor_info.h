// Conversions between the IR / runtime and the public API's plain structs.
#ifndef DETLITE_API_TENSOR_INFO_H_
#define DETLITE_API_TENSOR_INFO_H_

#include "detlite/model.h"
#include "ir/graph.h"

namespace detlite::api {

TensorInfo MakeTensorInfo(const ir::Subgraph& sg, int32_t index);

}  // namespace detlite::api

#endif  // DETLITE_API_TENSOR_INFO_H_
