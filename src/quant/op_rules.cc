#include "quant/op_rules.h"

namespace detlite::quant {

using ir::OpKind;

namespace {

bool HasInt16Kernel(OpKind kind) {
  switch (kind) {
    case OpKind::kConv2D:
    case OpKind::kDepthwiseConv2D:
    case OpKind::kFullyConnected:
    case OpKind::kAdd:
    case OpKind::kSub:
    case OpKind::kRelu:
    case OpKind::kRelu6:
    case OpKind::kConcatenation:
    case OpKind::kReshape:
    case OpKind::kMaxPool2D:
    case OpKind::kAveragePool2D:
    case OpKind::kPad:
      return true;
    default:
      return false;
  }
}

std::optional<OpRule> Int8Rule(const ir::Operator& op);

}  // namespace

std::optional<OpRule> RuleFor(const ir::Operator& op, bool int16) {
  if (int16 && !HasInt16Kernel(op.kind)) return std::nullopt;
  std::optional<OpRule> rule = Int8Rule(op);
  if (rule && int16 && rule->fixed_scale) {
    rule->fixed_scale = 1.0f / 32768.0f;
    rule->fixed_zero_point = 0;
  }
  return rule;
}

namespace {

std::optional<OpRule> Int8Rule(const ir::Operator& op) {
  using R = InputRole;
  OpRule rule;
  switch (op.kind) {
    case OpKind::kConv2D:
    case OpKind::kFullyConnected:
      rule.inputs = {R::kActivation, R::kWeights, R::kBias};
      rule.weights_axis = 0;
      return rule;
    case OpKind::kDepthwiseConv2D:
      rule.inputs = {R::kActivation, R::kWeights, R::kBias};
      rule.weights_axis = 3;
      return rule;
    case OpKind::kAdd:
    case OpKind::kSub:
    case OpKind::kMul:
      rule.inputs = {R::kActivation, R::kActivation};
      return rule;
    case OpKind::kRelu:
    case OpKind::kRelu6:
    case OpKind::kReluN1To1:
      rule.inputs = {R::kActivation};
      return rule;
    case OpKind::kPrelu:
      rule.inputs = {R::kActivation, R::kAlpha};
      return rule;
    case OpKind::kConcatenation:
      rule.inputs.assign(op.inputs.size(), R::kActivation);
      rule.same_scale = true;
      return rule;
    case OpKind::kReshape:
    case OpKind::kSqueeze:
    case OpKind::kMaxPool2D:
    case OpKind::kAveragePool2D:
    case OpKind::kPad:
    case OpKind::kResizeBilinear:
    case OpKind::kResizeNearestNeighbor:
    case OpKind::kDepthToSpace:
    case OpKind::kSpaceToDepth:
    case OpKind::kTranspose:
      // PAD, RESIZE_BILINEAR and DEPTH_TO_SPACE with differing parameters
      // also make the XNNPACK delegate fail (runtime/ops/shape_xnnpack.h).
      rule.inputs = {R::kActivation};
      rule.same_scale = true;
      return rule;
    case OpKind::kLogistic:
    case OpKind::kSoftmax:
      rule.inputs = {R::kActivation};
      rule.fixed_scale = 1.0f / 256.0f;
      rule.fixed_zero_point = -128;
      return rule;
    case OpKind::kTanh:
      rule.inputs = {R::kActivation};
      rule.fixed_scale = 1.0f / 128.0f;
      rule.fixed_zero_point = 0;
      return rule;
    default:
      return std::nullopt;
  }
}

}  // namespace
}  // namespace detlite::quant
