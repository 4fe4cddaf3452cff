// Augmentations for detection training (issue 13, item 4), applied to the
// decoded photo and its boxes before preprocessing:
//  - random horizontal flip (probability 0.5), boxes mirrored;
//  - random crop that keeps boxes, after the Object Detection API's
//    ssd_random_crop in spirit (a simplified version, not its exact
//    sampler): with probability `keep_probability` the photo is left whole;
//    otherwise a window of area fraction [min_area, 1] and aspect ratio
//    [min_aspect, max_aspect] is drawn, boxes whose centre leaves it are
//    dropped and the others clipped to it; a window that would drop every
//    box of a photo that had some is drawn again (at most `attempts` times,
//    then the photo is left whole).
// Everything is drawn from a std::mt19937_64 seeded with `seed` in a fixed
// order, so the same seed gives the same pixels and boxes bit for bit.
#ifndef DETLITE_TRAIN_AUGMENT_H_
#define DETLITE_TRAIN_AUGMENT_H_

#include <cstdint>
#include <vector>

#include "detlite/inputs.h"
#include "train/ssd_match.h"

namespace detlite::train {

struct AugmentOptions {
  bool flip = true;
  bool crop = true;
  float keep_probability = 0.15f;  // ssd_random_crop's random_coef
  float min_area = 0.1f;
  float min_aspect = 0.5f, max_aspect = 2.0f;
  int attempts = 50;
};

// `boxes` are normalized to `image`, before and after.
void Augment(const AugmentOptions& options, uint64_t seed, RgbImage* image,
             std::vector<GroundTruthBox>* boxes);

// The parts, for tests: mirror left-right; crop to the pixel window
// [x0, x0 + w) x [y0, y0 + h) (boxes whose centre leaves it dropped).
void FlipHorizontally(RgbImage* image, std::vector<GroundTruthBox>* boxes);
void Crop(int x0, int y0, int w, int h, RgbImage* image, std::vector<GroundTruthBox>* boxes);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_AUGMENT_H_
