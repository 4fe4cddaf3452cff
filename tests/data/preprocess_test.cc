// Image -> input tensor bytes: presets, quantization, BGR, resizing, errors.
#include "data/preprocess.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace detlite {
namespace {

// 1x2 RGB: (0, 127.5-ish, 255) and (10, 20, 30).
Image TwoPixels() { return Image{2, 1, 3, {0, 128, 255, 10, 20, 30}}; }
const Shape kShape{1, 1, 2, 3};

std::vector<float> AsFloats(const std::vector<uint8_t>& bytes) {
  std::vector<float> f(bytes.size() / 4);
  std::memcpy(f.data(), bytes.data(), bytes.size());
  return f;
}

std::vector<float> FloatsFor(PreprocessPreset preset) {
  auto pre = PresetPreprocess(preset);
  EXPECT_TRUE(pre.ok());
  auto bytes =
      ImageToTensorBytes(TwoPixels(), kShape, DType::kFloat32, *pre, nullptr);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? AsFloats(*bytes) : std::vector<float>{};
}

TEST(PreprocessTest, FloatPresets) {
  EXPECT_EQ(FloatsFor(PreprocessPreset::kRaw), (std::vector<float>{0, 128, 255, 10, 20, 30}));
  const std::vector<float> unit = FloatsFor(PreprocessPreset::kUnit);
  EXPECT_FLOAT_EQ(unit[2], 1.0f);
  EXPECT_FLOAT_EQ(unit[3], 10.0f / 255);
  const std::vector<float> sgn = FloatsFor(PreprocessPreset::kSigned);
  EXPECT_FLOAT_EQ(sgn[0], -1.0f);
  EXPECT_FLOAT_EQ(sgn[2], 1.0f);
  EXPECT_FLOAT_EQ(sgn[1], 0.5f / 127.5f);
  const std::vector<float> in = FloatsFor(PreprocessPreset::kImagenet);
  EXPECT_FLOAT_EQ(in[0], (0 - 123.675f) / 58.395f);
  EXPECT_FLOAT_EQ(in[1], (128 - 116.28f) / 57.12f);
  EXPECT_FLOAT_EQ(in[5], (30 - 103.53f) / 57.375f);
  EXPECT_FALSE(PresetPreprocess(PreprocessPreset::kAuto).ok());
}

TEST(PreprocessTest, BgrSwapsChannelsButKeepsRgbMeans) {
  auto pre = PresetPreprocess(PreprocessPreset::kImagenet);
  pre->bgr = true;
  auto bytes =
      ImageToTensorBytes(TwoPixels(), kShape, DType::kFloat32, *pre, nullptr);
  ASSERT_TRUE(bytes.ok());
  const std::vector<float> f = AsFloats(*bytes);
  EXPECT_FLOAT_EQ(f[0], (255 - 103.53f) / 57.375f);  // blue, with blue's mean
  EXPECT_FLOAT_EQ(f[2], (0 - 123.675f) / 58.395f);   // red last
}

TEST(PreprocessTest, RawIntegerInputsGetThePixels) {
  auto raw = PresetPreprocess(PreprocessPreset::kRaw);
  QuantParams q{{0.0078125f}, {128}, {}, {}, 0};  // ignored for raw
  auto u8 = ImageToTensorBytes(TwoPixels(), kShape, DType::kUInt8, *raw, &q);
  ASSERT_TRUE(u8.ok());
  EXPECT_EQ(*u8, (std::vector<uint8_t>{0, 128, 255, 10, 20, 30}));
  auto i8 =
      ImageToTensorBytes(TwoPixels(), kShape, DType::kInt8, *raw, nullptr);
  ASSERT_TRUE(i8.ok());
  const std::vector<int8_t> want = {-128, 0, 127, -118, -108, -98};
  EXPECT_EQ(std::memcmp(i8->data(), want.data(), 6), 0);
}

TEST(PreprocessTest, NormalizedThenQuantized) {
  auto sgn = PresetPreprocess(PreprocessPreset::kSigned);
  // uint8 in [-1,1] with scale 1/128, zero point 128: q = round(v*128)+128.
  QuantParams u{{1.0f / 128}, {128}, {}, {}, 0};
  auto u8 = ImageToTensorBytes(TwoPixels(), kShape, DType::kUInt8, *sgn, &u);
  ASSERT_TRUE(u8.ok()) << u8.status().ToString();
  // 0 -> -1 -> 0; 128 -> 0.0039 -> 0.502 -> 1 -> 129;
  // 255 -> 1 -> 256 -> clamped 255; 10 -> -0.92157 -> 10.04 -> 10.
  EXPECT_EQ(*u8, (std::vector<uint8_t>{0, 129, 255, 10, 20, 30}));
  QuantParams s{{1.0f / 128}, {0}, {}, {}, 0};
  auto i8 = ImageToTensorBytes(TwoPixels(), kShape, DType::kInt8, *sgn, &s);
  ASSERT_TRUE(i8.ok());
  EXPECT_EQ(static_cast<int8_t>((*i8)[0]), -128);
  EXPECT_EQ(static_cast<int8_t>((*i8)[2]), 127);  // 128 clamped
}

TEST(PreprocessTest, ResizesToTheInputSize) {
  Image big{4, 2, 3, std::vector<uint8_t>(4 * 2 * 3, 200)};
  auto raw = PresetPreprocess(PreprocessPreset::kRaw);
  for (ResizeMethod m : {ResizeMethod::kAntialias, ResizeMethod::kTfBilinear}) {
    raw->resize = m;
    auto bytes = ImageToTensorBytes(big, Shape{1, 3, 5, 3}, DType::kUInt8, *raw,
                                    nullptr);
    ASSERT_TRUE(bytes.ok());
    EXPECT_EQ(*bytes, std::vector<uint8_t>(3 * 5 * 3, 200));
  }
}

void ExpectError(const StatusOr<std::vector<uint8_t>>& r,
                 const std::string& words) {
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(words), std::string::npos)
      << r.status().message();
}

TEST(PreprocessTest, ClearErrors) {
  auto unit = *PresetPreprocess(PreprocessPreset::kUnit);
  ExpectError(ImageToTensorBytes(TwoPixels(), Shape{1, 1, 2, 1},
                                 DType::kFloat32, unit, nullptr),
              "takes 1 channels per pixel but the image has 3");
  ExpectError(ImageToTensorBytes(TwoPixels(), Shape{1, 2, 3}, DType::kFloat32,
                                 unit, nullptr),
              "[1,height,width,channels]");
  ExpectError(ImageToTensorBytes(TwoPixels(), Shape{2, 1, 2, 3},
                                 DType::kFloat32, unit, nullptr),
              "[1,height,width,channels]");
  ExpectError(
      ImageToTensorBytes(TwoPixels(), kShape, DType::kUInt8, unit, nullptr),
      "no per-tensor scale");
  QuantParams per_axis{{0.1f, 0.2f, 0.3f}, {0, 0, 0}, {}, {}, 3};
  ExpectError(
      ImageToTensorBytes(TwoPixels(), kShape, DType::kInt8, unit, &per_axis),
      "no per-tensor scale");
  QuantParams zero{{0.0f}, {0}, {}, {}, 0};
  ExpectError(
      ImageToTensorBytes(TwoPixels(), kShape, DType::kUInt8, unit, &zero),
      "scale");
  ExpectError(
      ImageToTensorBytes(TwoPixels(), kShape, DType::kInt32, unit, nullptr),
      "int32");
  unit.stddev[1] = 0;
  ExpectError(
      ImageToTensorBytes(TwoPixels(), kShape, DType::kFloat32, unit, nullptr),
      "stddev");
}

}  // namespace
}  // namespace detlite
