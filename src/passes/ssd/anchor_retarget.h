// Moving a constant anchor tensor to new feature-map sizes when nothing but
// the anchors themselves says how they were made (a .tflite without its
// pipeline.config). Per layer, the generators here (ssd_anchor_generator,
// multiscale_anchor_generator, MediaPipe's calculator; layout in anchors.h)
// all place
//   ycenter(y, x, a) = (y + offset_y(a)) * stride_y      (x alike)
//   height(a), width(a): the same in every cell.
// The scheme is read from the anchors (medians over the cells) and checked
// to reproduce every one of them; anchors that do not follow it are refused,
// never guessed at. How it moves to a new input size is read too:
//  - grid-relative (ssd_anchor_generator, MediaPipe): stride = 1 / grid on
//    every layer and sizes relative to the image: stride' = 1 / new grid,
//    sizes kept;
//  - pixel-relative (multiscale / FPN): a stride that is not 1 / grid on
//    some layer (a grid rounded up), or sizes that are the same number of
//    cells on every layer: strides and sizes kept in input pixels.
#ifndef DETLITE_PASSES_SSD_ANCHOR_RETARGET_H_
#define DETLITE_PASSES_SSD_ANCHOR_RETARGET_H_

#include <string>
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

struct RetargetRequest {
  std::vector<AnchorLayer> from;      // the anchors' layers, in order
  std::vector<FeatureMapSize> to;     // the same layers at the new size
  FeatureMapSize image_from, image_to;  // input sizes, pixels
  float tolerance = kAnchorTolerance;   // one quantization step for 8-bit anchors
};

// `anchors` laid out over `from` (layer by layer, y, x, anchor innermost);
// returns the same scheme over `to`. *scheme says which one was read.
StatusOr<std::vector<Anchor>> RetargetAnchors(const std::vector<Anchor>& anchors,
                                              const RetargetRequest& request,
                                              std::string* scheme = nullptr);

}  // namespace detlite::ssd

#endif  // DETLITE_PASSES_SSD_ANCHOR_RETARGET_H_
