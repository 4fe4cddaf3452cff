// detlite train MODEL --data DIR -o OUT.tflite --qat [--steps N --batch B
//   --lr X --seed S --optimizer adam|sgd] [--json]
// Quantization-aware training by distillation from the float model on
// unlabelled photos; writes the int8 model.
// detlite train MODEL --data DATASET -o OUT.tflite --loss ssd [...]
// Float fine-tuning with the Object Detection API's SSD loss on labels.
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
  std::string loss;  // "" = distill with --qat
  std::string augment = "flip,crop";
  std::string class_loss = "sigmoid";
  std::string hard_mining = "on";
  std::string optimizer = "adam";
  TrainOptions options;
};

void PrintStep(const TrainProgress& s, bool ssd) {
  if (ssd) {
    std::fprintf(stderr,
                 "step %d/%d  loss %.5g (box %.5g, class %.5g)  %d matched anchors  lr %.3g  "
                 "%.2f images/s  %.2f s/step\n",
                 s.step, s.steps, s.box_loss + s.class_loss, s.box_loss, s.class_loss, s.matches,
                 s.learning_rate, s.images_per_second, s.seconds);
    return;
  }
  std::fprintf(stderr,
               "step %d/%d  loss %.5g (box %.5g, class %.5g)  lr %.3g  %.2f images/s  "
               "%.2f s/step (%.2f s new graph and interpreter)\n",
               s.step, s.steps, s.box_loss + s.class_loss, s.box_loss, s.class_loss,
               s.learning_rate, s.images_per_second, s.seconds, s.rebuild_seconds);
}

Status ParseAugment(const std::string& list, TrainOptions* o) {
  o->augment_flip = o->augment_crop = false;
  if (list == "none") return Status::Ok();
  size_t pos = 0;
  while (pos <= list.size()) {
    const size_t comma = std::min(list.find(',', pos), list.size());
    const std::string item = list.substr(pos, comma - pos);
    if (item == "flip") {
      o->augment_flip = true;
    } else if (item == "crop") {
      o->augment_crop = true;
    } else {
      return InvalidArgument("--augment: unknown augmentation '" + item +
                             "' (give flip, crop, flip,crop or none)");
    }
    pos = comma + 1;
  }
  return Status::Ok();
}

Status RunTrain(TrainParams& p) {
  const bool ssd = p.loss == "ssd";
  if (ssd && p.qat) {
    return InvalidArgument("--loss ssd with --qat is not implemented yet: fine-tune in float "
                           "with --loss ssd, then run --qat on the result");
  }
  if (!ssd && !p.qat) {
    return InvalidArgument("detlite train needs --qat (quantization-aware training by "
                           "distillation, int8 output) or --loss ssd (float fine-tuning on a "
                           "labelled dataset)");
  }
  RETURN_IF_ERROR(ParseAugment(p.augment, &p.options));
  p.options.ssd_class_loss = p.class_loss == "focal"     ? SsdClassLoss::kSigmoidFocal
                             : p.class_loss == "softmax" ? SsdClassLoss::kSoftmax
                                                         : SsdClassLoss::kSigmoid;
  p.options.ssd_hard_mining = p.hard_mining == "on";
  RETURN_IF_ERROR(CheckOutputPath("-o", p.output, {p.model, p.options.data}));
  p.options.optimizer = p.optimizer == "sgd" ? TrainOptimizer::kSgd : TrainOptimizer::kAdam;
  ASSIGN_OR_RETURN(Model model, Model::Load(p.model));
  p.options.progress = [ssd](const TrainProgress& s) { PrintStep(s, ssd); };
  TrainReport r;
  if (ssd) {
    ASSIGN_OR_RETURN(r, FineTuneSsd(model, p.options));
  } else {
    ASSIGN_OR_RETURN(r, TrainQat(model, p.options));
  }
  RETURN_IF_ERROR(model.Save(p.output));
  double first = 0, last = 0;
  const size_t n = r.steps.size(), k = std::max<size_t>(1, n / 10);
  for (size_t i = 0; i < k && i < n; ++i) first += (r.steps[i].box_loss + r.steps[i].class_loss) / k;
  for (size_t i = n - std::min(n, k); i < n; ++i) last += (r.steps[i].box_loss + r.steps[i].class_loss) / k;
  if (p.json) {
    nlohmann::json j;
    j["output"] = p.output;
    j["loss"] = ssd ? "ssd" : "distill";
    j["steps"] = n;
    j["training_images"] = r.training_images;
    j["loss_first_tenth"] = first;
    j["loss_last_tenth"] = last;
    j["seconds"] = r.seconds;
    if (ssd) {
      j["training_boxes"] = r.training_boxes;
      j["labels"] = r.notes;
      nlohmann::json curve = nlohmann::json::array();
      for (const TrainProgress& s : r.steps) curve.push_back({{"box", s.box_loss}, {"class", s.class_loss}});
      j["loss_per_step"] = curve;
    } else {
      j["calibration_images"] = r.quantize.calibration_images;
      j["ops_quantized"] = r.quantize.ops_quantized;
      j["ops_left_float"] = r.quantize.ops_left_float;
    }
    std::printf("%s\n", DumpJson(j, 2).c_str());
    return Status::Ok();
  }
  if (ssd) {
    std::printf("wrote %s (float): %zu steps on %d images, %d boxes; mean loss of the first tenth "
                "%.5g, last tenth %.5g, %.1f s\n%s\n",
                p.output.c_str(), n, r.training_images, r.training_boxes, first, last, r.seconds,
                r.notes.c_str());
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
      "Two kinds of training, on CPU, of a float .tflite (detlite convert first):\n"
      "  --qat       quantization-aware training: the float model teaches a copy of\n"
      "              itself that simulates int8 exactly (int8 weights per channel, int8\n"
      "              activations with the ranges `convert --quantize int8` would choose)\n"
      "              on unlabelled images; writes an int8 model.\n"
      "  --loss ssd  float fine-tuning with the Object Detection API's SSD loss on a\n"
      "              labelled dataset (COCO json, VOC, TFRecord): anchors matched at IoU\n"
      "              0.5, smooth L1 on the encoded boxes, sigmoid cross-entropy with hard\n"
      "              example mining (3 negatives per positive); anchors and box coder\n"
      "              from the model's TFLite_Detection_PostProcess, classes matched to the\n"
      "              dataset's categories as `detlite eval` does; photos randomly\n"
      "              flipped and cropped (--augment); writes a float model.\n"
      "Examples: detlite train ssdlite.tflite --qat --data coco/images -o ssdlite_qat.tflite\n"
      "            --steps 200 --batch 8 --lr 1e-5\n"
      "          detlite train ssdlite.tflite --loss ssd --data coco_train2017_288 \\\n"
      "            -o ssdlite_ft.tflite --steps 200 --batch 8 --lr 1e-5");
  cmd->add_option("model", p->model, "the float .tflite")->required();
  cmd->add_option("-o,--output", p->output, "the .tflite to write (int8 with --qat, else float)")
      ->required()
      ->check(kNonEmpty);
  cmd->add_flag("--qat", p->qat, "quantization-aware training to int8 by distillation");
  cmd->add_option("--loss", p->loss, "ssd: fine-tune in float on labels (distill: --qat's loss)")
      ->check(CLI::IsMember({"distill", "ssd"}));
  cmd->add_option("--data", p->options.data,
                  "--qat: folder of images (labels unused; its first --calibration-size images "
                  "calibrate the starting ranges); --loss ssd: a labelled dataset")
      ->required();
  cmd->add_option("--labels", p->options.labels,
                  "--loss ssd: label map naming the model's classes, matched to the dataset's "
                  "categories by name (as eval --labels)");
  cmd->add_option("--class-loss", p->class_loss,
                  "--loss ssd: sigmoid (default; the SSDLite config's), focal (gamma 2, alpha "
                  "0.25) or softmax cross-entropy")
      ->check(CLI::IsMember({"sigmoid", "focal", "softmax"}));
  cmd->add_option("--hard-mining", p->hard_mining,
                  "--loss ssd: on (default: 3 negatives per positive) or off (every anchor)")
      ->check(CLI::IsMember({"on", "off"}));
  cmd->add_option("--augment", p->augment,
                  "--loss ssd: flip, crop, flip,crop (default) or none; drawn from --seed");
  cmd->add_option("--steps", p->options.steps, "optimizer steps (default 100)")->check(CLI::Range(1, 100000000));
  cmd->add_option("--batch", p->options.batch, "images per step (default 8)")->check(CLI::Range(1, 100000));
  cmd->add_option("--lr", p->options.learning_rate, "peak learning rate (default 1e-5), cosine decay")
      ->check(NumberIn(1e-12, 10));
  cmd->add_option("--warmup", p->options.warmup_steps, "linear warmup steps (default a tenth of --steps)")
      ->check(CLI::Range(0, 100000000));
  cmd->add_option("--optimizer", p->optimizer, "adam (default) or sgd (with --momentum)")
      ->check(CLI::IsMember({"adam", "sgd"}));
  cmd->add_option("--momentum", p->options.momentum, "SGD momentum (default 0.9)")->check(NumberIn(0, 1));
  cmd->add_option("--seed", p->options.seed, "seed of the batch draws and augmentations; same seed, same bits (default 1)");
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
