// The postprocess step of `detlite convert`: --add-postprocess appends
// TFLite's SSD post-processing (TFLite_Detection_PostProcess + anchors) to a
// model with raw SSD outputs. Flags fill PostprocessOptions; the library
// does the work (detlite/postprocess.h).
#include <cstdio>
#include <string>
#include <vector>

#include "cli_common.h"
#include "convert_steps.h"
#include "detlite/postprocess.h"

namespace detlite::cli {
namespace {

constexpr char kGroup[] = "SSD post-processing (--add-postprocess)";

class PostprocessStep : public ConvertStep {
 public:
  void AddFlags(CLI::App& cmd) override {
    cmd.add_flag("--add-postprocess", enabled_,
                 "append TFLite_Detection_PostProcess (box decoding + NMS, constant anchors) to "
                 "a model whose outputs are raw box encodings [1,N,4+] and class scores "
                 "[1,N,C]. Examples:\n"
                 "  detlite convert ssd_raw.tflite -o ssd.tflite --add-postprocess "
                 "--config pipeline.config\n"
                 "  detlite convert ssd_raw.tflite -o ssd.tflite --add-postprocess --anchors ssd "
                 "--num-layers 6 --min-scale 0.2 --max-scale 0.95\n"
                 "  detlite convert face_detection_short_range.tflite -o face.tflite "
                 "--add-postprocess --anchors blazeface-short\n"
                 "An Object Detection API SSD imported from TensorFlow gets it by default.")
        ->group(kGroup);
    cmd.add_flag("--no-postprocess", no_postprocess_,
                 "keep an imported Object Detection API SSD's raw box/class outputs")
        ->group(kGroup);
    cmd.add_option("--config", o_.config,
                   "Object Detection API pipeline.config giving anchors, box coder, classes, "
                   "NMS and score converter; flags below override it")
        ->group(kGroup);
    AddSettingOption(&cmd, "--anchors", &o_.anchors,
                     "anchor scheme: ssd (ssd_anchor_generator), multiscale (FPN), "
                     "blazeface-short (128x128, 896), blazeface-full (192x192, 2304), "
                     "blazepalm (192x192, 2016); default: the config's")
        ->group(kGroup);
    num_layers_ = cmd.add_option("--num-layers", num_layers_v_, "ssd anchors: layers (6)")
                      ->check(CLI::Range(1, 64))
                      ->group(kGroup);
    min_scale_ = cmd.add_option("--min-scale", min_scale_v_, "ssd anchors: smallest scale (0.2)")
                     ->check(NumberIn(1e-6, 100.0))
                     ->group(kGroup);
    max_scale_ = cmd.add_option("--max-scale", max_scale_v_, "ssd anchors: largest scale (0.95)")
                     ->check(NumberIn(1e-6, 100.0))
                     ->group(kGroup);
    cmd.add_option("--aspect-ratios", o_.aspect_ratios,
                   "anchor aspect ratios, e.g. 1,2,0.5,3,0.3333 (the ssd default)")
        ->delimiter(',')
        ->check(NumberIn(1e-6, 1e6))
        ->group(kGroup);
    cmd.add_option("--box-scales", o_.box_scales,
                   "box coder scales Y,X,H,W (default 10,10,5,5, or the config's)")
        ->delimiter(',')
        ->check(NumberIn(1e-6, 1e6))
        ->expected(4)
        ->group(kGroup);
    AddSettingOption(&cmd, "--score-converter", &o_.score_converter,
                     "how class scores become probabilities: auto (the config's, or sigmoid, "
                     "and none if the model already ends in LOGISTIC/SOFTMAX), sigmoid, softmax, "
                     "identity")
        ->group(kGroup);
    num_classes_ = cmd.add_option("--num-classes", num_classes_v_,
                                  "real classes, without background (default: from the model)")
                       ->check(CLI::Range(1, 100000))
                       ->group(kGroup);
    max_det_ = cmd.add_option("--max-detections", max_det_v_, "detections kept (100 or config)")
                   ->check(CLI::Range(1, 100000))
                   ->group(kGroup);
    max_cls_ = cmd.add_option("--max-classes-per-detection", max_cls_v_,
                              "classes reported per box, fast NMS (1)")
                   ->check(CLI::Range(1, 100000))
                   ->group(kGroup);
    per_class_ = cmd.add_option("--detections-per-class", per_class_v_,
                                "detections per class, regular NMS (100 or config)")
                     ->check(CLI::Range(1, 100000))
                     ->group(kGroup);
    score_ = cmd.add_option("--score-threshold", score_v_,
                            "NMS score threshold (1e-8 or config; 0.5 for MediaPipe anchors)")
                 ->check(NumberIn(0.0, 1.0))
                 ->group(kGroup);
    iou_ = cmd.add_option("--iou-threshold", iou_v_,
                          "NMS IoU threshold (0.6 or config; 0.3 for MediaPipe anchors)")
               ->check(NumberIn(0.0, 1.0))
               ->group(kGroup);
    regular_ = cmd.add_flag("--regular-nms", regular_v_,
                            "per-class NMS instead of TFLite's fast class-agnostic NMS")
                   ->group(kGroup);
  }

  std::vector<std::string> InputFiles() const override { return {o_.config}; }
  bool enabled() const override { return enabled_ || (from_ssd_ && !no_postprocess_); }

  // An Object Detection API SSD cut at its raw outputs gets its
  // post-processing back, with the graph's anchors unless the config or
  // --anchors give them (then both are compared), and the graph's box coder
  // scales and score converter unless a config or flag gives them.
  void OnImported(const ImportReport& report) override {
    if (!report.ssd.found) return;
    from_ssd_ = true;
    o_.anchor_values = report.ssd.anchors;
    if (!o_.config.empty()) return;
    if (o_.box_scales.empty()) o_.box_scales = report.ssd.box_scales;
    if (o_.score_converter == ScoreConverter::kAuto) {
      o_.score_converter = report.ssd.score_converter;
    }
  }

  Status Apply(Model& model) override {
    PostprocessOptions o = o_;
    if (num_layers_->count()) o.num_layers = num_layers_v_;
    if (min_scale_->count()) o.min_scale = min_scale_v_;
    if (max_scale_->count()) o.max_scale = max_scale_v_;
    if (num_classes_->count()) o.num_classes = num_classes_v_;
    if (max_det_->count()) o.max_detections = max_det_v_;
    if (max_cls_->count()) o.max_classes_per_detection = max_cls_v_;
    if (per_class_->count()) o.detections_per_class = per_class_v_;
    if (score_->count()) o.score_threshold = score_v_;
    if (iou_->count()) o.iou_threshold = iou_v_;
    if (regular_->count()) o.regular_nms = regular_v_;
    ASSIGN_OR_RETURN(PostprocessResult r, AddPostprocess(model, o));
    for (const std::string& w : r.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    for (const std::string& a : r.actions) std::fprintf(stderr, "postprocess: %s\n", a.c_str());
    return Status::Ok();
  }

 private:
  bool enabled_ = false;
  bool from_ssd_ = false, no_postprocess_ = false;
  PostprocessOptions o_;
  CLI::Option *num_layers_ = nullptr, *min_scale_ = nullptr, *max_scale_ = nullptr;
  CLI::Option *num_classes_ = nullptr, *max_det_ = nullptr, *max_cls_ = nullptr;
  CLI::Option *per_class_ = nullptr, *score_ = nullptr, *iou_ = nullptr, *regular_ = nullptr;
  int num_layers_v_ = 6, num_classes_v_ = 0, max_det_v_ = 100, max_cls_v_ = 1,
      per_class_v_ = 100;
  float min_scale_v_ = 0.2f, max_scale_v_ = 0.95f, score_v_ = 0, iou_v_ = 0;
  bool regular_v_ = false;
};

}  // namespace

std::unique_ptr<ConvertStep> MakePostprocessStep() { return std::make_unique<PostprocessStep>(); }

}  // namespace detlite::cli
