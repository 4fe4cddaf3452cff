// Fake quantization for quantization-aware training (issue 13, item 2): a
// float training graph that computes what detlite's int8 exporter
// (quant::QuantizeFullInteger) would make of the same float weights.
//
// The decisions are src/quant's own, not a second copy: which ops become
// int8 (quant::SelectOps on the calibration observers), every activation's
// scale and zero point (quant::PlanActivations: the calibration method,
// shared ranges, score-logit fitting, nudging), and the weights, biases and
// constant operands as quant::QuantizeWeights / QuantizeBias /
// QuantizeConstant produce them (same scales, same rounding), dequantized
// back to float32. Each activation the exporter stores as int8 is followed
// by a QUANTIZE -> DEQUANTIZE pair with its parameters, run by the
// runtime's own kernels (TFLite's rounding), and Backward passes gradients
// through the pair with the straight-through estimator
// (grad_fake_quant.cc). Weight gradients go to the float master weights
// unchanged (the symmetric abs-max scales never clip a weight).
#ifndef DETLITE_TRAIN_FAKE_QUANT_H_
#define DETLITE_TRAIN_FAKE_QUANT_H_

#include <cstdint>
#include <map>
#include <vector>

#include "detlite/status.h"
#include "ir/graph.h"
#include "quant/activation_params.h"
#include "quant/observer.h"
#include "quant/range_select.h"

namespace detlite::train {

struct QuantPlan {
  std::vector<bool> quantized;  // by op index of the float graph
  std::map<int32_t, quant::ActivationChoice> acts;  // by tensor
};

struct QuantPlanOptions {
  CalibrationMethod method = kDefaultCalibrationMethod;
  float percentile = 99.99f;
  // Trained own ranges (quant::ActivationPlanOptions::own_ranges); nullptr:
  // the calibration method's.
  const std::map<int32_t, quant::Range>* own_ranges = nullptr;
};

// What the int8 exporter decides for `float_model` (subgraph 0, float32
// weights) given calibration `observers`.
StatusOr<QuantPlan> PlanQuantization(const ir::Model& float_model,
                                     const std::map<int32_t, quant::Observer>& observers,
                                     const QuantPlanOptions& options);

struct FakeQuantGraph {
  ir::Model model;
  // Float-graph tensor -> the float tensor of the training graph holding
  // its fake-quantized value (itself when it is not quantized). Tensor
  // indices of the float graph are kept: constant i of the training graph
  // is the fake-quantized form of constant i of the float graph.
  std::map<int32_t, int32_t> fake_of;
  std::vector<int32_t> outputs;  // the requested outputs, in the training graph
};

// The training graph of `float_model` under `plan`, reduced to the ops that
// `outputs` (float-graph tensors) depend on; those become its outputs.
StatusOr<FakeQuantGraph> BuildFakeQuantGraph(const ir::Model& float_model, const QuantPlan& plan,
                                             const std::vector<int32_t>& outputs);

// Keeps only the ops `outputs` depend on and makes them the outputs.
void TruncateTo(ir::Subgraph& sg, const std::vector<int32_t>& outputs);

}  // namespace detlite::train

#endif  // DETLITE_TRAIN_FAKE_QUANT_H_
