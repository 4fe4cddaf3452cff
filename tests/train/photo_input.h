// A real photo (.deps/photos/astronaut.png) as a float NHWC input scaled to
// [-1, 1], the range both model tests' detectors expect.
#ifndef DETLITE_TESTS_TRAIN_PHOTO_INPUT_H_
#define DETLITE_TESTS_TRAIN_PHOTO_INPUT_H_

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "data/image.h"
#include "data/preprocess.h"
#include "support/paths.h"

namespace detlite::train::testing {

inline void PhotoInput(const Shape& shape, std::vector<float>* out) {
  auto photo = DecodeImageFile(detlite::testing::DepsDir() + "/photos/astronaut.png");
  ASSERT_TRUE(photo.ok()) << photo.status().ToString();
  Preprocess pre;
  pre.mean = {127.5f, 127.5f, 127.5f};
  pre.stddev = {127.5f, 127.5f, 127.5f};
  auto bytes = ImageToTensorBytes(*photo, shape, DType::kFloat32, pre, nullptr);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  out->resize(bytes->size() / sizeof(float));
  std::memcpy(out->data(), bytes->data(), bytes->size());
}

}  // namespace detlite::train::testing

#endif  // DETLITE_TESTS_TRAIN_PHOTO_INPUT_H_
