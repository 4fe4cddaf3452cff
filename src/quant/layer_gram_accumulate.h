// One sample's contribution to the layer Grams of layer_gram.h: the input
// patches of every output position, accumulated as sums of x x^T. Plain
// buffers only; the geometry comes from the op and its runtime shapes.
#ifndef DETLITE_QUANT_LAYER_GRAM_ACCUMULATE_H_
#define DETLITE_QUANT_LAYER_GRAM_ACCUMULATE_H_

#include <cstdint>
#include <vector>

namespace detlite::quant {

struct PatchGeometry {
  int64_t batch = 1, in_h = 1, in_w = 1, channels = 0;
  int64_t out_h = 1, out_w = 1;
  int64_t kernel_h = 1, kernel_w = 1;
  int64_t stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  int64_t pad_top = 0, pad_left = 0;
  int64_t taps() const { return kernel_h * kernel_w; }
};

// Padding before the first row (or column) TFLite uses for SAME.
int64_t SamePaddingBefore(int64_t in, int64_t out, int64_t kernel, int64_t stride,
                          int64_t dilation);

// Copies the patch of output position (n, oy, ox) of an NHWC input into
// `row` (taps x channels, OHWI order), zeros where it reads padding.
void FillPatch(const float* input, const PatchGeometry& g, int64_t n, int64_t oy, int64_t ox,
               float* row);

// Adds sum over positions of x x^T to `gram` (K x K, K = taps * channels,
// row-major, lower and upper both filled) for a conv's NHWC input; FC is
// a 1x1 conv over rows of `channels` values.
void AccumulateConvGram(const float* input, const PatchGeometry& g, std::vector<double>& gram);

// Adds, per input channel c, sum over positions of p_c p_c^T (p_c the
// channel's taps) to gram[c * taps * taps ...].
void AccumulateDepthwiseGram(const float* input, const PatchGeometry& g,
                             std::vector<double>& gram);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_LAYER_GRAM_ACCUMULATE_H_
