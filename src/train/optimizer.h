// Optimizers and the learning-rate schedule of detlite's training loops
// (issue 13, item 4): SGD with momentum and Adam over float parameter
// buffers, and a cosine schedule after a linear warmup. Plain loops in a
// fixed order, so a run with the same inputs is the same bit for bit.
#ifndef DETLITE_TRAIN_OPTIMIZER_H_
#define DETLITE_TRAIN_OPTIMIZER_H_

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace detlite::train {

enum class OptimizerKind { kSgd, kAdam };

struct OptimizerOptions {
  OptimizerKind kind = OptimizerKind::kAdam;
  float momentum = 0.9f;  // SGD
  float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;  // Adam
};

// Learning rate at `step` (0-based) of `steps`: rising linearly to `base`
// over `warmup` steps, then down to 0 along half a cosine.
float CosineLearningRate(float base, int step, int steps, int warmup);

// The warmup of a run of `steps`: `warmup_steps`, or a tenth of the steps
// when it is -1.
inline int WarmupSteps(int warmup_steps, int steps) { return warmup_steps >= 0 ? warmup_steps : steps / 10; }

// After the warmup: cosine decay to 0 (the default), constant, or steps
// (the Object Detection API's manual_step_learning_rate): from 0-based
// step b of each boundary on, the rate is multiplied by `factor` once more.
struct LearningRateSchedule {
  enum class Kind { kCosine, kConstant, kStep };
  Kind kind = Kind::kCosine;
  std::vector<int> boundaries;  // kStep, increasing
  float factor = 0.1f;          // kStep
};
float ScheduledLearningRate(float base, int step, int steps, int warmup,
                            const LearningRateSchedule& schedule);

class Optimizer {
 public:
  // Per parameter: SGD's momentum (m), or Adam's first and second moments.
  struct Slots {
    std::vector<float> m, v;
  };

  explicit Optimizer(const OptimizerOptions& options) : options_(options) {}
  // One update of parameter `id` (the same id every step) by `grad`.
  void Update(int32_t id, float lr, const std::vector<float>& grad, std::vector<float>* param);
  // Call once per step, before its Update calls (Adam's bias correction).
  void BeginStep() { ++t_; }

  // The whole state, for checkpoints: the step count (Adam's bias
  // correction) and every parameter's slots.
  int64_t steps() const { return t_; }
  const std::map<int32_t, Slots>& slots() const { return slots_; }
  void Restore(int64_t steps, std::map<int32_t, Slots> slots) {
    t_ = steps;
    slots_ = std::move(slots);
  }

 private:
  OptimizerOptions options_;
  int64_t t_ = 0;
  std::map<int32_t, Slots> slots_;
};

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_OPTIMIZER_H_
