// Detector: finds the four outputs of TFLite_Detection_PostProcess in the
// graph (by producer op and output slot, since exporters order a model's
// outputs differently), runs the model and reads the rows it filled.
#include "detlite/detection.h"

#include <algorithm>
#include <chrono>

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
};

Detector::Detector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Detector::Detector(Detector&&) noexcept = default;
Detector& Detector::operator=(Detector&&) noexcept = default;
Detector::~Detector() = default;

namespace {

constexpr char kPostProcess[] = "TFLite_Detection_PostProcess";

}  // namespace

StatusOr<Detector> Detector::Create(const Model& model, const DetectorOptions& options) {
  const std::string name = model.path().empty() ? std::string("model") : model.path();
  const ir::Subgraph& sg = model.ir().subgraphs.at(0);
  const ir::Operator* post = nullptr;
  for (const auto& op : sg.ops) {
    if (op.kind == ir::OpKind::kCustom && op.custom_code == kPostProcess) post = &op;
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
  ASSIGN_OR_RETURN(HostTensor in, ImageToInput(image, d.runner->InputInfo(0), d.options.preprocess, how));
  RETURN_IF_ERROR(d.runner->SetInput(0, in.bytes));
  auto t0 = std::chrono::steady_clock::now();
  RETURN_IF_ERROR(d.runner->Run());
  d.last_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
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

}  // namespace detlite
