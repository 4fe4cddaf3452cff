// Decoded images and the file formats detlite reads them from.
//
// Decoding follows what PIL's Image.open(path).convert("RGB") gives, since the
// reference detections the project checks against were made that way:
// alpha is dropped (not blended), palettes expand, gray becomes R=G=B, 16-bit
// samples keep their high byte, and no gamma or colour profile is applied.
// EXIF orientation is ignored, as PIL does without ImageOps.exif_transpose.
#ifndef DETLITE_DATA_IMAGE_H_
#define DETLITE_DATA_IMAGE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "detlite/status.h"

namespace detlite {

// Pixels row by row, each pixel `channels` bytes (HWC): RGB when 3, gray
// when 1, RGBA when 4. Decoders always return RGB.
struct Image {
  int width = 0;
  int height = 0;
  int channels = 0;
  std::vector<uint8_t> pixels;

  size_t Index(int x, int y, int c) const {
    return (static_cast<size_t>(y) * static_cast<size_t>(width) +
            static_cast<size_t>(x)) *
               static_cast<size_t>(channels) +
           static_cast<size_t>(c);
  }
  uint8_t at(int x, int y, int c) const { return pixels[Index(x, y, c)]; }
};

// Larger images are refused before any pixel memory is allocated: a 40-byte
// header can claim gigapixels.
inline constexpr int64_t kMaxImagePixels = int64_t{1} << 27;  // docs/LIMITS.md

// JPEG (libjpeg), PNG (libpng) or BMP (stb_image), chosen by the file's first
// bytes, not its name. Errors name the file: NotFound/Io for unreadable files,
// InvalidArgument for "not an image", DataLoss for truncated or corrupt data,
// Unimplemented for valid files in a variant not supported.
StatusOr<Image> DecodeImageFile(const std::string& path);
// The same for bytes already in memory (e.g. image/encoded of a TFRecord);
// `name` is used in messages.
StatusOr<Image> DecodeImage(const uint8_t* data, size_t size,
                            const std::string& name);

// 8-bit PNG of an image with 1, 3 or 4 channels.
StatusOr<std::vector<uint8_t>> EncodePng(const Image& image);
// Written atomically (temporary file, then rename).
Status WriteImagePng(const Image& image, const std::string& path);

// OK when width, height and channels are positive, the pixel count is within
// kMaxImagePixels and pixels holds exactly width*height*channels bytes.
Status ValidateImage(const Image& image);

}  // namespace detlite

#endif  // DETLITE_DATA_IMAGE_H_
