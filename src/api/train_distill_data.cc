#include "api/train_distill_data.h"

#include <utility>
#include <vector>

#include "train/augment.h"

namespace detlite::api {

quant::SampleLoader DistillLoader(const CalibrationSet& set, const TensorInfo& input,
                                  const TrainOptions& options, int* samples) {
  const quant::SampleLoader plain = set.Loader(input, options.preprocess);
  const int n = static_cast<int>(set.size());
  const bool augment = options.augment_flip || options.augment_crop || options.augment_color;
  *samples = augment ? kDistillCopies * n : n;
  if (!augment) return plain;
  train::AugmentOptions a;
  a.flip = options.augment_flip;
  a.crop = options.augment_crop;
  a.color = options.augment_color;
  return [&set, input, a, n, plain, seed = options.seed,
          preprocess = options.preprocess](int v) -> StatusOr<std::vector<std::vector<uint8_t>>> {
    const int i = v % n;
    if (v < n) return plain(i);
    StatusOr<RgbImage> img = set.Image(static_cast<size_t>(i));
    if (img.status().code() == StatusCode::kNotFound) return plain(i);
    if (!img.ok()) return img.status();
    std::vector<train::GroundTruthBox> no_boxes;
    train::Augment(a, seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(v), &*img, &no_boxes);
    auto t = ImageToInput(*img, input, preprocess, nullptr);
    if (!t.ok()) return t.status().WithContext("training photo " + set.name(static_cast<size_t>(i)));
    return std::vector<std::vector<uint8_t>>{std::move(t->bytes)};
  };
}

}  // namespace detlite::api
