// One decoder per file format, behind DecodeImage (image.h). Each gets the
// whole file in memory and returns an 8-bit RGB Image or a Status naming
// `name` and the problem.
#ifndef DETLITE_DATA_IMAGE_CODECS_H_
#define DETLITE_DATA_IMAGE_CODECS_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "data/image.h"
#include "detlite/status.h"

namespace detlite::image_internal {

StatusOr<Image> DecodeJpeg(const uint8_t* data, size_t size,
                           const std::string& name);
StatusOr<Image> DecodePng(const uint8_t* data, size_t size,
                          const std::string& name);
StatusOr<Image> DecodeBmp(const uint8_t* data, size_t size,
                          const std::string& name);

// InvalidArgument unless 0 < width, height and width*height <= kMaxImagePixels;
// called on header values before any pixel buffer is allocated.
Status CheckDimensions(int64_t width, int64_t height, const std::string& name);

}  // namespace detlite::image_internal

#endif  // DETLITE_DATA_IMAGE_CODECS_H_
