// The pieces of the .tflite reader, one file each: tensors, sparsity,
// operator codes and operators, builtin options. tflite_reader.cc ties them
// together; nothing outside importers/tflite includes this.
#ifndef DETLITE_IMPORTERS_TFLITE_READ_PARTS_H_
#define DETLITE_IMPORTERS_TFLITE_READ_PARTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/quant_params.h"
#include "core/shape.h"
#include "importers/tflite/read_context.h"
#include "ir/graph.h"

namespace detlite::tflite_import {

// read_tensor.cc --------------------------------------------------------
StatusOr<DType> ReadDType(const ReadContext& ctx, fb::TensorType t,
                          const std::string& who);
// `ranks_explicit`: some tensor of the file sets has_rank, so has_rank=false
// with an empty shape means "unknown rank" rather than "scalar written by a
// converter that predates the field".
StatusOr<ir::Tensor> ReadTensor(ReadContext& ctx, const fb::Tensor& t,
                                const std::string& who, bool ranks_explicit);

// read_sparsity.cc ------------------------------------------------------
// Validates the sparse layout against the dense `shape` and returns it with
// the number of values the tensor's buffer must hold.
StatusOr<SparsityParams> ReadSparsity(const ReadContext& ctx,
                                      const fb::SparsityParameters& sp,
                                      const Shape& shape,
                                      const std::string& who,
                                      int64_t* stored_values);

// read_operator.cc ------------------------------------------------------
struct OpCodeInfo {
  int32_t code = 0;  // max(deprecated_builtin_code, builtin_code)
  std::string custom_code;
  int32_t version = 1;
};
StatusOr<std::vector<OpCodeInfo>> ReadOperatorCodes(const ReadContext& ctx);
StatusOr<ir::Operator> ReadOperator(const ReadContext& ctx,
                                    const fb::Operator& op,
                                    const std::vector<OpCodeInfo>& codes,
                                    int32_t num_tensors,
                                    const std::string& who);

// read_options.cc -------------------------------------------------------
// Fills out->options (or sets out->options_unsupported) from the
// operator's builtin options, checking they are the table `code` takes.
Status ReadBuiltinOptions(const ReadContext& ctx, const fb::Operator& op,
                          int32_t code, const std::string& who,
                          ir::Operator* out);

}  // namespace detlite::tflite_import

#endif  // DETLITE_IMPORTERS_TFLITE_READ_PARTS_H_
