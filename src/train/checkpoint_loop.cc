// RunTrainingLoop: resume, steps, checkpoints, periodic evaluation.
#include <sstream>

#include "train/checkpoint_state.h"

namespace detlite::train {
namespace {

void AddRun(const RunHooks& h, const RunCheckpoints& c, int step, const std::mt19937_64& rng,
            const TrainLog& log, Checkpoint* out) {
  out->AddText("run/kind", h.kind);
  out->AddI64("run/step", {step});
  out->AddText("run/model", h.model_fingerprint);
  for (const auto& [flag, value] : c.options) out->AddText("option/" + flag, value);
  std::ostringstream state;
  state << rng;
  out->AddText("run/rng", state.str());
  std::vector<double> box, cls, lr, matches, eval_step, ap, ap50;
  for (const LoggedStep& s : log.steps) {
    box.push_back(s.box), cls.push_back(s.cls), lr.push_back(s.lr), matches.push_back(s.matches);
  }
  for (const EvalPoint& e : log.evals) eval_step.push_back(e.step), ap.push_back(e.ap), ap50.push_back(e.ap50);
  out->AddF64("log/box", box);
  out->AddF64("log/class", cls);
  out->AddF64("log/lr", lr);
  out->AddF64("log/matches", matches);
  out->AddF64("log/eval_step", eval_step);
  out->AddF64("log/ap", ap);
  out->AddF64("log/ap50", ap50);
}

std::string KindFlags(const std::string& kind) {
  if (kind == "qat") return "--qat";
  if (kind == "distill") return "--distill --teacher";
  return "--loss ssd";
}

// Refuses a checkpoint of another kind of run, model or options.
Status Compatible(const RunHooks& h, const RunCheckpoints& c, const Checkpoint& ck) {
  const std::string& path = c.resume;
  ASSIGN_OR_RETURN(std::string kind, ck.Text("run/kind"));
  if (kind != h.kind) {
    return FailedPrecondition(path + ": a checkpoint of a " + KindFlags(kind) + " run; this run is " +
                              KindFlags(h.kind));
  }
  ASSIGN_OR_RETURN(std::string model, ck.Text("run/model"));
  if (model != h.model_fingerprint) {
    return FailedPrecondition(path + ": the checkpoint was made from another model (" + model +
                              "; this one: " + h.model_fingerprint + ")");
  }
  for (const auto& [flag, value] : c.options) {
    if (!ck.Has("option/" + flag)) {
      return FailedPrecondition(path + ": the checkpoint does not record " + flag + "; cannot resume with it");
    }
    ASSIGN_OR_RETURN(std::string was, ck.Text("option/" + flag));
    if (was != value) {
      return FailedPrecondition(path + ": " + flag + " was " + (was.empty() ? "(none)" : was) +
                                " in the checkpointed run, now " + (value.empty() ? "(none)" : value) +
                                "; resume with the same " + flag);
    }
  }
  return Status::Ok();
}

// Checks the checkpoint belongs to this run, restores the log and the RNG;
// returns the steps done.
StatusOr<int> Resume(const RunHooks& h, const RunCheckpoints& c, const Checkpoint& ck,
                     std::mt19937_64* rng, TrainLog* log) {
  const std::string& path = c.resume;
  RETURN_IF_ERROR(Compatible(h, c, ck));
  ASSIGN_OR_RETURN(int64_t step, ck.Int("run/step"));
  if (step < 0 || step > h.steps) {
    return DataLoss(path + ": step " + std::to_string(step) + " is outside 0.." + std::to_string(h.steps));
  }
  ASSIGN_OR_RETURN(std::string state, ck.Text("run/rng"));
  std::istringstream in(state);
  in >> *rng;
  if (in.fail()) return DataLoss(path + ": record 'run/rng' is not a generator state");
  ASSIGN_OR_RETURN(auto box, ck.F64("log/box", step));
  ASSIGN_OR_RETURN(auto cls, ck.F64("log/class", step));
  ASSIGN_OR_RETURN(auto lr, ck.F64("log/lr", step));
  ASSIGN_OR_RETURN(auto matches, ck.F64("log/matches", step));
  ASSIGN_OR_RETURN(auto eval_step, ck.F64("log/eval_step"));
  const int64_t evals = static_cast<int64_t>(eval_step.size());
  ASSIGN_OR_RETURN(auto ap, ck.F64("log/ap", evals));
  ASSIGN_OR_RETURN(auto ap50, ck.F64("log/ap50", evals));
  log->steps.clear();
  log->evals.clear();
  for (int64_t i = 0; i < step; ++i) {
    log->steps.push_back({static_cast<int>(i + 1), box[i], cls[i], static_cast<float>(lr[i]),
                          static_cast<int>(matches[i]), 0, ""});
  }
  for (int64_t i = 0; i < evals; ++i) log->evals.push_back({static_cast<int>(eval_step[i]), ap[i], ap50[i], 0});
  log->resumed_from = static_cast<int>(step);
  RETURN_IF_ERROR(h.restore(ck));
  return static_cast<int>(step);
}

}  // namespace

Status CheckRunOptions(int steps, int batch, float lr, int images, const std::string& no_images) {
  if (steps <= 0 || batch <= 0) return InvalidArgument("--steps and --batch must be positive");
  if (images <= 0) return InvalidArgument(no_images);
  if (!(lr > 0)) return InvalidArgument("--lr must be positive");
  return Status::Ok();
}

bool HasOneFloatInput(const ir::Model& m) {
  return m.subgraphs.size() == 1 && m.subgraphs[0].inputs.size() == 1 &&
         m.subgraphs[0].tensors[static_cast<size_t>(m.subgraphs[0].inputs[0])].dtype == DType::kFloat32;
}

Status CheckResume(const RunHooks& hooks, const RunCheckpoints& checkpoints) {
  if (checkpoints.resume.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(Checkpoint ck, Checkpoint::Read(checkpoints.resume));
  return Compatible(hooks, checkpoints, ck);
}

StatusOr<ir::Model> RunTrainingLoop(const RunHooks& h, const RunCheckpoints& c, const RunEval& eval,
                                    TrainLog* log) {
  std::mt19937_64 rng(h.seed);
  int start = 0, good_step = -1;
  std::string good_path;
  if (!c.resume.empty()) {
    ASSIGN_OR_RETURN(Checkpoint ck, Checkpoint::Read(c.resume));
    ASSIGN_OR_RETURN(start, Resume(h, c, ck, &rng, log));
    good_step = start;
    good_path = c.resume;
  }
  auto kept = [&]() -> std::string {
    if (good_step < 0) {
      return c.path.empty() ? "; no checkpoint was asked for"
                            : "; no checkpoint was written yet (" + c.path + " left as it was)";
    }
    return "; the last good checkpoint (step " + std::to_string(good_step) + ") is kept: " + good_path;
  };
  auto evaluate = [&](const ir::Model& model, int step) -> Status {
    ASSIGN_OR_RETURN(EvalPoint e, eval.evaluate(model, step));
    e.step = step;
    log->evals.push_back(e);
    if (eval.done) eval.done(e);
    return Status::Ok();
  };
  auto save = [&](int step) -> Status {
    Checkpoint ck;
    AddRun(h, c, step, rng, *log, &ck);
    h.save(&ck);
    RETURN_IF_ERROR(ck.Write(c.path));
    good_step = step;
    good_path = c.path;
    if (c.saved) c.saved(step, c.path);
    return Status::Ok();
  };
  for (int s = start + 1; s <= h.steps; ++s) {
    StatusOr<LoggedStep> step = h.step(rng);
    if (!step.ok()) return Status(step.status().code(), step.status().message() + kept());
    log->steps.push_back(*step);
    std::string which;
    if (!h.finite(&which)) {
      return InvalidArgument("step " + std::to_string(s) + ": tensor " + which +
                             " is not finite after the update on " + step->batch +
                             " (is the learning rate too large?)" + kept());
    }
    if (s == h.steps) break;  // the last step's evaluation and checkpoint follow
    if (eval.every > 0 && eval.evaluate && s % eval.every == 0) {
      ASSIGN_OR_RETURN(ir::Model model, h.export_model());
      RETURN_IF_ERROR(evaluate(model, s));
    }
    if (!c.path.empty() && c.every > 0 && s % c.every == 0) RETURN_IF_ERROR(save(s));
    if (c.stop_after && c.stop_after(s)) {
      return FailedPrecondition("stopped after step " + std::to_string(s) + " as asked" + kept());
    }
  }
  ASSIGN_OR_RETURN(ir::Model model, h.export_model());
  const bool evaluated = !log->evals.empty() && log->evals.back().step == h.steps;
  if (eval.every > 0 && eval.evaluate && !evaluated) RETURN_IF_ERROR(evaluate(model, h.steps));
  if (!c.path.empty()) RETURN_IF_ERROR(save(h.steps));
  return model;
}

}  // namespace detlite::train
