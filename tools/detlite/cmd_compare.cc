// detlite compare FLOAT.tflite QUANT.tflite --data PATH [--json] [--report FILE.html]
// detlite compare FLOAT.tflite --techniques --calibration-data DIR --data PATH
//     [--eval-data DATASET] [--adaround]
// The quantization debugger: per-tensor error of the quantized model
// against its float original on the same inputs; with --techniques, of
// each step of the post-training technique ladder (cmd_compare_techniques.cc).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "cli_common.h"
#include "cmd_compare_techniques.h"
#include "commands.h"
#include "detlite/compare.h"

namespace detlite::cli {
namespace {

Status RunCompare(const CompareParams& p) {
  if (p.techniques) return RunCompareTechniques(p);
  if (p.quant_model.empty()) {
    return InvalidArgument("compare: give the quantized model, or --techniques to build and "
                           "compare the technique ladder from the float model");
  }
  if (!p.html.empty()) {
    RETURN_IF_ERROR(
        CheckOutputPath("--report", p.html, {p.float_model, p.quant_model, p.options.data}));
  }
  ASSIGN_OR_RETURN(Model f, Model::Load(p.float_model));
  ASSIGN_OR_RETURN(Model q, Model::Load(p.quant_model));
  ASSIGN_OR_RETURN(CompareReport r, CompareModels(f, q, p.options));
  if (!p.html.empty()) {
    RETURN_IF_ERROR(WriteTextFileAtomic(p.html, CompareReportHtml(r, p.quant_model + " vs " + p.float_model)));
    std::fprintf(stderr, "wrote %s\n", p.html.c_str());
  }
  if (p.json) {
    std::printf("%s\n", CompareReportJson(r).c_str());
    return Status::Ok();
  }
  std::printf("%d samples, %zu tensors compared\n", r.samples, r.tensors.size());
  std::printf("outputs:\n");
  auto line = [](const TensorComparison& t) {
    std::printf("  %-8.1f %-8.3g %-8.2f %-18s %s\n", t.sqnr_db, t.max_abs_error, t.rmse_in_steps,
                t.producer.c_str(), t.name.c_str());
  };
  std::printf("  %-8s %-8s %-8s %-18s %s\n", "SQNR dB", "max|err|", "RMSE/q", "op", "tensor");
  for (const auto& t : r.tensors) if (t.is_output) line(t);
  std::vector<TensorComparison> worst = r.tensors;
  std::sort(worst.begin(), worst.end(),
            [](const auto& a, const auto& b) { return a.sqnr_db < b.sqnr_db; });
  std::printf("lowest SQNR (where accuracy is lost):\n");
  for (size_t i = 0; i < worst.size() && i < static_cast<size_t>(p.top); ++i) line(worst[i]);
  return Status::Ok();
}

}  // namespace

void AddCompareCommand(CLI::App& app, std::function<Status()>* run) {
  auto params = std::make_shared<CompareParams>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "Quantization debugger: run a float model and its quantized version on the\n"
      "same inputs and report, tensor by tensor, the error the quantized one makes\n"
      "(SQNR, max |error|, RMSE in quantization steps; about 0.29 is rounding alone).\n"
      "Example: detlite compare ssd.tflite ssd_int8.tflite --data photos/ --report r.html\n"
      "With --techniques (no quantized model), what each post-training step buys:\n"
      "the float model is quantized once per step (plain int8, + equalization,\n"
      "+ bias correction, + AdaRound with --adaround), and each step's per-tensor\n"
      "SQNR and, with --eval-data, its AP are shown side by side:\n"
      "  detlite compare ssd.tflite --techniques --calibration-data train/ --data photos/\n"
      "      --eval-data val/annotations.json --report techniques.html");
  cmd->add_option("float_model", params->float_model, "the float .tflite")->required();
  cmd->add_option("quant_model", params->quant_model, "its quantized version (not with --techniques)");
  cmd->add_option("--data", params->options.data, "folder of images or .npy inputs, one file, or a dataset (COCO json, VOC, TFRecord)")
      ->required();
  cmd->add_option("--max-samples", params->options.max_samples, "inputs used, at most (default 8)")
      ->check(CLI::Range(1, 1000000));
  cmd->add_flag("--json", params->json, "print every tensor's numbers as JSON");
  cmd->add_option("--report", params->html, "also write an HTML report here")->check(kNonEmpty);
  cmd->add_option("--top", params->top, "tensors listed by lowest SQNR (default 15)")
      ->check(CLI::Range(0, 1000000));
  AddPreprocessFlags(cmd, &params->options.preprocess);
  AddTechniqueFlags(cmd, params.get());
  cmd->callback([params, run] { *run = [params] { return RunCompare(*params); }; });
}

}  // namespace detlite::cli
