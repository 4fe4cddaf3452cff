#include "api/detection_yolo.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "core/dtype.h"
#include "ir/graph.h"
#include "core/fp16.h"

namespace detlite::api {
namespace {

// Largest |value| of a per-tensor constant, dequantized; -1 if its type or
// bytes do not allow reading it.
double ConstantMaxAbs(const ir::Tensor& t) {
  const int64_t n = t.shape.NumElements();
  if (n <= 0 || t.data == nullptr || t.sparsity || t.quant.per_axis()) return -1;
  const size_t size = DTypeSize(t.dtype);
  if (size == 0 || t.data->size() != static_cast<size_t>(n) * size) return -1;
  const float scale = t.quant.has_scale() ? t.quant.scale[0] : 1.0f;
  const int64_t zp = t.quant.zero_point.empty() ? 0 : t.quant.zero_point[0];
  const uint8_t* p = t.data->data();
  double best = 0;
  for (int64_t i = 0; i < n; ++i) {
    double v = 0;
    switch (t.dtype) {
      case DType::kFloat32: {
        float f;
        std::memcpy(&f, p + i * 4, 4);
        v = f;
        break;
      }
      case DType::kFloat16: {
        uint16_t h;
        std::memcpy(&h, p + i * 2, 2);
        v = HalfToFloat(h);
        break;
      }
      case DType::kInt8:
        v = scale * static_cast<double>(static_cast<int8_t>(p[i]) - zp);
        break;
      case DType::kUInt8:
        v = scale * static_cast<double>(static_cast<int64_t>(p[i]) - zp);
        break;
      default:
        return -1;
    }
    if (std::isfinite(v)) best = std::max(best, std::fabs(v));
  }
  return best;
}

// See the header: true for pixel boxes, false for normalized ones.
StatusOr<bool> PixelBoxes(const Model& model, const TensorInfo& output, int num_boxes,
                          const std::string& name) {
  double grid_max = -1;
  for (const ir::Tensor& t : model.ir().subgraphs.at(0).tensors) {
    const auto& d = t.shape.dims();
    if (t.data == nullptr || std::find(d.begin(), d.end(), num_boxes) == d.end()) continue;
    grid_max = std::max(grid_max, ConstantMaxAbs(t));
  }
  if (grid_max >= 0) return grid_max > 1.5;
  const QuantInfo& q = output.quant;
  if (!q.scale.empty() && (output.dtype == "int8" || output.dtype == "uint8")) {
    const double top = output.dtype == "int8" ? 127.0 : 255.0;
    const double zp = q.zero_point.empty() ? 0.0 : static_cast<double>(q.zero_point[0]);
    return (top - zp) * q.scale[0] > 1.5;
  }
  return InvalidArgument(name +
                         ": cannot tell whether the YOLO boxes are in pixels or normalized "
                         "(no anchor or stride constants with " +
                         std::to_string(num_boxes) + " entries, output not quantized)");
}

std::string ShapeString(const std::vector<int32_t>& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? "," : "") + std::to_string(s[i]);
  return out + "]";
}

struct Candidate {
  float x1, y1, x2, y2;  // normalized to the input
  float score;
  int cls;
};

float IoU(const Candidate& a, const Candidate& b) {
  const float iw = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
  const float ih = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0.0f;
  const float inter = iw * ih;
  const float uni = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return uni > 0 ? inter / uni : 0.0f;
}

}  // namespace

std::string YoloSpec::Describe() const {
  return std::string(layout == Layout::kV8 ? "YOLOv8/11 [1,4+C,N]" : "YOLOv5 [1,N,5+C]") +
         " raw output, " + std::to_string(num_boxes) + " boxes, " + std::to_string(num_classes) +
         " classes, boxes " + (pixel_boxes ? "in input pixels" : "normalized");
}

StatusOr<YoloSpec> RecognizeYolo(const Model& model, const TensorInfo& info,
                                 const TensorInfo& input, const std::string& name) {
  const std::vector<int32_t>& s = info.shape;
  YoloSpec spec;
  const bool rank3 = s.size() == 3 && s[0] == 1;
  if (rank3 && s[1] >= 5 && s[2] > s[1]) {
    spec.layout = YoloSpec::Layout::kV8;
    spec.num_classes = s[1] - 4;
    spec.num_boxes = s[2];
  } else if (rank3 && s[2] >= 6 && s[1] > s[2]) {
    spec.layout = YoloSpec::Layout::kV5;
    spec.num_classes = s[2] - 5;
    spec.num_boxes = s[1];
  } else {
    return InvalidArgument(name + ": output " + ShapeString(s) +
                           " fits neither YOLOv8/11 [1,4+C,N] nor YOLOv5 [1,N,5+C] (N > 4+C)");
  }
  if (input.shape.size() != 4 || input.shape[1] <= 0 || input.shape[2] <= 0) {
    return InvalidArgument(name + ": a YOLO detector needs an NHWC image input, got " +
                           ShapeString(input.shape));
  }
  spec.input_h = input.shape[1];
  spec.input_w = input.shape[2];
  ASSIGN_OR_RETURN(spec.pixel_boxes, PixelBoxes(model, info, spec.num_boxes, name));
  return spec;
}

std::vector<Detection> DecodeYolo(const YoloSpec& spec, const std::vector<float>& values,
                                  const YoloNms& nms) {
  const int64_t n = spec.num_boxes, c = spec.num_classes;
  const bool v8 = spec.layout == YoloSpec::Layout::kV8;
  const int64_t row = v8 ? 4 + c : 5 + c;
  if (static_cast<int64_t>(values.size()) < n * row) return {};
  // Element k of box i.
  auto at = [&](int64_t i, int64_t k) { return v8 ? values[k * n + i] : values[i * row + k]; };
  const float sx = spec.pixel_boxes ? 1.0f / static_cast<float>(spec.input_w) : 1.0f;
  const float sy = spec.pixel_boxes ? 1.0f / static_cast<float>(spec.input_h) : 1.0f;
  std::vector<Candidate> cands;
  for (int64_t i = 0; i < n; ++i) {
    const float objectness = v8 ? 1.0f : at(i, 4);
    const int64_t first = v8 ? 4 : 5;
    auto box = [&](int cls, float score) {
      const float cx = at(i, 0) * sx, cy = at(i, 1) * sy;
      const float w = at(i, 2) * sx, h = at(i, 3) * sy;
      cands.push_back({cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, cls});
    };
    if (nms.multi_label) {
      for (int64_t k = 0; k < c; ++k) {
        const float score = at(i, first + k) * objectness;
        if (score > nms.score_threshold) box(static_cast<int>(k), score);
      }
      continue;
    }
    int best = 0;
    float best_score = -1;
    for (int64_t k = 0; k < c; ++k) {
      const float score = at(i, first + k) * objectness;
      if (score > best_score) {
        best_score = score;
        best = static_cast<int>(k);
      }
    }
    if (best_score > nms.score_threshold) box(best, best_score);
  }
  std::stable_sort(cands.begin(), cands.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  constexpr size_t kMaxCandidates = 30000;  // Ultralytics' max_nms
  if (cands.size() > kMaxCandidates) cands.resize(kMaxCandidates);
  std::vector<const Candidate*> kept;
  for (const Candidate& cand : cands) {
    if (static_cast<int>(kept.size()) >= nms.max_detections) break;
    bool suppressed = false;
    for (const Candidate* k : kept) {
      if (k->cls == cand.cls && IoU(*k, cand) > nms.iou_threshold) {
        suppressed = true;
        break;
      }
    }
    if (!suppressed) kept.push_back(&cand);
  }
  std::vector<Detection> out;
  out.reserve(kept.size());
  for (const Candidate* k : kept) {
    Detection d;
    d.xmin = std::clamp(k->x1, 0.0f, 1.0f);
    d.ymin = std::clamp(k->y1, 0.0f, 1.0f);
    d.xmax = std::clamp(k->x2, 0.0f, 1.0f);
    d.ymax = std::clamp(k->y2, 0.0f, 1.0f);
    d.class_index = k->cls;
    d.score = k->score;
    out.push_back(d);
  }
  return out;
}

const std::vector<std::string>& Coco80Names() {
  static const std::vector<std::string> names = {
      "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat",
      "traffic light", "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat",
      "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "backpack",
      "umbrella", "handbag", "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball",
      "kite", "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket",
      "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple",
      "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair",
      "couch", "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse",
      "remote", "keyboard", "cell phone", "microwave", "oven", "toaster", "sink",
      "refrigerator", "book", "clock", "vase", "scissors", "teddy bear", "hair drier",
      "toothbrush"};
  return names;
}

int Coco80CategoryId(int class_index) {
  // The ids COCO leaves unused (12, 26, 29, 30, 45, 66, 68, 69, 71, 83) are
  // skipped in order.
  static const int kIds[80] = {
      1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21,
      22, 23, 24, 25, 27, 28, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44,
      46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65,
      67, 70, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 84, 85, 86, 87, 88, 89, 90};
  return class_index >= 0 && class_index < 80 ? kIds[class_index] : class_index + 1;
}

}  // namespace detlite::api
