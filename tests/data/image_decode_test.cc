// Real photos, as published, decode to their documented sizes.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <string>

#include "core/file_io.h"
#include "data/image.h"
#include "support/paths.h"

namespace detlite {
namespace {

using testing::DataPath;
using testing::DepsDir;

struct Known {
  std::string path;
  int width, height;
};

void ExpectDecodes(const Known& k) {
  SCOPED_TRACE(k.path);
  auto image = DecodeImageFile(k.path);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(image->width, k.width);
  EXPECT_EQ(image->height, k.height);
  EXPECT_EQ(image->channels, 3);
  ASSERT_EQ(image->pixels.size(), size_t(k.width) * k.height * 3);
  // A photo, not a blank: the mean is mid-range and pixels vary.
  const double mean =
      std::accumulate(image->pixels.begin(), image->pixels.end(), 0.0) /
      static_cast<double>(image->pixels.size());
  EXPECT_GT(mean, 20);
  EXPECT_LT(mean, 235);
  const auto [lo, hi] =
      std::minmax_element(image->pixels.begin(), image->pixels.end());
  EXPECT_GT(*hi - *lo, 100);
}

TEST(ImageDecodeTest, SharedDataImages) {
  const Known known[] = {
      {DataPath("images/cats_and_dogs.jpg"), 1200, 600},  // progressive JPEG
      {DataPath("images/multi_objects.jpg"), 902, 358},   // progressive JPEG
      {DataPath("images/burger.jpg"), 480, 325},
      {DataPath("images/face.jpg"), 512, 355},
      {DataPath("images/image1.jpg"), 1024, 636},
      {DataPath("images/image2.jpg"), 1352, 900},
      {DataPath("images/kite_and_cold.jpg"), 1352, 900},
      {DataPath("images/owl.jpg"), 512, 384},
      {DataPath("images/parrot.jpg"), 512, 929},
      {DataPath("images/pets.jpg"), 512, 430},
      {DataPath("images/cat.bmp"), 512, 341},
      {DataPath("images/grace_hopper.bmp"), 512, 600},
      {DataPath("images/sergey.png"), 600, 600},  // RGBA: alpha dropped
  };
  for (const Known& k : known) ExpectDecodes(k);
}

TEST(ImageDecodeTest, SetupPhotos) {
  const std::string dir = DepsDir() + "/photos";
  ASSERT_TRUE(std::filesystem::exists(dir + "/astronaut.png"))
      << dir << " is missing: run scripts/setup.sh";
  const Known known[] = {
      {dir + "/astronaut.png", 512, 512},
      {dir + "/chelsea.png", 451, 300},
      {dir + "/coffee.png", 600, 400},
      {dir + "/motorcycle_left.png", 741, 500},
      {dir + "/rocket.jpg", 640, 427},
  };
  for (const Known& k : known) ExpectDecodes(k);
}

TEST(ImageDecodeTest, EveryDuckyFrameDecodes) {
  int count = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(
           DataPath("images/ducky"))) {
    if (entry.path().extension() != ".jpg") continue;
    auto image = DecodeImageFile(entry.path().string());
    ASSERT_TRUE(image.ok()) << image.status().ToString();
    EXPECT_GT(image->width, 0);
    ++count;
  }
  EXPECT_GE(count, 50);
}

TEST(ImageDecodeTest, BytesInMemoryGiveTheSamePixels) {
  const std::string path = DataPath("images/cat.bmp");
  auto bytes = ReadFileBytes(path);
  ASSERT_TRUE(bytes.ok());
  auto from_memory = DecodeImage(bytes->data(), bytes->size(), "cat.bmp");
  auto from_file = DecodeImageFile(path);
  ASSERT_TRUE(from_memory.ok() && from_file.ok());
  EXPECT_EQ(from_memory->pixels, from_file->pixels);
}

// Known pixels, read with PIL 9.4 (Image.open(p).convert("RGB").getpixel).
TEST(ImageDecodeTest, PixelValuesMatchPil) {
  auto png = DecodeImageFile(DataPath("images/sergey.png"));
  ASSERT_TRUE(png.ok());
  auto bmp = DecodeImageFile(DataPath("images/grace_hopper.bmp"));
  ASSERT_TRUE(bmp.ok());
  auto jpg = DecodeImageFile(DataPath("images/cats_and_dogs.jpg"));
  ASSERT_TRUE(jpg.ok());
  struct Probe {
    const Image* image;
    int x, y;
    uint8_t r, g, b;
  };
  const Probe probes[] = {
      {&*png, 0, 0, 223, 213, 211},      {&*png, 300, 300, 191, 110, 106},
      {&*png, 599, 599, 81, 79, 80},     {&*png, 123, 456, 180, 169, 167},
      {&*bmp, 0, 0, 21, 26, 82},         {&*bmp, 511, 599, 13, 12, 18},
      {&*bmp, 250, 300, 214, 136, 92},   {&*jpg, 0, 0, 208, 124, 140},
      {&*jpg, 1199, 599, 219, 140, 162}, {&*jpg, 600, 300, 251, 177, 194},
      {&*jpg, 77, 555, 209, 126, 146}};
  for (const Probe& p : probes) {
    SCOPED_TRACE(std::to_string(p.x) + "," + std::to_string(p.y));
    EXPECT_EQ(p.image->at(p.x, p.y, 0), p.r);
    EXPECT_EQ(p.image->at(p.x, p.y, 1), p.g);
    EXPECT_EQ(p.image->at(p.x, p.y, 2), p.b);
  }
}

}  // namespace
}  // namespace detlite
