#include "data/preprocess.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <string>

namespace detlite {
namespace {

static_assert(
    std::endian::native == std::endian::little,
    "tensor bytes are little endian; a big-endian host needs byte swaps here");

Status CheckShape(const Image& image, const Shape& shape, DType dtype) {
  if (shape.rank() != 4 || shape.dim(0) != 1) {
    return InvalidArgument(
        "an image input must have shape [1,height,width,channels], not " +
        shape.ToString());
  }
  const int64_t h = shape.dim(1), w = shape.dim(2), c = shape.dim(3);
  if (h <= 0 || w <= 0 || h * w > kMaxImagePixels) {
    return InvalidArgument("input shape " + shape.ToString() +
                           " has an invalid height or width");
  }
  if (c != image.channels) {
    return InvalidArgument("the input " + shape.ToString() + " takes " +
                           std::to_string(c) +
                           " channels per pixel but the image has " +
                           std::to_string(image.channels) + " (RGB)");
  }
  if (c > 3) {
    return Unimplemented("inputs with more than 3 channels are not supported");
  }
  if (dtype != DType::kFloat32 && dtype != DType::kUInt8 &&
      dtype != DType::kInt8) {
    return Unimplemented("image inputs of type " +
                         std::string(DTypeName(dtype)) +
                         " are not supported (float32, uint8 or int8)");
  }
  return Status::Ok();
}

// The quantized value of `real` in [lo, hi], rounding half away from zero as
// TFLite's Quantize does.
int32_t Quantize(float real, float scale, int64_t zero_point, int32_t lo,
                 int32_t hi) {
  const double q = std::round(static_cast<double>(real) / scale) +
                   static_cast<double>(zero_point);
  return static_cast<int32_t>(
      std::clamp(q, static_cast<double>(lo), static_cast<double>(hi)));
}

}  // namespace

StatusOr<Preprocess> PresetPreprocess(PreprocessPreset preset) {
  Preprocess p;
  switch (preset) {
    case PreprocessPreset::kRaw:
      p.raw_pixels = true;
      break;
    case PreprocessPreset::kUnit:
      p.stddev = {255, 255, 255};
      break;
    case PreprocessPreset::kSigned:
      p.mean = {127.5f, 127.5f, 127.5f};
      p.stddev = {127.5f, 127.5f, 127.5f};
      break;
    case PreprocessPreset::kImagenet:
      p.mean = {123.675f, 116.28f, 103.53f};
      p.stddev = {58.395f, 57.12f, 57.375f};
      break;
    case PreprocessPreset::kAuto:
      return InvalidArgument("the auto preprocessing preset depends on the input type");
  }
  return p;
}

StatusOr<std::vector<uint8_t>> ImageToTensorBytes(const Image& image,
                                                  const Shape& shape,
                                                  DType dtype,
                                                  const Preprocess& pre,
                                                  const QuantParams* quant) {
  RETURN_IF_ERROR(ValidateImage(image));
  RETURN_IF_ERROR(CheckShape(image, shape, dtype));
  const bool integer = dtype != DType::kFloat32;
  if (integer && !pre.raw_pixels) {
    if (quant == nullptr || quant->scale.size() != 1 ||
        quant->zero_point.size() != 1) {
      return InvalidArgument(
          std::string("the input is ") + std::string(DTypeName(dtype)) +
          " but has no per-tensor scale and zero point; use the raw preset"
          " or give its quantization");
    }
    if (!(quant->scale[0] > 0) || !std::isfinite(quant->scale[0])) {
      return InvalidArgument("the input's quantization scale " +
                             std::to_string(quant->scale[0]) +
                             " is not a positive number");
    }
  }
  const int channels = shape.dim(3);
  for (int c = 0; c < channels; ++c) {
    if (!(pre.stddev[static_cast<size_t>(c)] != 0) ||
        !std::isfinite(pre.stddev[static_cast<size_t>(c)])) {
      return InvalidArgument("stddev of channel " + std::to_string(c) +
                             " must be non-zero");
    }
  }
  const int width = shape.dim(2), height = shape.dim(1);
  const Image sized = (image.width == width && image.height == height)
                          ? image
                          : ResizeBilinear(image, width, height, pre.resize);
  if (sized.width != width || sized.height != height) {
    return Internal("resize failed");
  }

  const size_t pixels = static_cast<size_t>(width) * height;
  std::vector<uint8_t> out(pixels * channels * DTypeSize(dtype));
  for (size_t i = 0; i < pixels; ++i) {
    for (int c = 0; c < channels; ++c) {
      // Tensor channel c holds image channel 2-c when swapping to BGR.
      const int src_c = (pre.bgr && channels == 3) ? 2 - c : c;
      const uint8_t pixel = sized.pixels[i * channels + src_c];
      const size_t o = i * channels + c;
      if (integer && pre.raw_pixels) {
        out[o] = dtype == DType::kUInt8
                     ? pixel
                     : static_cast<uint8_t>(static_cast<int8_t>(pixel - 128));
        continue;
      }
      const auto sc = static_cast<size_t>(src_c);
      const float real =
          (static_cast<float>(pixel) - pre.mean[sc]) / pre.stddev[sc];
      if (dtype == DType::kFloat32) {
        std::memcpy(&out[o * 4], &real, 4);
      } else if (dtype == DType::kUInt8) {
        out[o] = static_cast<uint8_t>(
            Quantize(real, quant->scale[0], quant->zero_point[0], 0, 255));
      } else {
        out[o] = static_cast<uint8_t>(static_cast<int8_t>(
            Quantize(real, quant->scale[0], quant->zero_point[0], -128, 127)));
      }
    }
  }
  return out;
}

}  // namespace detlite
