// detlite train MODEL --data DIR -o OUT.tflite --qat [--steps N --batch B
//   --lr X --seed S --optimizer adam|sgd] [--json]
// Quantization-aware training, by distillation from the float model on
// unlabelled photos or with the SSD loss on a labelled dataset; writes the
// int8 model.
// detlite train MODEL --data DATASET -o OUT.tflite --loss ssd [...]
// Float fine-tuning with the Object Detection API's SSD loss on labels.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli_common.h"
#include "commands.h"
#include "detlite/train.h"
#include "train_output.h"

namespace detlite::cli {
namespace {

// True when one path is the other or inside it (a dataset and its images/).
bool Overlap(const std::string& a, const std::string& b) {
  std::error_code e1, e2;
  const std::string x = std::filesystem::weakly_canonical(a, e1).string();
  const std::string y = std::filesystem::weakly_canonical(b, e2).string();
  if (e1 || e2) return a == b;
  auto inside = [](const std::string& in, const std::string& dir) {
    return in.size() > dir.size() && in.compare(0, dir.size(), dir) == 0 && in[dir.size()] == '/';
  };
  return x == y || inside(x, y) || inside(y, x);
}

Status SetUpCheckpointsAndEval(TrainParams& p) {
  TrainOptions& o = p.options;
  if (p.no_checkpoint) {
    if (!o.checkpoint.empty()) return InvalidArgument("--no-checkpoint and --checkpoint contradict each other");
    if (p.resume && p.resume_path.empty()) {
      return InvalidArgument("--resume without a path needs the checkpoint: give --resume CKPT");
    }
  } else if (o.checkpoint.empty()) {
    o.checkpoint = p.output + ".ckpt";
  }
  if (!o.checkpoint.empty()) RETURN_IF_ERROR(CheckOutputPath("--checkpoint", o.checkpoint, {p.model, o.data, p.output}));
  if (p.resume) o.resume = p.resume_path.empty() ? o.checkpoint : p.resume_path;
  std::error_code ec;
  if (!p.resume && !o.checkpoint.empty() && std::filesystem::exists(o.checkpoint, ec)) {
    std::fprintf(stderr, "note: %s exists; this run starts afresh and replaces it at its first "
                 "checkpoint (add --resume to continue that run instead)\n", o.checkpoint.c_str());
  }
  if (!p.report.empty()) RETURN_IF_ERROR(CheckOutputPath("--report", p.report, {p.model, o.data, p.output}));
  const std::string eval_data = o.eval_data;
  o.on_checkpoint = [](int step, const std::string& path) {
    std::fprintf(stderr, "step %d  checkpoint %s\n", step, path.c_str());
  };
  if (eval_data.empty()) {
    if (o.eval_every > 0) return InvalidArgument("--eval-every needs --eval-data DATASET");
    return Status::Ok();
  }
  if (Overlap(eval_data, o.data)) {
    std::fprintf(stderr, "warning: --eval-data %s is (in) the training data %s: its AP measures "
                 "memorization, not accuracy; evaluate on held-out photos\n",
                 eval_data.c_str(), o.data.c_str());
  }
  o.on_eval = [eval_data](const TrainEvalPoint& e) { PrintEval(e, eval_data); };
  return Status::Ok();
}

Status ParseAugment(const std::string& list, TrainOptions* o) {
  o->augment_flip = o->augment_crop = o->augment_color = false;
  if (list == "none") return Status::Ok();
  size_t pos = 0;
  while (pos <= list.size()) {
    const size_t comma = std::min(list.find(',', pos), list.size());
    const std::string item = list.substr(pos, comma - pos);
    if (item == "flip") {
      o->augment_flip = true;
    } else if (item == "crop") {
      o->augment_crop = true;
    } else if (item == "color") {
      o->augment_color = true;
    } else {
      return InvalidArgument("--augment: unknown augmentation '" + item +
                             "' (give a list of flip, crop, color, or none)");
    }
    pos = comma + 1;
  }
  return Status::Ok();
}

// cosine | constant | step:N1,N2,...
Status ParseSchedule(const std::string& text, TrainOptions* o) {
  if (text == "cosine" || text == "constant") {
    o->lr_schedule = text == "cosine" ? LrSchedule::kCosine : LrSchedule::kConstant;
    return Status::Ok();
  }
  const std::string bad = "--lr-schedule: '" + text + "' is not cosine, constant or step:N1,N2,... (steps at which the rate drops by --lr-decay)";
  if (text.rfind("step:", 0) != 0) return InvalidArgument(bad);
  o->lr_schedule = LrSchedule::kStep;
  o->lr_boundaries.clear();
  size_t pos = 5;
  while (pos <= text.size()) {
    const size_t comma = std::min(text.find(',', pos), text.size());
    const std::string item = text.substr(pos, comma - pos);
    if (item.empty() || item.size() > 9 || item.find_first_not_of("0123456789") != std::string::npos) {
      return InvalidArgument(bad);
    }
    o->lr_boundaries.push_back(std::stoi(item));
    pos = comma + 1;
  }
  return Status::Ok();
}

Status RunTrain(TrainParams& p) {
  if (p.distill) {
    if (p.loss == "ssd") return InvalidArgument("--distill and --loss ssd contradict each other");
    p.loss = "distill";
  }
  const bool teacher = !p.options.teacher.empty();
  if (teacher && (p.qat || p.loss == "ssd")) {
    return InvalidArgument("--teacher is for float fine-tuning by distillation (--distill without "
                           "--qat); --qat distills from the model itself");
  }
  if (!p.qat && p.loss == "distill" && !teacher) {
    return InvalidArgument("distillation needs a teacher: add --teacher MODEL (float fine-tuning) "
                           "or --qat (the model teaches its int8 copy)");
  }
  if (teacher) p.loss = "distill";
  if (!p.qat && p.loss != "ssd" && !teacher) {
    return InvalidArgument("detlite train needs --qat (quantization-aware training, int8 output), "
                           "--loss ssd (float fine-tuning on a labelled dataset) or --teacher MODEL "
                           "(float fine-tuning by distillation)");
  }
  p.options.qat_loss = p.loss == "ssd"       ? QatLoss::kSsd
                       : p.loss == "distill" ? QatLoss::kDistill
                                             : QatLoss::kAuto;
  RETURN_IF_ERROR(ParseAugment(p.augment, &p.options));
  RETURN_IF_ERROR(ParseSchedule(p.lr_schedule, &p.options));
  p.options.ssd_class_loss = p.class_loss == "focal"     ? SsdClassLoss::kSigmoidFocal
                             : p.class_loss == "softmax" ? SsdClassLoss::kSoftmax
                                                         : SsdClassLoss::kSigmoid;
  p.options.ssd_hard_mining = p.hard_mining == "on";
  RETURN_IF_ERROR(CheckOutputPath("-o", p.output, {p.model, p.options.data}));
  p.options.optimizer = p.optimizer == "sgd" ? TrainOptimizer::kSgd : TrainOptimizer::kAdam;
  RETURN_IF_ERROR(SetUpCheckpointsAndEval(p));
  ASSIGN_OR_RETURN(Model model, Model::Load(p.model));
  p.options.progress = [](const TrainProgress& s) { PrintStep(s); };
  p.options.prune_progress = [](int done, int total) {
    std::fprintf(stderr, "--prune-schedule: measuring each layer's sensitivity %d/%d\r%s", done, total,
                 done == total ? "\n" : "");
  };
  TrainReport r;
  if (p.qat) {
    ASSIGN_OR_RETURN(r, TrainQat(model, p.options));
  } else if (teacher) {
    ASSIGN_OR_RETURN(r, DistillFineTune(model, p.options));
  } else {
    ASSIGN_OR_RETURN(r, FineTuneSsd(model, p.options));
  }
  RETURN_IF_ERROR(model.Save(p.output));
  return PrintTrainSummary(p, r);
}

}  // namespace

void AddTrainCommand(CLI::App& app, std::function<Status()>* run) {
  auto p = std::make_shared<TrainParams>();
  CLI::App* cmd = app.add_subcommand(
      "train",
      "Three kinds of training, on CPU, of a float .tflite (detlite convert first):\n"
      "  --qat       quantization-aware training of a copy of the model that simulates\n"
      "              int8 exactly (int8 weights per channel, int8 activations with the\n"
      "              ranges `convert --quantize int8` would choose); writes an int8\n"
      "              model. Its loss: on a folder of images (no labels), distillation\n"
      "              from the float model (--distill); on a labelled dataset, the SSD\n"
      "              loss below (--loss ssd); either can be forced.\n"
      "  --teacher T float fine-tuning by distillation from model T on unlabelled photos\n"
      "              (e.g. a pruned model learning from the model it was pruned from).\n"
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
      "            -o ssdlite_ft.tflite --steps 200 --batch 8 --lr 1e-5\n"
      "          detlite train ssdlite.tflite --qat --data coco_train2017_288 \\\n"
      "            -o ssdlite_qat.tflite     (labelled data: QAT with the SSD loss)\n"
      "Any of them can prune while it trains: --prune-schedule 0.75 zeroes the smallest\n"
      "conv/FC weights step by step (per layer as `convert --prune` allocates them).\n"
      "Checkpoints: every --checkpoint-every steps (default 50) and at the end, to\n"
      "OUT.ckpt. A stopped run continues where its last checkpoint left off with\n"
      "the same command plus --resume, and ends with the same bits as a run that\n"
      "was never stopped (a changed option is refused, naming it). A NaN or\n"
      "infinite loss stops the run naming the step and the batch's images; the\n"
      "last good checkpoint is kept.\n"
      "AP while training: --eval-data coco_val2017_158 --eval-every 50 prints AP and\n"
      "AP50 of the model as it would be written; --report run.html plots loss and AP.");
  cmd->add_option("model", p->model, "the float .tflite")->required();
  cmd->add_option("-o,--output", p->output, "the .tflite to write (int8 with --qat, else float)")
      ->required()
      ->check(kNonEmpty);
  cmd->add_flag("--qat", p->qat, "quantization-aware training to int8");
  cmd->add_option("--loss", p->loss,
                  "ssd: the SSD loss on labels (float fine-tuning; with --qat, int8); distill: "
                  "--qat by distillation (default for --qat on a folder of images; the SSD loss "
                  "is the default on a labelled dataset)")
      ->check(CLI::IsMember({"distill", "ssd"}));
  cmd->add_flag("--distill", p->distill, "the same as --loss distill");
  cmd->add_option("--teacher", p->options.teacher,
                  "float fine-tuning by distillation: the model learns this model's box encodings "
                  "and class scores on the --data photos (no labels); e.g. the model it was pruned "
                  "from")
      ->check(CLI::ExistingFile);
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
  cmd->add_option("--pipeline-config", p->options.pipeline_config,
                  "--loss ssd: take the matcher thresholds, loss kinds and weights and the hard "
                  "example miner from an Object Detection API pipeline.config (overrides "
                  "--class-loss and --hard-mining)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--hard-mining", p->hard_mining,
                  "--loss ssd: on (default: 3 negatives per positive) or off (every anchor)")
      ->check(CLI::IsMember({"on", "off"}));
  cmd->add_option("--augment", p->augment,
                  "--loss ssd and --teacher: a list of flip, crop, color (brightness/contrast/saturation\n"
                  "jitter), or none; default flip,crop; drawn from --seed. With --teacher every photo\n"
                  "also comes as 3 augmented copies (the teacher sees the same pixels)");
  cmd->add_option("--steps", p->options.steps, "optimizer steps (default 100)")->check(CLI::Range(1, 100000000));
  cmd->add_option("--batch", p->options.batch, "images per step (default 8)")->check(CLI::Range(1, 100000));
  cmd->add_option("--lr", p->options.learning_rate, "peak learning rate (default 1e-5), after the warmup")
      ->check(NumberIn(1e-12, 10));
  cmd->add_option("--lr-schedule", p->lr_schedule,
                  "after the warmup: cosine (default, decay to 0), constant, or step:N1,N2,... "
                  "(the rate times --lr-decay from each of these 0-based steps on)");
  cmd->add_option("--lr-decay", p->options.lr_decay, "step schedule: factor at each step (default 0.1)")
      ->check(NumberIn(1e-9, 1));
  cmd->add_option("--warmup", p->options.warmup_steps, "linear warmup steps (default a tenth of --steps)")
      ->check(CLI::Range(0, 100000000));
  cmd->add_option("--optimizer", p->optimizer, "adam (default) or sgd (with --momentum)")
      ->check(CLI::IsMember({"adam", "sgd"}));
  cmd->add_option("--momentum", p->options.momentum, "SGD momentum (default 0.9)")->check(NumberIn(0, 1));
  cmd->add_option("--seed", p->options.seed, "seed of the batch draws and augmentations; same seed, same bits (default 1)");
  cmd->add_option("--prune-schedule", p->options.prune_sparsity,
                  "prune while training to this share of zeros in the conv/FC weights (per layer "
                  "as `convert --prune` allocates it), rising along a cubic from --prune-begin "
                  "to --prune-end; the pruned weights stay zero and the output is stored sparse")
      ->check(NumberIn(0, 0.999));
  cmd->add_option("--prune-begin", p->options.prune_begin, "step where pruning starts (default 0)")
      ->check(CLI::Range(0, 100000000));
  cmd->add_option("--prune-end", p->options.prune_end,
                  "step where the target sparsity is reached (default two thirds of --steps)")
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--prune-every", p->options.prune_every,
                  "steps between pruning steps (default a twentieth of --steps)")
      ->check(CLI::Range(1, 100000000));
  AddSettingOption(cmd, "--prune-block", &p->options.prune_block,
                   "--prune-schedule: zero single weights (1x1, default) or blocks of 4");
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
  cmd->add_option("--checkpoint", p->options.checkpoint,
                  "where checkpoints go (default OUT.ckpt): weights, optimizer and RNG state, "
                  "written atomically")
      ->check(kNonEmpty);
  cmd->add_option("--checkpoint-every", p->options.checkpoint_every,
                  "steps between checkpoints (default 50; 0: only after the last step)")
      ->check(CLI::Range(0, 100000000));
  cmd->add_flag("--no-checkpoint", p->no_checkpoint, "write no checkpoint");
  CLI::Option* resume = cmd->add_option("--resume", p->resume_path,
                  "continue a stopped run from a checkpoint (default: the --checkpoint path); "
                  "same model and options, same result bit for bit as an unstopped run (put it after MODEL, "
                  "or give its path)")
      ->expected(0, 1);
  cmd->add_option("--eval-data", p->options.eval_data,
                  "a labelled dataset (not the training data) to measure COCO AP on while "
                  "training, on the model as it would be written (int8 with --qat)");
  cmd->add_option("--eval-every", p->options.eval_every,
                  "steps between evaluations on --eval-data (default: only after the last step)")
      ->check(CLI::Range(0, 100000000));
  cmd->add_option("--eval-max-images", p->options.eval_max_images,
                  "evaluate on the first N images of --eval-data only (default all)")
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--report", p->report, "write an HTML page with the loss and AP plots (inline SVG)");
  cmd->add_flag("--json", p->json, "print the summary as JSON (with the loss per step and the AP points)");
  AddPreprocessFlags(cmd, &p->options.preprocess);
  cmd->callback([p, run, resume] {
    p->resume = resume->count() > 0;
    *run = [p] { return RunTrain(*p); };
  });
}

}  // namespace detlite::cli
