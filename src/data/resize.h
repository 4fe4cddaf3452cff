// Image resizing for model inputs. Two kinds of "bilinear", because the two
// tool chains that make reference outputs disagree:
//  - kAntialias, PIL's Image.resize(size, BILINEAR): a triangle filter whose
//    support widens with the downscale factor, so shrinking averages over
//    every covered source pixel. Separable, horizontal pass first, each pass
//    rounded to 8 bits as PIL does. The default: the project's reference
//    detections (docs PITFALLS.md) were made with it.
//  - kTfBilinear, tf.image.resize(method="bilinear", antialias=False): the
//    2x2 neighbours of each half-pixel-centred sample point, interpolated in
//    float and rounded once.
#ifndef DETLITE_DATA_RESIZE_H_
#define DETLITE_DATA_RESIZE_H_

#include <string_view>

#include "data/image.h"
#include "detlite/settings.h"
#include "detlite/status.h"

namespace detlite {

// ResizeMethod is in detlite/settings.h.

// Resizes to width x height (both > 0) keeping the channel count. An invalid
// source (see ValidateImage) or size gives an empty Image (width 0).
Image ResizeBilinear(const Image& src, int width, int height,
                     ResizeMethod method = ResizeMethod::kAntialias);

}  // namespace detlite

#endif  // DETLITE_DATA_RESIZE_H_
