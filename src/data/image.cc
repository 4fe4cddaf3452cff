#include "data/image.h"

#include <cstring>

#include "core/file_io.h"
#include "data/image_codecs.h"

namespace detlite {
namespace {

// Compressed images are far smaller than this; anything larger is not one.
constexpr uint64_t kMaxImageFileBytes = 1ull << 30;

bool StartsWith(const uint8_t* data, size_t size, const char* magic, size_t n) {
  return size >= n && std::memcmp(data, magic, n) == 0;
}

std::string FirstBytesHex(const uint8_t* data, size_t size) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size && i < 8; ++i) {
    if (i) out += ' ';
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 15];
  }
  return out;
}

}  // namespace

namespace image_internal {

Status CheckDimensions(int64_t width, int64_t height, const std::string& name) {
  if (width <= 0 || height <= 0) {
    return DataLoss(name + ": invalid image size " + std::to_string(width) +
                    "x" + std::to_string(height));
  }
  if (width > kMaxImagePixels || height > kMaxImagePixels ||
      width * height > kMaxImagePixels) {
    return InvalidArgument(name + ": image is " + std::to_string(width) + "x" +
                           std::to_string(height) +
                           ", over the limit of 2^27 pixels");
  }
  return Status::Ok();
}

}  // namespace image_internal

namespace {

StatusOr<Image> DecodeByFormat(const uint8_t* data, size_t size,
                               const std::string& name) {
  if (size == 0) {
    return InvalidArgument(name + ": not an image: the file is empty");
  }
  if (StartsWith(data, size, "\xFF\xD8\xFF", 3)) {
    return image_internal::DecodeJpeg(data, size, name);
  }
  if (StartsWith(data, size, "\x89PNG\r\n\x1A\n", 8)) {
    return image_internal::DecodePng(data, size, name);
  }
  if (StartsWith(data, size, "BM", 2)) {
    return image_internal::DecodeBmp(data, size, name);
  }
  if (StartsWith(data, size, "GIF8", 4) || StartsWith(data, size, "II*\0", 4) ||
      StartsWith(data, size, "MM\0*", 4) ||
      (StartsWith(data, size, "RIFF", 4) && size >= 12 &&
       !std::memcmp(data + 8, "WEBP", 4))) {
    return Unimplemented(
        name +
        ": GIF, TIFF and WebP images are not supported; use JPEG, PNG or BMP");
  }
  return InvalidArgument(name + ": not an image (first bytes " +
                         FirstBytesHex(data, size) +
                         "; expected JPEG, PNG or BMP)");
}

}  // namespace

StatusOr<Image> DecodeImage(const uint8_t* data, size_t size,
                            const std::string& name) {
  ASSIGN_OR_RETURN(Image image, DecodeByFormat(data, size, name));
  // The decoders' output is checked like any caller-made image.
  RETURN_IF_ERROR(ValidateImage(image).WithContext(name));
  return image;
}

StatusOr<Image> DecodeImageFile(const std::string& path) {
  ASSIGN_OR_RETURN(std::vector<uint8_t> bytes,
                   ReadFileBytes(path, kMaxImageFileBytes));
  return DecodeImage(bytes.data(), bytes.size(), path);
}

Status ValidateImage(const Image& image) {
  if (image.width <= 0 || image.height <= 0 || image.channels <= 0 ||
      image.channels > 4) {
    return InvalidArgument("invalid image " + std::to_string(image.width) +
                           "x" + std::to_string(image.height) + "x" +
                           std::to_string(image.channels));
  }
  if (int64_t{image.width} * image.height > kMaxImagePixels) {
    return InvalidArgument("image " + std::to_string(image.width) + "x" +
                           std::to_string(image.height) +
                           " is over the limit of 2^27 pixels");
  }
  const size_t want =
      static_cast<size_t>(image.width) * image.height * image.channels;
  if (image.pixels.size() != want) {
    return InvalidArgument("image " + std::to_string(image.width) + "x" +
                           std::to_string(image.height) + "x" +
                           std::to_string(image.channels) + " has " +
                           std::to_string(image.pixels.size()) +
                           " bytes of pixels, needs " + std::to_string(want));
  }
  return Status::Ok();
}

}  // namespace detlite
