// detlite train MODEL --data DIR -o OUT.tflite --qat [--steps N --batch B
//   --lr X --seed S --optimizer adam|sgd] [--json]
// Quantization-aware training by distillation from the float model on
// unlabelled photos; writes the int8 model.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "cli_common.h"
#include "commands.h"
#include "detlite/train.h"
#include "json_util.h"

namespace detlite::cli {
namespace {

struct TrainParams {
  std::string model;
  std::string output;
  bool qat = false;
  bool json = false;
  std::string optimizer = "adam";
  TrainOptions options;
};

Status RunTrain(TrainParams& p) {
  if (!p.qat) {
    return InvalidArgument("detlite train needs --qat (quantization-aware training is the only "
                           "kind of training so far)");
  }
  RETURN_IF_ERROR(CheckOutputPath("-o", p.output, {p.model, p.options.data}));
  p.options.optimizer = p.optimizer == "sgd" ? TrainOptimizer::kSgd : TrainOptimizer::kAdam;
  ASSIGN_OR_RETURN(Model model, Model::Load(p.model));
  p.options.progress = [](const TrainProgress& s) {
    std::fprintf(stderr,
                 "step %d/%d  loss %.5g (box %.5g, class %.5g)  lr %.3g  %.2f images/s  "
                 "%.2f s/step (%.2f s new graph and interpreter)\n",
                 s.step, s.steps, s.box_loss + s.class_loss, s.box_loss, s.class_loss,
                 s.learning_rate, s.images_per_second, s.seconds, s.rebuild_seconds);
  };
  ASSIGN_OR_RETURN(TrainReport r, TrainQat(model, p.options));
  RETURN_IF_ERROR(model.Save(p.output));
  double first = 0, last = 0;
  const size_t n = r.steps.size(), k = std::max<size_t>(1, n / 10);
  for (size_t i = 0; i < k && i < n; ++i) first += (r.steps[i].box_loss + r.steps[i].class_loss) / k;
  for (size_t i = n - std::min(n, k); i < n; ++i) last += (r.steps[i].box_loss + r.steps[i].class_loss) / k;
  if (p.json) {
    nlohmann::json j;
    j["output"] = p.output;
    j["steps"] = n;
    j["training_images"] = r.training_images;
    j["calibration_images"] = r.quantize.calibration_images;
    j["loss_first_tenth"] = first;
    j["loss_last_tenth"] = last;
    j["seconds"] = r.seconds;
    j["ops_quantized"] = r.quantize.ops_quantized;
    j["ops_left_float"] = r.quantize.ops_left_float;
    std::printf("%s\n", DumpJson(j, 2).c_str());
    return Status::Ok();
  }
  std::printf("wrote %s: %zu steps on %d images, mean loss of the first tenth %.5g, last tenth "
              "%.5g, %.1f s; %d ops int8, %d float\n",
              p.output.c_str(), n, r.training_images, first, last, r.seconds,
              r.quantize.ops_quantized, r.quantize.ops_left_float);
  return Status::Ok();
}

}  // namespace

void AddTrainCommand(CLI::App& app, std::function<Status()>* run) {
  auto p = std::make_shared<TrainParams>();
  CLI::App* cmd = app.add_subcommand(
      "train",
      "Quantization-aware training (--qat): the float model teaches a copy of itself\n"
      "that simulates int8 exactly (int8 weights per channel, int8 activations with\n"
      "the ranges `convert --quantize int8` would choose) on unlabelled images, so\n"
      "no labels are needed; the trained weights and activation ranges are written\n"
      "as an int8 model. Start from a float .tflite (detlite convert first).\n"
      "Example: detlite train ssdlite.tflite --qat --data coco/images -o ssdlite_qat.tflite\n"
      "         --steps 200 --batch 8 --lr 1e-5");
  cmd->add_option("model", p->model, "the float .tflite")->required();
  cmd->add_option("-o,--output", p->output, "the int8 .tflite to write")->required()->check(kNonEmpty);
  cmd->add_flag("--qat", p->qat, "quantization-aware training to int8 (required)");
  cmd->add_option("--data", p->options.data,
                  "folder of images (labels unused); its first --calibration-size images "
                  "calibrate the starting ranges")
      ->required();
  cmd->add_option("--steps", p->options.steps, "optimizer steps (default 100)")->check(CLI::Range(1, 100000000));
  cmd->add_option("--batch", p->options.batch, "images per step (default 8)")->check(CLI::Range(1, 100000));
  cmd->add_option("--lr", p->options.learning_rate, "peak learning rate (default 1e-5), cosine decay")
      ->check(NumberIn(1e-12, 10));
  cmd->add_option("--warmup", p->options.warmup_steps, "linear warmup steps (default a tenth of --steps)")
      ->check(CLI::Range(0, 100000000));
  cmd->add_option("--optimizer", p->optimizer, "adam (default) or sgd (with --momentum)")
      ->check(CLI::IsMember({"adam", "sgd"}));
  cmd->add_option("--momentum", p->options.momentum, "SGD momentum (default 0.9)")->check(NumberIn(0, 1));
  cmd->add_option("--seed", p->options.seed, "seed of the batch draws; same seed, same bits (default 1)");
  cmd->add_option("--range-momentum", p->options.range_momentum,
                  "EMA weight of each step's activation ranges (default 0: keep the calibrated)")
      ->check(NumberIn(0, 1));
  cmd->add_option("--class-weight", p->options.class_weight,
                  "weight of the class-score (KL) term against the box (L2) term (default 1)")
      ->check(NumberIn(0, 1e9));
  cmd->add_option("--calibration-size", p->options.calibration_size, "calibration images (default 100)")
      ->check(CLI::Range(1, 1000000));
  AddSettingOption(cmd, "--calibration-method", &p->options.calibration_method,
                   "how calibrated activations become ranges (default mse)");
  cmd->add_option("--threads", p->options.threads, "threads (default 2)")->check(CLI::Range(1, 256));
  cmd->add_flag("--json", p->json, "print the summary as JSON");
  AddPreprocessFlags(cmd, &p->options.preprocess);
  cmd->callback([p, run] { *run = [p] { return RunTrain(*p); }; });
}

}  // namespace detlite::cli
