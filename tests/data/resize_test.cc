// Both bilinear flavours on hand-computed cases, invariants, and agreement
// with PIL 9.4's Image.resize(BILINEAR) on real photos (fixtures made by
// Debian's python3-pil; see fixtures/README.md).
#include "data/resize.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "data/image.h"
#include "data/npy.h"
#include "support/paths.h"

namespace detlite {
namespace {

Image Row(std::vector<uint8_t> gray) {
  const int w = static_cast<int>(gray.size());
  return Image{w, 1, 1, std::move(gray)};
}

TEST(ResizeTest, AntialiasDownscaleAveragesTheCoveredSpan) {
  // 4 -> 2: scale 2, so the triangle spans 2 source pixels each side of the
  // centre (1.0): taps 0,1,2 weigh 0.75,0.75,0.25 -> (0*3 + 70*3 + 140) / 7.
  EXPECT_EQ(ResizeBilinear(Row({0, 70, 140, 210}), 2, 1).pixels,
            (std::vector<uint8_t>{50, 160}));
  // Plain bilinear only looks at the two nearest: (0+70)/2, (140+210)/2.
  EXPECT_EQ(
      ResizeBilinear(Row({0, 70, 140, 210}), 2, 1, ResizeMethod::kTfBilinear)
          .pixels,
      (std::vector<uint8_t>{35, 175}));
}

TEST(ResizeTest, UpscaleInterpolatesHalfPixelCentres) {
  for (ResizeMethod m : {ResizeMethod::kAntialias, ResizeMethod::kTfBilinear}) {
    EXPECT_EQ(ResizeBilinear(Row({0, 200}), 4, 1, m).pixels,
              (std::vector<uint8_t>{0, 50, 150, 200}));
  }
}

TEST(ResizeTest, TwoDimensionsAndChannelsAreIndependent) {
  // 2x2 -> 1x1 averages all four, per channel.
  Image img{2, 2, 3, {10, 0, 255, 20, 0, 255, 30, 100, 255, 40, 100, 255}};
  const Image one = ResizeBilinear(img, 1, 1);
  EXPECT_EQ(one.pixels, (std::vector<uint8_t>{25, 50, 255}));
  // Vertical only: a 1x4 column behaves like the 4x1 row.
  Image column{1, 4, 1, {0, 70, 140, 210}};
  EXPECT_EQ(ResizeBilinear(column, 1, 2).pixels,
            (std::vector<uint8_t>{50, 160}));
}

TEST(ResizeTest, ConstantImagesStayConstant) {
  Image img{17, 11, 3, {}};
  for (int i = 0; i < 17 * 11; ++i) {
    img.pixels.insert(img.pixels.end(), {13, 128, 254});
  }
  for (ResizeMethod m : {ResizeMethod::kAntialias, ResizeMethod::kTfBilinear}) {
    for (auto [w, h] :
         {std::pair{1, 1}, {3, 5}, {16, 10}, {17, 11}, {40, 7}, {300, 300}}) {
      const Image out = ResizeBilinear(img, w, h, m);
      ASSERT_EQ(out.width, w);
      ASSERT_EQ(out.height, h);
      ASSERT_EQ(out.channels, 3);
      for (size_t i = 0; i < out.pixels.size(); i += 3) {
        ASSERT_EQ(out.pixels[i], 13);
        ASSERT_EQ(out.pixels[i + 1], 128);
        ASSERT_EQ(out.pixels[i + 2], 254);
      }
    }
  }
}

TEST(ResizeTest, SameSizeIsACopy) {
  Image img{3, 2, 1, {1, 2, 3, 4, 5, 6}};
  EXPECT_EQ(ResizeBilinear(img, 3, 2).pixels, img.pixels);
  EXPECT_EQ(ResizeBilinear(img, 3, 2, ResizeMethod::kTfBilinear).pixels,
            img.pixels);
}

TEST(ResizeTest, InvalidArgumentsGiveAnEmptyImage) {
  Image img{2, 2, 1, {1, 2, 3, 4}};
  EXPECT_EQ(ResizeBilinear(img, 0, 2).width, 0);
  EXPECT_EQ(ResizeBilinear(img, 2, -1).width, 0);
  EXPECT_EQ(ResizeBilinear(Image{2, 2, 1, {1}}, 1, 1).width,
            0);  // wrong pixel count
}

// PIL rounds its fixed-point weights; we compute in double. The two agree
// to within 1 level, on well under 1% of values.
void ExpectCloseToPil(const Image& ours, const std::string& fixture) {
  auto ref = ReadNpyFile(std::string(DETLITE_SOURCE_DIR) +
                         "/tests/data/fixtures/" + fixture);
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  ASSERT_EQ(ref->shape, (Shape{ours.height, ours.width, 3}));
  int worst = 0;
  size_t off_by_one = 0;
  for (size_t i = 0; i < ours.pixels.size(); ++i) {
    const int d = std::abs(ours.pixels[i] - ref->bytes[i]);
    worst = std::max(worst, d);
    off_by_one += d != 0;
  }
  EXPECT_LE(worst, 1) << fixture;
  EXPECT_LT(off_by_one * 100, ours.pixels.size())
      << fixture << ": " << off_by_one << " differ";
}

TEST(ResizeTest, AntialiasMatchesPilOnPhotos) {
  auto cat = DecodeImageFile(testing::DataPath("images/cat.bmp"));
  auto pets = DecodeImageFile(testing::DataPath("images/cats_and_dogs.jpg"));
  ASSERT_TRUE(cat.ok() && pets.ok());
  ExpectCloseToPil(ResizeBilinear(*cat, 77, 51), "pil_bilinear_cat_77x51.npy");
  ExpectCloseToPil(ResizeBilinear(*pets, 64, 32),
                   "pil_bilinear_cats_and_dogs_64x32.npy");
  // Upscaling a 20x12 crop at (100,100).
  Image crop{20, 12, 3, {}};
  for (int y = 100; y < 112; ++y) {
    for (int x = 100; x < 120; ++x) {
      for (int c = 0; c < 3; ++c) crop.pixels.push_back(cat->at(x, y, c));
    }
  }
  ExpectCloseToPil(ResizeBilinear(crop, 47, 29),
                   "pil_bilinear_cat_crop_up_47x29.npy");
}

}  // namespace
}  // namespace detlite
