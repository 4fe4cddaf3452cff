// BMP decoding with stb_image. stb_image reads past the end of a short file
// as zeros and reports success, so the header is checked here first: the
// pixel rows it promises must all be inside the file.
//
// Layout (little endian): "BM", u32 file size, u32 reserved, u32 offset of
// the pixels; then the DIB header: u32 size (12 = OS/2 core header with u16
// width/height; 40, 56, 108, 124 = Windows info header with i32 width/height, a
// negative height meaning top-down rows), u16 planes, u16 bits per pixel, and
// for 40+ a u32 compression. Rows are padded to 4 bytes.
#include <stb/stb_image.h>

#include <climits>
#include <cstdlib>
#include <cstring>

#include "data/image_codecs.h"

namespace detlite::image_internal {
namespace {

uint32_t U32(const uint8_t* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t{p[3]} << 24);
}
uint16_t U16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}

struct BmpHeader {
  int64_t width = 0;
  int64_t height = 0;  // absolute value
  uint32_t bits = 0;
  uint32_t compression = 0;
  uint32_t pixel_offset = 0;
};

Status ParseHeader(const uint8_t* d, size_t size, const std::string& name,
                   BmpHeader* h) {
  const std::string where = name + ": BMP: ";
  if (size < 26) {
    return DataLoss(where + "truncated: " + std::to_string(size) +
                    " bytes is too short for a header");
  }
  h->pixel_offset = U32(d + 10);
  const uint32_t dib = U32(d + 14);
  if (dib == 12) {
    h->width = U16(d + 18);
    h->height = U16(d + 20);
    h->bits = U16(d + 24);
  } else if (dib == 40 || dib == 56 || dib == 108 ||
             dib == 124) {  // as stb_image
    if (size < 54) return DataLoss(where + "truncated inside the info header");
    h->width = static_cast<int32_t>(U32(d + 18));
    h->height = std::llabs(static_cast<int32_t>(U32(d + 22)));
    h->bits = U16(d + 28);
    h->compression = U32(d + 30);
  } else {
    return Unimplemented(where + "unknown DIB header size " +
                         std::to_string(dib));
  }
  if (uint64_t{14} + dib > size) {
    return DataLoss(where + "truncated inside the DIB header");
  }
  if (h->compression == 1 || h->compression == 2) {
    return Unimplemented(where + "RLE-compressed BMP is not supported");
  }
  if (h->compression != 0 && h->compression != 3 && h->compression != 6) {
    return Unimplemented(where + "compression type " +
                         std::to_string(h->compression) + " is not supported");
  }
  if (h->bits != 1 && h->bits != 4 && h->bits != 8 && h->bits != 16 &&
      h->bits != 24 && h->bits != 32) {
    return DataLoss(where + "invalid bits per pixel " +
                    std::to_string(h->bits));
  }
  return CheckDimensions(h->width, h->height, name);
}

}  // namespace

StatusOr<Image> DecodeBmp(const uint8_t* data, size_t size,
                          const std::string& name) {
  BmpHeader h;
  RETURN_IF_ERROR(ParseHeader(data, size, name, &h));
  const uint64_t stride =
      (static_cast<uint64_t>(h.width) * h.bits + 31) / 32 * 4;
  const uint64_t needed =
      uint64_t{h.pixel_offset} + stride * static_cast<uint64_t>(h.height);
  if (needed > size) {
    return DataLoss(name + ": BMP: truncated: pixel rows end at byte " +
                    std::to_string(needed) + ", file has " +
                    std::to_string(size));
  }
  if (size > static_cast<size_t>(INT_MAX)) {
    return InvalidArgument(name + ": BMP: file over 2 GiB");
  }
  int w = 0, ht = 0, file_channels = 0;
  // stbi_failure_reason() is a process-wide static: fine for its messages,
  // which are only read right after the failing call.
  uint8_t* pixels = stbi_load_from_memory(data, static_cast<int>(size), &w, &ht,
                                          &file_channels, 3);
  if (pixels == nullptr) {
    return DataLoss(
        name + ": BMP: " +
        (stbi_failure_reason() ? stbi_failure_reason() : "corrupt"));
  }
  Image image;
  image.width = w;
  image.height = ht;
  image.channels = 3;
  image.pixels.assign(pixels, pixels + static_cast<size_t>(w) * ht * 3);
  stbi_image_free(pixels);
  if (w != h.width || ht != h.height) {
    return Internal(
        name + ": BMP: stb_image disagrees with the header about the size");
  }
  return image;
}

}  // namespace detlite::image_internal
