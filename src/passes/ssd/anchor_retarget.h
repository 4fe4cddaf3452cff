// Moving a constant anchor tensor to new feature-map sizes when nothing but
// the anchors themselves says how they were made (a .tflite without its
// pipeline.config). Per layer, the scheme every SSD generator here follows
// (ssd_anchor_generator, MediaPipe's calculator; layout in anchors.h) is
//   ycenter(y, x, a) = (y + offset_y) / grid_height   (x alike)
//   height(a), width(a): the same in every cell, relative to the image.
// The scheme is read from the anchors, checked to reproduce every one of
// them, then evaluated on the new grid. Anchors that do not follow it are
// refused, never guessed at.
#ifndef DETLITE_PASSES_SSD_ANCHOR_RETARGET_H_
#define DETLITE_PASSES_SSD_ANCHOR_RETARGET_H_

#include <vector>

#include "detlite/status.h"
#include "passes/ssd/anchors.h"

namespace detlite::ssd {

struct AnchorLayer {
  FeatureMapSize grid;
  int per_cell = 0;  // anchors per grid cell
};

// Largest difference tolerated between an anchor and the inferred scheme's
// value for it (normalized coordinates; the exporters round in float32).
inline constexpr float kAnchorTolerance = 1e-5f;

// `anchors` laid out over `from` (layer by layer, y, x, anchor innermost);
// returns the same scheme over `to` (same layer count, same per_cell). Each
// anchor type's offsets and size are the mean over the layer's cells, so
// quantized anchors (tolerance = one quantization step) are read well.
StatusOr<std::vector<Anchor>> RetargetAnchors(const std::vector<Anchor>& anchors,
                                              const std::vector<AnchorLayer>& from,
                                              const std::vector<FeatureMapSize>& to,
                                              float tolerance = kAnchorTolerance);

}  // namespace detlite::ssd

#endif  // DETLITE_PASSES_SSD_ANCHOR_RETARGET_H_
