// A CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED with float32 constant
// weights (and bias, if any) seen as a plain linear layer: which weight
// elements belong to which output and input channel. Shared by the weight
// rewrites done before quantization (equalize, high-bias absorption, bias
// correction).
#ifndef DETLITE_QUANT_CONV_LAYER_H_
#define DETLITE_QUANT_CONV_LAYER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "ir/graph.h"

namespace detlite::quant {

struct ConvLayer {
  int op = 0;
  ir::OpKind kind = ir::OpKind::kConv2D;
  int32_t weights = -1;
  int32_t bias = -1;  // -1: none
  int64_t out_channels = 0;
  int64_t in_channels = 0;
  int64_t taps = 1;        // kernel positions (KH * KW), 1 for FC
  int64_t multiplier = 1;  // depthwise only
  bool depthwise() const { return kind == ir::OpKind::kDepthwiseConv2D; }
  // Output and input channel of weight element e.
  int64_t OutChannel(int64_t e) const {
    return depthwise() ? e % out_channels : e / (taps * in_channels);
  }
  int64_t InChannel(int64_t e) const {
    return depthwise() ? (e % out_channels) / multiplier : e % in_channels;
  }
};

// The layer view of op `op`, or nothing when it is not such a layer or its
// weights/bias are not plain float32 constants of the expected sizes.
std::optional<ConvLayer> AsConvLayer(const ir::Subgraph& sg, int op);

// Fused activation of a conv/depthwise/FC op (kNone for others).
ir::Activation FusedActivation(const ir::Operator& op);
void SetFusedActivation(ir::Operator& op, ir::Activation a);

// Float values of a float32 constant, and a new constant with `values`.
std::vector<float> ReadFloats(const ir::Tensor& t);
void WriteFloats(ir::Tensor& t, const std::vector<float>& values);

// How many op inputs read tensor t.
int UseCount(const ir::Subgraph& sg, int32_t t);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_CONV_LAYER_H_
