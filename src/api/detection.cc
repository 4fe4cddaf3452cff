// Detector: finds the four outputs of TFLite_Detection_PostProcess in the
// graph (by producer op and output slot, since exporters order a model's
// outputs differently), runs the model and reads the rows it filled. A model
// without that op but with one raw YOLO output is decoded by
// detection_yolo.cc instead.
#include "detlite/detection.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <optional>

#include "api/detection_yolo.h"
#include "api/tensor_info.h"

#include "ir/graph.h"
#include "ir/detection_options.h"

namespace detlite {

struct Detector::Impl {
  std::unique_ptr<Runner> runner;
  DetectorOptions options;
  int out_boxes = -1, out_classes = -1, out_scores = -1, out_count = -1;  // output slots
  int num_classes = 0;
  int max_rows = 0;
  double last_ms = 0;
  std::optional<api::YoloSpec> yolo;  // set for raw YOLO outputs
};

Detector::Detector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Detector::Detector(Detector&&) noexcept = default;
Detector& Detector::operator=(Detector&&) noexcept = default;
Detector::~Detector() = default;

namespace {

constexpr char kPostProcess[] = "TFLite_Detection_PostProcess";

// `image` centred on a gray (114) canvas of the input's aspect ratio, so the
// resize to the input scales both axes alike; *fx, *fy are the image's share
// of the canvas and *ox, *oy its offset, as fractions of the canvas.
RgbImage Letterbox(const RgbImage& image, int input_w, int input_h, float* fx, float* fy,
                   float* ox, float* oy) {
  const double want = static_cast<double>(input_w) / input_h;
  int w = image.width, h = image.height;
  if (static_cast<double>(w) / h < want) {
    w = static_cast<int>(std::lround(h * want));
  } else {
    h = static_cast<int>(std::lround(w / want));
  }
  w = std::max(w, image.width);
  h = std::max(h, image.height);
  const int left = (w - image.width) / 2, top = (h - image.height) / 2;
  RgbImage out{w, h, std::vector<uint8_t>(static_cast<size_t>(w) * h * 3, 114)};
  for (int y = 0; y < image.height; ++y) {
    std::copy_n(image.pixels.begin() + static_cast<ptrdiff_t>(y) * image.width * 3,
                image.width * 3,
                out.pixels.begin() + (static_cast<ptrdiff_t>(y + top) * w + left) * 3);
  }
  *fx = static_cast<float>(image.width) / static_cast<float>(w);
  *fy = static_cast<float>(image.height) / static_cast<float>(h);
  *ox = static_cast<float>(left) / static_cast<float>(w);
  *oy = static_cast<float>(top) / static_cast<float>(h);
  return out;
}

}  // namespace

StatusOr<Detector> Detector::Create(const Model& model, const DetectorOptions& options) {
  const std::string name = model.path().empty() ? std::string("model") : model.path();
  const ir::Subgraph& sg = model.ir().subgraphs.at(0);
  const ir::Operator* post = nullptr;
  for (const auto& op : sg.ops) {
    if (op.kind == ir::OpKind::kCustom && op.custom_code == kPostProcess) post = &op;
  }
  if (post == nullptr && sg.outputs.size() == 1) {
    // One output and no post-processing op: a raw YOLO head, or an error
    // naming the output's shape.
    if (sg.inputs.size() != 1) {
      return InvalidArgument(name + ": a detector needs one image input; the model has " +
                             std::to_string(sg.inputs.size()));
    }
    auto spec = api::RecognizeYolo(model, api::MakeTensorInfo(sg, sg.outputs[0]),
                                   api::MakeTensorInfo(sg, sg.inputs[0]), name);
    if (!spec.ok()) {
      return InvalidArgument(spec.status().message() +
                             "; nor does it end in TFLite_Detection_PostProcess (SSD raw "
                             "outputs get it with `detlite convert IN -o OUT --add-postprocess`)");
    }
    ASSIGN_OR_RETURN(Runner runner, Runner::Create(model));
    auto impl = std::make_unique<Impl>();
    impl->yolo = *spec;
    impl->options = options;
    // Ultralytics' models take RGB in [0, 1].
    PreprocessOptions& pre = impl->options.preprocess;
    if (pre.preset == PreprocessPreset::kAuto && pre.mean.empty() && pre.stddev.empty()) {
      pre.preset = PreprocessPreset::kUnit;
    }
    impl->num_classes = spec->num_classes;
    impl->max_rows = options.max_detections;
    impl->runner = std::make_unique<Runner>(std::move(runner));
    return Detector(std::move(impl));
  }
  if (post == nullptr || post->outputs.size() != 4) {
    return InvalidArgument(name +
                           ": the model does not end in TFLite_Detection_PostProcess; add it "
                           "with `detlite convert IN -o OUT --add-postprocess` (see "
                           "`detlite convert --help`)");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  int* slots[4] = {&impl->out_boxes, &impl->out_classes, &impl->out_scores, &impl->out_count};
  for (size_t k = 0; k < 4; ++k) {
    auto it = std::find(sg.outputs.begin(), sg.outputs.end(), post->outputs[k]);
    if (it == sg.outputs.end()) {
      return InvalidArgument(name + ": output " + std::to_string(k) + " of " + kPostProcess +
                             " is not a model output");
    }
    *slots[k] = static_cast<int>(it - sg.outputs.begin());
  }
  auto params = ir::ParseDetectionOptions(post->custom_options);
  if (!params.ok()) return params.status().WithContext(name);
  impl->num_classes = params->num_classes;
  ASSIGN_OR_RETURN(Runner runner, Runner::Create(model));
  if (runner.num_inputs() != 1) {
    return InvalidArgument(name + ": a detector needs one image input; the model has " +
                           std::to_string(runner.num_inputs()));
  }
  impl->runner = std::make_unique<Runner>(std::move(runner));
  std::vector<int32_t> box_shape = impl->runner->OutputInfo(impl->out_boxes).shape;
  impl->max_rows = box_shape.size() == 3 ? box_shape[1] : 0;
  return Detector(std::move(impl));
}

StatusOr<std::vector<Detection>> Detector::Detect(const RgbImage& image, std::string* how) {
  Impl& d = *impl_;
  float fx = 1, fy = 1, ox = 0, oy = 0;  // where the photo sits in the input
  RgbImage boxed;
  const bool letterbox = d.yolo && d.options.letterbox && image.width > 0 && image.height > 0;
  if (letterbox) {
    boxed = Letterbox(image, d.yolo->input_w, d.yolo->input_h, &fx, &fy, &ox, &oy);
  }
  ASSIGN_OR_RETURN(HostTensor in, ImageToInput(letterbox ? boxed : image, d.runner->InputInfo(0),
                                               d.options.preprocess, how));
  if (letterbox && how != nullptr) *how += ", letterboxed";
  RETURN_IF_ERROR(d.runner->SetInput(0, in.bytes));
  auto t0 = std::chrono::steady_clock::now();
  RETURN_IF_ERROR(d.runner->Run());
  d.last_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (d.yolo) {
    api::YoloNms nms;
    nms.score_threshold = std::max(d.options.score_threshold, 0.001f);
    nms.iou_threshold = d.options.nms_iou_threshold;
    nms.max_detections = d.options.max_detections;
    nms.multi_label = d.options.multi_label;
    std::vector<Detection> dets = api::DecodeYolo(*d.yolo, d.runner->Output(0).ToFloat(), nms);
    for (Detection& det : dets) {  // back from the canvas to the photo
      det.xmin = std::clamp((det.xmin - ox) / fx, 0.0f, 1.0f);
      det.xmax = std::clamp((det.xmax - ox) / fx, 0.0f, 1.0f);
      det.ymin = std::clamp((det.ymin - oy) / fy, 0.0f, 1.0f);
      det.ymax = std::clamp((det.ymax - oy) / fy, 0.0f, 1.0f);
    }
    return dets;
  }
  std::vector<float> boxes = d.runner->Output(d.out_boxes).ToFloat();
  std::vector<float> classes = d.runner->Output(d.out_classes).ToFloat();
  std::vector<float> scores = d.runner->Output(d.out_scores).ToFloat();
  std::vector<float> count = d.runner->Output(d.out_count).ToFloat();
  if (count.empty()) return Internal("num_detections output is empty");
  size_t rows = std::min({scores.size(), classes.size(), boxes.size() / 4});
  size_t n = static_cast<size_t>(std::clamp(count[0], 0.0f, static_cast<float>(rows)));
  std::vector<Detection> out;
  for (size_t i = 0; i < n; ++i) {
    if (!(scores[i] >= d.options.score_threshold)) continue;
    Detection det;
    det.ymin = boxes[4 * i];
    det.xmin = boxes[4 * i + 1];
    det.ymax = boxes[4 * i + 2];
    det.xmax = boxes[4 * i + 3];
    det.class_index = static_cast<int>(classes[i]);
    det.score = scores[i];
    out.push_back(det);
  }
  return out;
}

TensorInfo Detector::input() const { return impl_->runner->InputInfo(0); }
int Detector::num_classes() const { return impl_->num_classes; }
int Detector::max_detections() const { return impl_->max_rows; }
double Detector::last_invoke_ms() const { return impl_->last_ms; }

std::string Detector::description() const {
  if (impl_->yolo) return impl_->yolo->Describe();
  return std::string(kPostProcess) + ", " + std::to_string(impl_->num_classes) + " classes";
}

int Detector::category_id(int class_index) const {
  if (impl_->yolo && impl_->num_classes == 80) return api::Coco80CategoryId(class_index);
  return class_index + 1;
}

std::map<int, std::string> Detector::default_class_names() const {
  std::map<int, std::string> names;
  if (!impl_->yolo || impl_->num_classes != 80) return names;
  const auto& coco = api::Coco80Names();
  for (size_t i = 0; i < coco.size(); ++i) names[static_cast<int>(i)] = coco[i];
  return names;
}

}  // namespace detlite
