// libFuzzer target for image decoding (src/data): JPEG (libjpeg-turbo), PNG
// (libpng) and BMP (stb_image). The first input byte picks DecodeImage
// (format from the magic bytes) or one decoder directly, so mutated magic
// bytes still reach each decoder. Checked: no crash or undefined behaviour,
// a rejection names the file, and a decoded image is valid (ValidateImage:
// dimensions within kMaxImagePixels, exactly width*height*channels bytes).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "data/image.h"
#include "data/image_codecs.h"
#include "fuzz_util.h"

namespace {

detlite::StatusOr<detlite::Image> Decode(int pick, const uint8_t* data, size_t size,
                                         const char* name) {
  namespace ii = detlite::image_internal;
  switch (pick) {
    case 0: return detlite::DecodeImage(data, size, name);
    case 1: return ii::DecodeJpeg(data, size, name);
    case 2: return ii::DecodePng(data, size, name);
    default: return ii::DecodeBmp(data, size, name);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const char* name = "fuzz.img";
  auto image = Decode(data[0] % 4, data + 1, size - 1, name);
  detlite::fuzz::CheckNamed(image.status(), name, "image_decode_fuzzer");
  if (image.ok()) {
    if (auto valid = detlite::ValidateImage(*image); !valid.ok()) {
      std::fprintf(stderr, "image_decode_fuzzer: invalid image: %s\n",
                   valid.ToString().c_str());
      std::abort();
    }
  }
  return 0;
}
