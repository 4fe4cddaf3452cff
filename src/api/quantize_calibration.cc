#include "api/quantize_calibration.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace detlite::api {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsSampleFile(const std::filesystem::path& p) {
  const std::string ext = Lower(p.extension().string());
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp" || ext == ".npy";
}

// A float32 calibration tensor must be finite and not constant: NaN or Inf
// poison every range it reaches, and a constant input calibrates nothing.
Status CheckCalibrationValues(const std::string& file, const std::vector<uint8_t>& bytes) {
  const size_t n = bytes.size() / sizeof(float);
  if (n == 0) return Status::Ok();
  float first = 0;
  bool varies = false;
  for (size_t k = 0; k < n; ++k) {
    float v;
    std::memcpy(&v, bytes.data() + k * sizeof(float), sizeof(float));
    if (!std::isfinite(v)) {
      return InvalidArgument(file + ": calibration value " + std::to_string(k) + " is " +
                             (std::isnan(v) ? "NaN" : "infinite") +
                             "; calibration data must be finite");
    }
    if (k == 0) first = v;
    varies = varies || v != first;
  }
  if (!varies && n > 1) {
    return InvalidArgument(file + ": every calibration value is " + std::to_string(first) +
                           "; a constant input calibrates nothing");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<CalibrationSet> CalibrationSet::Open(const std::string& path, int limit) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (path.empty()) return InvalidArgument("no calibration data given (--calibration-data PATH)");
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return NotFound(path + ": no such file or folder");
  CalibrationSet set;
  const std::string ext = Lower(fs::path(path).extension().string());
  const bool single_sample = !fs::is_directory(st) && IsSampleFile(path);
  if (!single_sample) {
    // A labelled dataset (or a folder of photos, which LoadDataset also
    // reads): its images, in its order.
    DatasetOptions o;
    o.max_samples = limit > 0 ? limit : -1;
    auto ds = LoadDataset(path, o);
    if (ds.ok() && ds->format != "folder") {
      for (const DatasetSample& s : ds->samples) set.names_.push_back(path + ": " + s.file_name);
      set.dataset_ = std::make_shared<const Dataset>(std::move(ds).value());
    } else if (!ds.ok() && !fs::is_directory(st)) {
      return ds.status();
    }
  }
  if (set.dataset_ == nullptr && fs::is_directory(st)) {
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec) && IsSampleFile(it->path())) set.names_.push_back(it->path().string());
    }
    if (ec) return IoError(path + ": cannot list the folder: " + ec.message());
    std::sort(set.names_.begin(), set.names_.end());
  } else if (set.dataset_ == nullptr) {
    set.names_.push_back(path);
  }
  if (set.names_.empty()) {
    return InvalidArgument(path + ": no calibration images (.jpg, .jpeg, .png, .bmp or .npy) in the folder");
  }
  if (limit > 0 && static_cast<int>(set.names_.size()) > limit) set.names_.resize(static_cast<size_t>(limit));
  return set;
}

StatusOr<std::vector<uint8_t>> CalibrationSet::Load(size_t i, const TensorInfo& input,
                                                    const PreprocessOptions& options,
                                                    std::string* how) const {
  const std::string& file = names_[i];
  if (dataset_ != nullptr) {
    ASSIGN_OR_RETURN(RgbImage img, LoadSampleImage(dataset_->samples[i]));
    auto t = ImageToInput(img, input, options, how);
    if (!t.ok()) return t.status().WithContext("calibration sample " + file);
    if (how) *how = file + ": " + *how;
    return std::move(t->bytes);
  }
  // LoadInput checks a .npy's dtype and shape (e.g. a wrong channel count)
  // against the input and names the file in its errors.
  auto t = LoadInput(file, input, options, how);
  if (!t.ok()) {
    const std::string& m = t.status().message();
    if (m.find(file) != std::string::npos) return t.status();
    return t.status().WithContext("calibration sample " + file);
  }
  if (t->info.dtype == "float32" && Lower(std::filesystem::path(file).extension().string()) == ".npy") {
    RETURN_IF_ERROR(CheckCalibrationValues(file, t->bytes));
  }
  return std::move(t->bytes);
}

StatusOr<RgbImage> CalibrationSet::Image(size_t i) const {
  if (dataset_ != nullptr) return LoadSampleImage(dataset_->samples[i]);
  const std::string& file = names_[i];
  if (Lower(std::filesystem::path(file).extension().string()) == ".npy") {
    return NotFound(file + ": a .npy sample is a model input, not a photo");
  }
  return ReadImage(file);
}

quant::SampleLoader CalibrationSet::Loader(const TensorInfo& input,
                                           const PreprocessOptions& options) const {
  return [this, input, options](int i) -> StatusOr<std::vector<std::vector<uint8_t>>> {
    std::string how;
    ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, Load(static_cast<size_t>(i), input, options, &how));
    return std::vector<std::vector<uint8_t>>{std::move(bytes)};
  };
}

}  // namespace detlite::api
