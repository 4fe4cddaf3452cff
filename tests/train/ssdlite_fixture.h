// The SSDLite MobileNetV2 COCO as `detlite convert model.json` writes it
// (post-processing added), shared by the fine-tuning tests; null when the
// model or the COCO train2017 photos are missing.
#ifndef DETLITE_TESTS_TRAIN_SSDLITE_FIXTURE_H_
#define DETLITE_TESTS_TRAIN_SSDLITE_FIXTURE_H_

#include <sys/stat.h>

#include <string>
#include <utility>

#include "detlite/import.h"
#include "detlite/model.h"
#include "detlite/postprocess.h"
#include "support/paths.h"

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

}  // namespace detlite::testing

#endif  // DETLITE_TESTS_TRAIN_SSDLITE_FIXTURE_H_
