// Turning files into model inputs, and tensors into files.
#ifndef DETLITE_INPUTS_H_
#define DETLITE_INPUTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "detlite/model.h"
#include "detlite/settings.h"
#include "detlite/status.h"

namespace detlite {

struct PreprocessOptions {
  // detlite/settings.h; or give mean/std per channel (pixel - mean) / std.
  PreprocessPreset preset = PreprocessPreset::kAuto;
  std::vector<float> mean;
  std::vector<float> stddev;
  bool bgr = false;
  ResizeMethod resize = ResizeMethod::kAntialias;
};

// Loads `path` as a value for `input`: an image (JPEG/PNG/BMP; decoded,
// resized to the input's height and width, normalized, quantized if the input
// is) or a .npy array whose dtype and shape must match. *how, if given, says
// in one line what was done (e.g. "image 1200x600 -> 300x300, raw 0..255").
StatusOr<HostTensor> LoadInput(const std::string& path, const TensorInfo& input,
                               const PreprocessOptions& options, std::string* how = nullptr);

// An 8-bit RGB image in memory, row by row (HWC, 3 bytes a pixel).
struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;
};

// Decodes a JPEG/PNG/BMP file, or bytes already in memory (`name` is used in
// errors), to RGB.
StatusOr<RgbImage> ReadImage(const std::string& path);
StatusOr<RgbImage> DecodeImageBytes(const uint8_t* data, size_t size, const std::string& name);
// Writes text (JSON, HTML, ...) atomically: a temporary file, then rename.
Status WriteTextFileAtomic(const std::string& path, const std::string& text);
// Every command calls these before writing (defined in src/core/file_io.cc):
// an output file path that is empty, an existing directory or the same file
// (device and inode) as one of `inputs` is refused, naming `flag`; so is an
// output directory that is empty or an existing file.
Status CheckOutputPath(const std::string& flag, const std::string& path,
                       const std::vector<std::string>& inputs);
Status CheckOutputDirectory(const std::string& flag, const std::string& dir);

// Writes an RGB image as PNG, atomically.
Status WritePng(const RgbImage& image, const std::string& path);

// The same preprocessing as LoadInput, for an image already decoded.
StatusOr<HostTensor> ImageToInput(const RgbImage& image, const TensorInfo& input,
                                  const PreprocessOptions& options, std::string* how = nullptr);

StatusOr<HostTensor> ReadNpy(const std::string& path);
// Written atomically.
Status WriteNpy(const std::string& path, const HostTensor& tensor);

}  // namespace detlite

#endif  // DETLITE_INPUTS_H_
