// Augmentations: the flip and crop on hand-made images whose moved pixels
// and boxes can be checked, and the seeded draw on a real labelled photo:
// the same seed gives the same pixels and boxes, another seed another crop.
#include <gtest/gtest.h>

#include <cmath>

#include "detlite/dataset.h"
#include "support/paths.h"
#include "train/augment.h"

namespace detlite::train {
namespace {

// A w x h image whose pixel (x, y) is (x, y, 7).
RgbImage Ramp(int w, int h) {
  RgbImage img{w, h, {}};
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      img.pixels.insert(img.pixels.end(), {static_cast<uint8_t>(x), static_cast<uint8_t>(y), 7});
    }
  }
  return img;
}

TEST(Augment, FlipMirrorsPixelsAndBoxes) {
  RgbImage img = Ramp(5, 2);
  std::vector<GroundTruthBox> boxes = {{0.2f, 0.1f, 0.6f, 0.3f, 4}};
  FlipHorizontally(&img, &boxes);
  EXPECT_EQ(img.pixels[0], 4);        // (0, 0) now holds x = 4
  EXPECT_EQ(img.pixels[3 * 2], 2);    // the middle column stays
  EXPECT_EQ(img.pixels[3 * 5 + 1], 1);  // row 1 is still row 1
  ASSERT_EQ(boxes.size(), 1u);
  EXPECT_FLOAT_EQ(boxes[0].xmin, 0.7f);
  EXPECT_FLOAT_EQ(boxes[0].xmax, 0.9f);
  EXPECT_FLOAT_EQ(boxes[0].ymin, 0.2f);
  EXPECT_EQ(boxes[0].column, 4);
}

TEST(Augment, CropClipsBoxesAndDropsThoseWhoseCentreLeaves) {
  RgbImage img = Ramp(10, 10);
  std::vector<GroundTruthBox> boxes = {
      {0.2f, 0.1f, 0.6f, 0.5f, 1},  // centre (3, 4) px: inside, clipped on the left
      {0.0f, 0.0f, 0.2f, 0.2f, 2},  // centre (1, 1) px: outside, dropped
      {0.4f, 0.4f, 0.6f, 0.6f, 3},  // inside, whole
  };
  Crop(2, 0, 5, 8, &img, &boxes);  // x 2..6, y 0..7
  EXPECT_EQ(img.width, 5);
  EXPECT_EQ(img.height, 8);
  EXPECT_EQ(img.pixels[0], 2);  // (0, 0) is the old (2, 0)
  EXPECT_EQ(img.pixels[(7 * 5 + 4) * 3], 6);
  EXPECT_EQ(img.pixels[(7 * 5 + 4) * 3 + 1], 7);
  ASSERT_EQ(boxes.size(), 2u);
  EXPECT_EQ(boxes[0].column, 1);
  EXPECT_FLOAT_EQ(boxes[0].xmin, 0.0f);        // 1 px, clipped to 2 px
  EXPECT_FLOAT_EQ(boxes[0].xmax, 3.0f / 5);    // 5 px
  EXPECT_FLOAT_EQ(boxes[0].ymin, 2.0f / 8);
  EXPECT_FLOAT_EQ(boxes[0].ymax, 6.0f / 8);
  EXPECT_EQ(boxes[1].column, 3);
  EXPECT_FLOAT_EQ(boxes[1].xmin, 2.0f / 5);
  EXPECT_FLOAT_EQ(boxes[1].ymax, 6.0f / 8);
}

TEST(Augment, SameSeedSamePixelsAndBoxes) {
  auto ds = LoadDataset(testing::DataPath("datasets/coco_train2017_288"), {3, ""});
  if (!ds.ok()) GTEST_SKIP() << ds.status().ToString();
  ASSERT_FALSE(ds->samples.empty());
  auto photo = LoadSampleImage(ds->samples[0]);
  ASSERT_TRUE(photo.ok()) << photo.status().ToString();
  std::vector<GroundTruthBox> boxes;
  for (const BoxAnnotation& b : ds->samples[0].boxes) {
    boxes.push_back({b.ymin / photo->height, b.xmin / photo->width, b.ymax / photo->height,
                     b.xmax / photo->width, b.category_id});
  }
  ASSERT_FALSE(boxes.empty());
  AugmentOptions o;
  o.keep_probability = 0;  // always crop
  auto run = [&](uint64_t seed, std::vector<GroundTruthBox>* out) {
    RgbImage img = *photo;
    *out = boxes;
    Augment(o, seed, &img, out);
    return img;
  };
  std::vector<GroundTruthBox> b1, b2, b3;
  const RgbImage a = run(11, &b1), b = run(11, &b2), c = run(12, &b3);
  EXPECT_EQ(a.pixels, b.pixels);
  ASSERT_EQ(b1.size(), b2.size());
  for (size_t i = 0; i < b1.size(); ++i) {
    EXPECT_EQ(b1[i].xmin, b2[i].xmin);
    EXPECT_EQ(b1[i].ymax, b2[i].ymax);
  }
  EXPECT_FALSE(b1.empty());  // a crop keeps at least one box
  EXPECT_LT(a.width * a.height, photo->width * photo->height);
  EXPECT_TRUE(a.width != c.width || a.height != c.height || a.pixels != c.pixels);
}

TEST(Augment, AdjustColorShiftsBrightnessAndScalesContrastAndSaturation) {
  RgbImage img{2, 1, {100, 100, 100, 200, 50, 50}};
  RgbImage b = img;
  AdjustColor(0.1f, 1.0f, 1.0f, &b);  // +25.5, rounded
  EXPECT_EQ(b.pixels, (std::vector<uint8_t>{126, 126, 126, 226, 76, 76}));
  RgbImage s = img;
  AdjustColor(0.0f, 1.0f, 0.0f, &s);  // saturation 0: every channel is the gray value
  EXPECT_EQ(s.pixels[0], 100);
  EXPECT_EQ(s.pixels[3], s.pixels[4]);
  EXPECT_EQ(s.pixels[4], s.pixels[5]);
  EXPECT_EQ(s.pixels[3], static_cast<uint8_t>(std::lround(0.299 * 200 + 0.587 * 50 + 0.114 * 50)));
  RgbImage c = img;
  AdjustColor(0.0f, 2.0f, 1.0f, &c);  // contrast 2 about the mean gray level
  const float mean = (100.0f + (0.299f * 200 + 0.587f * 50 + 0.114f * 50)) / 2;
  EXPECT_EQ(c.pixels[0], static_cast<uint8_t>(std::lround(mean + (100 - mean) * 2)));
  EXPECT_EQ(c.pixels[3], 255);  // clamped
}

TEST(Augment, ColorJitterKeepsTheCropAndFlipDrawsAndBoxes) {
  RgbImage img = Ramp(40, 30);
  std::vector<GroundTruthBox> boxes = {{0.2f, 0.2f, 0.8f, 0.8f, 1}};
  AugmentOptions plain, color;
  plain.keep_probability = color.keep_probability = 0;
  color.color = true;
  RgbImage a = img, b = img;
  std::vector<GroundTruthBox> ba = boxes, bb = boxes;
  Augment(plain, 5, &a, &ba);
  Augment(color, 5, &b, &bb);
  EXPECT_EQ(a.width, b.width);
  EXPECT_EQ(a.height, b.height);
  ASSERT_EQ(ba.size(), bb.size());
  EXPECT_EQ(ba[0].xmin, bb[0].xmin);
  EXPECT_EQ(ba[0].ymax, bb[0].ymax);
  EXPECT_NE(a.pixels, b.pixels);  // the colors moved
  RgbImage again = img;
  std::vector<GroundTruthBox> bc = boxes;
  Augment(color, 5, &again, &bc);
  EXPECT_EQ(again.pixels, b.pixels);  // and the same seed moves them the same way
}

}  // namespace
}  // namespace detlite::train
