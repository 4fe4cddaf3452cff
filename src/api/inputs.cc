// Public LoadInput / ReadNpy / WriteNpy over src/data.
#include "detlite/inputs.h"

#include <string>

#include "core/dtype.h"
#include "core/file_io.h"
#include "data/image.h"
#include "data/npy.h"
#include "data/preprocess.h"

namespace detlite {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

StatusOr<Preprocess> ResolvePreprocess(const PreprocessOptions& o, const TensorInfo& input,
                                       std::string* preset_used) {
  Preprocess pre;
  if (!o.mean.empty() || !o.stddev.empty()) {
    auto fill = [](const std::vector<float>& v, float dflt, std::array<float, 3>* out) -> bool {
      if (v.empty()) { out->fill(dflt); return true; }
      if (v.size() == 1) { out->fill(v[0]); return true; }
      if (v.size() == 3) { std::copy(v.begin(), v.end(), out->begin()); return true; }
      return false;
    };
    if (!fill(o.mean, 0.0f, &pre.mean) || !fill(o.stddev, 1.0f, &pre.stddev)) {
      return InvalidArgument("--mean and --std take 1 or 3 values");
    }
    for (float s : pre.stddev) {
      if (!(s != 0.0f)) return InvalidArgument("--std must not be 0");
    }
    *preset_used = "mean/std";
  } else {
    PreprocessPreset preset = o.preset;
    if (preset == PreprocessPreset::kAuto) {
      preset = input.dtype == "uint8" ? PreprocessPreset::kRaw : PreprocessPreset::kSigned;
    }
    ASSIGN_OR_RETURN(pre, PresetPreprocess(preset));
    *preset_used = NameOf(preset);
  }
  pre.bgr = o.bgr;
  pre.resize = o.resize;
  return pre;
}

RgbImage ToRgb(Image image) {
  RgbImage out;
  out.width = image.width;
  out.height = image.height;
  out.pixels = std::move(image.pixels);
  return out;
}

Image FromRgb(const RgbImage& image) {
  Image img;
  img.width = image.width;
  img.height = image.height;
  img.channels = 3;
  img.pixels = image.pixels;
  return img;
}

StatusOr<HostTensor> ImageTensor(const Image& image, const TensorInfo& input,
                                 const PreprocessOptions& options, const std::string& name,
                                 std::string* how) {
  HostTensor out;
  out.info = input;
  std::string preset;
  ASSIGN_OR_RETURN(Preprocess pre, ResolvePreprocess(options, input, &preset));
  DType dtype;
  if (!DTypeFromName(input.dtype, &dtype)) return InvalidArgument("unknown dtype " + input.dtype);
  QuantParams q;
  q.scale = input.quant.scale;
  q.zero_point = input.quant.zero_point;
  auto bytes = ImageToTensorBytes(image, Shape(input.shape), dtype, pre, q.scale.empty() ? nullptr : &q);
  if (!bytes.ok()) return name.empty() ? bytes.status() : bytes.status().WithContext(name);
  out.bytes = std::move(bytes).value();
  if (how) {
    *how = (name.empty() ? std::string() : name + ": ") + "image " +
           std::to_string(image.width) + "x" + std::to_string(image.height) +
           " -> " + std::to_string(input.shape[2]) + "x" + std::to_string(input.shape[1]) + " (" +
           std::string(NameOf(pre.resize)) + "), preset " + preset +
           (pre.bgr ? ", BGR" : ", RGB") + ", " + input.dtype;
  }
  return out;
}

}  // namespace

StatusOr<HostTensor> ReadNpy(const std::string& path) {
  ASSIGN_OR_RETURN(NpyArray a, ReadNpyFile(path));
  HostTensor t;
  t.info.name = path;
  t.info.dtype = std::string(DTypeName(a.dtype));
  t.info.shape = a.shape.dims();
  t.bytes = std::move(a.bytes);
  return t;
}

Status WriteNpy(const std::string& path, const HostTensor& tensor) {
  NpyArray a;
  if (!DTypeFromName(tensor.info.dtype, &a.dtype)) {
    return InvalidArgument(path + ": cannot store dtype " + tensor.info.dtype + " as .npy");
  }
  a.shape = Shape(tensor.info.shape);
  a.bytes = tensor.bytes;
  return WriteNpyFile(path, a);
}

StatusOr<HostTensor> LoadInput(const std::string& path, const TensorInfo& input,
                               const PreprocessOptions& options, std::string* how) {
  HostTensor out;
  out.info = input;
  if (EndsWith(path, ".npy")) {
    ASSIGN_OR_RETURN(HostTensor t, ReadNpy(path));
    if (t.info.dtype != input.dtype || t.info.shape != input.shape) {
      return InvalidArgument(path + ": array is " + t.info.dtype + Shape(t.info.shape).ToString() +
                             " but input '" + input.name + "' is " + input.dtype +
                             Shape(input.shape).ToString());
    }
    out.bytes = std::move(t.bytes);
    if (how) *how = path + ": .npy " + input.dtype + Shape(input.shape).ToString();
    return out;
  }
  if (input.shape.size() != 4) {
    return InvalidArgument(path + ": an image can feed only an NHWC input; '" + input.name +
                           "' has shape " + Shape(input.shape).ToString());
  }
  ASSIGN_OR_RETURN(Image image, DecodeImageFile(path));
  return ImageTensor(image, input, options, path, how);
}

StatusOr<RgbImage> ReadImage(const std::string& path) {
  ASSIGN_OR_RETURN(Image image, DecodeImageFile(path));
  return ToRgb(std::move(image));
}

StatusOr<RgbImage> DecodeImageBytes(const uint8_t* data, size_t size, const std::string& name) {
  ASSIGN_OR_RETURN(Image image, DecodeImage(data, size, name));
  return ToRgb(std::move(image));
}

Status WriteTextFileAtomic(const std::string& path, const std::string& text) {
  return WriteFileAtomic(path, std::string_view(text));
}

Status WritePng(const RgbImage& image, const std::string& path) {
  return WriteImagePng(FromRgb(image), path);
}

StatusOr<HostTensor> ImageToInput(const RgbImage& image, const TensorInfo& input,
                                  const PreprocessOptions& options, std::string* how) {
  if (input.shape.size() != 4) {
    return InvalidArgument("an image can feed only an NHWC input; '" + input.name +
                           "' has shape " + Shape(input.shape).ToString());
  }
  Image img = FromRgb(image);
  RETURN_IF_ERROR(ValidateImage(img));
  return ImageTensor(img, input, options, "", how);
}

}  // namespace detlite
