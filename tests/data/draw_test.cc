#include "data/draw.h"

#include <gtest/gtest.h>

#include <cmath>

namespace detlite {
namespace {

Image Blank(int w, int h) { return Image{w, h, 3, std::vector<uint8_t>(size_t(w) * h * 3, 0)}; }

int CountColored(const Image& img) {
  int n = 0;
  for (size_t i = 0; i < img.pixels.size(); i += 3) n += img.pixels[i] | img.pixels[i + 1] | img.pixels[i + 2] ? 1 : 0;
  return n;
}

TEST(DrawTest, BoxOutlineHasTheRightPixels) {
  Image img = Blank(20, 10);
  DrawBox(&img, 2, 3, 11, 8, Rgb{255, 0, 0}, 1);
  // A 1-pixel outline of a 10x6 box: 2*10 + 2*4 pixels.
  EXPECT_EQ(CountColored(img), 28);
  EXPECT_EQ(img.at(2, 3, 0), 255);
  EXPECT_EQ(img.at(11, 8, 0), 255);
  EXPECT_EQ(img.at(5, 5, 0), 0);  // inside stays untouched
}

TEST(DrawTest, BoxesAreClippedAndNanIgnored) {
  Image img = Blank(8, 8);
  DrawBox(&img, -50, -50, 500, 500, Rgb{0, 255, 0}, 2);
  EXPECT_EQ(CountColored(img), 64 - 16);  // the border 2 pixels wide
  Image other = Blank(8, 8);
  DrawBox(&other, NAN, 0, 4, 4, Rgb{0, 255, 0}, 1);
  DrawBox(&other, 5, 0, 1, 4, Rgb{0, 255, 0}, 1);  // inverted
  EXPECT_EQ(CountColored(other), 0);
}

TEST(DrawTest, LabelsDrawTextOnTheirBackground) {
  Image img = Blank(120, 40);
  auto size = TextSize("cat 0.67", 1);
  EXPECT_GT(size[0], 20);
  EXPECT_GT(size[1], 5);
  DrawLabel(&img, 2, 2, "cat 0.67", Rgb{255, 255, 255}, Rgb{0, 0, 200}, 1);
  int white = 0, blue = 0;
  for (size_t i = 0; i < img.pixels.size(); i += 3) {
    white += img.pixels[i] == 255 && img.pixels[i + 2] == 255;
    blue += img.pixels[i] == 0 && img.pixels[i + 2] == 200;
  }
  EXPECT_GT(white, 20);  // glyph strokes
  EXPECT_GT(blue, white);
  // Off-image text is clipped without touching memory outside the image.
  DrawLabel(&img, 115, 35, "a long label that leaves", Rgb{1, 2, 3}, Rgb{4, 5, 6}, 3);
  DrawLabel(&img, -400, -400, "x", Rgb{1, 2, 3}, Rgb{4, 5, 6}, 1);
}

TEST(DrawTest, ClassColorsDifferForNeighbours) {
  for (int k = 0; k < 19; ++k) EXPECT_NE(ClassColor(k), ClassColor(k + 1));
  EXPECT_EQ(ClassColor(-1), ClassColor(19));
}

TEST(DrawTest, LongLabelsAreCutTo64CharactersWithAnEllipsis) {
  const std::string huge(2'000'000, 'w');
  const std::string drawn = DrawableText(huge);
  ASSERT_EQ(drawn.size(), kMaxDrawnLabelChars);
  EXPECT_EQ(drawn.substr(drawn.size() - 3), "...");
  EXPECT_EQ(DrawableText(std::string(64, 'a')), std::string(64, 'a'));
  EXPECT_EQ(DrawableText("caf\xc3\xa9"), "caf??");
  EXPECT_EQ(DrawableText("cat and dog", 8), "cat a...");
  // What is drawn, and its size, do not depend on the characters past 61.
  EXPECT_EQ(TextSize(huge, 2), TextSize(drawn, 2));
  Image a = Blank(800, 40), b = Blank(800, 40);
  DrawLabel(&a, 0, 0, huge, Rgb{255, 255, 255}, Rgb{0, 0, 200}, 1);
  DrawLabel(&b, 0, 0, drawn, Rgb{255, 255, 255}, Rgb{0, 0, 200}, 1);
  EXPECT_EQ(a.pixels, b.pixels);
  EXPECT_GT(CountColored(a), 100);
}

}  // namespace
}  // namespace detlite
