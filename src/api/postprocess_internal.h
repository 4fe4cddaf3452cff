// Resolving AddPostprocess's anchors from a pipeline.config, flags and the
// model (split from postprocess.cc to keep each file about one decision).
#ifndef DETLITE_API_POSTPROCESS_INTERNAL_H_
#define DETLITE_API_POSTPROCESS_INTERNAL_H_

#include <optional>
#include <string>
#include <vector>

#include "detlite/postprocess.h"
#include "importers/odapi/pipeline_config.h"
#include "passes/add_detection_postprocess.h"

namespace detlite::api_internal {

struct ResolvedAnchors {
  std::vector<ssd::Anchor> anchors;
  std::string description;
  passes::BoxEncoding encoding = passes::BoxEncoding::kCenterSize;
  bool mediapipe = false;
  ssd::MediapipeAnchorSpec mediapipe_spec;  // when mediapipe
};

// `height` x `width` is the model's input; `num_boxes` its box tensor's N.
StatusOr<ResolvedAnchors> ResolveAnchors(const PostprocessOptions& o,
                                         const odapi::PipelineConfig* cfg, int height, int width,
                                         int64_t num_boxes, std::vector<std::string>* warnings);

}  // namespace detlite::api_internal

#endif  // DETLITE_API_POSTPROCESS_INTERNAL_H_
