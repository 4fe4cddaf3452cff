// Chooses the scale and zero point of every activation the full-integer
// quantizer touches: each tensor's calibrated range (after the calibration
// method), merged across tensors that an op requires to share parameters
// (RESHAPE, CONCATENATION, pools, PAD, ...), or the fixed parameters of
// LOGISTIC/SOFTMAX/TANH outputs.
#ifndef DETLITE_QUANT_ACTIVATION_PARAMS_H_
#define DETLITE_QUANT_ACTIVATION_PARAMS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "quant/observer.h"
#include "quant/range_select.h"

namespace detlite::quant {

struct ActivationChoice {
  Range observed;
  Range own;     // after the calibration method
  Range chosen;  // after sharing with its group
  AffineParams params;
  // A detector's score logits whose calibrated maximum was raised to keep
  // high scores (see PlanActivations).
  bool widened_score = false;
};

inline constexpr float kScoreLogitHeadroom = 8.0f;   // sigmoid(8) = 0.99966
inline constexpr float kSigmoidLogitFloor = 16.0f;   // sigmoid(-16) = 1.1e-7

struct ActivationPlanOptions {
  CalibrationMethod method = kDefaultCalibrationMethod;
  float percentile = 99.99f;
  int64_t qmin = -128, qmax = 127;
  bool symmetric = false;  // int16 activations (16x8 mode): zero point 0
  // Quantization-aware training (src/train/fake_quant.h): a tensor found
  // here takes this range as its own instead of the calibration method's;
  // sharing, score-logit fitting and nudging then apply as usual.
  const std::map<int32_t, Range>* own_ranges = nullptr;
};

// `quantized[i]` says whether op i of subgraph 0 will be quantized. Returns
// parameters for every non-constant tensor a quantized op reads or writes.
// Tensors with no observation (never computed in calibration) are errors.
//
// Score logits (what reaches a LOGISTIC or the class input of
// TFLite_Detection_PostProcess through reshapes and concatenations) keep
// the top of their range at least min(-min, kScoreLogitHeadroom): a
// calibrated maximum near 0 would clip every score at 0.5, so a head that
// saw no object in calibration (e.g. BlazeFace's coarse grid on photos
// without large faces) could never detect one, and a low one caps every
// score below what the float model gives. At most half the resolution is
// spent on it. Logits that reach a LOGISTIC (sigmoid scores) also have the
// bottom of their range raised to -kSigmoidLogitFloor: lower values all
// mean a score of 0, and a calibrated minimum of -388 would leave steps of
// 1.5 in the logits that matter.
StatusOr<std::map<int32_t, ActivationChoice>> PlanActivations(
    const ir::Subgraph& sg, const std::vector<bool>& quantized,
    const std::map<int32_t, Observer>& observers, const ActivationPlanOptions& options);

}  // namespace detlite::quant

#endif  // DETLITE_QUANT_ACTIVATION_PARAMS_H_
