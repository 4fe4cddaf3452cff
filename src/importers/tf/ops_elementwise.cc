// Element-wise arithmetic, activations and inference-mode batch norm.
#include <cmath>
#include <cstring>
#include <vector>

#include "importers/tf/node_attrs.h"
#include "importers/tf/op_mappers.h"

namespace detlite::tf_import {
namespace {

using Outs = StatusOr<std::vector<int32_t>>;

template <ir::OpKind kKind>
Outs Binary(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 2));
  ir::OpOptions o = std::monostate{};
  if (kKind == ir::OpKind::kAdd || kKind == ir::OpKind::kSub || kKind == ir::OpKind::kMul ||
      kKind == ir::OpKind::kDiv) {
    o = ir::ArithmeticOptions{};
  }
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), kKind, {in[0], in[1]}, o));
  return std::vector<int32_t>{out};
}

template <ir::OpKind kKind>
Outs Unary(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 1));
  ir::OpOptions o = std::monostate{};
  if (kKind == ir::OpKind::kSoftmax) o = ir::SoftmaxOptions{};
  if (kKind == ir::OpKind::kLeakyRelu) o = ir::LeakyReluOptions{AttrFloat(n, "alpha", 0.2f)};
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), kKind, {in[0]}, o));
  return std::vector<int32_t>{out};
}

// AddN(x1..xn) as a chain of ADD, ((x1 + x2) + x3) + ..., in TensorFlow's
// order of summation; every input has the same shape (no broadcasting).
Outs AddN(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 1));
  for (size_t i = 1; i < in.size(); ++i) {
    if (ctx.tensor(in[i]).shape != ctx.tensor(in[0]).shape) {
      return ctx.NodeError(n.name(), n.op(), "inputs 0 and " + std::to_string(i) +
                                                 " differ in shape (" + ctx.tensor(in[0]).shape.ToString() +
                                                 " and " + ctx.tensor(in[i]).shape.ToString() + ")");
    }
  }
  int32_t sum = in[0];
  for (size_t i = 1; i < in.size(); ++i) {
    const std::string name = i + 1 == in.size() ? n.name() : n.name() + "/add_" + std::to_string(i);
    ASSIGN_OR_RETURN(sum, ctx.Emit1(name, ir::OpKind::kAdd, {sum, in[i]}, ir::ArithmeticOptions{}));
  }
  return std::vector<int32_t>{sum};
}

StatusOr<std::vector<float>> FloatVector(ImportContext& ctx, const tf::NodeDef& n, int32_t t,
                                         int64_t size, const char* what) {
  const ir::Tensor& ten = ctx.tensor(t);
  if (!ten.is_constant() || ten.dtype != DType::kFloat32 || ten.shape.rank() != 1 ||
      ten.shape.dim(0) != size || ten.data->size() != static_cast<size_t>(size) * 4) {
    return ctx.NodeError(n.name(), n.op(),
                         std::string(what) + " must be a float32 constant of " +
                             std::to_string(size) + " values");
  }
  std::vector<float> v(static_cast<size_t>(size));
  std::memcpy(v.data(), ten.data->data(), ten.data->size());
  return v;
}

// y = x * scale / sqrt(var + eps) + (offset - mean * scale / sqrt(var + eps)),
// as TensorFlow's inference kernel computes it; the MUL and ADD then fold into
// a preceding convolution (passes/tf_fold_batch_norm).
Outs FusedBatchNorm(ImportContext& ctx, const tf::NodeDef& n, const std::vector<int32_t>& in) {
  RETURN_IF_ERROR(CheckInputs(ctx, n, in, 5));
  if (AttrBool(n, "is_training", true)) {
    return ctx.NodeError(n.name(), n.op(), "is_training is set; only inference graphs convert");
  }
  if (AttrString(n, "data_format", "NHWC") != "NHWC") {
    return ctx.NodeError(n.name(), n.op(), "only NHWC data_format is supported");
  }
  const Shape& xs = ctx.tensor(in[0]).shape;
  if (xs.rank() < 1) return ctx.NodeError(n.name(), n.op(), "input has rank 0");
  const int64_t c = xs.dim(xs.rank() - 1);
  ASSIGN_OR_RETURN(std::vector<float> scale, FloatVector(ctx, n, in[1], c, "scale"));
  ASSIGN_OR_RETURN(std::vector<float> offset, FloatVector(ctx, n, in[2], c, "offset"));
  ASSIGN_OR_RETURN(std::vector<float> mean, FloatVector(ctx, n, in[3], c, "mean"));
  ASSIGN_OR_RETURN(std::vector<float> var, FloatVector(ctx, n, in[4], c, "variance"));
  const float eps = AttrFloat(n, "epsilon", 0.0001f);
  std::vector<float> mul(static_cast<size_t>(c)), add(static_cast<size_t>(c));
  for (size_t i = 0; i < mul.size(); ++i) {
    mul[i] = scale[i] / std::sqrt(var[i] + eps);
    add[i] = offset[i] - mean[i] * mul[i];
  }
  const Shape cs{static_cast<int32_t>(c)};
  const int32_t m = ctx.ConstF32(n.name() + "/scale", cs, mul);
  const int32_t a = ctx.ConstF32(n.name() + "/offset", cs, add);
  ASSIGN_OR_RETURN(int32_t y, ctx.Emit1(n.name() + "/mul", ir::OpKind::kMul, {in[0], m},
                                        ir::ArithmeticOptions{}));
  ASSIGN_OR_RETURN(int32_t out, ctx.Emit1(n.name(), ir::OpKind::kAdd, {y, a},
                                          ir::ArithmeticOptions{}));
  // Outputs 1..5 (batch statistics) are training-only; nothing reads them.
  return std::vector<int32_t>{out};
}

}  // namespace

void AddElementwiseMappers(OpMapperMap& m) {
  m["Add"] = Binary<ir::OpKind::kAdd>;
  m["AddV2"] = Binary<ir::OpKind::kAdd>;
  m["AddN"] = AddN;
  m["Sub"] = Binary<ir::OpKind::kSub>;
  m["Mul"] = Binary<ir::OpKind::kMul>;
  m["RealDiv"] = Binary<ir::OpKind::kDiv>;
  m["Maximum"] = Binary<ir::OpKind::kMaximum>;
  m["Minimum"] = Binary<ir::OpKind::kMinimum>;
  m["SquaredDifference"] = Binary<ir::OpKind::kSquaredDifference>;
  m["Relu"] = Unary<ir::OpKind::kRelu>;
  m["Relu6"] = Unary<ir::OpKind::kRelu6>;
  m["Sigmoid"] = Unary<ir::OpKind::kLogistic>;
  m["Tanh"] = Unary<ir::OpKind::kTanh>;
  m["Softmax"] = Unary<ir::OpKind::kSoftmax>;
  m["Exp"] = Unary<ir::OpKind::kExp>;
  m["Sqrt"] = Unary<ir::OpKind::kSqrt>;
  m["Rsqrt"] = Unary<ir::OpKind::kRsqrt>;
  m["Square"] = Unary<ir::OpKind::kSquare>;
  m["Neg"] = Unary<ir::OpKind::kNeg>;
  m["Abs"] = Unary<ir::OpKind::kAbs>;
  m["Elu"] = Unary<ir::OpKind::kElu>;
  m["LeakyRelu"] = Unary<ir::OpKind::kLeakyRelu>;
  m["FusedBatchNorm"] = FusedBatchNorm;
  m["FusedBatchNormV2"] = FusedBatchNorm;
  m["FusedBatchNormV3"] = FusedBatchNorm;
}

}  // namespace detlite::tf_import
