// detlite detect MODEL IMAGE... [-o OUT_DIR] [--json] [--labels FILE]
//                [--score-threshold T]
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli_common.h"
#include "commands.h"
#include "detlite/dataset.h"
#include "detlite/detection.h"
#include "json_util.h"

namespace detlite::cli {
namespace {

struct DetectParams {
  std::string model;
  std::vector<std::string> images;
  std::string output_dir;
  std::string labels;
  float score_threshold = 0.5f;
  bool json = false;
  PreprocessOptions pre;
};

double Round(double v, double unit) { return std::round(v / unit) * unit; }

// COCO result format: bbox [x, y, width, height] in pixels of the original
// image; category_id from Detector::category_id (class index + 1, the Object
// Detection API's ids; COCO's official ids for an 80-class YOLO model).
nlohmann::json ResultJson(const Detection& d, int64_t image_id, const RgbImage& img,
                          const std::string& name, int category_id) {
  double x = d.xmin * img.width, y = d.ymin * img.height;
  double w = (d.xmax - d.xmin) * img.width, h = (d.ymax - d.ymin) * img.height;
  return {{"image_id", image_id},
          {"category_id", category_id},
          {"bbox", {Round(x, 1e-3), Round(y, 1e-3), Round(w, 1e-3), Round(h, 1e-3)}},
          {"score", Round(d.score, 1e-6)},
          {"label", name}};
}

// detect -o is all or nothing: every file is written under a hidden
// temporary name and renamed into place only once every photo succeeded;
// otherwise the temporaries (and a directory this run created) are removed.
class StagedOutputs {
 public:
  explicit StagedOutputs(std::string dir) : dir_(std::move(dir)) {
    std::error_code ec;
    created_dir_ = !dir_.empty() && !std::filesystem::exists(dir_, ec);
  }
  ~StagedOutputs() {
    if (committed_) return;
    std::error_code ec;
    for (const auto& f : files_) std::filesystem::remove(f.first, ec);
    if (created_dir_) std::filesystem::remove(dir_, ec);  // only if empty
  }
  // The temporary path to write `final_path` to.
  std::string Stage(const std::string& final_path) {
    const std::filesystem::path f(final_path);
    // Unique per call: two photos with the same stem share one final name
    // (the later one wins, as before), never one temporary.
    std::string tmp = (f.parent_path() / ("." + f.filename().string() + ".partial." +
                                          std::to_string(::getpid()) + "." +
                                          std::to_string(files_.size())))
                          .string();
    files_.emplace_back(tmp, final_path);
    return tmp;
  }
  Status Commit() {
    for (const auto& [tmp, final_path] : files_) {
      std::error_code ec;
      std::filesystem::rename(tmp, final_path, ec);
      if (ec) return IoError(final_path + ": cannot rename into place: " + ec.message());
    }
    committed_ = true;
    return Status::Ok();
  }

 private:
  std::string dir_;
  bool created_dir_ = false, committed_ = false;
  std::vector<std::pair<std::string, std::string>> files_;
};

Status RunDetect(const DetectParams& p) {
  std::vector<std::string> inputs = p.images;
  inputs.push_back(p.model);
  inputs.push_back(p.labels);
  if (!p.output_dir.empty()) RETURN_IF_ERROR(CheckOutputDirectory("-o", p.output_dir));
  ASSIGN_OR_RETURN(Model model, Model::Load(p.model));
  DetectorOptions options;
  options.preprocess = p.pre;
  options.score_threshold = p.score_threshold;
  ASSIGN_OR_RETURN(Detector detector, Detector::Create(model, options));
  std::string embedded_file;
  LabelMap embedded = EmbeddedLabels(model, &embedded_file);
  if (embedded.names.empty()) {
    embedded.names = detector.default_class_names();
    embedded.format = LabelFormat::kIdName;  // class index = id
  }
  std::function<std::string(int)> namer = ClassNamer(embedded, detector.num_classes());
  if (!embedded_file.empty() && p.labels.empty() && !p.json) {
    std::fprintf(stderr, "labels: %s inside the model\n", embedded_file.c_str());
  }
  if (!p.labels.empty()) {
    ASSIGN_OR_RETURN(LabelMap labels, LoadLabelMap(p.labels));
    namer = ClassNamer(labels, detector.num_classes());
  }
  StagedOutputs staged(p.output_dir);
  RETURN_IF_ERROR(EnsureDirectory(p.output_dir));
  nlohmann::json results = nlohmann::json::array();
  nlohmann::json images = nlohmann::json::array();
  Progress progress("detect", static_cast<int64_t>(p.images.size()));
  for (size_t i = 0; i < p.images.size(); ++i) {
    progress.Update(static_cast<int64_t>(i));
    const std::string& path = p.images[i];
    const int64_t image_id = static_cast<int64_t>(i) + 1;
    ASSIGN_OR_RETURN(RgbImage img, ReadImage(path));
    std::string how;
    ASSIGN_OR_RETURN(std::vector<Detection> dets, detector.Detect(img, &how));
    if (!p.json) {
      std::printf("%s: %zu detection(s) (%s, %.1f ms)\n", path.c_str(), dets.size(), how.c_str(),
                  detector.last_invoke_ms());
    }
    nlohmann::json image_json = {{"id", image_id}, {"file_name", path}, {"width", img.width},
                                 {"height", img.height}};
    for (const Detection& d : dets) {
      nlohmann::json r =
          ResultJson(d, image_id, img, namer(d.class_index), detector.category_id(d.class_index));
      if (!p.json) {
        const auto& b = r["bbox"];
        std::printf("  %-16s %.3f  x %.0f y %.0f w %.0f h %.0f\n", namer(d.class_index).c_str(),
                    d.score, b[0].get<double>(), b[1].get<double>(), b[2].get<double>(),
                    b[3].get<double>());
      }
      results.push_back(std::move(r));
    }
    if (!p.output_dir.empty()) {
      std::string stem = std::filesystem::path(path).stem().string();
      std::string out = p.output_dir + "/" + stem + "_detections.png";
      RETURN_IF_ERROR(CheckOutputPath("-o", out, inputs));
      RETURN_IF_ERROR(WritePng(DrawDetections(img, dets, namer), staged.Stage(out)));
      image_json["drawn"] = out;
      if (!p.json) std::printf("  -> %s\n", out.c_str());
    }
    images.push_back(std::move(image_json));
  }
  progress.Update(static_cast<int64_t>(p.images.size()));
  progress.Finish();
  if (!p.output_dir.empty()) {
    const std::string out = p.output_dir + "/detections.json";
    RETURN_IF_ERROR(CheckOutputPath("-o", out, inputs));
    RETURN_IF_ERROR(WriteTextFileAtomic(staged.Stage(out), DumpJson(results, 1) + "\n"));
    RETURN_IF_ERROR(staged.Commit());
    if (!p.json) std::printf("COCO results: %s\n", out.c_str());
  }
  if (p.json) {
    std::cout << DumpJson(nlohmann::json{{"model", p.model}, {"images", images}, {"detections", results}},
                              2)
              << "\n";
  }
  return Status::Ok();
}

}  // namespace

void AddDetectCommand(CLI::App& app, std::function<Status()>* run) {
  auto params = std::make_shared<DetectParams>();
  CLI::App* cmd = app.add_subcommand(
      "detect",
      "Run a detector that ends in TFLite_Detection_PostProcess, or a YOLO model with\n"
      "one raw output (YOLOv8/11 [1,4+C,N], YOLOv5 [1,N,5+C]; class-aware NMS at\n"
      "IoU 0.7, at most 300 boxes; the photo is letterboxed with gray 114 as\n"
      "Ultralytics does), on photos, print the boxes, and with -o write each photo with\n"
      "its boxes drawn (PNG) and all detections as COCO results (detections.json:\n"
      "bbox [x,y,w,h] in pixels, category_id = class + 1, or COCO's id for an\n"
      "80-class YOLO model).\n"
      "Example: detlite detect detect.tflite cats.jpg --labels labelmap.txt -o out/");
  cmd->add_option("model", params->model, "a .tflite detector")->required();
  cmd->add_option("images", params->images, "JPEG/PNG/BMP photos")->required();
  cmd->add_option("-o,--output-dir", params->output_dir, "write drawn PNGs and detections.json")
      ->check(kNonEmpty);
  cmd->add_option("--labels", params->labels, "label file: a name a line, 'ID NAME' lines, .pbtxt, YOLO .yaml names:, or .json names (found from the content)");
  cmd->add_option("--score-threshold", params->score_threshold, "drop detections below (0.5)")
      ->check(NumberIn(0.0, 1.0));
  cmd->add_flag("--json", params->json, "print images and detections as JSON on stdout");
  AddPreprocessFlags(cmd, &params->pre);
  cmd->callback([params, run] { *run = [params] { return RunDetect(*params); }; });
}

}  // namespace detlite::cli
