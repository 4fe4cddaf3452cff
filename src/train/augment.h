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
//    then the photo is left whole);
//  - color jitter (off by default): brightness shifted by up to
//    +-max_brightness of full scale, contrast and saturation scaled by
//    factors in [1 - max_scale, 1 + max_scale], in that order (the Object
//    Detection API's random_adjust_brightness / _contrast / _saturation,
//    whose defaults are 0.2 and [0.8, 1.25]); boxes do not move. Drawn after
//    the crop and flip, so turning it on keeps their draws.
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
  bool color = false;
  float max_brightness = 0.2f;  // of 255
  float max_scale = 0.2f;       // contrast and saturation
};

// `boxes` are normalized to `image`, before and after.
void Augment(const AugmentOptions& options, uint64_t seed, RgbImage* image,
             std::vector<GroundTruthBox>* boxes);

// The parts, for tests: mirror left-right; crop to the pixel window
// [x0, x0 + w) x [y0, y0 + h) (boxes whose centre leaves it dropped).
void FlipHorizontally(RgbImage* image, std::vector<GroundTruthBox>* boxes);
void Crop(int x0, int y0, int w, int h, RgbImage* image, std::vector<GroundTruthBox>* boxes);
// Adds `brightness` (of 255), scales contrast about the mean gray level and
// saturation about each pixel's gray value; results rounded and clamped.
void AdjustColor(float brightness, float contrast, float saturation, RgbImage* image);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_AUGMENT_H_
