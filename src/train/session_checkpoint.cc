// QatSession's and FineTuneSession's state to and from checkpoints.
#include "train/finetune.h"
#include "train/qat.h"

namespace detlite::train {

void QatSession::SaveState(Checkpoint* c) const {
  AddParameters(student_.subgraphs[0], params_, optimizer_, masks_, c);
  c->AddI64("session/step", {step_});
  for (const auto& [t, r] : own_ranges_) {
    const float v[2] = {r.min, r.max};
    c->AddF32("range/" + std::to_string(t), {2}, v, 2);
  }
}

Status QatSession::RestoreState(const Checkpoint& c) {
  RETURN_IF_ERROR(RestoreParameters(c, params_, &optimizer_, &masks_, &student_.subgraphs[0]));
  ASSIGN_OR_RETURN(int64_t step, c.Int("session/step"));
  for (auto& [t, r] : own_ranges_) {
    ASSIGN_OR_RETURN(std::vector<float> v, c.F32("range/" + std::to_string(t), 2));
    r.min = v[0];
    r.max = v[1];
  }
  step_ = static_cast<int>(step);
  stale_ = true;
  return Status::Ok();
}

bool QatSession::ParametersFinite(std::string* which) const {
  return train::ParametersFinite(student_.subgraphs[0], params_, which);
}

void FineTuneSession::SaveState(Checkpoint* c) const {
  AddParameters(graph_.subgraphs[0], params_, optimizer_, masks_, c);
  c->AddI64("session/step", {step_});
}

Status FineTuneSession::RestoreState(const Checkpoint& c) {
  RETURN_IF_ERROR(RestoreParameters(c, params_, &optimizer_, &masks_, &graph_.subgraphs[0]));
  ASSIGN_OR_RETURN(int64_t step, c.Int("session/step"));
  step_ = static_cast<int>(step);
  forward_.reset();  // it read the weights just replaced
  return Status::Ok();
}

bool FineTuneSession::ParametersFinite(std::string* which) const {
  return train::ParametersFinite(graph_.subgraphs[0], params_, which);
}

}  // namespace detlite::train
