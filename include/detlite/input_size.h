// Re-targeting a detector to a new fixed input size (`detlite convert
// --input-size HxW`): every shape inferred again, SSD anchors moved to the
// new feature maps (the post-processing op's own, or an imported SSD's),
// weights unchanged. At the model's own size the model is left as it is.
//
//   ASSIGN_OR_RETURN(detlite::InputSize size, detlite::ParseInputSize("256x256"));
//   ASSIGN_OR_RETURN(detlite::InputSizeReport r, detlite::SetInputSize(model, size));
#ifndef DETLITE_INPUT_SIZE_H_
#define DETLITE_INPUT_SIZE_H_

#include <string>
#include <vector>

#include "detlite/model.h"
#include "detlite/status.h"

namespace detlite {

struct InputSize {
  int height = 0;  // 0: the model's own
  int width = 0;
  bool given() const { return height > 0 && width > 0; }
  std::string ToString() const;  // "HxW"
};

// "HxW" (e.g. "320x320"), or "N" for NxN; sizes 1..16384.
StatusOr<InputSize> ParseInputSize(const std::string& text);

struct InputSizeReport {
  int from_height = 0, from_width = 0;
  int height = 0, width = 0;
  bool changed = false;
  int anchors_before = 0, anchors_after = 0;  // the post-processing op's, if any
  std::vector<std::string> log;  // one line per decision
};

// The model's one image input [N,H,W,C] becomes [N,height,width,C]. Refused
// (InvalidArgument naming the op) where the graph cannot follow: a
// FULLY_CONNECTED over spatial features, a fixed RESHAPE / SLICE that
// depends on H and W, anchors that follow no grid scheme, ...
StatusOr<InputSizeReport> SetInputSize(Model& model, InputSize size);

}  // namespace detlite

#endif  // DETLITE_INPUT_SIZE_H_
