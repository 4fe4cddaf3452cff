// The optimized TFLite_Detection_PostProcess against the reference kernel on
// random inputs, bit for bit: float and uint8 inputs, fast and regular NMS,
// scores with heavy ties (a few levels, as quantized scores have), all equal,
// -0 and +0, fewer candidates than max_detections, none at all, empty boxes.
#include "kernels/optimized/detection_postprocess.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "kernels/optimized/cpu.h"
#include "kernels/reference/detection_postprocess.h"

namespace detlite {
namespace {

using kernels::optimized::DetectionRows;

enum class ScoreKind { kRandom, kFewLevels, kAllEqual, kSignedZeros, kBelowThreshold };

struct Case {
  int num_boxes = 0;
  int num_classes_with_background = 0;
  kernels::DetectionPostProcessParams p;
  bool uint8_inputs = false;
  std::vector<float> encodings, anchors, scores;  // float inputs
  std::vector<uint8_t> qencodings, qanchors, qscores;  // uint8 inputs
  int32_t zp[3] = {};
  float scale[3] = {};
};

struct Outputs {
  std::vector<float> boxes, classes, scores;
  float count = -1;
  void Resize(size_t k) {
    boxes.assign(4 * k, -7);
    classes.assign(k, -7);
    scores.assign(k, -7);
  }
};

std::vector<float> Dequantized(const std::vector<uint8_t>& q, int32_t zp, float scale) {
  std::vector<float> f(q.size());
  for (size_t i = 0; i < q.size(); ++i) {
    f[i] = kernels::DequantizeDetectionInput(q[i], static_cast<float>(zp), scale);
  }
  return f;
}

// What the runtime's reference path does: float copies, decode all, then NMS.
Outputs RunReference(const Case& c) {
  std::vector<float> e = c.encodings, a = c.anchors, s = c.scores;
  if (c.uint8_inputs) {
    e = Dequantized(c.qencodings, c.zp[0], c.scale[0]);
    s = Dequantized(c.qscores, c.zp[1], c.scale[1]);
    a = Dequantized(c.qanchors, c.zp[2], c.scale[2]);
  }
  std::vector<kernels::BoxCorners> boxes;
  kernels::DecodeCenterSizeBoxes(e.data(), a.data(), c.num_boxes, c.p, &boxes);
  Outputs o;
  o.Resize(static_cast<size_t>(c.p.max_detections * c.p.max_classes_per_detection));
  kernels::DetectionPostProcess(boxes, s.data(), c.num_classes_with_background, c.p,
                                o.boxes.data(), o.classes.data(), o.scores.data(), &o.count);
  return o;
}

Outputs RunOptimized(const Case& c, kernels::optimized::DetectionPostProcessor* pp) {
  float tables[3][256];
  DetectionRows rows[3];
  const int strides[3] = {4, c.num_classes_with_background, 4};
  const std::vector<float>* f[3] = {&c.encodings, &c.scores, &c.anchors};
  const std::vector<uint8_t>* q[3] = {&c.qencodings, &c.qscores, &c.qanchors};
  for (int i = 0; i < 3; ++i) {
    rows[i].stride = strides[i];
    if (c.uint8_inputs) {
      rows[i].table_increasing =
          kernels::optimized::FillDetectionTable(c.zp[i], c.scale[i], tables[i]);
      rows[i].q = q[i]->data();
      rows[i].table = tables[i];
    } else {
      rows[i].f = f[i]->data();
    }
  }
  Outputs o;
  o.Resize(static_cast<size_t>(c.p.max_detections * c.p.max_classes_per_detection));
  pp->Run(rows[0], rows[1], rows[2], c.num_boxes, c.num_classes_with_background, c.p,
          o.boxes.data(), o.classes.data(), o.scores.data(), &o.count);
  return o;
}

bool SameBits(const std::vector<float>& a, const std::vector<float>& b) {
  // memcmp may not be given the null data() of an empty vector (UBSan).
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

// Boxes on a coarse grid (so many overlap), some empty; scores of `kind`.
Case RandomCase(std::mt19937& rng, ScoreKind kind, bool uint8_inputs, bool regular, int num_boxes,
                int num_classes, int max_detections) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Case c;
  c.num_boxes = num_boxes;
  c.num_classes_with_background = num_classes + pick(0, 1);
  c.uint8_inputs = uint8_inputs;
  c.p.num_classes = num_classes;
  c.p.max_detections = max_detections;
  c.p.max_classes_per_detection = pick(1, 3);
  c.p.detections_per_class = pick(0, 8);
  c.p.use_regular_nms = regular;
  const float ious[] = {0.0f, 0.3f, 0.5f, 0.6f, 1.0f};
  c.p.nms_iou_threshold = ious[pick(0, 4)];
  c.p.y_scale = c.p.x_scale = 10;
  c.p.h_scale = c.p.w_scale = 5;
  const size_t n = static_cast<size_t>(num_boxes);
  const size_t ns = n * static_cast<size_t>(c.num_classes_with_background);
  // Score levels: few values give the ties quantized scores have.
  std::vector<int> levels;
  auto level = [&] {
    return levels[static_cast<size_t>(pick(0, static_cast<int>(levels.size()) - 1))];
  };
  switch (kind) {
    case ScoreKind::kRandom: for (int l = 0; l < 256; ++l) levels.push_back(l); break;
    case ScoreKind::kFewLevels: levels = {0, 64, 128, 192, 255}; break;
    case ScoreKind::kAllEqual: levels = {200}; break;
    case ScoreKind::kSignedZeros: levels = {0, 128}; break;
    case ScoreKind::kBelowThreshold: levels = {0, 100, 255}; break;
  }
  const float thresholds[] = {0.0f, 1e-8f, 0.3f, 0.5f, 0.75f};
  c.p.nms_score_threshold = kind == ScoreKind::kBelowThreshold ? 2.0f : thresholds[pick(0, 4)];
  if (uint8_inputs) {
    c.zp[0] = 128, c.scale[0] = 0.05f;  // encodings in about [-6.4, 6.4]
    c.zp[1] = 0, c.scale[1] = 1.0f / 255;
    c.zp[2] = 0, c.scale[2] = 1.0f / 255;  // anchors in [0, 1]
    if (kind == ScoreKind::kSignedZeros) c.zp[1] = 128, c.scale[1] = 0.0f;  // all +-0
    if (kind == ScoreKind::kRandom && pick(0, 3) == 0) c.zp[1] = 255, c.scale[1] = -1.0f / 255;
    for (size_t i = 0; i < 4 * n; ++i) c.qencodings.push_back(static_cast<uint8_t>(pick(88, 168)));
    for (size_t i = 0; i < n; ++i) {
      for (int k = 0; k < 2; ++k) c.qanchors.push_back(static_cast<uint8_t>(25 * pick(1, 8)));
      for (int k = 0; k < 2; ++k) c.qanchors.push_back(static_cast<uint8_t>(25 * pick(0, 3)));
    }
    for (size_t i = 0; i < ns; ++i) {
      c.qscores.push_back(static_cast<uint8_t>(level()));
    }
    return c;
  }
  for (size_t i = 0; i < 4 * n; ++i) c.encodings.push_back(0.25f * static_cast<float>(pick(-8, 8)));
  for (size_t i = 0; i < n; ++i) {
    for (int k = 0; k < 2; ++k) c.anchors.push_back(0.1f * static_cast<float>(pick(1, 8)));
    for (int k = 0; k < 2; ++k) c.anchors.push_back(0.1f * static_cast<float>(pick(0, 3)));
  }
  for (size_t i = 0; i < ns; ++i) {
    const int l = level();
    float v = static_cast<float>(l) / 255.0f;
    if (kind == ScoreKind::kSignedZeros) v = l == 0 ? 0.0f : -0.0f;
    c.scores.push_back(v);
  }
  return c;
}

// Runs both kernels and expects identical bits; returns the count.
float ExpectSame(const Case& c, kernels::optimized::DetectionPostProcessor* pp,
                 const std::string& what) {
  const Outputs want = RunReference(c);
  const Outputs got = RunOptimized(c, pp);
  EXPECT_EQ(std::memcmp(&got.count, &want.count, sizeof(float)), 0)
      << what << ": count " << got.count << " vs " << want.count;
  EXPECT_TRUE(SameBits(got.classes, want.classes)) << what << ": classes";
  EXPECT_TRUE(SameBits(got.scores, want.scores)) << what << ": scores";
  EXPECT_TRUE(SameBits(got.boxes, want.boxes)) << what << ": boxes";
  return want.count;
}

// Many small random cases of every score kind, both input types, both modes.
void RandomCases(uint32_t seed) {
  std::mt19937 rng(seed);
  kernels::optimized::DetectionPostProcessor pp;  // reused: scratch must not leak between runs
  int none = 0, fewer = 0, full = 0;
  const ScoreKind kinds[] = {ScoreKind::kRandom, ScoreKind::kFewLevels, ScoreKind::kAllEqual,
                             ScoreKind::kSignedZeros, ScoreKind::kBelowThreshold};
  for (ScoreKind kind : kinds) {
    for (bool uint8_inputs : {false, true}) {
      for (bool regular : {false, true}) {
        for (int iter = 0; iter < 60; ++iter) {
          const int boxes = iter % 10 == 0 ? iter / 10 : 1 + static_cast<int>(rng() % 150);
          const Case c = RandomCase(rng, kind, uint8_inputs, regular, boxes,
                                    1 + static_cast<int>(rng() % 8), static_cast<int>(rng() % 16));
          const std::string what = "kind " + std::to_string(static_cast<int>(kind)) +
                                   (uint8_inputs ? " uint8" : " float") +
                                   (regular ? " regular" : " fast") + " iter " +
                                   std::to_string(iter);
          const float count = ExpectSame(c, &pp, what);
          if (::testing::Test::HasFailure()) return;
          none += count == 0;
          fewer += count > 0 && count < static_cast<float>(c.p.max_detections);
          full += count > 0 && count == static_cast<float>(c.p.max_detections);
        }
      }
    }
  }
  // The cases reach every regime.
  EXPECT_GT(none, 20);
  EXPECT_GT(fewer, 20);
  EXPECT_GT(full, 20);
}

TEST(DetectionPostProcessOptimized, MatchesReferenceOnRandomInputs) { RandomCases(12); }

// DETLITE_ISA=reference: the portable IoU loop instead of SSE2.
TEST(DetectionPostProcessOptimized, PortablePathMatchesReferenceOnRandomInputs) {
  kernels::optimized::ScopedIsa portable(kernels::optimized::Isa::kReference);
  RandomCases(13);
}

// SSDLite's shape: 1917 anchors, 90 classes plus background, 100 detections.
TEST(DetectionPostProcessOptimized, MatchesReferenceAtSsdliteSize) {
  std::mt19937 rng(1917);
  kernels::optimized::DetectionPostProcessor pp;
  for (ScoreKind kind : {ScoreKind::kRandom, ScoreKind::kFewLevels}) {
    for (bool uint8_inputs : {false, true}) {
      for (bool regular : {false, true}) {
        Case c = RandomCase(rng, kind, uint8_inputs, regular, 1917, 90, 100);
        c.p.detections_per_class = 100;
        c.p.max_classes_per_detection = 1;
        c.p.nms_score_threshold = 1e-8f;
        c.p.nms_iou_threshold = 0.6f;
        const float count = ExpectSame(c, &pp, std::string(uint8_inputs ? "uint8" : "float") +
                                                   (regular ? " regular" : " fast"));
        EXPECT_GT(count, 0);
      }
    }
  }
}

}  // namespace
}  // namespace detlite
