// Distillation's samples (api/train_distill_data.h) on real photos: without
// augmentations the photos as they are; with them, the photos first and
// then augmented copies that differ from their photo, come out the same
// for the same seed and differ for another seed.
#include "api/train_distill_data.h"
#include "api/train_run.h"

#include <gtest/gtest.h>

#include <set>

#include "support/photos.h"

namespace detlite::api {
namespace {

TensorInfo Input() {
  TensorInfo t;
  t.name = "image";
  t.dtype = "float32";
  t.shape = {1, 96, 96, 3};
  return t;
}

std::vector<uint8_t> Sample(const quant::SampleLoader& load, int v) {
  auto s = load(v);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  if (!s.ok() || s->size() != 1) return {};
  return (*s)[0];
}

TEST(DistillData, PhotosThenAugmentedCopiesDrawnFromTheSeed) {
  const std::string photos = detlite::testing::CalibrationFolder(true);
  if (photos.empty()) GTEST_SKIP() << "run scripts/setup.sh";
  auto set = CalibrationSet::Open(photos, 4);
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  const int n = static_cast<int>(set->size());
  ASSERT_EQ(n, 4);
  TrainOptions none;
  none.augment_flip = none.augment_crop = none.augment_color = false;
  int samples = 0;
  const quant::SampleLoader plain = DistillLoader(*set, Input(), none, &samples);
  EXPECT_EQ(samples, n);
  EXPECT_EQ(AugmentList(none), "");

  TrainOptions aug;  // flip and crop by default
  aug.seed = 5;
  const quant::SampleLoader a = DistillLoader(*set, Input(), aug, &samples);
  EXPECT_EQ(samples, kDistillCopies * n);
  EXPECT_EQ(AugmentList(aug), "flip,crop");
  TrainOptions other = aug;
  other.seed = 6;
  int other_samples = 0;
  const quant::SampleLoader b = DistillLoader(*set, Input(), other, &other_samples);
  std::set<std::vector<uint8_t>> distinct;
  int changed_by_seed = 0;
  for (int i = 0; i < n; ++i) {
    const std::vector<uint8_t> photo = Sample(plain, i);
    ASSERT_EQ(photo.size(), 96u * 96 * 3 * 4);
    EXPECT_EQ(Sample(a, i), photo) << "sample " << i << " is the photo itself";
    distinct.insert(photo);
    for (int k = 1; k < kDistillCopies; ++k) {
      const std::vector<uint8_t> copy = Sample(a, k * n + i);
      ASSERT_EQ(copy.size(), photo.size());
      EXPECT_EQ(Sample(a, k * n + i), copy) << "the same sample twice";
      distinct.insert(copy);
      changed_by_seed += Sample(b, k * n + i) != copy;
    }
  }
  // Crops keep 15% of photos whole and flips half, so a copy can equal
  // its photo; most may not.
  EXPECT_GE(distinct.size(), static_cast<size_t>(n + (kDistillCopies - 1) * n / 2));
  EXPECT_GE(changed_by_seed, (kDistillCopies - 1) * n / 2);
}

}  // namespace
}  // namespace detlite::api
