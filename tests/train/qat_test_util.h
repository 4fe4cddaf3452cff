// Shared set-up of the QAT tests: BlazeFace short range with its float16
// weights folded to float32, 8 photos of people as calibration and training
// data (the int8 converter's test calibration set) and two held-back photos,
// calibrated once as the int8 converter calibrates.
#ifndef DETLITE_TESTS_TRAIN_QAT_TEST_UTIL_H_
#define DETLITE_TESTS_TRAIN_QAT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <cstring>
#include <algorithm>
#include <filesystem>
#include <memory>
#include <map>
#include <string>
#include <vector>

#include "data/image.h"
#include "data/preprocess.h"
#include "detlite/model.h"
#include "quant/calibrate.h"
#include "quant/fold_float_weights.h"
#include "support/paths.h"
#include "support/photos.h"
#include "train/qat.h"

namespace detlite::train::testing {

struct QatFixture {
  ir::Model model;  // float32 weights
  std::vector<std::vector<float>> photos;  // calibration and training
  std::vector<std::vector<float>> held;    // face.jpg, pets.jpg
  std::map<int32_t, quant::Observer> observers;
};

inline std::vector<float> PhotoFile(const std::string& path, const Shape& shape) {
  auto photo = DecodeImageFile(path);
  EXPECT_TRUE(photo.ok()) << photo.status().ToString();
  if (!photo.ok()) return {};
  Preprocess pre;
  pre.mean = {127.5f, 127.5f, 127.5f};
  pre.stddev = {127.5f, 127.5f, 127.5f};
  auto bytes = ImageToTensorBytes(*photo, shape, DType::kFloat32, pre, nullptr);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  if (!bytes.ok()) return {};
  std::vector<float> v(bytes->size() / sizeof(float));
  std::memcpy(v.data(), bytes->data(), bytes->size());
  return v;
}

inline quant::SampleLoader LoaderOf(const std::vector<std::vector<float>>& images) {
  return [&images](int i) -> StatusOr<std::vector<std::vector<uint8_t>>> {
    const auto& v = images[static_cast<size_t>(i)];
    std::vector<uint8_t> b(v.size() * sizeof(float));
    std::memcpy(b.data(), v.data(), b.size());
    return std::vector<std::vector<uint8_t>>{std::move(b)};
  };
}

// Null (with the reason in *why) when the data or photos are missing.
inline const QatFixture* BlazeFaceFixture(std::string* why) {
  static QatFixture* fixture = [&]() -> QatFixture* {
    const std::string folder = detlite::testing::CalibrationFolder(true);
    if (folder.empty()) return nullptr;
    auto loaded = Model::Load(detlite::testing::DataPath("tflite/face_detection_short_range.tflite"));
    if (!loaded.ok()) return nullptr;
    auto* f = new QatFixture;
    f->model = loaded->ir();
    int folded = 0;
    if (!quant::FoldFloatWeights(f->model, &folded).ok()) return nullptr;
    const ir::Subgraph& sg = f->model.subgraphs[0];
    const Shape shape = sg.tensors[static_cast<size_t>(sg.inputs[0])].shape;
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(folder)) files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    for (const std::string& file : files) f->photos.push_back(PhotoFile(file, shape));
    for (const char* name : {"face.jpg", "pets.jpg"}) {
      f->held.push_back(PhotoFile(detlite::testing::DataPath(std::string("images/") + name), shape));
    }
    quant::CalibrationOptions copts;
    copts.threads = 1;
    copts.histograms = true;  // the default method, mse
    auto obs = quant::Calibrate(f->model, static_cast<int>(f->photos.size()), LoaderOf(f->photos), copts);
    if (!obs.ok()) return nullptr;
    f->observers = std::move(*obs);
    return f;
  }();
  if (fixture == nullptr) *why = "BlazeFace or the photos of people are missing (run scripts/setup.sh)";
  return fixture;
}

// Short-run options: a high learning rate and range tracking, so weights
// and ranges move visibly in a few steps.
inline QatOptions ShortRun() {
  QatOptions o;
  o.steps = 4;
  o.batch = 4;
  o.lr = 1e-4f;
  o.range_momentum = 0.1f;
  return o;
}

// A session trained for `steps` steps on the fixture's photos, in order.
inline std::unique_ptr<QatSession> Trained(const QatFixture& f, const QatOptions& o, int steps) {
  auto s = QatSession::Create(f.model, f.observers, o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  if (!s.ok()) return nullptr;
  for (int k = 0; k < steps; ++k) {
    std::vector<std::vector<float>> batch;
    for (int b = 0; b < o.batch; ++b) batch.push_back(f.photos[static_cast<size_t>((k * o.batch + b) % 8)]);
    auto step = (*s)->Step(batch, {});
    EXPECT_TRUE(step.ok()) << step.status().ToString();
  }
  return std::move(*s);
}


}  // namespace detlite::train::testing

#endif  // DETLITE_TESTS_TRAIN_QAT_TEST_UTIL_H_
