// The full-integer rewrite: ops chosen by op_selection.h run on int8
// tensors with the parameters activation_params.h chose; QUANTIZE and
// DEQUANTIZE ops are placed wherever an int8 tensor meets a float op, a
// float model input or output.
#ifndef DETLITE_QUANT_FULL_INTEGER_H_
#define DETLITE_QUANT_FULL_INTEGER_H_

#include <map>
#include <string>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "quant/activation_params.h"

namespace detlite::quant {

struct FullIntegerOptions {
  bool per_tensor = false;
  // Type of the model inputs afterwards: float32 (QUANTIZE added), int8 or
  // uint8 (the input itself is quantized; uint8 gets a QUANTIZE to int8).
  DType input_type = DType::kFloat32;
  // kInt8, or kInt16 for the 16x8 mode (int64 biases, ADD/SUB with
  // pot_scale_int16 false, no int16/uint8 model inputs).
  DType activation_type = DType::kInt8;
  // Strict integer: model outputs produced in int8 stay int8, and
  // TFLite_Detection_PostProcess reads uint8 box encodings and scores
  // (requantized from int8 by a QUANTIZE each, as Coral's models do).
  bool strict_integer = false;
};

struct FullIntegerStats {
  int ops_quantized = 0;
  int quantize_ops_added = 0;
  int dequantize_ops_added = 0;
  // Strict integer: the largest change of an anchor coordinate stored as
  // uint8 (-1: no anchors were quantized).
  float anchor_max_error = -1;
};

Status RewriteFullInteger(ir::Model& model, const std::vector<bool>& quantized,
                          const std::map<int32_t, ActivationChoice>& activations,
                          const FullIntegerOptions& options, FullIntegerStats* stats);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_FULL_INTEGER_H_
