// Pieces of detlite::Quantize shared between its files.
#ifndef DETLITE_API_QUANTIZE_INTERNAL_H_
#define DETLITE_API_QUANTIZE_INTERNAL_H_

#include <string>
#include <vector>

#include "detlite/quantize.h"
#include "ir/graph.h"

namespace detlite::api {

// Full-integer quantization of `model` (already float32 throughout): int8,
// or 16x8 with `int16`.
Status QuantizeInt8(ir::Model& model, const QuantizeOptions& options, bool int16,
                    QuantizeReport* report);

int64_t ConstantBytes(const ir::Model& model);

// Runs passes/store_sparse (constants that came in sparse or were pruned go
// back to sparse storage where that is smaller); one line for `actions`.
Status StoreSparse(ir::Model& model, std::vector<std::string>* actions);

}  // namespace detlite::api

#endif  // DETLITE_API_QUANTIZE_INTERNAL_H_
