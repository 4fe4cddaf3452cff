#include "train_output.h"

#include <algorithm>
#include <cstdio>

#include "json_util.h"

namespace detlite::cli {

void PrintStep(const TrainProgress& s) {
  if (s.pruned > 0) std::fprintf(stderr, "step %d/%d  pruned %lld more weights\n", s.step, s.steps,
                                 static_cast<long long>(s.pruned));
  if (s.ssd_loss) {
    std::fprintf(stderr,
                 "step %d/%d  loss %.5g (box %.5g, class %.5g)  %d matched anchors  lr %.3g  "
                 "%.2f images/s  %.2f s/step\n",
                 s.step, s.steps, s.box_loss + s.class_loss, s.box_loss, s.class_loss, s.matches,
                 s.learning_rate, s.images_per_second, s.seconds);
    return;
  }
  char rebuild[64] = "";
  if (s.rebuild_seconds > 0) {
    std::snprintf(rebuild, sizeof(rebuild), " (%.2f s new graph and interpreter)", s.rebuild_seconds);
  }
  std::fprintf(stderr, "step %d/%d  loss %.5g (box %.5g, class %.5g)  lr %.3g  %.2f images/s  %.2f s/step%s\n",
               s.step, s.steps, s.box_loss + s.class_loss, s.box_loss, s.class_loss, s.learning_rate,
               s.images_per_second, s.seconds, rebuild);
}

void PrintEval(const TrainEvalPoint& e, const std::string& dataset) {
  std::fprintf(stderr, "step %d  AP %.1f  AP50 %.1f  on %s (%.1f s)\n", e.step, 100 * e.ap,
               100 * e.ap50, dataset.c_str(), e.seconds);
}

Status PrintTrainSummary(const TrainParams& p, const TrainReport& r) {
  const bool ssd = r.loss == "ssd";
  double first = 0, last = 0;
  const size_t n = r.steps.size(), k = std::max<size_t>(1, n / 10);
  for (size_t i = 0; i < k && i < n; ++i) first += (r.steps[i].box_loss + r.steps[i].class_loss) / k;
  for (size_t i = n - std::min(n, k); i < n; ++i) last += (r.steps[i].box_loss + r.steps[i].class_loss) / k;
  if (!p.report.empty()) {
    RETURN_IF_ERROR(WriteTrainReport(r, "detlite train " + p.model + " -> " + p.output, p.report));
  }
  if (p.json) {
    nlohmann::json j;
    j["output"] = p.output;
    j["loss"] = r.loss;
    j["output_type"] = p.qat ? "int8" : "float";
    j["steps"] = n;
    j["training_images"] = r.training_images;
    j["loss_first_tenth"] = first;
    j["loss_last_tenth"] = last;
    j["seconds"] = r.seconds;
    j["resumed_from_step"] = r.resumed_from;
    if (r.pruned_sparsity >= 0) j["pruned_sparsity"] = r.pruned_sparsity;
    j["checkpoint"] = p.options.checkpoint;
    nlohmann::json curve = nlohmann::json::array();
    for (const TrainProgress& s : r.steps) {
      curve.push_back({{"step", s.step}, {"box", s.box_loss}, {"class", s.class_loss}, {"lr", s.learning_rate}});
    }
    j["loss_per_step"] = curve;
    nlohmann::json evals = nlohmann::json::array();
    for (const TrainEvalPoint& e : r.evals) {
      evals.push_back({{"step", e.step}, {"ap", 100 * e.ap}, {"ap50", 100 * e.ap50}, {"seconds", e.seconds}});
    }
    j["ap_per_eval"] = evals;
    if (!p.options.eval_data.empty()) j["eval_data"] = p.options.eval_data;
    if (!p.report.empty()) j["report"] = p.report;
    if (ssd) {
      j["training_boxes"] = r.training_boxes;
      j["labels"] = r.notes;
    }
    if (p.qat) {
      j["calibration_images"] = r.quantize.calibration_images;
      j["ops_quantized"] = r.quantize.ops_quantized;
      j["ops_left_float"] = r.quantize.ops_left_float;
    }
    std::printf("%s\n", DumpJson(j, 2).c_str());
    return Status::Ok();
  }
  std::string extra;
  if (!r.evals.empty()) {
    char buf[96];
    std::snprintf(buf, sizeof(buf), "; AP %.1f, AP50 %.1f on the eval data", 100 * r.evals.back().ap,
                  100 * r.evals.back().ap50);
    extra += buf;
  }
  if (r.resumed_from > 0) extra += "; resumed from step " + std::to_string(r.resumed_from);
  if (r.pruned_sparsity >= 0) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "; pruned layers %.1f%% zeros", 100 * r.pruned_sparsity);
    extra += buf;
  }
  if (!p.options.checkpoint.empty()) extra += "; checkpoint " + p.options.checkpoint;
  if (!p.report.empty()) extra += "; report " + p.report;
  if (!p.qat) {
    std::printf("wrote %s (float): %zu steps (%s) on %d images%s; mean loss of the first tenth "
                "%.5g, last tenth %.5g, %.1f s%s\n%s",
                p.output.c_str(), n, ssd ? "SSD loss" : "distillation from --teacher", r.training_images,
                ssd ? (", " + std::to_string(r.training_boxes) + " boxes").c_str() : "", first, last,
                r.seconds, extra.c_str(), r.notes.empty() ? "" : (r.notes + "\n").c_str());
    return Status::Ok();
  }
  std::printf("wrote %s: %zu steps (%s loss) on %d images, mean loss of the first tenth %.5g, "
              "last tenth %.5g, %.1f s; %d ops int8, %d float%s\n",
              p.output.c_str(), n, ssd ? "SSD" : "distillation", r.training_images, first, last,
              r.seconds, r.quantize.ops_quantized, r.quantize.ops_left_float, extra.c_str());
  if (ssd) std::printf("%d boxes; %s\n", r.training_boxes, r.notes.c_str());
  return Status::Ok();
}

}  // namespace detlite::cli
