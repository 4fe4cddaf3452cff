// Anchor generators: counts, first and last anchors computed by hand from
// the generators' formulas, and the anchors the Object Detection API itself
// exported into coco_ssd_mobilenet_v1 (a 300x300, 6-layer
// ssd_anchor_generator with the zoo's default settings).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "importers/tflite/tflite_reader.h"
#include "passes/ssd/anchors.h"
#include "support/paths.h"

namespace detlite::ssd {
namespace {

void ExpectAnchor(const Anchor& a, float y, float x, float h, float w) {
  EXPECT_NEAR(a.y, y, 1e-6);
  EXPECT_NEAR(a.x, x, 1e-6);
  EXPECT_NEAR(a.h, h, 1e-6);
  EXPECT_NEAR(a.w, w, 1e-6);
}

TEST(SsdAnchors, Default300x300Has1917AnchorsOnA19To1Chain) {
  SsdAnchorSpec spec;
  auto maps = InferSsdFeatureMaps(spec, 300, 300, 1917);
  ASSERT_TRUE(maps.ok()) << maps.status().ToString();
  std::vector<int> sizes;
  for (const auto& m : *maps) sizes.push_back(m.height);
  EXPECT_EQ(sizes, (std::vector<int>{19, 10, 5, 3, 2, 1}));
  EXPECT_EQ(SsdAnchorsPerLocation(spec), (std::vector<int>{3, 6, 6, 6, 6, 6}));
  auto anchors = GenerateSsdAnchors(spec, *maps, 300, 300);
  ASSERT_TRUE(anchors.ok());
  ASSERT_EQ(anchors->size(), 1917u);
  const float c0 = 0.5f / 19;
  // Lowest layer: (scale 0.1, ratio 1), (0.2, 2), (0.2, 0.5).
  ExpectAnchor((*anchors)[0], c0, c0, 0.1f, 0.1f);
  ExpectAnchor((*anchors)[1], c0, c0, 0.2f / std::sqrt(2.0f), 0.2f * std::sqrt(2.0f));
  ExpectAnchor((*anchors)[2], c0, c0, 0.2f / std::sqrt(0.5f), 0.2f * std::sqrt(0.5f));
  // Second location of the first row moves in x only.
  ExpectAnchor((*anchors)[3], c0, 1.5f / 19, 0.1f, 0.1f);
  // Last layer, 1x1: ratio 0.3333 at scale 0.95, then the interpolated
  // sqrt(0.95 * 1.0) at ratio 1.
  const Anchor& second_last = (*anchors)[1915];
  ExpectAnchor(second_last, 0.5f, 0.5f, 0.95f / std::sqrt(0.3333f), 0.95f * std::sqrt(0.3333f));
  const float interp = std::sqrt(0.95f);
  ExpectAnchor((*anchors)[1916], 0.5f, 0.5f, interp, interp);
  // Layer 1 (10x10) starts at 19*19*3 with scale 0.2 + 0.75/5 = 0.35.
  ExpectAnchor((*anchors)[1083], 0.05f, 0.05f, 0.35f, 0.35f);
}

TEST(SsdAnchors, MismatchNamesBothCounts) {
  SsdAnchorSpec spec;
  spec.num_layers = 5;
  auto maps = InferSsdFeatureMaps(spec, 300, 300, 1917);
  ASSERT_FALSE(maps.ok());
  const std::string msg = maps.status().message();
  EXPECT_NE(msg.find("1917"), std::string::npos) << msg;
  EXPECT_NE(msg.find("1911"), std::string::npos) << msg;  // 19^2*3 + (100+25+9+4)*6
}

TEST(SsdAnchors, RejectsBadSpecs) {
  SsdAnchorSpec spec;
  spec.num_layers = 0;
  EXPECT_FALSE(InferSsdFeatureMaps(spec, 300, 300, 1917).ok());
  spec = SsdAnchorSpec{};
  spec.scales = {0.1f, 0.2f};
  EXPECT_FALSE(GenerateSsdAnchors(spec, {{19, 19}, {10, 10}}, 300, 300).ok());
  spec = SsdAnchorSpec{};
  spec.aspect_ratios = {1.0f, -2.0f};
  EXPECT_FALSE(InferSsdFeatureMaps(spec, 300, 300, 1917).ok());
}

TEST(SsdAnchors, MatchTheAnchorsTheObjectDetectionApiExported) {
  auto model = ReadTfliteFile(
      testing::DataPath("tflite/coco_ssd_mobilenet_v1_1.0_quant_2018_06_29.tflite"));
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const ir::Tensor* exported = nullptr;
  for (const ir::Tensor& t : model->subgraphs[0].tensors) {
    if (t.name == "anchors") exported = &t;
  }
  ASSERT_NE(exported, nullptr);
  ASSERT_EQ(exported->shape, Shape({1917, 4}));
  ASSERT_EQ(exported->dtype, DType::kUInt8);
  const float scale = exported->quant.scale[0];
  const float zero = static_cast<float>(exported->quant.zero_point[0]);
  SsdAnchorSpec spec;
  auto maps = InferSsdFeatureMaps(spec, 300, 300, 1917);
  ASSERT_TRUE(maps.ok());
  auto anchors = GenerateSsdAnchors(spec, *maps, 300, 300);
  ASSERT_TRUE(anchors.ok());
  double worst = 0;
  for (size_t i = 0; i < anchors->size(); ++i) {
    const Anchor& a = (*anchors)[i];
    const float ours[4] = {a.y, a.x, a.h, a.w};
    for (size_t c = 0; c < 4; ++c) {
      const float theirs = ((*exported->data)[4 * i + c] - zero) * scale;
      worst = std::max(worst, std::fabs(double(ours[c]) - theirs));
    }
  }
  // Quantized to 8 bits: half a step is the most rounding can explain.
  EXPECT_LE(worst, 0.5 * scale + 1e-6) << "scale " << scale;
}

TEST(MultiscaleAnchors, FpnLite320) {
  MultiscaleAnchorSpec spec;  // levels 3..7, anchor scale 4, 2 scales/octave, 3 ratios
  auto anchors = GenerateMultiscaleAnchors(spec, 320, 320);
  ASSERT_TRUE(anchors.ok());
  EXPECT_EQ(anchors->size(), size_t{(40 * 40 + 20 * 20 + 10 * 10 + 5 * 5 + 3 * 3) * 6});
  // Level 3: stride 8, centred (320 % 8 == 0), base 32 px.
  ExpectAnchor((*anchors)[0], 4.0f / 320, 4.0f / 320, 32.0f / 320, 32.0f / 320);
  // Second anchor: same ratio, next scale 2^(1/2).
  ExpectAnchor((*anchors)[1], 4.0f / 320, 4.0f / 320, 32.0f * std::sqrt(2.0f) / 320,
               32.0f * std::sqrt(2.0f) / 320);
  // Level 7: stride 128 does not divide 320, so no half-cell offset; the
  // last cell (2, 2) is at 256 px; last anchor: ratio 0.5, scale 2^(1/2).
  ExpectAnchor(anchors->back(), 0.8f, 0.8f, 1024.0f / 320, 512.0f / 320);
}

TEST(MultiscaleAnchors, RejectsBadLevels) {
  MultiscaleAnchorSpec spec;
  spec.min_level = 5;
  spec.max_level = 4;
  EXPECT_FALSE(GenerateMultiscaleAnchors(spec, 320, 320).ok());
}

TEST(MediapipeAnchors, BlazeFaceShortRange) {
  auto a = GenerateMediapipeAnchors(BlazeFaceShortRangeAnchors());
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->size(), 896u);  // 16*16*2 + 8*8*6
  ExpectAnchor((*a)[0], 0.5f / 16, 0.5f / 16, 1, 1);
  ExpectAnchor((*a)[1], 0.5f / 16, 0.5f / 16, 1, 1);
  ExpectAnchor((*a)[2], 0.5f / 16, 1.5f / 16, 1, 1);
  ExpectAnchor((*a)[512], 0.5f / 8, 0.5f / 8, 1, 1);
  ExpectAnchor(a->back(), 7.5f / 8, 7.5f / 8, 1, 1);
}

TEST(MediapipeAnchors, BlazeFaceFullRangeAndPalm) {
  auto full = GenerateMediapipeAnchors(BlazeFaceFullRangeAnchors());
  ASSERT_TRUE(full.ok());
  ASSERT_EQ(full->size(), 2304u);  // 48*48, one anchor each
  ExpectAnchor((*full)[0], 0.5f / 48, 0.5f / 48, 1, 1);
  ExpectAnchor((*full)[1], 0.5f / 48, 1.5f / 48, 1, 1);
  ExpectAnchor(full->back(), 47.5f / 48, 47.5f / 48, 1, 1);
  auto palm = GenerateMediapipeAnchors(BlazePalmAnchors());
  ASSERT_TRUE(palm.ok());
  ASSERT_EQ(palm->size(), 2016u);  // 24*24*2 + 12*12*6
  ExpectAnchor((*palm)[0], 0.5f / 24, 0.5f / 24, 1, 1);
  ExpectAnchor(palm->back(), 11.5f / 12, 11.5f / 12, 1, 1);
}

TEST(MediapipeAnchors, SizesWhenNotFixed) {
  MediapipeAnchorSpec spec = BlazeFaceShortRangeAnchors();
  spec.fixed_anchor_size = false;
  auto a = GenerateMediapipeAnchors(spec);
  ASSERT_TRUE(a.ok());
  // Layer 0 scale 0.1484375, then the interpolated sqrt(s0 * s1) with
  // s1 = 0.1484375 + (0.75 - 0.1484375) / 3.
  EXPECT_NEAR((*a)[0].h, 0.1484375f, 1e-6);
  const float s1 = 0.1484375f + (0.75f - 0.1484375f) / 3.0f;
  EXPECT_NEAR((*a)[1].h, std::sqrt(0.1484375f * s1), 1e-6);
  // Last anchor: the last layer's interpolated scale sqrt(0.75 * 1).
  EXPECT_NEAR(a->back().w, std::sqrt(0.75f), 1e-6);
  spec.strides.clear();
  EXPECT_FALSE(GenerateMediapipeAnchors(spec).ok());
}

}  // namespace
}  // namespace detlite::ssd
