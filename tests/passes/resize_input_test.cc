// passes/resize_input + ssd/anchor_retarget: anchors moved to a new input
// size agree with an independent computation (the Object Detection API's
// ssd_anchor_generator on the new feature maps), the native size changes
// nothing, and what cannot follow a new size is refused with the op named.
#include "passes/resize_input.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sys/stat.h>

#include "detlite/import.h"
#include "detlite/input_size.h"
#include "detlite/model.h"
#include "core/file_io.h"
#include "ir/builder.h"
#include "passes/ssd/anchor_retarget.h"
#include "passes/ssd/anchors.h"
#include "support/paths.h"

namespace detlite {
namespace {

bool Exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

std::string Ssdlite() { return testing::DataPath("tf/tfjs/ssdlite_mobilenet_v2_coco/model.json"); }

// The zoo's ssdlite_mobilenet_v2_coco anchors (ssd_anchor_generator, 6
// layers, scales 0.2..0.95, aspect ratios 1, 2, 0.5, 3, 0.3333) on the
// feature maps of a side x side input (ceil-halving from stride 16).
std::vector<ssd::Anchor> ZooAnchors(int side) {
  ssd::SsdAnchorSpec spec;
  std::vector<ssd::FeatureMapSize> maps;
  for (int l = 0; l < 6; ++l) {
    const int s = ssd::CeilHalvings(side, 4 + l);
    maps.push_back({s, s});
  }
  auto a = ssd::GenerateSsdAnchors(spec, maps, side, side);
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  return a.ok() ? *a : std::vector<ssd::Anchor>{};
}

float MaxDiff(const std::vector<float>& got, const std::vector<ssd::Anchor>& want) {
  if (got.size() != want.size() * 4) return INFINITY;
  float d = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    const float w[4] = {want[i].y, want[i].x, want[i].h, want[i].w};
    for (int k = 0; k < 4; ++k) d = std::max(d, std::fabs(got[i * 4 + k] - w[k]));
  }
  return d;
}

TEST(ResizeInputTest, ImportedSsdliteAnchorsMatchTheGeneratorAtEachSize) {
  if (!Exists(Ssdlite())) GTEST_SKIP() << Ssdlite() << " missing";
  for (int side : {300, 320, 256, 224}) {
    SCOPED_TRACE(side);
    ImportOptions o;
    o.input_size = {side, side};
    ImportReport report;
    auto m = ImportModel(Ssdlite(), o, &report);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    ASSERT_TRUE(report.ssd.found);
    EXPECT_EQ(report.ssd.input_height, side);
    const std::vector<ssd::Anchor> want = ZooAnchors(side);
    ASSERT_EQ(report.ssd.anchors.size(), want.size() * 4);
    EXPECT_LE(MaxDiff(report.ssd.anchors, want), 2e-6f);
    const Shape& in = m->ir().subgraphs[0].tensors[static_cast<size_t>(
        m->ir().subgraphs[0].inputs[0])].shape;
    EXPECT_EQ(in, (Shape{1, side, side, 3}));
  }
}

TEST(ResizeInputTest, QuantizedPostprocessAnchorsMatchTheGeneratorWithinAStep) {
  const std::string path = testing::DataPath("tflite/mobilenet_ssd_v2_coco_quant_postprocess.tflite");
  if (!Exists(path)) GTEST_SKIP() << path << " missing";
  auto m = Model::Load(path);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  auto r = SetInputSize(*m, {320, 320});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->anchors_before, 1917);
  EXPECT_EQ(r->anchors_after, 2034);  // 20*20*3 + (100+25+9+4+1)*6
  const ir::Subgraph& sg = m->ir().subgraphs[0];
  const ir::Operator& pp = sg.ops.back();
  ASSERT_EQ(pp.custom_code, "TFLite_Detection_PostProcess");
  const ir::Tensor& at = sg.tensors[static_cast<size_t>(pp.inputs[2])];
  ASSERT_EQ(at.dtype, DType::kUInt8);
  const float scale = at.quant.scale.at(0);
  std::vector<float> got;
  for (uint8_t q : *at.data) got.push_back(scale * static_cast<float>(q - at.quant.zero_point.at(0)));
  EXPECT_LE(MaxDiff(got, ZooAnchors(320)), scale);  // within one quantization step
}

TEST(ResizeInputTest, NativeSizeIsBitIdentical) {
  const std::string path = testing::DataPath("tflite/mobilenet_ssd_v2_coco_quant_postprocess.tflite");
  if (!Exists(path)) GTEST_SKIP() << path << " missing";
  auto a = Model::Load(path);
  auto b = Model::Load(path);
  ASSERT_TRUE(a.ok() && b.ok());
  auto r = SetInputSize(*b, {300, 300});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->changed);
  const std::string pa = testing::TempDir() + "/native_a.tflite";
  const std::string pb = testing::TempDir() + "/native_b.tflite";
  ASSERT_TRUE(a->Save(pa).ok());
  ASSERT_TRUE(b->Save(pb).ok());
  auto ba = ReadFileBytes(pa);
  auto bb = ReadFileBytes(pb);
  ASSERT_TRUE(ba.ok() && bb.ok());
  EXPECT_TRUE(*ba == *bb);
}

TEST(ResizeInputTest, AnchorsThatFollowNoGridAreRefused) {
  std::vector<ssd::Anchor> a = ZooAnchors(300);
  ssd::RetargetRequest req;
  const int sizes[6] = {19, 10, 5, 3, 2, 1};
  for (int l = 0; l < 6; ++l) {
    req.from.push_back({{sizes[l], sizes[l]}, l == 0 ? 3 : 6});
    req.to.push_back({sizes[l] + 1, sizes[l] + 1});
  }
  ASSERT_TRUE(ssd::RetargetAnchors(a, req).ok());
  a[100].y += 0.01f;  // one anchor off its grid
  auto r = ssd::RetargetAnchors(a, req);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("anchor 100 "), std::string::npos) << r.status().message();
}

// FPN / RetinaNet anchors (multiscale_anchor_generator, levels 3..7, scale
// 4, aspect ratios 1, 2, 0.5, 2 scales per octave) keep their strides and
// sizes in pixels: made at 320x320 (level 7: a 3x3 grid at stride 128, not
// 1/3 of the image), moved to 256x256 and 384x384, they are the generator's
// own anchors at those sizes.
TEST(ResizeInputTest, MultiscaleAnchorsKeepPixelStridesAndSizes) {
  ssd::MultiscaleAnchorSpec spec;
  auto grids = [](int side) {
    std::vector<ssd::FeatureMapSize> g;
    for (int level = 3; level <= 7; ++level) {
      const int n = ssd::CeilHalvings(side, level);
      g.push_back({n, n});
    }
    return g;
  };
  auto at320 = ssd::GenerateMultiscaleAnchors(spec, 320, 320);
  ASSERT_TRUE(at320.ok()) << at320.status().ToString();
  for (int side : {256, 384}) {
    SCOPED_TRACE(side);
    ssd::RetargetRequest req;
    for (const auto& g : grids(320)) req.from.push_back({g, 6});
    req.to = grids(side);
    req.image_from = {320, 320};
    req.image_to = {side, side};
    std::string scheme;
    auto moved = ssd::RetargetAnchors(*at320, req, &scheme);
    ASSERT_TRUE(moved.ok()) << moved.status().ToString();
    EXPECT_NE(scheme.find("pixels"), std::string::npos) << scheme;
    auto want = ssd::GenerateMultiscaleAnchors(spec, side, side);
    ASSERT_TRUE(want.ok());
    ASSERT_EQ(moved->size(), want->size());
    std::vector<float> got;
    for (const ssd::Anchor& a : *moved) got.insert(got.end(), {a.y, a.x, a.h, a.w});
    EXPECT_LE(MaxDiff(got, *want), 2e-6f);
  }
  // The SSD generator's anchors are read as grid-relative instead.
  ssd::RetargetRequest req;
  const int sizes[6] = {19, 10, 5, 3, 2, 1};
  for (int l = 0; l < 6; ++l) {
    req.from.push_back({{sizes[l], sizes[l]}, l == 0 ? 3 : 6});
    req.to.push_back({sizes[l], sizes[l]});
  }
  req.image_from = req.image_to = {300, 300};
  std::string scheme;
  ASSERT_TRUE(ssd::RetargetAnchors(ZooAnchors(300), req, &scheme).ok());
  EXPECT_NE(scheme.find("ssd_anchor_generator"), std::string::npos) << scheme;
}

// input [1,8,8,3] -> CONV 3x3 stride 2 -> [1,4,4,2], then either
//  - RESHAPE [1,-1] -> FULLY_CONNECTED (weights [5,32]): a classifier over
//    spatial features, or
//  - RESHAPE to the fixed [1,8,4]: which of 8 and 4 would grow is ambiguous.
ir::Model SpatialTail(bool fully_connected) {
  ir::Model m;
  ir::Builder b(&m);
  const int32_t x = b.Input("image", DType::kFloat32, {1, 8, 8, 3});
  const int32_t w = b.ConstantF32("w", {2, 3, 3, 3}, std::vector<float>(54, 0.1f));
  const int32_t bias = b.ConstantF32("b", {2}, {0, 0});
  ir::Conv2DOptions co;
  co.stride_h = co.stride_w = 2;
  const int32_t c = b.Op(ir::OpKind::kConv2D, {x, w, bias}, "features", DType::kFloat32,
                         {1, 4, 4, 2}, co);
  const std::vector<int32_t> shape =
      fully_connected ? std::vector<int32_t>{1, -1} : std::vector<int32_t>{1, 8, 4};
  const int32_t s = b.ConstantI32("shape", {static_cast<int32_t>(shape.size())}, shape);
  const Shape flat_shape = fully_connected ? Shape{1, 32} : Shape{1, 8, 4};
  const int32_t flat = b.Op(ir::OpKind::kReshape, {c, s}, "flat", DType::kFloat32, flat_shape,
                            ir::ReshapeOptions{shape});
  if (!fully_connected) {
    b.Output(flat);
    return m;
  }
  const int32_t fw = b.ConstantF32("fc_w", {5, 32}, std::vector<float>(160, 0.01f));
  const int32_t fb = b.ConstantF32("fc_b", {5}, std::vector<float>(5, 0.0f));
  const int32_t y = b.Op(ir::OpKind::kFullyConnected, {flat, fw, fb}, "logits", DType::kFloat32,
                         {1, 5}, ir::FullyConnectedOptions{});
  b.Output(y);
  return m;
}

TEST(ResizeInputTest, RefusesWhatCannotFollowTheSizeNamingTheOp) {
  {
    ir::Model m = SpatialTail(/*fully_connected=*/true);
    passes::ResizeInputResult r;
    const Status s = passes::ResizeInput(m, 16, 16, &r);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find("FULLY_CONNECTED 'logits'"), std::string::npos) << s.message();
  }
  {
    ir::Model m = SpatialTail(/*fully_connected=*/false);
    passes::ResizeInputResult r;
    const Status s = passes::ResizeInput(m, 16, 16, &r);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.message().find("RESHAPE 'flat'"), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("fixed shape [1,8,4]"), std::string::npos) << s.message();
  }
  {
    ir::Model m = SpatialTail(true);
    passes::ResizeInputResult r;
    EXPECT_TRUE(passes::ResizeInput(m, 8, 8, &r).ok());  // its own size: nothing to follow
    EXPECT_FALSE(r.changed);
  }
}

TEST(ResizeInputTest, InputSizeTextIsChecked) {
  auto s = ParseInputSize("320x256");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->height, 320);
  EXPECT_EQ(s->width, 256);
  EXPECT_EQ(ParseInputSize("192")->width, 192);
  for (const char* bad : {"0x5", "abc", "", "x", "320x", "-3x3", "20000x20", "3x3x3", "1.5x2"}) {
    EXPECT_FALSE(ParseInputSize(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace detlite
