// Float constants to their quantized forms, per TFLite's specification:
// weights symmetric int8 in [-127, 127] (per channel or per tensor), biases
// int32 at input_scale * weight_scale with zero point 0, other constants
// affine per tensor.
#ifndef DETLITE_QUANT_QUANTIZE_CONSTANTS_H_
#define DETLITE_QUANT_QUANTIZE_CONSTANTS_H_

#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "quant/range_select.h"

namespace detlite::quant {

std::vector<float> FloatValues(const ir::Tensor& t);

// Returns a new int8 tensor (name unchanged) holding `w` quantized
// symmetrically, per channel along `axis` unless `per_tensor`.
StatusOr<ir::Tensor> QuantizeWeights(const ir::Tensor& w, int axis, bool per_tensor);

// Returns a new int32 (or, for int16 activations, int64) bias with one
// scale per weight scale (input_scale * weight_scale[c]); `weights_scales`
// has 1 or bias-length entries.
StatusOr<ir::Tensor> QuantizeBias(const ir::Tensor& b, float input_scale,
                                  const std::vector<float>& weights_scales,
                                  DType dtype = DType::kInt32);

// A constant quantized per tensor with the given parameters into `dtype`
// (int8 / uint8 / int16), values saturated.
StatusOr<ir::Tensor> QuantizeConstant(const ir::Tensor& c, AffineParams p, DType dtype);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_QUANTIZE_CONSTANTS_H_
