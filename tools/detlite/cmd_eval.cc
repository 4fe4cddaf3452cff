// detlite eval MODEL --dataset PATH [--labels FILE] [--report FILE.html] [--json]
// detlite eval --detections RESULTS.json --dataset GROUND_TRUTH.json [--json]
// detlite eval --detections DETS_DIR --dataset GTS_DIR [--iou T...] [--json]
// detlite eval MODEL --dataset PATH [--shard K/N] -o part.json [--json]
// detlite eval merge part.json... [--report FILE.html] [--json]
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "cli_common.h"
#include "commands.h"
#include "detlite/evaluate.h"
#include "eval_params.h"
#include "json_util.h"

namespace detlite::cli {
namespace {

nlohmann::json SummaryJson(const EvalResult& r) {
  nlohmann::json stats;
  for (size_t i = 0; i < 12; ++i) stats[CocoStatNames()[i]] = r.coco.stats[i];
  nlohmann::json classes = nlohmann::json::array();
  for (const ClassMetrics& c : r.coco.classes) {
    classes.push_back({{"category_id", c.category_id}, {"name", c.name}, {"num_gt", c.num_gt},
                       {"num_detections", c.num_detections}, {"ap", c.ap}, {"ap50", c.ap50}});
  }
  nlohmann::json j = {{"dataset", r.dataset}, {"images", r.coco.images},
                      {"ground_truth", r.coco.ground_truth}, {"detections", r.coco.detections},
                      {"coco", stats}, {"classes", classes}, {"notes", r.notes}};
  if (!r.model.empty()) j["source"] = r.model;
  if (r.seconds > 0) j["seconds"] = r.seconds;
  if (r.mean_invoke_ms > 0) j["mean_invoke_ms"] = r.mean_invoke_ms;
  if (!r.reference.empty()) {
    nlohmann::json ref;
    for (size_t i = 0; i < 12; ++i) ref[CocoStatNames()[i]] = r.reference_coco.stats[i];
    nlohmann::json worst = nlohmann::json::array();
    for (const ImageComparison& c : r.worst) {
      worst.push_back({{"image", c.name}, {"ap", c.ap}, {"reference_ap", c.reference_ap},
                       {"detections", c.detections},
                       {"reference_detections", c.reference_detections}});
    }
    j["reference"] = {{"source", r.reference}, {"coco", ref}, {"worst_images", worst}};
  }
  return j;
}

void PrintComparison(const EvalResult& r) {
  std::printf("\nagainst %s on the same photos:\n", r.reference.c_str());
  std::printf("  %-6s %9s %9s %7s\n", "", "reference", "this", "change");
  for (size_t i : {0, 1, 2, 3, 4, 5}) {
    const double a = r.reference_coco.stats[i], b = r.coco.stats[i];
    std::printf("  %-6s %9.3f %9.3f %+7.3f\n", CocoStatNames()[i], a, b, b - a);
  }
  if (r.worst.empty()) {
    std::printf("no photo loses AP against the reference\n");
    return;
  }
  std::printf("photos losing most AP (reference -> this):\n");
  for (const ImageComparison& c : r.worst) {
    std::printf("  %-28s %.3f -> %.3f  (%d -> %d boxes >= draw threshold)\n",
                c.name.substr(0, 28).c_str(), c.reference_ap, c.ap, c.reference_detections,
                c.detections);
  }
}

void PrintSummary(const EvalResult& r) {
  for (const auto& n : r.notes) std::printf("note: %s\n", n.c_str());
  std::printf("%d images, %d ground-truth boxes, %d detections scored\n", r.coco.images,
              r.coco.ground_truth, r.coco.detections);
  static const char* kRows[12] = {
      "Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]",
      "Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ]",
      "Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ]",
      "Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ]",
      "Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ]",
      "Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ]",
      "Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ]",
      "Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ]",
      "Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]",
      "Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ]",
      "Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ]",
      "Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ]"};
  for (size_t i = 0; i < 12; ++i) std::printf(" %s = %.3f\n", kRows[i], r.coco.stats[i]);
  std::printf("%-24s %6s %6s %6s %7s %7s\n", "class", "id", "gt", "dets", "AP", "AP50");
  for (const ClassMetrics& c : r.coco.classes) {
    std::printf("%-24s %6lld %6d %6d %7.3f %7.3f\n", c.name.substr(0, 24).c_str(),
                static_cast<long long>(c.category_id), c.num_gt, c.num_detections, c.ap, c.ap50);
  }
  if (r.mean_invoke_ms > 0) {
    std::printf("%.1f s in all, %.1f ms per image in the model\n", r.seconds, r.mean_invoke_ms);
  }
}

Status RunVoc(const EvalParams& p) {
  ASSIGN_OR_RETURN(std::vector<VocApRow> rows, EvaluateVocTextFiles(p.detections, p.dataset, p.ious));
  if (p.json) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& r : rows) {
      a.push_back({{"class", r.label}, {"iou", r.iou}, {"num_gt", r.num_gt},
                   {"num_detections", r.num_detections}, {"ap_11_point", r.ap_11_point},
                   {"ap_every_point", r.ap_every_point}});
    }
    std::cout << DumpJson(nlohmann::json{{"voc", a}}, 2) << "\n";
    return Status::Ok();
  }
  std::printf("%-20s %5s %6s %6s %12s %12s\n", "class", "IoU", "gt", "dets", "AP 11-point",
              "AP all-point");
  for (const auto& r : rows) {
    std::printf("%-20s %5.2f %6d %6d %12.10f %12.10f\n", r.label.substr(0, 20).c_str(), r.iou,
                r.num_gt, r.num_detections, r.ap_11_point, r.ap_every_point);
  }
  return Status::Ok();
}

Status RunEval(const EvalParams& p) {
  if (p.dataset.empty()) {
    return InvalidArgument("eval: give --dataset (ground truth: a dataset or a file)");
  }
  if (!p.part.empty()) return RunEvalShard(p);
  if (!p.shard.empty()) {
    return InvalidArgument("eval --shard " + p.shard +
                           ": a shard writes a part file; give -o part.json too");
  }
  if (!p.report.empty()) {
    RETURN_IF_ERROR(CheckOutputPath("--report", p.report,
                                    {p.model, p.dataset, p.detections, p.labels, p.compare_to}));
  }
  EvalResult result;
  if (!p.detections.empty()) {
    if (!p.model.empty()) return InvalidArgument("give either a MODEL or --detections, not both");
    std::error_code ec;
    if (std::filesystem::is_directory(p.detections, ec)) return RunVoc(p);
    ASSIGN_OR_RETURN(result, EvaluateCocoResults(p.detections, p.dataset));
  } else {
    if (p.model.empty()) return InvalidArgument("give a MODEL to run, or --detections FILE to score");
    ASSIGN_OR_RETURN(Model model, Model::Load(p.model));
    EvalOptions o = ModelEvalOptions(p);
    std::optional<Model> reference;
    if (!p.compare_to.empty()) {
      ASSIGN_OR_RETURN(Model r, Model::Load(p.compare_to));
      reference = std::move(r);
      o.reference = &*reference;
    }
    auto progress = std::make_shared<Progress>("eval", 0);
    o.progress = [&progress](int64_t done, int64_t total) {
      if (done == 1) progress = std::make_shared<Progress>("eval", total);
      progress->Update(done);
    };
    ASSIGN_OR_RETURN(result, EvaluateModel(model, p.dataset, o));
    progress->Finish();
  }
  return PrintResult(p, result);
}

}  // namespace

EvalOptions ModelEvalOptions(const EvalParams& p) {
  EvalOptions o;
  o.preprocess = p.pre;
  o.labels = p.labels;
  o.score_threshold = p.score_threshold;
  o.max_images = p.max_images;
  o.worst_images = p.worst;
  return o;
}

Status PrintResult(const EvalParams& p, const EvalResult& result) {
  if (p.json) {
    std::cout << DumpJson(SummaryJson(result), 2) << "\n";
  } else {
    PrintSummary(result);
    if (!result.reference.empty()) PrintComparison(result);
  }
  if (!p.report.empty()) {
    RETURN_IF_ERROR(WriteEvalReport(result, p.report));
    if (!p.json) std::printf("report: %s\n", p.report.c_str());
  }
  return Status::Ok();
}

void AddEvalCommand(CLI::App& app, std::function<Status()>* run) {
  auto params = std::make_shared<EvalParams>();
  CLI::App* cmd = app.add_subcommand(
      "eval",
      "Measure accuracy: COCO AP/AR (the twelve numbers pycocotools prints, computed\n"
      "the same way) and per-class AP.\n"
      "  detlite eval MODEL --dataset DATA [--labels FILE] [--report r.html]\n"
      "      runs a detector (ending in TFLite_Detection_PostProcess) over DATA: a COCO\n"
      "      json, a Pascal VOC directory or an Object Detection API TFRecord. With\n"
      "      --labels, model classes are matched to the dataset's categories by name.\n"
      "  detlite eval int8.tflite --dataset DATA --compare-to float.tflite --report r.html\n"
      "      also runs the float model on the same photos: both sets of numbers, and\n"
      "      the photos where the int8 model loses most AP, both sets of boxes drawn.\n"
      "  detlite eval --detections results.json --dataset instances.json\n"
      "      scores a COCO results file against COCO ground truth.\n"
      "  detlite eval --detections dets/ --dataset gts/ [--iou 0.5 0.75]\n"
      "      Pascal VOC AP (11-point and every-point) from per-image text files.\n"
      "  detlite eval MODEL --dataset DATA --shard 2/4 -o part2.json\n"
      "      runs the photos whose index % 4 == 1 only and writes their detections;\n"
      "      without --shard, SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT or\n"
      "      JOB_COMPLETION_INDEX/DETLITE_SHARD_COUNT choose it (docs/SCALE.md).\n"
      "  detlite eval merge part*.json [--report r.html]\n"
      "      checks the parts come from one model, dataset and options, every shard\n"
      "      once, and prints exactly the numbers one process would.");
  cmd->add_option("model", params->model, "a .tflite detector");
  cmd->add_option("--dataset", params->dataset, "ground truth: dataset or file (required)");
  cmd->add_option("--detections", params->detections, "score this file/dir instead of a model");
  cmd->add_option("--labels", params->labels, "label map naming the model's classes");
  cmd->add_option("--report", params->report, "write an HTML report (numbers, PR plots, photos)")
      ->check(kNonEmpty);
  cmd->add_option("--iou", params->ious, "IoU thresholds for VOC text files (0.5)")
      ->check(NumberIn(0.0, 1.0));
  cmd->add_option("--max-images", params->max_images, "evaluate only the first N images")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  cmd->add_option("--score-threshold", params->score_threshold, "drop detections below (0)")
      ->check(NumberIn(0.0, 1.0));
  cmd->add_option("--compare-to", params->compare_to,
                  "a reference model (e.g. the float original of a quantized MODEL) run on the "
                  "same photos: both sets of numbers, and the photos MODEL loses most AP on, "
                  "drawn side by side in --report");
  cmd->add_option("--worst", params->worst, "photos listed with --compare-to (default 6)")
      ->check(CLI::Range(0, 1000));
  cmd->add_flag("--json", params->json, "print the numbers as JSON");
  cmd->add_option("--shard", params->shard,
                  "K/N: evaluate the photos whose index % N == K-1 (1-based K), with -o");
  cmd->add_option("-o,--output", params->part, "write this shard's detections for eval merge")
      ->check(kNonEmpty);
  AddPreprocessFlags(cmd, &params->pre);
  CLI::App* merge = cmd->add_subcommand(
      "merge",
      "Score the part files of a sharded eval (eval MODEL --shard K/N -o part.json)\n"
      "together: the same AP/AR, to the last bit, as one process over every photo.\n"
      "Refuses parts of different models, datasets or options, a shard given twice\n"
      "or missing, naming the file.\n"
      "Example: detlite eval merge part1.json part2.json part3.json --report r.html");
  merge->add_option("parts", params->merge_parts, "the part files, one per shard")->required();
  merge->add_option("--report", params->report, "write an HTML report (numbers, PR plots)")
      ->check(kNonEmpty);
  merge->add_flag("--json", params->json, "print the numbers as JSON");
  cmd->callback([params, run, merge] {
    if (merge->parsed()) {
      *run = [params] { return RunEvalMerge(*params); };
    } else {
      *run = [params] { return RunEval(*params); };
    }
  });
}

}  // namespace detlite::cli
