// detlite compare FLOAT.tflite --techniques --calibration-data DIR --data PATH
//     [--eval-data DATASET] [--adaround] [--json] [--report FILE.html]
#include <chrono>
#include <cstdio>
#include <string>

#include "cli_common.h"
#include "cmd_compare_techniques.h"

namespace detlite::cli {
void AddTechniqueFlags(CLI::App* cmd, CompareParams* p) {
  cmd->add_flag("--techniques", p->techniques,
                "build the technique ladder from the float model and compare every step\n"
                "(needs --calibration-data; no quantized model)");
  cmd->add_option("--calibration-data", p->ladder.quantize.calibration_data,
                  "--techniques: photos to calibrate on (never the eval set)");
  cmd->add_option("--calibration-size", p->ladder.quantize.calibration_size,
                  "--techniques: calibration images used, at most (default 100)")
      ->check(CLI::Range(1, 1000000));
  AddSettingOption(cmd, "--quantize", &p->ladder.quantize.mode,
                   "--techniques: int8 (default) or int16x8");
  cmd->add_flag("--adaround", p->ladder.adaround,
                "--techniques: add the AdaRound step (minutes on an SSD)");
  cmd->add_option("--eval-data", p->ladder.eval_data,
                  "--techniques: labelled dataset (COCO json, VOC, TFRecord) to score the float\n"
                  "model and every step on; the model must end in TFLite_Detection_PostProcess");
  cmd->add_option("--eval-size", p->eval_size, "--techniques: eval images used, at most (default all)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--labels", p->ladder.eval.labels, "--techniques: label map naming the model's classes");
}

Status RunCompareTechniques(const CompareParams& p) {
  if (!p.quant_model.empty()) {
    return InvalidArgument("compare --techniques builds the quantized models itself: give only "
                           "the float model (got " + p.quant_model + " too)");
  }
  if (p.ladder.quantize.calibration_data.empty()) {
    return InvalidArgument("compare --techniques: give --calibration-data (photos to calibrate "
                           "each step on)");
  }
  if (!p.html.empty()) {
    RETURN_IF_ERROR(CheckOutputPath("--report", p.html,
                                    {p.float_model, p.options.data, p.ladder.eval_data,
                                     p.ladder.quantize.calibration_data, p.ladder.eval.labels}));
  }
  ASSIGN_OR_RETURN(Model f, Model::Load(p.float_model));
  TechniqueOptions o = p.ladder;
  o.compare = p.options;
  o.quantize.preprocess = p.options.preprocess;
  o.eval.preprocess = p.options.preprocess;
  o.eval.max_images = p.eval_size;
  const auto start = std::chrono::steady_clock::now();
  o.progress = [start](int step, const std::string& label, bool done) {
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "[%6.1f s] %s %s%s\n", s, done ? "done " : "start",
                 step < 0 ? "" : ("step " + std::to_string(step + 1) + ": ").c_str(),
                 label.c_str());
  };
  ASSIGN_OR_RETURN(TechniqueReport r, CompareTechniques(f, o));
  if (!p.html.empty()) {
    RETURN_IF_ERROR(WriteTextFileAtomic(
        p.html, TechniqueReportHtml(r, "What each technique buys: " + p.float_model)));
    std::fprintf(stderr, "wrote %s\n", p.html.c_str());
  }
  if (p.json) {
    std::printf("%s\n", TechniqueReportJson(r).c_str());
    return Status::Ok();
  }
  std::printf("%-20s %-7s %-7s %-7s %-14s %-10s %s\n", "step", "AP", "AP50", "APl",
              "head SQNR dB", "convert s", "flags");
  auto ap = [](bool ok, double v) {
    char b[16];
    std::snprintf(b, sizeof(b), "%.1f", 100 * v);
    return ok ? std::string(b) : std::string("-");
  };
  if (r.evaluated) {
    std::printf("%-20s %-7s %-7s %-7s\n", "float", ap(true, r.float_ap).c_str(),
                ap(true, r.float_ap50).c_str(), ap(true, r.float_ap_large).c_str());
  }
  for (const auto& s : r.steps) {
    std::printf("%-20s %-7s %-7s %-7s %-14.1f %-10.1f %s\n", s.label.c_str(),
                ap(s.evaluated, s.ap).c_str(), ap(s.evaluated, s.ap50).c_str(),
                ap(s.evaluated, s.ap_large).c_str(), s.head_sqnr_db,
                s.convert_seconds, s.flags.c_str());
  }
  std::string heads;
  for (const auto& h : r.heads) heads += (heads.empty() ? "" : ", ") + h;
  std::printf("head SQNR: the lowest over %s\n", heads.c_str());
  if (!r.evaluated) std::printf("(no --eval-data: SQNR only)\n");
  return Status::Ok();
}

}  // namespace detlite::cli
