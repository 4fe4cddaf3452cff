// PNG variants written here with libpng (bit depths, palettes, gray, alpha,
// interlacing) decode to the RGB that PIL's convert("RGB") gives; our own
// encoder round-trips.
#include <gtest/gtest.h>
#include <png.h>

#include <csetjmp>
#include <filesystem>
#include <string>
#include <vector>

#include "core/file_io.h"
#include "data/image.h"
#include "support/paths.h"

namespace detlite {
namespace {

struct PngSpec {
  int width = 0, height = 0;
  int color_type = PNG_COLOR_TYPE_RGB;
  int bit_depth = 8;
  bool interlace = false;
  std::vector<uint8_t> rows;  // packed as PNG stores them, no filter byte
  std::vector<png_color> palette;
  std::vector<uint8_t> palette_alpha;  // tRNS for palette images
};

void AppendBytes(png_structp png, png_bytep data, size_t n) {
  auto* out = static_cast<std::vector<uint8_t>*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + n);
}

// Returns false if libpng refused the spec. `out` and `row_ptrs` belong to
// the caller so the longjmp target here owns no C++ objects.
bool WritePngInto(const PngSpec& s, std::vector<uint8_t>* out,
                  std::vector<png_bytep>* row_ptrs) {
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, out, AppendBytes, nullptr);
  png_set_IHDR(png, info, s.width, s.height, s.bit_depth, s.color_type,
               s.interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (!s.palette.empty()) {
    png_set_PLTE(png, info, s.palette.data(),
                 static_cast<int>(s.palette.size()));
  }
  if (!s.palette_alpha.empty()) {
    png_set_tRNS(png, info, s.palette_alpha.data(),
                 static_cast<int>(s.palette_alpha.size()), nullptr);
  }
  png_write_info(png, info);
  png_write_image(png, row_ptrs->data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

std::vector<uint8_t> WritePng(PngSpec s) {
  std::vector<uint8_t> out;
  const size_t stride = s.rows.size() / static_cast<size_t>(s.height);
  std::vector<png_bytep> row_ptrs;
  for (int y = 0; y < s.height; ++y) {
    row_ptrs.push_back(s.rows.data() + y * stride);
  }
  EXPECT_TRUE(WritePngInto(s, &out, &row_ptrs));
  return out;
}

Image Decode(const std::vector<uint8_t>& file) {
  auto image = DecodeImage(file.data(), file.size(), "test.png");
  EXPECT_TRUE(image.ok()) << image.status().ToString();
  return image.ok() ? *image : Image{};
}

TEST(PngDecodeTest, Rgb8) {
  const Image img = Decode(
      WritePng({2, 1, PNG_COLOR_TYPE_RGB, 8, false, {1, 2, 3, 250, 251, 252}}));
  EXPECT_EQ(img.width, 2);
  EXPECT_EQ(img.pixels, (std::vector<uint8_t>{1, 2, 3, 250, 251, 252}));
}

TEST(PngDecodeTest, AlphaIsDroppedNotBlended) {
  const Image img = Decode(
      WritePng({1, 1, PNG_COLOR_TYPE_RGB_ALPHA, 8, false, {200, 100, 50, 0}}));
  EXPECT_EQ(img.channels, 3);
  EXPECT_EQ(img.pixels, (std::vector<uint8_t>{200, 100, 50}));
}

TEST(PngDecodeTest, SixteenBitKeepsTheHighByte) {
  // 0x12ff -> 0x12 (PIL takes the high byte; rounding would give 0x13).
  const Image img = Decode(WritePng({1,
                                     1,
                                     PNG_COLOR_TYPE_RGB,
                                     16,
                                     false,
                                     {0x12, 0xff, 0xab, 0xcd, 0x00, 0x80}}));
  EXPECT_EQ(img.pixels, (std::vector<uint8_t>{0x12, 0xab, 0x00}));
}

TEST(PngDecodeTest, GrayDepthsExpandToFullRange) {
  // 1-bit 0b10 -> 255, 0; 2-bit 3,1 -> 255, 85; 4-bit 0xf,0x8 -> 255, 136.
  EXPECT_EQ(
      Decode(WritePng({2, 1, PNG_COLOR_TYPE_GRAY, 1, false, {0x80}})).pixels,
      (std::vector<uint8_t>{255, 255, 255, 0, 0, 0}));
  EXPECT_EQ(
      Decode(WritePng({2, 1, PNG_COLOR_TYPE_GRAY, 2, false, {0xd0}})).pixels,
      (std::vector<uint8_t>{255, 255, 255, 85, 85, 85}));
  EXPECT_EQ(
      Decode(WritePng({2, 1, PNG_COLOR_TYPE_GRAY, 4, false, {0xf8}})).pixels,
      (std::vector<uint8_t>{255, 255, 255, 136, 136, 136}));
  EXPECT_EQ(
      Decode(WritePng({1, 1, PNG_COLOR_TYPE_GRAY, 8, false, {77}})).pixels,
      (std::vector<uint8_t>{77, 77, 77}));
  EXPECT_EQ(
      Decode(WritePng({1, 1, PNG_COLOR_TYPE_GRAY, 16, false, {0xa0, 0x01}}))
          .pixels,
      (std::vector<uint8_t>{0xa0, 0xa0, 0xa0}));
  EXPECT_EQ(
      Decode(WritePng({1, 1, PNG_COLOR_TYPE_GRAY_ALPHA, 8, false, {9, 0}}))
          .pixels,
      (std::vector<uint8_t>{9, 9, 9}));
}

TEST(PngDecodeTest, PaletteWithTransparencyGivesPaletteColours) {
  PngSpec s{3, 1, PNG_COLOR_TYPE_PALETTE, 8, false, {2, 0, 1}};
  s.palette = {{10, 20, 30}, {40, 50, 60}, {70, 80, 90}};
  s.palette_alpha = {0, 128};
  EXPECT_EQ(Decode(WritePng(s)).pixels,
            (std::vector<uint8_t>{70, 80, 90, 10, 20, 30, 40, 50, 60}));
  PngSpec four_bit{2, 1, PNG_COLOR_TYPE_PALETTE, 4, false, {0x10}};
  four_bit.palette = s.palette;
  EXPECT_EQ(Decode(WritePng(four_bit)).pixels,
            (std::vector<uint8_t>{40, 50, 60, 10, 20, 30}));
}

TEST(PngDecodeTest, InterlacedEqualsNonInterlaced) {
  PngSpec s{13, 9, PNG_COLOR_TYPE_RGB, 8, false, {}};
  for (int i = 0; i < 13 * 9 * 3; ++i) {
    s.rows.push_back(static_cast<uint8_t>(i * 7));
  }
  const Image plain = Decode(WritePng(s));
  s.interlace = true;
  const std::vector<uint8_t> interlaced = WritePng(s);
  EXPECT_EQ(Decode(interlaced).pixels, plain.pixels);
  EXPECT_EQ(plain.pixels, s.rows);
}

TEST(PngEncodeTest, RoundTripsEveryChannelCount) {
  for (int channels : {1, 3, 4}) {
    Image img{5, 4, channels, {}};
    for (int i = 0; i < 5 * 4 * channels; ++i) {
      img.pixels.push_back(static_cast<uint8_t>(i * 13));
    }
    auto png = EncodePng(img);
    ASSERT_TRUE(png.ok()) << png.status().ToString();
    const Image back = Decode(*png);
    ASSERT_EQ(back.width, 5);
    ASSERT_EQ(back.height, 4);
    for (int y = 0; y < 4; ++y) {
      for (int x = 0; x < 5; ++x) {
        for (int c = 0; c < 3; ++c) {
          EXPECT_EQ(back.at(x, y, c), img.at(x, y, channels == 1 ? 0 : c));
        }
      }
    }
  }
}

TEST(PngEncodeTest, WriteImagePngIsAtomicAndReadable) {
  const std::string dir = testing::TempDir() + "/png_write";
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/out.png";
  auto photo = DecodeImageFile(testing::DataPath("images/cat.bmp"));
  ASSERT_TRUE(photo.ok());
  ASSERT_TRUE(WriteImagePng(*photo, path).ok());
  auto back = DecodeImageFile(path);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->pixels, photo->pixels);
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    files += e.exists();
  }
  EXPECT_EQ(files, 1) << "a temporary file was left behind";
}

TEST(PngEncodeTest, RejectsInvalidImages) {
  EXPECT_FALSE(EncodePng(Image{2, 2, 3, {1, 2, 3}}).ok());  // too few bytes
  EXPECT_FALSE(EncodePng(Image{0, 2, 3, {}}).ok());
  EXPECT_FALSE(
      EncodePng(Image{1, 1, 2, {1, 2}}).ok());  // gray+alpha not offered
  const Status s =
      WriteImagePng(Image{2, 2, 3, {}}, testing::TempDir() + "/never.png");
  EXPECT_NE(s.message().find("never.png"), std::string::npos) << s.message();
  EXPECT_FALSE(std::filesystem::exists(testing::TempDir() + "/never.png"));
}

}  // namespace
}  // namespace detlite
