// Broken, truncated and hostile image files give errors that name the file
// and the problem, and never crash (run under ASan too).
#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string>
#include <vector>

#include "core/file_io.h"
#include "data/image.h"
#include "support/paths.h"

namespace detlite {
namespace {

using testing::DataPath;

std::vector<uint8_t> Read(const std::string& rel) {
  auto bytes = ReadFileBytes(DataPath(rel));
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::vector<uint8_t>{};
}

Status DecodeStatus(const std::vector<uint8_t>& bytes,
                    const std::string& name = "broken.img") {
  auto img = DecodeImage(bytes.data(), bytes.size(), name);
  return img.ok() ? Status::Ok() : img.status();
}

void ExpectError(const std::vector<uint8_t>& bytes, StatusCode code,
                 const std::string& words) {
  const Status s = DecodeStatus(bytes);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), code) << s.ToString();
  EXPECT_NE(s.message().find("broken.img"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find(words), std::string::npos) << s.message();
}

TEST(ImageCorruptTest, FileProblemsNameTheFile) {
  auto missing = DecodeImageFile("/nonexistent/dir/photo.jpg");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("/nonexistent/dir/photo.jpg"),
            std::string::npos);
  ExpectError({}, StatusCode::kInvalidArgument, "empty");
  const std::string text = "label,xmin,ymin\n";
  ExpectError(std::vector<uint8_t>(text.begin(), text.end()),
              StatusCode::kInvalidArgument, "not an image");
  const std::string gif = "GIF89a\x01\x00\x01\x00";
  ExpectError(std::vector<uint8_t>(gif.begin(), gif.end()),
              StatusCode::kUnimplemented, "GIF");
}

TEST(ImageCorruptTest, TruncatedFilesAreErrors) {
  for (const char* rel : {"images/cats_and_dogs.jpg", "images/burger.jpg",
                          "images/sergey.png", "images/cat.bmp"}) {
    const std::vector<uint8_t> whole = Read(rel);
    for (double frac : {0.001, 0.01, 0.2, 0.5, 0.9, 0.999}) {
      SCOPED_TRACE(std::string(rel) + " cut at " + std::to_string(frac));
      std::vector<uint8_t> part(
          whole.begin(),
          whole.begin() + static_cast<long>(whole.size() * frac));
      const Status s = DecodeStatus(part);
      EXPECT_FALSE(s.ok());
      EXPECT_TRUE(s.code() == StatusCode::kDataLoss) << s.ToString();
    }
  }
  std::vector<uint8_t> jpg = Read("images/burger.jpg");
  jpg.resize(jpg.size() / 2);
  ExpectError(jpg, StatusCode::kDataLoss, "truncated");
}

TEST(ImageCorruptTest, GarbageAfterTheMagicIsAnError) {
  std::mt19937 rng(7);
  for (const std::string& magic :
       {std::string("\xFF\xD8\xFF"), std::string("\x89PNG\r\n\x1A\n"),
        std::string("BM")}) {
    std::vector<uint8_t> bytes(magic.begin(), magic.end());
    for (int i = 0; i < 4000; ++i) bytes.push_back(static_cast<uint8_t>(rng()));
    EXPECT_FALSE(DecodeStatus(bytes).ok());
  }
}

// Headers claiming gigapixel images are refused before allocating anything.
TEST(ImageCorruptTest, HugeDimensionsAreRefused) {
  std::vector<uint8_t> jpg = Read("images/burger.jpg");
  for (size_t i = 0; i + 9 < jpg.size(); ++i) {
    if (jpg[i] == 0xFF &&
        (jpg[i + 1] == 0xC0 || jpg[i + 1] == 0xC2)) {  // SOF: height, width
      // 30000 x 30000: within JPEG's own limit of 65500, over ours.
      jpg[i + 5] = jpg[i + 7] = 0x75;
      jpg[i + 6] = jpg[i + 8] = 0x30;
      break;
    }
  }
  ExpectError(jpg, StatusCode::kInvalidArgument, "limit");

  std::vector<uint8_t> png = Read("images/sergey.png");
  // 65536 x 65536: within libpng's own limits, over ours.
  const uint8_t dims[8] = {0, 1, 0, 0, 0, 1, 0, 0};
  std::copy(dims, dims + 8, png.begin() + 16);
  const uLong crc = crc32(0, png.data() + 12, 17);  // keep IHDR's CRC valid
  for (int i = 0; i < 4; ++i) {
    png[29 + i] = static_cast<uint8_t>(crc >> (24 - 8 * i));
  }
  ExpectError(png, StatusCode::kInvalidArgument, "limit");

  std::vector<uint8_t> bmp = Read("images/cat.bmp");
  bmp[18] = bmp[19] = bmp[20] = 0;
  bmp[21] = 0x10;  // width 2^28
  ExpectError(bmp, StatusCode::kInvalidArgument, "limit");
}

TEST(ImageCorruptTest, BadPngCrcIsAnError) {
  std::vector<uint8_t> png = Read("images/sergey.png");
  png[20] ^= 1;  // inside IHDR, CRC now wrong
  ExpectError(png, StatusCode::kDataLoss, "PNG");
}

TEST(ImageCorruptTest, UnsupportedBmpVariants) {
  std::vector<uint8_t> bmp = Read("images/cat.bmp");
  bmp[30] = 1;  // BI_RLE8
  ExpectError(bmp, StatusCode::kUnimplemented, "RLE");
  bmp = Read("images/cat.bmp");
  bmp[14] = 77;  // unknown DIB header size
  ExpectError(bmp, StatusCode::kUnimplemented, "DIB");
}

// Random byte flips in real files: any outcome but a crash or hang is fine.
TEST(ImageCorruptTest, MutatedRealFilesNeverCrash) {
  std::mt19937 rng(1234);
  for (const char* rel : {"images/multi_objects.jpg", "images/burger.jpg",
                          "images/sergey.png", "images/cat.bmp"}) {
    const std::vector<uint8_t> whole = Read(rel);
    for (int round = 0; round < 60; ++round) {
      std::vector<uint8_t> m = whole;
      // Most flips go into the headers, where the parsing is.
      const size_t span =
          round % 2 ? std::min<size_t>(m.size(), 1024) : m.size();
      for (int k = 0; k < 1 + round % 8; ++k) {
        m[rng() % span] = static_cast<uint8_t>(rng());
      }
      auto img = DecodeImage(m.data(), m.size(), rel);
      // A survivor must still be a consistent image.
      if (img.ok()) {
        EXPECT_TRUE(ValidateImage(*img).ok());
      }
    }
  }
}

}  // namespace
}  // namespace detlite
