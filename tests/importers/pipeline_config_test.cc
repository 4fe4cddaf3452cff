// The pipeline.config reader on every real Object Detection API config in
// ../shared/data/tf, the values it reads, and what it does with broken text.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "importers/odapi/pipeline_config.h"
#include "support/paths.h"

namespace detlite::odapi {
namespace {

PipelineConfig Read(const std::string& rel) {
  auto c = ReadPipelineConfig(testing::DataPath(rel));
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : PipelineConfig{};
}

TEST(PipelineConfig, EveryRealConfigParsesAsAnSsd) {
  int n = 0;
  for (const auto& e :
       std::filesystem::directory_iterator(testing::DataPath("tf/od_api_configs"))) {
    if (e.path().extension() != ".config") continue;
    SCOPED_TRACE(e.path().string());
    auto c = ReadPipelineConfig(e.path().string());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_TRUE(c->has_ssd);
    EXPECT_GE(c->num_classes, 1);
    EXPECT_NE(c->anchor_scheme, ssd::AnchorScheme::kNone);
    EXPECT_TRUE(c->has_post_processing);
    EXPECT_EQ(c->score_converter, ssd::ScoreConverter::kSigmoid);
    EXPECT_EQ(c->nms.max_detections, 100);
    ++n;
  }
  EXPECT_EQ(n, 8);
}

TEST(PipelineConfig, SsdMobilenetV2Quantized300) {
  const PipelineConfig c = Read("tf/od_api_configs/ssd_mobilenet_v2_quantized_300x300_coco.config");
  EXPECT_EQ(c.num_classes, 90);
  EXPECT_TRUE(c.add_background_class);
  EXPECT_EQ(c.feature_extractor_type, "ssd_mobilenet_v2");
  EXPECT_EQ(c.image_resizer.kind, ResizerKind::kFixedShape);
  EXPECT_EQ(c.image_resizer.height, 300);
  EXPECT_EQ(c.image_resizer.width, 300);
  ASSERT_TRUE(c.has_box_coder);
  EXPECT_FLOAT_EQ(c.box_coder.y_scale, 10);
  EXPECT_FLOAT_EQ(c.box_coder.x_scale, 10);
  EXPECT_FLOAT_EQ(c.box_coder.h_scale, 5);
  EXPECT_FLOAT_EQ(c.box_coder.w_scale, 5);
  ASSERT_EQ(c.anchor_scheme, ssd::AnchorScheme::kSsd);
  EXPECT_EQ(c.ssd_anchors.num_layers, 6);
  EXPECT_FLOAT_EQ(c.ssd_anchors.min_scale, 0.2f);
  EXPECT_FLOAT_EQ(c.ssd_anchors.max_scale, 0.95f);
  EXPECT_EQ(c.ssd_anchors.aspect_ratios, (std::vector<float>{1.0f, 2.0f, 0.5f, 3.0f, 0.3333f}));
  EXPECT_TRUE(c.ssd_anchors.reduce_boxes_in_lowest_layer);
  EXPECT_FLOAT_EQ(c.ssd_anchors.interpolated_scale_aspect_ratio, 1.0f);
  EXPECT_FLOAT_EQ(c.nms.score_threshold, 1e-8f);
  EXPECT_FLOAT_EQ(c.nms.iou_threshold, 0.6f);
  EXPECT_EQ(c.nms.detections_per_class, 100);
}

TEST(PipelineConfig, FpnLiteUsesMultiscaleAnchors) {
  const PipelineConfig c =
      Read("tf/od_api_configs/ssd_mobilenet_v2_fpnlite_320x320_coco17_tpu-8.config");
  EXPECT_EQ(c.image_resizer.height, 320);
  ASSERT_EQ(c.anchor_scheme, ssd::AnchorScheme::kMultiscale);
  EXPECT_EQ(c.multiscale_anchors.min_level, 3);
  EXPECT_EQ(c.multiscale_anchors.max_level, 7);
  EXPECT_FLOAT_EQ(c.multiscale_anchors.anchor_scale, 4.0f);
  EXPECT_EQ(c.multiscale_anchors.scales_per_octave, 2);
  EXPECT_EQ(c.multiscale_anchors.aspect_ratios, (std::vector<float>{1.0f, 2.0f, 0.5f}));
  EXPECT_TRUE(c.multiscale_anchors.normalize_coordinates);
}

TEST(PipelineConfig, EfficientDetKeepsAspectRatioWithoutBackground) {
  const PipelineConfig c = Read("tf/od_api_configs/ssd_efficientdet_d0_512x512_coco17_tpu-8.config");
  EXPECT_FALSE(c.add_background_class);
  EXPECT_EQ(c.image_resizer.kind, ResizerKind::kKeepAspectRatio);
  EXPECT_EQ(c.image_resizer.min_dimension, 512);
  EXPECT_EQ(c.image_resizer.max_dimension, 512);
  EXPECT_TRUE(c.image_resizer.pad_to_max_dimension);
  EXPECT_EQ(c.multiscale_anchors.scales_per_octave, 3);
  EXPECT_FLOAT_EQ(c.nms.iou_threshold, 0.5f);
}

TEST(PipelineConfig, ExplicitStridesAndOffsets) {
  const PipelineConfig face =
      Read("tf/od_api_configs/facessd_mobilenet_v2_quantized_320x320_open_image_v4.config");
  EXPECT_EQ(face.num_classes, 1);
  EXPECT_EQ(face.ssd_anchors.height_stride, (std::vector<int>{16, 32, 64, 128, 256, 512}));
  EXPECT_EQ(face.ssd_anchors.width_stride, face.ssd_anchors.height_stride);
  const PipelineConfig fpp = Read("tf/od_api_configs/ssd_mobilenet_v1_fpp.config");
  EXPECT_EQ(fpp.num_classes, 2);
  EXPECT_EQ(fpp.image_resizer.kind, ResizerKind::kKeepAspectRatio);
  EXPECT_EQ(fpp.image_resizer.min_dimension, 320);
  EXPECT_EQ(fpp.image_resizer.max_dimension, 640);
  EXPECT_EQ(fpp.ssd_anchors.height_offset, (std::vector<int>(6, 0)));
}

TEST(PipelineConfig, SsdliteCheckpointConfig) {
  const PipelineConfig c = Read("tf/ssdlite_mobilenet_v2_0.5_320_no_weights/pipeline.config");
  EXPECT_EQ(c.num_classes, 90);
  EXPECT_EQ(c.image_resizer.height, 320);
  EXPECT_EQ(c.image_resizer.width, 320);
  EXPECT_NEAR(c.nms.iou_threshold, 0.6, 1e-6);
  EXPECT_NEAR(c.nms.score_threshold, 1e-8, 1e-12);
  EXPECT_EQ(c.anchor_scheme, ssd::AnchorScheme::kSsd);
}

TEST(PipelineConfig, BrokenTextNamesFileAndLine) {
  auto c = ParsePipelineConfig("model {\n  ssd {\n    num_classes: \"x\"\n  }\n}\n", "bad.config");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("bad.config"), std::string::npos);
  EXPECT_NE(c.status().message().find("3:"), std::string::npos) << c.status().message();
  EXPECT_FALSE(ParsePipelineConfig("model { ssd { ", "cut.config").ok());
  EXPECT_FALSE(ParsePipelineConfig("model { ssd { num_classes: -4 } }", "neg.config").ok());
  EXPECT_FALSE(ReadPipelineConfig(testing::DataPath("no/such.config")).ok());
}

TEST(PipelineConfig, UnknownFieldsAreSkippedAndNonSsdHasNoSsd) {
  auto c = ParsePipelineConfig(
      "model { faster_rcnn { num_classes: 3 first_stage_anchor_generator { "
      "grid_anchor_generator { scales: [0.5, 1.0] } } } }\ntrain_config { batch_size: 2 }",
      "frcnn.config");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_FALSE(c->has_ssd);
}

// model.ssd.matcher and .loss, as `train --loss ssd --pipeline-config` uses
// them: the SSDLite's (sigmoid, miner 3:1) and a TF2 focal config's.
TEST(PipelineConfig, TrainSettingsOfTheSsdliteAndAFocalConfig) {
  const PipelineConfig s = Read("tf/od_api_configs/ssdlite_mobilenet_v2_coco.config");
  EXPECT_TRUE(s.train.has_matcher);
  EXPECT_FLOAT_EQ(s.train.matched_threshold, 0.5f);
  EXPECT_FLOAT_EQ(s.train.unmatched_threshold, 0.5f);
  EXPECT_TRUE(s.train.force_match);
  EXPECT_TRUE(s.train.has_loss);
  EXPECT_EQ(s.train.classification, "sigmoid");
  EXPECT_EQ(s.train.localization, "smooth_l1");
  EXPECT_TRUE(s.train.hard_mining);
  EXPECT_EQ(s.train.num_hard_examples, 3000);
  EXPECT_FLOAT_EQ(s.train.mining_iou, 0.99f);
  EXPECT_EQ(s.train.max_negatives_per_positive, 3);
  EXPECT_EQ(s.train.min_negatives_per_image, 3);
  const PipelineConfig f = Read("tf/od_api_configs/ssd_mobilenet_v2_320x320_coco17_tpu-8.config");
  EXPECT_EQ(f.train.classification, "focal");
  EXPECT_FLOAT_EQ(f.train.focal_alpha, 0.75f);
  EXPECT_FLOAT_EQ(f.train.focal_gamma, 2.0f);
  EXPECT_FALSE(f.train.hard_mining);
  EXPECT_FLOAT_EQ(f.train.huber_delta, 1.0f);
}

TEST(PipelineConfig, TrainSettingsOutOfRangeAreRefused) {
  EXPECT_FALSE(ParsePipelineConfig("model { ssd { matcher { argmax_matcher { matched_threshold: 0.4 "
                                   "unmatched_threshold: 0.6 } } } }", "m.config").ok());
  auto c = ParsePipelineConfig("model { ssd { loss { localization_weight: -1 } } }", "w.config");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("w.config"), std::string::npos);
  auto b = ParsePipelineConfig(
      "model { ssd { loss { classification_loss { bootstrapped_sigmoid { } } } } }", "b.config");
  ASSERT_TRUE(b.ok()) << b.status().ToString();  // read; train refuses it, naming the loss
  EXPECT_EQ(b->train.classification, "bootstrapped_sigmoid");
}

}  // namespace
}  // namespace detlite::odapi
