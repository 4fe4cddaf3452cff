// JPEGs written by an independent encoder (stb_image_write) and by libjpeg
// (CMYK), and BMPs written byte by byte here, decode to what they hold.
// jpeglib.h uses FILE and size_t without including their headers.
// clang-format off
#include <cstdio>
#include <jpeglib.h>
// clang-format on

#include <gtest/gtest.h>
#include <stb/stb_image_write.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "data/image.h"

namespace detlite {
namespace {

void AppendToVector(void* context, void* data, int size) {
  auto* out = static_cast<std::vector<uint8_t>*>(context);
  out->insert(out->end(), static_cast<uint8_t*>(data),
              static_cast<uint8_t*>(data) + size);
}

// A smooth gradient: JPEG at quality 100 keeps it within a few levels.
Image Gradient(int w, int h, int channels) {
  Image img{w, h, channels, {}};
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      for (int c = 0; c < channels; ++c) {
        img.pixels.push_back(static_cast<uint8_t>(x * 3 + y * 2 + c * 40));
      }
    }
  }
  return img;
}

int MaxDiff(const Image& a, const Image& b, int b_channels) {
  int worst = 0;
  for (int y = 0; y < a.height; ++y) {
    for (int x = 0; x < a.width; ++x) {
      for (int c = 0; c < 3; ++c) {
        worst = std::max(worst, std::abs(a.at(x, y, c) -
                                         b.at(x, y, b_channels == 1 ? 0 : c)));
      }
    }
  }
  return worst;
}

TEST(JpegDecodeTest, RgbWrittenByStbDecodesBack) {
  const Image src = Gradient(37, 21, 3);
  std::vector<uint8_t> jpg;
  ASSERT_TRUE(stbi_write_jpg_to_func(AppendToVector, &jpg, 37, 21, 3,
                                     src.pixels.data(), 100));
  auto img = DecodeImage(jpg.data(), jpg.size(), "rgb.jpg");
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ(img->width, 37);
  EXPECT_EQ(img->height, 21);
  EXPECT_LE(MaxDiff(*img, src, 3), 6);
}

TEST(JpegDecodeTest, GrayBecomesEqualRgb) {
  const Image src = Gradient(16, 16, 1);
  std::vector<uint8_t> jpg;
  ASSERT_TRUE(stbi_write_jpg_to_func(AppendToVector, &jpg, 16, 16, 1,
                                     src.pixels.data(), 100));
  auto img = DecodeImage(jpg.data(), jpg.size(), "gray.jpg");
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_LE(MaxDiff(*img, src, 1), 3);
  for (size_t i = 0; i < img->pixels.size(); i += 3) {
    ASSERT_EQ(img->pixels[i], img->pixels[i + 1]);
    ASSERT_EQ(img->pixels[i], img->pixels[i + 2]);
  }
}

// Adobe-style CMYK (stored inverted, as Photoshop writes it) converts as
// PIL does: R = (255 - C) * (255 - K) / 255.
TEST(JpegDecodeTest, AdobeCmyk) {
  const uint8_t cmyk[4] = {0, 100, 200, 50};  // one flat colour
  std::vector<uint8_t> row;
  for (int x = 0; x < 8; ++x) {
    for (uint8_t v : cmyk) row.push_back(static_cast<uint8_t>(255 - v));
  }
  jpeg_compress_struct c;
  jpeg_error_mgr err;
  c.err = jpeg_std_error(&err);
  jpeg_create_compress(&c);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&c, &buffer, &size);
  c.image_width = 8;
  c.image_height = 8;
  c.input_components = 4;
  c.in_color_space = JCS_CMYK;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, 100, TRUE);
  jpeg_start_compress(&c, TRUE);
  JSAMPROW r = row.data();
  while (c.next_scanline < 8) jpeg_write_scanlines(&c, &r, 1);
  jpeg_finish_compress(&c);
  jpeg_destroy_compress(&c);
  auto img = DecodeImage(buffer, size, "cmyk.jpg");
  std::free(buffer);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  const int want[3] = {205 * 255 / 255, 155 * 205 / 255, 55 * 205 / 255};
  for (int ch = 0; ch < 3; ++ch) {
    EXPECT_NEAR(img->at(3, 3, ch), want[ch], 2) << ch;
  }
}

// --- BMP, byte by byte. ---

void Put16(std::vector<uint8_t>* b, uint16_t v) {
  b->push_back(v & 0xff);
  b->push_back(v >> 8);
}
void Put32(std::vector<uint8_t>* b, uint32_t v) {
  for (int i = 0; i < 4; ++i) b->push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// Windows BMP with a 40-byte info header; `rows` in file order, each padded.
std::vector<uint8_t> MakeBmp(int32_t w, int32_t h, uint16_t bits,
                             const std::vector<uint8_t>& rows,
                             const std::vector<uint8_t>& palette_bgra = {}) {
  std::vector<uint8_t> b = {'B', 'M'};
  const uint32_t offset = 14 + 40 + static_cast<uint32_t>(palette_bgra.size());
  Put32(&b, offset + static_cast<uint32_t>(rows.size()));
  Put32(&b, 0);
  Put32(&b, offset);
  Put32(&b, 40);
  Put32(&b, static_cast<uint32_t>(w));
  Put32(&b, static_cast<uint32_t>(h));
  Put16(&b, 1);
  Put16(&b, bits);
  Put32(&b, 0);  // BI_RGB
  Put32(&b, static_cast<uint32_t>(rows.size()));
  Put32(&b, 2835);
  Put32(&b, 2835);
  Put32(&b, static_cast<uint32_t>(palette_bgra.size() / 4));
  Put32(&b, 0);
  b.insert(b.end(), palette_bgra.begin(), palette_bgra.end());
  b.insert(b.end(), rows.begin(), rows.end());
  return b;
}

Image DecodeBmpBytes(const std::vector<uint8_t>& file) {
  auto img = DecodeImage(file.data(), file.size(), "test.bmp");
  EXPECT_TRUE(img.ok()) << img.status().ToString();
  return img.ok() ? *img : Image{};
}

TEST(BmpDecodeTest, TwentyFourBitBottomUp) {
  // 2x2; rows bottom first, pixels BGR, each row padded to 8 bytes.
  const std::vector<uint8_t> rows = {
      3, 2, 1, 6,  5,  4,  0, 0,   // bottom: (1,2,3) (4,5,6)
      9, 8, 7, 12, 11, 10, 0, 0};  // top: (7,8,9) (10,11,12)
  const Image img = DecodeBmpBytes(MakeBmp(2, 2, 24, rows));
  EXPECT_EQ(img.pixels,
            (std::vector<uint8_t>{7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6}));
}

TEST(BmpDecodeTest, ThirtyTwoBitTopDown) {
  const std::vector<uint8_t> rows = {30, 20, 10, 0,
                                     60, 50, 40, 255};  // BGRX, 1 row
  const Image img = DecodeBmpBytes(MakeBmp(2, -1, 32, rows));
  EXPECT_EQ(img.height, 1);
  EXPECT_EQ(img.pixels, (std::vector<uint8_t>{10, 20, 30, 40, 50, 60}));
}

TEST(BmpDecodeTest, PalettedEightAndOneBit) {
  const std::vector<uint8_t> palette = {0,   0, 255, 0,
                                        255, 0, 0,   0};  // red, blue
  const Image eight = DecodeBmpBytes(MakeBmp(3, 1, 8, {1, 0, 1, 0}, palette));
  EXPECT_EQ(eight.pixels,
            (std::vector<uint8_t>{0, 0, 255, 255, 0, 0, 0, 0, 255}));
  const Image one =
      DecodeBmpBytes(MakeBmp(3, 1, 1, {0xa0, 0, 0, 0}, palette));  // 1 0 1
  EXPECT_EQ(one.pixels,
            (std::vector<uint8_t>{0, 0, 255, 255, 0, 0, 0, 0, 255}));
}

}  // namespace
}  // namespace detlite
