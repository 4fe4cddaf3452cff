// Cross-layer equalization and high-bias absorption on real detectors: the
// float model's outputs on real photos stay the same (1e-5 of each output's
// range) and the per-channel weight ranges of the equalized layers become
// more even. Models: SSDLite MobileNetV2 (TF.js, imported as `detlite
// convert` does), BlazeFace short range, SSD MobileNetV2 (float16 weights).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "detlite/import.h"
#include "detlite/inputs.h"
#include "detlite/model.h"
#include "quant/absorb_bias.h"
#include "quant/channel_stats.h"
#include "quant/conv_layer.h"
#include "quant/equalize.h"
#include "quant/fold_float_weights.h"
#include "quant_test_util.h"
#include "support/paths.h"

namespace detlite::quant {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string path;
  PreprocessPreset preset;
};

std::vector<Case> Cases() {
  return {{detlite::testing::DataPath("tf/tfjs/ssdlite_mobilenet_v2_coco/model.json"), PreprocessPreset::kSigned},
          {detlite::testing::DataPath("tflite/face_detection_short_range.tflite"), PreprocessPreset::kSigned},
          {detlite::testing::DataPath("tflite/ssd_mobilenetv2_oidv4_fp16.tflite"), PreprocessPreset::kSigned}};
}

StatusOr<ir::Model> LoadFloat(const std::string& path) {
  StatusOr<Model> m = path.ends_with(".json") ? ImportModel(path) : Model::Load(path);
  if (!m.ok()) return m.status();
  ir::Model ir = m->ir();
  int folded = 0;
  RETURN_IF_ERROR(FoldFloatWeights(ir, &folded));
  return ir;
}

StatusOr<std::vector<std::vector<std::vector<uint8_t>>>> Photos(const Model& model, PreprocessPreset preset) {
  ASSIGN_OR_RETURN(Runner runner, Runner::Create(model));
  std::vector<std::vector<std::vector<uint8_t>>> out;
  for (const char* name : {"face.jpg", "cats_and_dogs.jpg", "multi_objects.jpg"}) {
    PreprocessOptions pre;
    pre.preset = preset;
    ASSIGN_OR_RETURN(HostTensor t, LoadInput(detlite::testing::DataPath(std::string("images/") + name),
                                             runner.InputInfo(0), pre));
    out.push_back({t.bytes});
  }
  return out;
}

StatusOr<std::vector<std::vector<float>>> AllOutputs(const ir::Model& m,
                                                     const std::vector<std::vector<uint8_t>>& in) {
  std::vector<std::vector<float>> outs;
  for (size_t i = 0; i < m.subgraphs[0].outputs.size(); ++i) {
    ASSIGN_OR_RETURN(auto v, testing::RunFloatOutput(m, in, static_cast<int>(i)));
    outs.push_back(std::move(v));
  }
  return outs;
}

// Largest |a - b| over an output, as a fraction of the output's range.
double WorstRelativeDiff(const std::vector<std::vector<float>>& a,
                         const std::vector<std::vector<float>>& b) {
  double worst = 0;
  for (size_t k = 0; k < a.size(); ++k) {
    float lo = 0, hi = 0;
    for (float v : a[k]) lo = std::min(lo, v), hi = std::max(hi, v);
    const double range = std::max(1e-6f, hi - lo);
    for (size_t i = 0; i < a[k].size(); ++i) {
      worst = std::max(worst, std::fabs(static_cast<double>(a[k][i]) - b[k][i]) / range);
    }
  }
  return worst;
}

// Mean over the first layers of the pairs of (smallest / largest output
// channel range): 1 when all channels span the same range.
double Evenness(const ir::Subgraph& sg, const std::vector<EqualizePair>& pairs) {
  double sum = 0;
  for (const EqualizePair& p : pairs) {
    const ConvLayer l = *AsConvLayer(sg, p.first);
    const std::vector<float> w = ReadFloats(sg.tensors[static_cast<size_t>(l.weights)]);
    std::vector<float> r(static_cast<size_t>(l.out_channels), 0.0f);
    for (size_t e = 0; e < w.size(); ++e) {
      float& m = r[static_cast<size_t>(l.OutChannel(static_cast<int64_t>(e)))];
      m = std::max(m, std::fabs(w[e]));
    }
    const auto [lo, hi] = std::minmax_element(r.begin(), r.end());
    sum += *hi > 0 ? *lo / *hi : 1.0;
  }
  return pairs.empty() ? 0 : sum / static_cast<double>(pairs.size());
}

TEST(EqualizeTest, RealModelsKeepTheirOutputsAndEvenTheirRanges) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.path);
    if (!fs::exists(c.path)) GTEST_SKIP() << c.path << " missing";
    auto loaded = c.path.ends_with(".json") ? ImportModel(c.path) : Model::Load(c.path);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    auto photos = Photos(*loaded, c.preset);
    ASSERT_TRUE(photos.ok()) << photos.status().ToString();
    auto base = LoadFloat(c.path);
    ASSERT_TRUE(base.ok()) << base.status().ToString();
    ir::Model eq = *base;
    EqualizeStats stats;
    ASSERT_TRUE(EqualizeCrossLayer(eq, {}, &stats).ok());
    ASSERT_GT(stats.pairs, 0);
    const double before = Evenness(base->subgraphs[0], stats.equalized);
    const double after = Evenness(eq.subgraphs[0], stats.equalized);
    EXPECT_GT(after, before);
    // High-bias absorption, from the statistics of the photos it is judged on.
    const auto absorbable = AbsorbablePairs(eq.subgraphs[0], stats.equalized);
    std::vector<int32_t> between;
    for (const EqualizePair& p : absorbable) between.push_back(p.between);
    int channels = 0;
    if (!between.empty()) {
      const auto& ph = *photos;
      SampleLoader load = [&ph](int i) -> StatusOr<std::vector<std::vector<uint8_t>>> {
        return ph[static_cast<size_t>(i)];
      };
      auto cs = CollectChannelStats(eq, static_cast<int>(ph.size()), load, between, 2);
      ASSERT_TRUE(cs.ok()) << cs.status().ToString();
      ASSERT_TRUE(AbsorbHighBias(eq, absorbable, *cs, &channels).ok());
    }
    double worst = 0;
    for (const auto& in : *photos) {
      auto want = AllOutputs(*base, in);
      auto got = AllOutputs(eq, in);
      ASSERT_TRUE(want.ok() && got.ok());
      worst = std::max(worst, WorstRelativeDiff(*want, *got));
    }
    EXPECT_LT(worst, 1e-5);
    std::printf("[equalize] %s: %d pairs (%d ReLU6 skipped), %d passes, evenness %.3f -> %.3f, "
                "%d channels absorbed, worst output diff %.2e of range\n",
                fs::path(c.path).filename().c_str(), stats.pairs, stats.relu6_skipped,
                stats.iterations, before, after, channels, worst);
  }
}

}  // namespace
}  // namespace detlite::quant
