// Turning a decoded image into the bytes of a model's NHWC image input:
// resize to the input's height and width, normalize each channel as
// (pixel - mean) / stddev, optionally swap to BGR, then store as the input's
// type (float32 as is; uint8/int8 quantized with the input's scale and zero
// point, or the raw pixels for the "raw" preset).
#ifndef DETLITE_DATA_PREPROCESS_H_
#define DETLITE_DATA_PREPROCESS_H_

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/dtype.h"
#include "core/quant_params.h"
#include "core/shape.h"
#include "data/image.h"
#include "data/resize.h"
#include "detlite/status.h"

namespace detlite {

struct Preprocess {
  // In RGB order, i.e. per channel of the decoded pixel, applied before any
  // swap to BGR, so a preset keeps its meaning when bgr is set.
  std::array<float, 3> mean = {0, 0, 0};
  std::array<float, 3> stddev = {1, 1, 1};
  bool bgr = false;
  ResizeMethod resize = ResizeMethod::kAntialias;
  // Integer inputs take the pixels themselves, ignoring quantization: uint8
  // as 0..255, int8 as pixel - 128 (the shift TFLite's converter applies when
  // it turns a uint8 input into int8). Set by the "raw" preset; models like
  // the quantized SSD MobileNet expect exactly this.
  bool raw_pixels = false;
};

// kRaw (0..255 unchanged), kUnit ([0,1]), kSigned ([-1,1]: mean 127.5,
// stddev 127.5), kImagenet (mean 123.675,116.28,103.53; stddev 58.395,
// 57.12,57.375). Resize is left at kAntialias. kAuto depends on the input
// type: resolve it first (InvalidArgument here).
StatusOr<Preprocess> PresetPreprocess(PreprocessPreset preset);

// `shape` is the input's [1, height, width, channels]; channels must match
// the image's (3 for decoded files). `quant` is needed for uint8/int8 unless
// pre.raw_pixels; it must be per-tensor. Returns little-endian bytes of
// `dtype`: float32, uint8 or int8.
StatusOr<std::vector<uint8_t>> ImageToTensorBytes(const Image& image,
                                                  const Shape& shape,
                                                  DType dtype,
                                                  const Preprocess& pre,
                                                  const QuantParams* quant);

}  // namespace detlite

#endif  // DETLITE_DATA_PREPROCESS_H_
