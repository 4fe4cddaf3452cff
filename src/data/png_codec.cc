// PNG decoding and encoding with libpng. libpng reports errors by calling our
// error function, which must not return; we longjmp back (png_longjmp) to the
// setjmp in the Decode/EncodeInto functions. Those functions own no C++
// objects, so the jump never skips a destructor: buffers belong to callers.
#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/file_io.h"
#include "data/image_codecs.h"

namespace detlite {
namespace image_internal {
namespace {

struct PngState {
  const uint8_t* data = nullptr;  // reading: the file
  size_t size = 0;
  size_t pos = 0;
  std::vector<uint8_t>* raw = nullptr;     // reading: rows as libpng gives them
  std::vector<png_bytep>* rows = nullptr;  // row pointers into raw or pixels
  std::vector<uint8_t>* encoded = nullptr;  // writing: the PNG bytes
  int width = 0, height = 0, channels = 0;  // reading: after transforms
  bool too_large = false;
  char message[256] = {0};
};

PngState* StateOf(png_structp png) {
  return static_cast<PngState*>(png_get_error_ptr(png));
}

[[noreturn]] void OnError(png_structp png, png_const_charp msg) {
  std::snprintf(StateOf(png)->message, sizeof(StateOf(png)->message), "%s",
                msg);
  png_longjmp(png, 1);
}

void OnWarning(png_structp, png_const_charp) {
}  // e.g. a bad ancillary chunk: skipped

void ReadFromMemory(png_structp png, png_bytep out, size_t n) {
  auto* st = static_cast<PngState*>(png_get_io_ptr(png));
  if (n > st->size - st->pos) {
    png_error(png, "truncated: the file ends inside a chunk");
  }
  std::memcpy(out, st->data + st->pos, n);
  st->pos += n;
}

void WriteToMemory(png_structp png, png_bytep data, size_t n) {
  auto* st = static_cast<PngState*>(png_get_io_ptr(png));
  st->encoded->insert(st->encoded->end(), data, data + n);
}

void FlushNothing(png_structp) {}

bool DecodeInto(PngState* st) {
  png_structp png =
      png_create_read_struct(PNG_LIBPNG_VER_STRING, st, OnError, OnWarning);
  if (png == nullptr) return false;
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    return false;
  }
  // png and info are not changed after this point, so the error path may
  // read them.
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  png_set_read_fn(png, st, ReadFromMemory);
  // Caps text/ICC chunks that decompress to far more than they store.
  png_set_chunk_malloc_max(png, 64u << 20);
  png_read_info(png, info);
  const png_uint_32 w = png_get_image_width(png, info);
  const png_uint_32 h = png_get_image_height(png, info);
  if (uint64_t{w} * h > uint64_t{kMaxImagePixels}) {
    std::snprintf(st->message, sizeof(st->message),
                  "image is %ux%u, over the limit of 2^27 pixels", w, h);
    st->too_large = true;
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  const int color = png_get_color_type(png, info);
  if (png_get_bit_depth(png, info) == 16) {
    png_set_strip_16(png);  // keeps the high byte, as PIL does
  }
  if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color == PNG_COLOR_TYPE_GRAY || color == PNG_COLOR_TYPE_GRAY_ALPHA) {
    png_set_expand_gray_1_2_4_to_8(png);
    png_set_gray_to_rgb(png);
  }
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  st->width = static_cast<int>(w);
  st->height = static_cast<int>(h);
  st->channels = png_get_channels(png, info);  // 3, or 4 with alpha / tRNS
  const size_t row_bytes = png_get_rowbytes(png, info);
  if (row_bytes != static_cast<size_t>(w) * st->channels) {
    png_error(png, "unexpected row layout");
  }
  st->raw->resize(row_bytes * h);
  st->rows->resize(h);
  for (png_uint_32 y = 0; y < h; ++y) {
    (*st->rows)[y] = st->raw->data() + y * row_bytes;
  }
  png_read_image(png, st->rows->data());
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

bool EncodeInto(const Image& image, PngState* st) {
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, st, OnError, OnWarning);
  if (png == nullptr) return false;
  png_infop info = png_create_info_struct(png);
  if (info == nullptr) {
    png_destroy_write_struct(&png, nullptr);
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, st, WriteToMemory, FlushNothing);
  const int color = image.channels == 1   ? PNG_COLOR_TYPE_GRAY
                    : image.channels == 3 ? PNG_COLOR_TYPE_RGB
                                          : PNG_COLOR_TYPE_RGB_ALPHA;
  png_set_IHDR(png, info, image.width, image.height, 8, color,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, st->rows->data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

StatusOr<Image> DecodePng(const uint8_t* data, size_t size,
                          const std::string& name) {
  std::vector<uint8_t> raw;
  std::vector<png_bytep> rows;
  PngState st;
  st.data = data;
  st.size = size;
  st.raw = &raw;
  st.rows = &rows;
  if (!DecodeInto(&st)) {
    const std::string msg = name + ": PNG: " + st.message;
    return st.too_large ? InvalidArgument(msg) : DataLoss(msg);
  }
  if (st.channels != 3 && st.channels != 4) {
    return Internal(name + ": PNG: libpng gave " + std::to_string(st.channels) +
                    " channels");
  }
  Image image;
  image.width = st.width;
  image.height = st.height;
  image.channels = 3;
  if (st.channels == 3) {
    image.pixels = std::move(raw);
    return image;
  }
  // Alpha is dropped, not blended: PIL's convert("RGB") does the same.
  const size_t n = static_cast<size_t>(st.width) * st.height;
  image.pixels.resize(n * 3);
  for (size_t i = 0; i < n; ++i) {
    std::memcpy(&image.pixels[i * 3], &raw[i * 4], 3);
  }
  return image;
}

}  // namespace image_internal

StatusOr<std::vector<uint8_t>> EncodePng(const Image& image) {
  RETURN_IF_ERROR(ValidateImage(image));
  if (image.channels != 1 && image.channels != 3 && image.channels != 4) {
    return InvalidArgument("EncodePng: " + std::to_string(image.channels) +
                           " channels; PNG takes 1, 3 or 4");
  }
  std::vector<uint8_t> encoded;
  std::vector<png_bytep> rows(static_cast<size_t>(image.height));
  const size_t stride = static_cast<size_t>(image.width) * image.channels;
  for (size_t y = 0; y < rows.size(); ++y) {
    // libpng's API takes non-const rows but only reads them when writing.
    rows[y] = const_cast<png_bytep>(image.pixels.data() + y * stride);
  }
  image_internal::PngState st;
  st.encoded = &encoded;
  st.rows = &rows;
  if (!image_internal::EncodeInto(image, &st)) {
    return Internal(std::string("EncodePng: libpng: ") + st.message);
  }
  return encoded;
}

Status WriteImagePng(const Image& image, const std::string& path) {
  auto encoded = EncodePng(image);
  if (!encoded.ok()) return encoded.status().WithContext(path);
  return WriteFileAtomic(path, *encoded);
}

}  // namespace detlite
