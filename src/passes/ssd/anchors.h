// Anchor generators, each reproducing its source's layout exactly: anchors
// run over feature-map rows (y), then columns (x), then anchor type
// innermost, and layers are concatenated finest first.
//  - Object Detection API ssd_anchor_generator and multiscale_anchor_generator
//    (research/object_detection/anchor_generators/*.py), computed in float32
//    in the same order of operations as TensorFlow so the values match an
//    exported model's anchors;
//  - MediaPipe's SsdAnchorsCalculator (BlazeFace, BlazePalm).
#ifndef DETLITE_PASSES_SSD_ANCHORS_H_
#define DETLITE_PASSES_SSD_ANCHORS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "detlite/status.h"
#include "passes/ssd/ssd_spec.h"

namespace detlite::ssd {

struct FeatureMapSize {
  int height = 0;
  int width = 0;
};

// Anchors per location of each layer.
std::vector<int> SsdAnchorsPerLocation(const SsdAnchorSpec& spec);

// The feature-map sizes of an SSD with a `image_height` x `image_width`
// input: a chain of SAME-padded stride-2 layers (each ceil(previous / 2))
// whose first layer is at stride 16 (MobileNet SSDs); strides 8 and 32 are
// tried too. The one whose anchor total equals `num_boxes` wins; none is
// InvalidArgument giving both counts.
StatusOr<std::vector<FeatureMapSize>> InferSsdFeatureMaps(const SsdAnchorSpec& spec,
                                                          int image_height, int image_width,
                                                          int64_t num_boxes);

StatusOr<std::vector<Anchor>> GenerateSsdAnchors(const SsdAnchorSpec& spec,
                                                 const std::vector<FeatureMapSize>& maps,
                                                 int image_height, int image_width);

// Feature maps at strides 2^min_level .. 2^max_level (ceil-halving chain).
StatusOr<std::vector<Anchor>> GenerateMultiscaleAnchors(const MultiscaleAnchorSpec& spec,
                                                        int image_height, int image_width);

StatusOr<std::vector<Anchor>> GenerateMediapipeAnchors(const MediapipeAnchorSpec& spec);

// MediaPipe's published options: face_detection_short_range (128x128, 896
// anchors), face_detection_full_range (192x192, 2304), palm_detection_lite
// (192x192, 2016).
MediapipeAnchorSpec BlazeFaceShortRangeAnchors();
MediapipeAnchorSpec BlazeFaceFullRangeAnchors();
MediapipeAnchorSpec BlazePalmAnchors();

// ceil(size / 2^halvings) as a chain of SAME-padded stride-2 layers.
int CeilHalvings(int size, int halvings);

}  // namespace detlite::ssd

#endif  // DETLITE_PASSES_SSD_ANCHORS_H_
