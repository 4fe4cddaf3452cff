// JPEG decoding with libjpeg(-turbo). libjpeg reports fatal errors by calling
// error_exit, which must not return; we longjmp back to the decode call. To
// keep that jump well defined the function holding setjmp (DecodeInto) owns
// no C++ objects and changes no local that the error path reads: the
// decompressor and every buffer live in JpegState, owned by the caller.
// jpeglib.h uses FILE and size_t without including their headers.
// clang-format off
#include <cstdio>
#include <jerror.h>
#include <jpeglib.h>
// clang-format on

#include <csetjmp>
#include <cstring>
#include <vector>

#include "data/image_codecs.h"

namespace detlite::image_internal {
namespace {

// A progressive JPEG may hold thousands of tiny scans that each cost a full
// pass: a few hundred bytes could keep the decoder busy for minutes.
constexpr int kMaxProgressiveScans = 1000;

struct JpegState {
  jpeg_error_mgr err;  // first: libjpeg passes us &err as cinfo->err
  jpeg_decompress_struct cinfo;
  jpeg_progress_mgr progress;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX + 64];
  Image* image;                // output, owned by the caller
  std::vector<uint8_t>* cmyk;  // scratch row, owned by the caller
  int failure_kind;            // 0 corrupt, 1 unsupported, 2 too large
};

[[noreturn]] void Fail(j_common_ptr cinfo, int kind, const char* text) {
  auto* st = reinterpret_cast<JpegState*>(cinfo->err);
  std::snprintf(st->message, sizeof(st->message), "%s", text);
  st->failure_kind = kind;
  std::longjmp(st->jump, 1);
}

[[noreturn]] void OnErrorExit(j_common_ptr cinfo) {
  char text[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, text);
  const int code = cinfo->err->msg_code;
  const bool unsupported = code == JERR_CONVERSION_NOTIMPL ||
                           code == JERR_NOT_COMPILED ||
                           code == JERR_BAD_PRECISION;
  Fail(cinfo, code == JERR_IMAGE_TOO_BIG ? 2 : unsupported ? 1 : 0, text);
}

// Warnings are ignored except running out of data: libjpeg would pad the
// rest of the image with gray and call it a success.
void OnMessage(j_common_ptr cinfo, int level) {
  if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
    Fail(cinfo, 0, "truncated: the file ends before the image data does");
  }
}

void OnOutputMessage(j_common_ptr) {}  // never print to stderr

void OnProgress(j_common_ptr cinfo) {
  auto* d = reinterpret_cast<j_decompress_ptr>(cinfo);
  if (d->is_decompressor && d->input_scan_number > kMaxProgressiveScans) {
    Fail(cinfo, 0, "too many progressive scans (over 1000)");
  }
}

uint8_t CmykChannel(int c, int k) {  // PIL's CMYK -> RGB: (255-c)(255-k)/255
  const int nk = 255 - k;
  return static_cast<uint8_t>(nk - (c * nk + 127) / 255);
}

// Returns true on success; on failure st->message says why.
bool DecodeInto(const uint8_t* data, size_t size, JpegState* st) {
  j_decompress_ptr cinfo = &st->cinfo;
  cinfo->err = jpeg_std_error(&st->err);
  st->err.error_exit = OnErrorExit;
  st->err.emit_message = OnMessage;
  st->err.output_message = OnOutputMessage;
  if (setjmp(st->jump)) {
    jpeg_destroy_decompress(cinfo);
    return false;
  }
  jpeg_create_decompress(cinfo);
  st->progress.progress_monitor = OnProgress;
  cinfo->progress = &st->progress;
  jpeg_mem_src(cinfo, data, static_cast<unsigned long>(size));
  jpeg_read_header(cinfo, TRUE);
  // Checked here, before libjpeg allocates its own buffers for the image.
  if (uint64_t{cinfo->image_width} * cinfo->image_height >
      uint64_t{kMaxImagePixels}) {
    std::snprintf(st->message, sizeof(st->message),
                  "image is %ux%u, over the limit of 2^27 pixels",
                  cinfo->image_width, cinfo->image_height);
    st->failure_kind = 2;
    jpeg_destroy_decompress(cinfo);
    return false;
  }
  const bool cmyk = cinfo->jpeg_color_space == JCS_CMYK ||
                    cinfo->jpeg_color_space == JCS_YCCK;
  cinfo->out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
  jpeg_start_decompress(cinfo);
  const int w = static_cast<int>(cinfo->output_width);
  Image* img = st->image;
  img->width = w;
  img->height = static_cast<int>(cinfo->output_height);
  img->channels = 3;
  img->pixels.resize(static_cast<size_t>(w) * cinfo->output_height * 3);
  if (cmyk) st->cmyk->resize(static_cast<size_t>(w) * 4);
  // Photoshop (Adobe marker) stores CMYK inverted.
  const bool inverted = cinfo->saw_Adobe_marker;
  while (cinfo->output_scanline < cinfo->output_height) {
    uint8_t* out = img->pixels.data() +
                   static_cast<size_t>(cinfo->output_scanline) * w * 3;
    JSAMPROW row = cmyk ? st->cmyk->data() : out;
    jpeg_read_scanlines(cinfo, &row, 1);
    for (int x = 0; cmyk && x < w; ++x) {
      const uint8_t* p = st->cmyk->data() + x * 4;
      const int k = inverted ? 255 - p[3] : p[3];
      for (int c = 0; c < 3; ++c) {
        out[x * 3 + c] = CmykChannel(inverted ? 255 - p[c] : p[c], k);
      }
    }
  }
  jpeg_finish_decompress(cinfo);
  jpeg_destroy_decompress(cinfo);
  return true;
}

}  // namespace

StatusOr<Image> DecodeJpeg(const uint8_t* data, size_t size,
                           const std::string& name) {
  Image image;
  std::vector<uint8_t> cmyk_row;
  JpegState st{};
  st.image = &image;
  st.cmyk = &cmyk_row;
  if (DecodeInto(data, size, &st)) return image;
  const std::string msg = name + ": JPEG: " + st.message;
  if (st.failure_kind == 1) return Unimplemented(msg);
  if (st.failure_kind == 2) return InvalidArgument(msg);
  return DataLoss(msg);
}

}  // namespace detlite::image_internal
