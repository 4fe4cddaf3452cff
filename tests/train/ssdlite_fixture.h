// The SSDLite MobileNetV2 COCO as `detlite convert model.json` writes it
// (post-processing added), shared by the fine-tuning tests; null when the
// model or the COCO train2017 photos are missing. And a labelled photo of
// a COCO dataset as those tests train on it.
#ifndef DETLITE_TESTS_TRAIN_SSDLITE_FIXTURE_H_
#define DETLITE_TESTS_TRAIN_SSDLITE_FIXTURE_H_

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstring>
#include <string>
#include <utility>

#include "detlite/dataset.h"
#include "detlite/import.h"
#include "detlite/inputs.h"
#include "detlite/model.h"
#include "detlite/postprocess.h"
#include "support/paths.h"
#include "train/ssd_sample.h"

namespace detlite::testing {

inline const char kCocoTrain[] = "datasets/coco_train2017_288";
inline const char kCocoVal[] = "datasets/coco_val2017_158";

inline bool PathExists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

inline const Model* SsdliteFixture() {
  static Model* model = []() -> Model* {
    const std::string src = DataPath("tf/tfjs/ssdlite_mobilenet_v2_coco/model.json");
    if (!PathExists(src) || !PathExists(DataPath(kCocoTrain))) return nullptr;
    ImportReport report;
    auto m = ImportModel(src, {}, &report);
    if (!m.ok()) return nullptr;
    PostprocessOptions pp;
    pp.anchor_values = report.ssd.anchors;
    pp.box_scales = report.ssd.box_scales;
    pp.score_converter = report.ssd.score_converter;
    if (!AddPostprocess(*m, pp).ok()) return nullptr;
    return new Model(std::move(*m));
  }();
  return model;
}

// Photo i of a COCO dataset, preprocessed for `input`, with its non-crowd
// boxes in the model's columns (COCO id k = column k: label offset 1, as
// `detlite eval` maps them), as the SSD-loss tests train on it.
inline train::SsdSample SsdSampleOf(const Dataset& ds, size_t i, const TensorInfo& input) {
  train::SsdSample s;
  auto img = LoadSampleImage(ds.samples[i]);
  EXPECT_TRUE(img.ok()) << img.status().ToString();
  if (!img.ok()) return s;
  for (const BoxAnnotation& b : ds.samples[i].boxes) {
    if (b.iscrowd) continue;
    s.boxes.push_back({b.ymin / img->height, b.xmin / img->width, b.ymax / img->height,
                       b.xmax / img->width, b.category_id});
  }
  auto t = ImageToInput(*img, input, {});
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  if (!t.ok()) return s;
  s.input.resize(t->bytes.size() / 4);
  std::memcpy(s.input.data(), t->bytes.data(), t->bytes.size());
  s.name = ds.samples[i].file_name;
  return s;
}

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_TRAIN_SSDLITE_FIXTURE_H_
